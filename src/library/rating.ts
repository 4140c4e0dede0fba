import type { RatingLevel } from './types.ts';

export interface ParsedRating {
  /** The rating as written, or null when the value states none. */
  readonly rating: string | null;
  readonly level: RatingLevel;
  /** Whatever followed the rating in the value (the warnings of a `Rating/Warnings` line). */
  readonly rest: string;
}

/** AO3's own rating names (and common spellings of them), longest first. */
const NAMED_RATINGS: readonly (readonly [RegExp, RatingLevel])[] = [
  [/^(?:general audiences?|general|gen|all ages|everyone)\b/i, 'general'],
  [/^(?:teen and up audiences?|teen and up|teens? and up|teens?)\b/i, 'teen'],
  [/^(?:mature)\b/i, 'mature'],
  [/^(?:explicit|adults? only|adult)\b/i, 'explicit'],
  [/^(?:not rated|unrated|no rating)\b/i, 'unrated'],
];

/**
 * Abbreviated ratings: film-style (G, PG, PG-13, R, NC-17), fanfiction.net's (K, K+, T, M, MA),
 * AO3's initials (G, T, M, E) and the FRAO scale (FR7 ... FR21). Keys have hyphens removed.
 */
const CODED_RATINGS: Readonly<Record<string, RatingLevel>> = {
  g: 'general',
  pg: 'general',
  k: 'general',
  'k+': 'general',
  fr7: 'general',
  pg13: 'teen',
  pg15: 'teen',
  t: 'teen',
  fr13: 'teen',
  r: 'mature',
  m: 'mature',
  fr15: 'mature',
  nc17: 'explicit',
  nc18: 'explicit',
  ma: 'explicit',
  e: 'explicit',
  x: 'explicit',
  xxx: 'explicit',
  fr18: 'explicit',
  fr21: 'explicit',
};

const CODED_TOKEN = /^([a-z]{1,3}(?:-?\d{1,2})?\+?)(?=$|[\s;,.:()/!-])/i;
const LEADING_SEPARATORS = /^[\s;,.:/|()-]+/;

/** Reads the rating at the start of `value`; anything after it is returned as `rest`. */
export function parseRating(value: string): ParsedRating {
  const text = value.trim();
  if (text === '') return { rating: null, level: 'unrated', rest: '' };
  for (const [pattern, level] of NAMED_RATINGS) {
    const match = pattern.exec(text);
    if (match) return found(text, match[0], level);
  }
  const coded = CODED_TOKEN.exec(text);
  if (coded?.[1]) {
    const level = CODED_RATINGS[coded[1].toLowerCase().replace('-', '')];
    if (level) return found(text, coded[1], level);
  }
  return { rating: text, level: 'unrated', rest: '' };
}

function found(text: string, written: string, level: RatingLevel): ParsedRating {
  const rest = text.slice(written.length).replace(LEADING_SEPARATORS, '').trim();
  return { rating: written, level, rest };
}
