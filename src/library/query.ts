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

/**
 * A story's normalised title, and its normalised id when that differs (an id is mostly its title
 * as a slug, and matches exactly where the title does).
 */
interface SearchNames {
  readonly title: string;
  readonly id: string | null;
  /** The letters either name holds (see letterMask). */
  readonly mask: number;
}

/**
 * The letters a–z a normalised text holds, one bit each: a candidate lacking one of the query's
 * letters cannot match it at all, and is passed over without reading it.
 */
function letterMask(text: string): number {
  let mask = 0;
  for (let index = 0; index < text.length; index++) {
    const letter = text.charCodeAt(index) - 97;
    if (letter >= 0 && letter < 26) mask |= 1 << letter;
  }
  return mask;
}

/** Each story's names, worked out once (autocomplete runs on every keystroke). */
const normalisedNames = new WeakMap<Story, SearchNames>();

function searchNames(story: Story): SearchNames {
  let names = normalisedNames.get(story);
  if (names === undefined) {
    const title = normalise(story.title);
    const id = normalise(story.id);
    names = { title, id: id === title ? null : id, mask: letterMask(title) | letterMask(id) };
    normalisedNames.set(story, names);
  }
  return names;
}

/**
 * The names of a list of stories, in its order: worked out once per list (the library's own list
 * is searched on every autocomplete keystroke; a filtered list is a new one each time).
 */
const namesByList = new WeakMap<readonly Story[], readonly SearchNames[]>();

function listNames(stories: readonly Story[]): readonly SearchNames[] {
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
  /** letterMask of the query. */
  readonly mask: number;
}

function prepareQuery(text: string): Query {
  return {
    text,
    // Words are single-spaced; a query holding a space cannot start one word.
    wordStart: text.includes(' ') ? null : ` ${text}`,
    letters: text.replace(/ /g, ''),
    mask: letterMask(text),
  };
}

/**
 * How well `query` matches `candidate` (both normalised, the query not empty): higher is better,
 * 0 is no match. Most candidates of a search hold no copy of the query, so that is asked first:
 * the exact, prefix and word-prefix matches are all among those that do.
 */
function matchScore(query: Query, candidate: string): number {
  if (candidate.includes(query.text)) {
    if (candidate === query.text) return 100;
    if (candidate.startsWith(query.text)) return 80;
    if (query.wordStart !== null && candidate.includes(query.wordStart)) return 60;
    return 40;
  }
  // Every query character in order (fuzzy): "atap" finds "another time another place".
  const { letters } = query;
  let at = 0;
  let gaps = 0;
  for (let index = 0; index < letters.length; index++) {
    const found = candidate.indexOf(letters.charAt(index), at);
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
  const { stories } = library;
  const names = listNames(stories);
  for (let index = 0; index < stories.length; index++) {
    const { title, id, mask } = names[index]!;
    const score =
      wanted === ''
        ? 1
        : (mask & prepared.mask) !== prepared.mask
          ? 0
          : Math.max(matchScore(prepared, title), id === null ? 0 : matchScore(prepared, id));
    if (score > 0) scored.push({ story: stories[index]!, score });
  }
  scored.sort((a, b) => b.score - a.score || a.story.title.localeCompare(b.story.title));
  return scored.slice(0, limit).map(({ story }) => story);
}
