/**
 * Picking a game's questions from the library's eligible quotes. Pure: the stories passed in are
 * already the ones this channel may serve (gating happens before), and randomness comes from the
 * injected `rng`.
 *
 * A good question: an eligible quote (the dialogue layer is confident of its speaker) shown by
 * its question line (the whole quote, or a long speech's opening sentences: questionLine), that
 * never contains its speaker's name or an alias, not repeated within the game; speakers (and in
 * story mode, stories) take turns so no character dominates.
 */
import { questionLine } from '../library/dialogue/confidence.ts';
import { mayBeSamePerson } from '../library/same-person.ts';
import { SpeakerNames } from '../library/speaker-names.ts';
import type { CastMember, Quote, Story } from '../library/types.ts';
import { quoteContext } from './context.ts';
import { type Rng, randomInt, shuffled } from './random.ts';
import type { Question, QuizMode } from './types.ts';

/** Discord's button label limit; choices must stay distinct within it. */
export const LABEL_MAX = 80;

const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'sir',
  'lady',
  'lord',
  'the',
  'aunt',
  'uncle',
  'captain',
  'colonel',
  'madame',
  'queen',
  'king',
]);

export interface SelectOptions {
  readonly mode: QuizMode;
  readonly rounds: number;
  readonly rng: Rng;
  /** Speaker mode only: ask about these stories' quotes (all given stories when absent). */
  readonly storyIds?: readonly string[];
}

interface Candidate {
  readonly story: Story;
  readonly quote: Quote;
  /** Balancing groups, outermost first: [speaker] in speaker mode, [story, speaker] in story mode. */
  readonly groups: readonly string[];
}

/**
 * Up to `rounds` questions (fewer when the stories do not have enough good lines); empty when
 * there are none. Story mode needs at least four stories with distinct titles.
 */
export function selectQuestions(stories: readonly Story[], options: SelectOptions): Question[] {
  const rng = options.rng;
  if (options.mode === 'story') {
    const distinct = uniqueBy(stories, (story) => labelKey(story.title));
    if (distinct.length < 4) return [];
    const picked = pickBalanced(storyCandidates(distinct), options.rounds, rng);
    return picked.map((c) => toQuestion(c, c.story.title, pickOtherStories(distinct, c.story, rng), rng));
  }
  const picked = pickBalanced(speakerCandidates(stories, options), options.rounds, rng);
  return picked.map((c) => {
    const speaker = c.quote.speaker ?? '';
    return toQuestion(c, speaker, pickDistractors(c.story, speaker, rng) ?? [], rng);
  });
}

/** Is this quote one the game may ask, before looking at answer choices? */
export function isPlayableQuote(quote: Quote, story: Story): boolean {
  if (!quote.eligible || !quote.speaker) return false;
  const line = questionLine(quote.text);
  if (line === null) return false;
  return !namesSpeaker(line, quote.speaker, story.dialogue.characters);
}

/** Every form of a character's name a line could use: full name, aliases, and their name parts. */
export function nameForms(name: string, member?: CastMember): string[] {
  const forms = new Set<string>();
  for (const full of [name, ...(member?.aliases ?? [])]) {
    const trimmed = full.trim();
    if (!trimmed) continue;
    forms.add(trimmed);
    for (const part of trimmed.split(/[\s.]+/u)) {
      if (part.length >= 3 && !HONORIFICS.has(part.toLowerCase())) forms.add(part);
    }
  }
  return [...forms];
}

/** Each cast's names, indexed once (speaker-names.ts): the game reads many lines of one story. */
const namesByCast = new WeakMap<readonly CastMember[], SpeakerNames<string>>();

/**
 * Does `text` say the speaker's name, one of their aliases or a word of either, so that asking
 * it would give the answer away? ("Spike", "Spike's", shouted "SPIKE"; not "will" for Will, and
 * not a family name the line gives another character: "Mr Elliot" in Anne Elliot's line.)
 */
export function namesSpeaker(text: string, speaker: string, cast: readonly CastMember[]): boolean {
  let names = namesByCast.get(cast);
  if (names === undefined) {
    names = new SpeakerNames(
      cast.map((member) => ({ key: member.name, forms: [member.name, ...member.aliases] })),
    );
    namesByCast.set(cast, names);
  }
  if (cast.some((member) => member.name === speaker)) return names.namedIn(text, speaker);
  // A speaker outside the cast (the unnamed narrator) is known by that name alone.
  return new SpeakerNames([{ key: speaker, forms: [speaker] }]).namedIn(text, speaker);
}

/**
 * A character has a speaking part, and is a first choice for a wrong answer, with at least this
 * many lines and at least SPEAKING_PART_SHARE of the story's attributed lines: a name the
 * dialogue layer gave a handful of lines in a long novel is more likely a misreading than a voice.
 */
export const SPEAKING_PART_LINES = 3;
export const SPEAKING_PART_SHARE = 0.01;

/**
 * Three wrong answers for a speaker question: other members of the story's cast, preferring
 * characters with a speaking part (SPEAKING_PART_LINES), then any who speak, then the rest; within
 * each, the speaker's gender when it is known. Never one who may be the speaker under another
 * name (mayBeSamePerson).
 */
export function pickDistractors(story: Story, speaker: string, rng: Rng): string[] | null {
  const member = castMember(story, speaker);
  const speakerMember: CastMember = member ?? { name: speaker, aliases: [], gender: 'unknown', lines: 0 };
  const speakerGender = speakerMember.gender;
  const taken = new Set(nameForms(speaker, member).map(labelKey));
  let attributed = 0;
  for (const character of story.dialogue.characters) attributed += character.lines;
  const speakingPart = Math.max(SPEAKING_PART_LINES, Math.ceil(attributed * SPEAKING_PART_SHARE));
  const tiers: string[][] = [[], [], [], [], [], []];
  for (const other of shuffled(story.dialogue.characters, rng)) {
    if (other.name === 'NARRATOR' || !other.name.trim()) continue;
    const forms = [other.name, ...other.aliases].map(labelKey);
    if (forms.some((form) => taken.has(form))) continue;
    if (mayBeSamePerson(speakerMember, other, story.dialogue.characters)) continue;
    const sameGender = speakerGender !== 'unknown' && other.gender === speakerGender;
    const part = other.lines >= speakingPart && !isEpithet(other.name) ? 0 : other.lines > 0 ? 2 : 4;
    tiers[part + (sameGender ? 0 : 1)]?.push(other.name);
    taken.add(labelKey(other.name));
  }
  const picked = tiers.flat().slice(0, 3);
  return picked.length === 3 ? picked : null;
}

/**
 * A character known only by a description ("the old lady", "the stranger"): as a wrong answer it
 * may well be someone the cast also knows by name, so it comes after the named speakers.
 */
function isEpithet(name: string): boolean {
  return /^(?:the|a|an)\s/u.test(name);
}

/** Three other stories for a story question, preferring ones that share a fandom with it. */
export function pickOtherStories(stories: readonly Story[], story: Story, rng: Rng): string[] {
  const fandoms = new Set(story.fandoms.map((f) => f.toLowerCase()));
  const others = shuffled(
    stories.filter((other) => labelKey(other.title) !== labelKey(story.title)),
    rng,
  );
  const sharing = others.filter((other) => other.fandoms.some((f) => fandoms.has(f.toLowerCase())));
  const rest = others.filter((other) => !sharing.includes(other));
  return [...sharing, ...rest].slice(0, 3).map((other) => other.title);
}

function speakerCandidates(stories: readonly Story[], options: SelectOptions): Candidate[] {
  const wanted = options.storyIds ? new Set(options.storyIds) : null;
  const out: Candidate[] = [];
  for (const story of stories) {
    if (wanted && !wanted.has(story.id)) continue;
    const askable = new Map<string, boolean>();
    for (const quote of story.dialogue.quotes) {
      const speaker = quote.speaker;
      if (!speaker || speaker === 'NARRATOR' || !isPlayableQuote(quote, story)) continue;
      if (!askable.has(speaker)) askable.set(speaker, pickDistractors(story, speaker, () => 0) !== null);
      if (askable.get(speaker)) out.push({ story, quote, groups: [`${story.id}\u0000${speaker}`] });
    }
  }
  return out;
}

function storyCandidates(stories: readonly Story[]): Candidate[] {
  return stories.flatMap((story) =>
    story.dialogue.quotes
      .filter((quote) => isPlayableQuote(quote, story))
      .map((quote) => ({ story, quote, groups: [story.id, `${story.id}\u0000${quote.speaker}`] })),
  );
}

/**
 * Picks `count` candidates without repeating a line: at each level, the group used least so far
 * (ties broken at random), then a random unused line within it.
 */
function pickBalanced(pool: readonly Candidate[], count: number, rng: Rng): Candidate[] {
  const used = new Map<string, number>();
  const seenText = new Set<string>();
  let remaining = shuffled(pool, rng);
  const picked: Candidate[] = [];
  while (picked.length < count && remaining.length > 0) {
    let options = remaining;
    const depth = options[0]?.groups.length ?? 0;
    for (let level = 0; level < depth; level++) {
      const least = Math.min(...options.map((c) => used.get(c.groups[level] ?? '') ?? 0));
      options = options.filter((c) => (used.get(c.groups[level] ?? '') ?? 0) === least);
    }
    const choice = options[randomInt(rng, options.length)];
    if (!choice) break;
    picked.push(choice);
    for (const group of choice.groups) used.set(group, (used.get(group) ?? 0) + 1);
    seenText.add(textKey(choice.quote.text));
    remaining = remaining.filter((c) => c !== choice && !seenText.has(textKey(c.quote.text)));
  }
  return picked;
}

function toQuestion(candidate: Candidate, answer: string, wrong: readonly string[], rng: Rng): Question {
  const { story, quote } = candidate;
  const choices = shuffled([answer, ...wrong], rng);
  const context = quoteContext(story.text, quote, story.scenes[quote.scene]);
  return {
    storyId: story.id,
    storyTitle: story.title,
    quoteStart: quote.start,
    quoteEnd: quote.end,
    text: questionLine(quote.text) ?? quote.text.trim(),
    speaker: quote.speaker ?? 'NARRATOR',
    choices,
    answer: choices.indexOf(answer),
    scene: quote.scene,
    before: context.before,
    after: context.after,
  };
}

function castMember(story: Story, name: string): CastMember | undefined {
  return story.dialogue.characters.find((member) => member.name === name);
}

function labelKey(label: string): string {
  return label.trim().slice(0, LABEL_MAX).toLowerCase();
}

function textKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
