/**
 * parseStory: one story file's bytes → a Story. Pure: no file system, no clock, no randomness.
 */
import { decodeHTMLStrict } from 'entities';
import { decodeStoryBytes, MAX_STORY_BYTES } from './decode.ts';
import { detectFormat } from './detect.ts';
import { analyzeDialogue } from './dialogue/index.ts';
import { StoryFileError } from './errors.ts';
import { mergeFields, type StoryFields } from './fields.ts';
import { readAo3Html, readPlainHtml } from './html-format.ts';
import { detectPov } from './pov.ts';
import { slugify, titleFromFileName } from './slug.ts';
import { type BodyOptions, structureBody } from './structure.ts';
import { readTextDocument } from './text-format.ts';
import type { Story, StoryFormat } from './types.ts';
import { categoriesOf } from './warnings.ts';

export interface ParseOptions {
  /** Files over this many bytes are refused (default MAX_STORY_BYTES, 20 MiB). */
  readonly maxBytes?: number;
  /** Fields from the story's sidecar file: they win over the file's own metadata. */
  readonly overrides?: StoryFields;
}

interface ReadDocument {
  readonly text: string;
  readonly fields: StoryFields;
  readonly bodyStart: number;
  readonly body: BodyOptions;
}

/** An HTML entity, tried in place (sticky) at each `&`. */
const ENTITY_AT = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/iy;

/**
 * Does the text hold an HTML entity? indexOf finds each `&` far faster than a regular expression
 * scanning the whole text, and most stories have none or a handful.
 */
function hasEntity(text: string): boolean {
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    ENTITY_AT.lastIndex = at;
    if (ENTITY_AT.test(text)) return true;
  }
  return false;
}

function readDocument(format: StoryFormat, decoded: string): ReadDocument {
  if (format === 'ao3-html' || format === 'html') {
    const html = format === 'ao3-html' ? readAo3Html(decoded) : readPlainHtml(decoded);
    return { ...html, body: { lineMode: 'lines', headings: html.headings } };
  }
  // Plain text copied from web pages keeps entities (&amp;, &#8217;): decode the known ones.
  const text = hasEntity(decoded) ? decodeHTMLStrict(decoded) : decoded;
  const markdown = format === 'markdown';
  const document = readTextDocument(text, { markdown });
  return {
    text,
    fields: document.fields,
    bodyStart: document.bodyStart,
    body: { lineMode: 'auto', markdown },
  };
}

/**
 * Parses one story file. `file` is its path relative to the data folder (used for the format,
 * the fallback title and `Story.file`). Throws StoryFileError with a reason for the data keeper.
 */
export function parseStory(bytes: Uint8Array, file: string, options: ParseOptions = {}): Story {
  const story = parseStoryWithoutDialogue(bytes, file, options);
  return { ...story, dialogue: analyzeDialogue(story.text, story.scenes, { pov: story.pov }) };
}

/**
 * Everything parseStory does except the dialogue analysis. Internal: not exported from the
 * library's index; scripts/profile-ingest.ts and the bench (scripts/bench/ingest.ts) use it to time
 * the non-dialogue part of ingest on its own.
 */
export function parseStoryWithoutDialogue(
  bytes: Uint8Array,
  file: string,
  options: ParseOptions = {},
): Omit<Story, 'dialogue'> {
  const decoded = decodeStoryBytes(bytes, options.maxBytes ?? MAX_STORY_BYTES);
  const format = detectFormat(file, decoded.text);
  const document = readDocument(format, decoded.text);
  const fields = options.overrides ? mergeFields(document.fields, options.overrides) : document.fields;
  const { text } = document;
  const body = structureBody(text, document.bodyStart, text.length, document.body);
  if (body.scenes.length === 0)
    throw new StoryFileError('no story text found (the file holds only metadata)');

  const title = fields.title?.trim() || titleFromFileName(file);
  const warnings = fields.warnings ?? [];
  const pov = fields.pov ?? detectPov(text, body.scenes);
  const words = body.scenes.reduce((sum, scene) => sum + scene.words, 0);
  return {
    id: slugify(fields.id ?? title),
    file,
    format,
    title,
    author: fields.author ?? null,
    rating: fields.rating ?? null,
    ratingLevel: fields.ratingLevel ?? 'unrated',
    warnings,
    warningCategories: fields.warningCategories ?? categoriesOf(warnings),
    summary: fields.summary ?? null,
    notes: fields.notes ?? null,
    pov,
    fandoms: fields.fandoms ?? [],
    pairings: fields.pairings ?? [],
    characters: fields.characters ?? [],
    tags: fields.tags ?? [],
    credits: [...(fields.credits ?? []), ...body.credits],
    extra: fields.extra ?? {},
    chapters: body.chapters,
    text,
    scenes: body.scenes,
    words,
  };
}
