import { StoryFileError } from './errors.ts';
import { parseRating } from './rating.ts';
import type { PointOfView, RatingLevel, WarningCategory } from './types.ts';
import { RATING_LEVELS, WARNING_CATEGORIES } from './types.ts';
import { povStatement, splitWarnings } from './warnings.ts';

/**
 * Metadata gathered from a file (header block, front matter, AO3 preface) or a sidecar.
 * Every field is optional: later sources override earlier ones field by field.
 */
export interface StoryFields {
  id?: string;
  title?: string;
  author?: string;
  rating?: string;
  ratingLevel?: RatingLevel;
  warnings?: string[];
  warningCategories?: WarningCategory[];
  summary?: string;
  notes?: string;
  pov?: PointOfView;
  fandoms?: string[];
  pairings?: string[];
  characters?: string[];
  tags?: string[];
  credits?: string[];
  extra?: Record<string, string>;
}

type ListField = 'fandoms' | 'pairings' | 'characters' | 'tags';
type FieldKey =
  | 'id'
  | 'title'
  | 'author'
  | 'rating'
  | 'warnings'
  | 'summary'
  | 'notes'
  | 'pov'
  | ListField
  | 'credit';

/** Header and front-matter keys (lower case) and the field each fills. */
const KEY_ALIASES: Readonly<Record<string, FieldKey>> = {
  id: 'id',
  title: 'title',
  'story title': 'title',
  author: 'author',
  authors: 'author',
  writer: 'author',
  by: 'author',
  creator: 'author',
  rating: 'rating',
  rated: 'rating',
  warning: 'warnings',
  warnings: 'warnings',
  'archive warning': 'warnings',
  'archive warnings': 'warnings',
  'content warning': 'warnings',
  'content warnings': 'warnings',
  'trigger warning': 'warnings',
  'trigger warnings': 'warnings',
  tw: 'warnings',
  cw: 'warnings',
  summary: 'summary',
  description: 'summary',
  blurb: 'summary',
  notes: 'notes',
  note: 'notes',
  'a/n': 'notes',
  an: 'notes',
  "author's note": 'notes',
  "author's notes": 'notes',
  'authors note': 'notes',
  'authors notes': 'notes',
  'author note': 'notes',
  'author notes': 'notes',
  pov: 'pov',
  'point of view': 'pov',
  fandom: 'fandoms',
  fandoms: 'fandoms',
  pairing: 'pairings',
  pairings: 'pairings',
  relationship: 'pairings',
  relationships: 'pairings',
  ship: 'pairings',
  ships: 'pairings',
  character: 'characters',
  characters: 'characters',
  tags: 'tags',
  tag: 'tags',
  'additional tags': 'tags',
  freeform: 'tags',
  beta: 'credit',
  betas: 'credit',
  'beta reader': 'credit',
  'beta readers': 'credit',
  "beta'd by": 'credit',
  disclaimer: 'credit',
  banner: 'credit',
  'banner by': 'credit',
  art: 'credit',
  artist: 'credit',
  'art by': 'credit',
  'cover art': 'credit',
  credits: 'credit',
  thanks: 'credit',
  dedication: 'credit',
};

/** Keys that are metadata but have no field of their own: kept in `Story.extra`. */
const EXTRA_KEYS: ReadonlySet<string> = new Set([
  'word count',
  'words',
  'wordcount',
  'length',
  'genre',
  'genres',
  'category',
  'categories',
  'spoilers',
  'spoiler',
  'feedback',
  'archive',
  'archiving',
  'prompt',
  'prompts',
  'timeline',
  'setting',
  'series',
  'status',
  'language',
  'written for',
  'challenge',
  'date',
  'posted',
  'updated',
  'completed',
  'published',
  'chapters',
  'crossover',
  'stats',
  'summary and notes',
]);

export function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[\s_]+/g, ' ')
    .trim();
}

/** Is this a key a header block may start with (a known field or known extra metadata)? */
export function isKnownKey(key: string): boolean {
  const normal = normaliseKey(key);
  if (KEY_ALIASES[normal] || EXTRA_KEYS.has(normal)) return true;
  return splitCombinedKey(normal).every((part) => KEY_ALIASES[part] !== undefined || EXTRA_KEYS.has(part));
}

function splitCombinedKey(key: string): string[] {
  return key
    .split(/\s*(?:\/|&|\+|,|\band\b)\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function listItems(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function appendText(existing: string | undefined, value: string): string {
  return existing ? `${existing}\n\n${value}` : value;
}

/** Applies one `Key: value` line of a header block (values already joined across wrapped lines). */
export function applyHeader(fields: StoryFields, rawKey: string, rawValue: string): void {
  const key = normaliseKey(rawKey);
  const value = rawValue.trim();
  const field = KEY_ALIASES[key];
  if (field) {
    applyText(fields, field, rawKey.trim(), value);
    return;
  }
  const parts = splitCombinedKey(key);
  const known = parts.map((part) => KEY_ALIASES[part]);
  if (parts.length > 1 && known.every((part) => part !== undefined)) {
    applyCombined(fields, known as FieldKey[], value);
    return;
  }
  fields.extra = { ...fields.extra, [key]: value };
}

/** `Rating/Warnings: R; Allusions to gore.` → the rating first, the rest to the other key(s). */
function applyCombined(fields: StoryFields, keys: FieldKey[], value: string): void {
  let rest = value;
  if (keys.includes('rating')) {
    const parsed = parseRating(value);
    if (parsed.rating !== null && parsed.level !== 'unrated') {
      fields.rating = parsed.rating;
      fields.ratingLevel = parsed.level;
      rest = parsed.rest;
    }
  }
  const others = keys.filter((key) => key !== 'rating');
  const target = others[0];
  if (target && rest !== '') applyText(fields, target, target, rest);
}

function applyText(fields: StoryFields, field: FieldKey, writtenKey: string, value: string): void {
  if (value === '') return;
  switch (field) {
    case 'id':
    case 'title':
    case 'author':
      fields[field] = value;
      return;
    case 'summary':
      fields.summary = appendText(fields.summary, value);
      return;
    case 'notes':
      fields.notes = appendText(fields.notes, value);
      return;
    case 'rating': {
      const parsed = parseRating(value);
      fields.rating = parsed.rating ?? value;
      fields.ratingLevel = parsed.level;
      // "NC-17 for sex": the rating is the leading token; the whole line stays in extra.
      if (parsed.rest !== '') fields.extra = { ...fields.extra, rating: value };
      return;
    }
    case 'warnings':
      addWarnings(fields, value);
      return;
    case 'pov': {
      const pov = povStatement(value);
      if (pov) fields.pov = pov;
      return;
    }
    case 'credit':
      fields.credits = [...(fields.credits ?? []), `${writtenKey}: ${value}`];
      return;
    default:
      fields[field] = [...(fields[field] ?? []), ...listItems(value)];
  }
}

function addWarnings(fields: StoryFields, value: string): void {
  const split = splitWarnings(value);
  fields.warnings = [...(fields.warnings ?? []), ...split.warnings];
  if (split.pov && !fields.pov) fields.pov = split.pov;
}

/**
 * Reads front matter or a sidecar file (already parsed YAML) into fields. Values may be strings,
 * numbers or lists; `warnings`, `fandoms`, `pairings`, `characters`, `tags`, `credits` and
 * `warningCategories` take lists. Throws StoryFileError naming `source` for values of the wrong shape.
 */
export function fieldsFromYaml(data: Record<string, unknown>, source: string): StoryFields {
  const fields: StoryFields = {};
  for (const [rawKey, raw] of Object.entries(data)) {
    if (raw === null || raw === undefined) continue;
    const key = normaliseKey(rawKey);
    const where = `${source}: ${rawKey}`;
    if (key === 'ratinglevel' || key === 'rating level') {
      fields.ratingLevel = oneOf(raw, RATING_LEVELS, where);
    } else if (key === 'warningcategories' || key === 'warning categories') {
      fields.warningCategories = asList(raw, where).map((item) => oneOf(item, WARNING_CATEGORIES, where));
    } else if (KEY_ALIASES[key] === 'pov') {
      const pov = povStatement(scalar(raw, where));
      if (!pov) throw new StoryFileError(`${where} must be first, second or third`);
      fields.pov = pov;
    } else if (key === 'credits') {
      fields.credits = asList(raw, where);
    } else if (Array.isArray(raw) && isListField(KEY_ALIASES[key])) {
      const field = KEY_ALIASES[key] as ListField | 'warnings';
      fields[field] = [...(fields[field] ?? []), ...asList(raw, where)];
    } else {
      const text = Array.isArray(raw) ? asList(raw, where).join(', ') : scalar(raw, where);
      applyHeader(fields, rawKey, text);
    }
  }
  return fields;
}

function isListField(field: FieldKey | undefined): boolean {
  return (
    field === 'warnings' ||
    field === 'fandoms' ||
    field === 'pairings' ||
    field === 'characters' ||
    field === 'tags'
  );
}

function scalar(raw: unknown, where: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  throw new StoryFileError(`${where} must be text, not ${Array.isArray(raw) ? 'a list' : typeof raw}`);
}

function asList(raw: unknown, where: string): string[] {
  if (Array.isArray(raw)) return raw.map((item) => scalar(item, where).trim()).filter((item) => item !== '');
  return listItems(scalar(raw, where));
}

function oneOf<T extends string>(raw: unknown, allowed: readonly T[], where: string): T {
  const text = scalar(raw, where).trim().toLowerCase();
  const match = allowed.find((item) => item === text);
  if (!match) throw new StoryFileError(`${where} must be one of ${allowed.join(', ')} (got "${text}")`);
  return match;
}

/** Later sources win field by field; `extra` and `credits` merge. */
export function mergeFields(base: StoryFields, override: StoryFields): StoryFields {
  const merged: StoryFields = { ...base, ...override };
  if (base.extra || override.extra) merged.extra = { ...base.extra, ...override.extra };
  if (override.rating !== undefined && override.ratingLevel === undefined) {
    merged.ratingLevel = parseRating(override.rating).level;
  }
  if (override.warnings !== undefined && override.warningCategories === undefined) {
    delete merged.warningCategories;
  }
  return merged;
}
