import type { PointOfView, WarningCategory } from './types.ts';

/** Each category and the words that signal it in a warning as written; first match order. */
const CATEGORY_PATTERNS: readonly (readonly [WarningCategory, RegExp])[] = [
  ['graphic-violence', /graphic (?:depictions? of )?violence/],
  ['major-character-death', /major character death|\bmcd\b/],
  ['non-con', /\brap(?:e|ed|ing)\b|non-?con|dub-?con|dubious consent|\bnoncon/],
  ['underage', /under-?age/],
  ['sexual-violence', /sexual(?:ly)? (?:violence|assault|abuse)|molest/],
  ['gore', /\bgore\b|\bgor(?:e)?y\b|blood and guts/],
  ['self-harm', /self[- ]?(?:harm|injur|mutilat)|\bcutting\b/],
  ['suicide', /suicid/],
  ['abuse', /(?<!substance |drug |alcohol |sexual |sexually )\babus(?:e|ive)/],
  ['drug-use', /\bdrugs?\b|substance abuse|addict|overdose/],
  ['alcohol', /alcohol|\bdrunk|drinking|intoxicat/],
  ['eating-disorder', /eating disorder|anorexi|bulimi/],
  ['torture', /tortur/],
  ['slavery', /\bslave|slavery/],
  ['incest', /incest/],
  ['character-death', /character death|\bdeaths?\b|\bdies\b|\bdying\b/],
  ['violence', /violen/],
];

const NO_WARNINGS = /no archive warnings apply|^(?:no warnings?(?: apply)?|none|n\/a|nothing)$/;
const CHOSE_NOT_TO_WARN = /chose not to use archive warnings|choose not to (?:use archive )?warn|cntw/;

/** The normalised categories of one warning as written. */
export function warningCategories(warning: string): WarningCategory[] {
  const text = warning
    .toLowerCase()
    .trim()
    .replace(/[.!]+$/, '');
  if (CHOSE_NOT_TO_WARN.test(text)) return ['choose-not-to-warn'];
  if (NO_WARNINGS.test(text)) return ['no-warnings-apply'];
  const categories = CATEGORY_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(
    ([category]) => category,
  );
  const result = categories.filter(
    (category) =>
      !(
        category === 'violence' &&
        (categories.includes('graphic-violence') || categories.includes('sexual-violence'))
      ) && !(category === 'character-death' && categories.includes('major-character-death')),
  );
  return result.length > 0 ? result : ['other'];
}

/** Every category of a story's warnings, each once, in order of first appearance. */
export function categoriesOf(warnings: readonly string[]): WarningCategory[] {
  return [...new Set(warnings.flatMap(warningCategories))];
}

const PERSON = /\b(first|1st|second|2nd|third|3rd)[- ]person\b/i;
const POV_MENTION = /\bp\.?o\.?v\.?\b|point of view/i;

/** The point of view a statement like "First person POV." or "POV: third" names, or null. */
export function povStatement(text: string): PointOfView | null {
  const person =
    PERSON.exec(text)?.[1]?.toLowerCase() ?? /^\s*(first|second|third)\s*$/i.exec(text)?.[1] ?? '';
  if (person.startsWith('f') || person === '1st') return 'first';
  if (person.startsWith('s') || person === '2nd') return 'second';
  if (person.startsWith('t') || person === '3rd') return 'third';
  return null;
}

/** Is this item a statement about point of view rather than a warning? */
export function isPovItem(text: string): boolean {
  return PERSON.test(text) || POV_MENTION.test(text);
}

export interface SplitWarnings {
  readonly warnings: string[];
  readonly pov: PointOfView | null;
}

/**
 * Splits a warnings value as written into one entry per warning ("Allusions to non-con and gore.
 * First person POV." → ["Allusions to non-con and gore"], pov first). Items are separated by
 * semicolons, commas, line breaks or sentence ends.
 */
export function splitWarnings(value: string): SplitWarnings {
  const items = value
    .split(/[;,\n]|\.(?=\s|$)/)
    .map((item) => item.trim().replace(/^(?:and|&)\s+/i, ''))
    .filter((item) => item !== '');
  const warnings: string[] = [];
  let pov: PointOfView | null = null;
  for (const item of items) {
    if (isPovItem(item)) pov ??= povStatement(item);
    else warnings.push(item);
  }
  return { warnings, pov };
}
