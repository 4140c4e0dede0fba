/**
 * A summary for stories whose author wrote none: extractive, picking the most representative
 * narrative sentences of the opening scenes (words frequent across the whole story, the main
 * characters' names), kept in story order. Pure and deterministic.
 */
import type { Story } from '../library/types.ts';

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her hers him his how i if in into is it its ' +
    'just me my no not of on or our out she so than that the their them then there they this to too up was ' +
    'we were what when where which who will with would you your all any can could did do does down from get ' +
    'got like more much now off one only over said some than very well back about after again against before ' +
    'being below between both during each few further here just most other same should such through under ' +
    'until while why yes yeah oh'
  ).split(' '),
);

const SENTENCE = /[^.!?…]+[.!?…]+["'”’)]*|[^.!?…]+$/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}[\p{L}'’-]*/gu) ?? []).filter(
    (word) => word.length > 2 && !STOPWORDS.has(word),
  );
}

/** Share of a sentence's characters that sit inside quotation marks. */
function dialogueShare(sentence: string): number {
  let inside = 0;
  let open = false;
  for (const character of sentence) {
    if (character === '"' || character === '“' || character === '”') open = character === '”' ? false : !open;
    else if (open) inside += 1;
  }
  return sentence.length === 0 ? 0 : inside / sentence.length;
}

export interface SummaryOptions {
  /** How many of the opening scenes to read. */
  readonly scenes?: number;
  /** How many sentences to keep. */
  readonly sentences?: number;
  /** Upper bound on the summary's length in characters. */
  readonly maxLength?: number;
}

/** Representative sentences from the opening scenes, or null when the story has no usable prose. */
export function writeSummary(story: Story, options: SummaryOptions = {}): string | null {
  const sceneCount = options.scenes ?? 3;
  const keep = options.sentences ?? 3;
  const maxLength = options.maxLength ?? 700;

  const frequency = new Map<string, number>();
  for (const word of words(story.text)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  for (const character of story.dialogue.characters.slice(0, 5)) {
    for (const word of words(character.name)) frequency.set(word, (frequency.get(word) ?? 0) * 2 + 5);
  }

  const candidates: { text: string; position: number; score: number; scene: number; paragraph: number }[] =
    [];
  let paragraphNumber = 0;
  for (const scene of story.scenes.slice(0, sceneCount)) {
    for (const paragraph of scene.paragraphs) {
      paragraphNumber += 1;
      const prose = story.text.slice(paragraph.start, paragraph.end).replace(/\s+/g, ' ').trim();
      for (const match of prose.matchAll(SENTENCE)) {
        const sentence = match[0].trim();
        if (sentence.length < 40 || sentence.length > 280 || dialogueShare(sentence) > 0.3) continue;
        const tokens = words(sentence);
        if (tokens.length < 4) continue;
        const weight = tokens.reduce((sum, token) => sum + Math.log1p(frequency.get(token) ?? 0), 0);
        const position = candidates.length;
        candidates.push({
          text: sentence,
          position,
          score: weight / tokens.length ** 0.6 / (1 + position / 80),
          scene: scene.index,
          paragraph: paragraphNumber,
        });
      }
    }
  }
  if (candidates.length === 0) return null;

  // Spread the picks: the best sentence of each opening scene first, then the best of the rest,
  // never two from one paragraph.
  const ranked = [...candidates].sort((a, b) => b.score - a.score || a.position - b.position);
  const chosen: typeof candidates = [];
  let length = 0;
  const take = (candidate: (typeof candidates)[number]) => {
    if (chosen.length === keep || length + candidate.text.length + 1 > maxLength) return;
    if (chosen.some((picked) => picked.paragraph === candidate.paragraph)) return;
    chosen.push(candidate);
    length += candidate.text.length + 1;
  };
  const scenes = [...new Set(candidates.map((candidate) => candidate.scene))];
  for (const scene of scenes) {
    const best = ranked.find((candidate) => candidate.scene === scene);
    if (best !== undefined) take(best);
  }
  for (const candidate of ranked) take(candidate);
  return chosen
    .sort((a, b) => a.position - b.position)
    .map((candidate) => candidate.text)
    .join(' ');
}

/** Written summaries, once per story object: a story never changes, and a reload brings new objects. */
const writtenSummaries = new WeakMap<Story, string | null>();

/** `writeSummary` with the default options, computed once per story. */
export function writtenSummary(story: Story): string | null {
  if (!writtenSummaries.has(story)) writtenSummaries.set(story, writeSummary(story));
  return writtenSummaries.get(story) ?? null;
}
