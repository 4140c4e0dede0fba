/** Small pure helpers the bot's commands use to read stories. */
import type { Library, Scene, Story } from './types.ts';

/** Each paragraph's text; hard-wrapped lines inside a paragraph are joined with spaces. */
export function paragraphTexts(story: Story, scene: Scene): string[] {
  return scene.paragraphs.map((paragraph) =>
    story.text.slice(paragraph.start, paragraph.end).replace(/[ \t]*\n[ \t]*/g, ' '),
  );
}

/** A scene's prose, paragraphs separated by blank lines. */
export function sceneText(story: Story, scene: Scene): string {
  return paragraphTexts(story, scene).join('\n\n');
}

export function storyById(library: Library, id: string): Story | undefined {
  return library.stories.find((story) => story.id === id);
}

function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Each story's normalised title and id, worked out once (autocomplete runs on every keystroke). */
const normalisedNames = new WeakMap<Story, { title: string; id: string }>();

function searchNames(story: Story): { title: string; id: string } {
  let names = normalisedNames.get(story);
  if (names === undefined) {
    names = { title: normalise(story.title), id: normalise(story.id) };
    normalisedNames.set(story, names);
  }
  return names;
}

/**
 * The names of a list of stories, in its order: worked out once per list (the library's own list
 * is searched on every autocomplete keystroke; a filtered list is a new one each time).
 */
const namesByList = new WeakMap<readonly Story[], readonly { title: string; id: string }[]>();

function listNames(stories: readonly Story[]): readonly { title: string; id: string }[] {
  let names = namesByList.get(stories);
  if (names === undefined || names.length !== stories.length) {
    names = stories.map(searchNames);
    namesByList.set(stories, names);
  }
  return names;
}

/** A normalised query, with what matching it needs worked out once per search. */
interface Query {
  readonly text: string;
  /** The query after a space: a word of a candidate starts with it. */
  readonly wordStart: string | null;
  /** Its characters without spaces, for the fuzzy match. */
  readonly letters: string;
}

function prepareQuery(text: string): Query {
  return {
    text,
    // Words are single-spaced; a query holding a space cannot start one word.
    wordStart: text.includes(' ') ? null : ` ${text}`,
    letters: text.replace(/ /g, ''),
  };
}

/** How well `query` matches `candidate` (both normalised): higher is better, 0 is no match. */
function matchScore(query: Query, candidate: string): number {
  if (candidate === query.text) return 100;
  if (candidate.startsWith(query.text)) return 80;
  if (query.wordStart !== null && candidate.includes(query.wordStart)) return 60;
  if (candidate.includes(query.text)) return 40;
  // Every query character in order (fuzzy): "atap" finds "another time another place".
  let at = 0;
  let gaps = 0;
  for (const character of query.letters) {
    const found = candidate.indexOf(character, at);
    if (found === -1) return 0;
    if (found > at) gaps++;
    at = found + 1;
  }
  return Math.max(1, 20 - gaps);
}

/**
 * Stories whose title or id match `query`, best first (for autocomplete): exact, prefix,
 * word prefix, substring, then fuzzy (the query's letters in order). An empty query lists all.
 */
export function findStories(library: Library, query: string, limit = 25): Story[] {
  const wanted = normalise(query);
  const prepared = prepareQuery(wanted);
  const scored: { story: Story; score: number }[] = [];
  const names = listNames(library.stories);
  for (const [index, story] of library.stories.entries()) {
    const { title, id } = names[index]!;
    const score = wanted === '' ? 1 : Math.max(matchScore(prepared, title), matchScore(prepared, id));
    if (score > 0) scored.push({ story, score });
  }
  scored.sort((a, b) => b.score - a.score || a.story.title.localeCompare(b.story.title));
  return scored.slice(0, limit).map(({ story }) => story);
}
