/**
 * Plain-text and Markdown story files: optional YAML front matter, an optional title line (and
 * "by Author" line), an optional header block of `Key: value` lines, then the story.
 */
import { parse as parseYaml } from 'yaml';
import { StoryFileError } from './errors.ts';
import { applyHeader, fieldsFromYaml, isKnownKey, mergeFields, type StoryFields } from './fields.ts';
import { headingTitle, isDividerLine, isLeadingCredit, LONE_NUMERAL } from './structure.ts';

export interface TextDocument {
  readonly fields: StoryFields;
  /** Offset in the text where the story itself begins (after front matter, title and header). */
  readonly bodyStart: number;
}

export interface TextDocumentOptions {
  /** A `.md` file: front matter that does not parse is an error rather than prose. */
  readonly markdown?: boolean;
}

interface Line {
  readonly start: number;
  readonly end: number;
  /** Offset just after the line's `\n` (or the text's end). */
  readonly next: number;
  readonly text: string;
}

/** Only a line's first characters are ever copied: enough for any header key or title. */
const LINE_PREFIX = 400;

function lineAt(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  const next = end === -1 ? text.length : end + 1;
  if (end === -1) end = text.length;
  return { start, end, next, text: text.slice(start, Math.min(end, start + LINE_PREFIX)).trim() };
}

function skipBlankLines(text: string, position: number): number {
  let at = position;
  while (at < text.length) {
    const line = lineAt(text, at);
    if (line.text !== '' || line.end - line.start > LINE_PREFIX) return at;
    at = line.next;
  }
  return at;
}

const KEY_LINE = /^[*_]*([A-Za-z][A-Za-z0-9 '’/&+.-]{0,38}?)[*_]*\s*:[*_]*(?:\s+|$)/;

interface KeyLine {
  readonly key: string;
  readonly valueStart: number;
}

function keyLine(text: string, line: Line): KeyLine | null {
  const head = text.slice(line.start, Math.min(line.end, line.start + 64)).trimStart();
  const match = KEY_LINE.exec(head);
  if (!match?.[1]) return null;
  const indent =
    text.slice(line.start, line.end).length - text.slice(line.start, line.end).trimStart().length;
  return { key: match[1].trim(), valueStart: line.start + indent + match[0].length };
}

const FRONT_MATTER_CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;
const FRONT_MATTER_SEARCH = 64 * 1024;

function readFrontMatter(text: string, markdown: boolean): { fields: StoryFields; end: number } | null {
  if (!text.startsWith('---')) return null;
  const first = lineAt(text, 0);
  if (first.text !== '---') return null;
  const window = text.slice(first.next, first.next + FRONT_MATTER_SEARCH);
  const close = FRONT_MATTER_CLOSE.exec(window);
  const looksLikeYaml = /^[A-Za-z_][\w -]*:/.test(window.trimStart());
  if (!close) {
    if (markdown && looksLikeYaml) throw new StoryFileError('front matter has no closing "---" line');
    return null;
  }
  let data: unknown;
  try {
    data = parseYaml(window.slice(0, close.index));
  } catch (error) {
    if (markdown && looksLikeYaml) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new StoryFileError(`front matter is not valid YAML: ${message}`);
    }
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const closeLine = lineAt(text, first.next + close.index);
  return { fields: fieldsFromYaml(data as Record<string, unknown>, 'front matter'), end: closeLine.next };
}

interface HeaderBlock {
  readonly fields: StoryFields;
  readonly end: number;
}

/** Lines longer than this are unwrapped text: the next line cannot continue their value. */
const WRAPPED_LINE = 90;

function readHeader(text: string, position: number): HeaderBlock | null {
  const entries: { key: string; value: string }[] = [];
  let at = position;
  let end = position;
  let sawBlank = false;
  let previousLength = 0;
  while (at < text.length) {
    const line = lineAt(text, at);
    if (line.text === '' && line.end - line.start <= LINE_PREFIX) {
      sawBlank = true;
      at = line.next;
      continue;
    }
    const key = keyLine(text, line);
    if (key && (isKnownKey(key.key) || (!sawBlank && entries.length > 0))) {
      entries.push({ key: key.key, value: text.slice(key.valueStart, line.end).trim() });
    } else if (
      entries.length > 0 &&
      !sawBlank &&
      previousLength <= WRAPPED_LINE &&
      !isDividerLine(line.text)
    ) {
      const last = entries[entries.length - 1]!;
      last.value = `${last.value} ${text.slice(line.start, line.end).trim()}`.trim();
    } else {
      break;
    }
    previousLength = line.end - line.start;
    sawBlank = false;
    at = line.next;
    end = line.next;
  }
  if (entries.length === 0) return null;
  const fields: StoryFields = {};
  for (const { key, value } of entries) applyHeader(fields, key, value);
  return { fields, end };
}

/** Could this first line of a file be its title? */
function isTitleLine(line: string): boolean {
  if (line.length === 0 || line.length > 100) return false;
  if (!/\p{L}/u.test(line) || /^["“‘'(<*\-–—]/.test(line)) return false;
  if (/[,;:]$/.test(line) || (/\.$/.test(line) && !/\.\.\.$/.test(line))) return false;
  if (line.split(/\s+/).length > 15) return false;
  return (
    !isDividerLine(line) && headingTitle(line) === null && !isLeadingCredit(line) && !LONE_NUMERAL.test(line)
  );
}

/** The single-line block starting at `position`, or null when the block has more lines. */
function loneLine(text: string, position: number): Line | null {
  const at = skipBlankLines(text, position);
  if (at >= text.length) return null;
  const line = lineAt(text, at);
  const following = lineAt(text, line.next);
  if (line.next < text.length && following.text !== '') return null;
  return line;
}

const GUTENBERG_TITLE = /^the project gutenberg e-?book of (.+?),\s+by\s+(.+?)\.?$/i;
const BY_LINE = /^by\s+(.{1,80})$/i;

/** Reads everything before the story: front matter, title and author lines, header block. */
export function readTextDocument(text: string, options: TextDocumentOptions = {}): TextDocument {
  const front = readFrontMatter(text, options.markdown === true);
  let fields: StoryFields = {};
  let position = front?.end ?? 0;

  const titleLine = front?.fields.title === undefined ? loneLine(text, position) : null;
  let titleCandidate: string | null = null;
  if (titleLine) {
    const key = keyLine(text, titleLine);
    const gutenberg = GUTENBERG_TITLE.exec(titleLine.text);
    const markdownTitle = options.markdown ? /^#\s+(.+?)\s*#*$/.exec(titleLine.text) : null;
    if (gutenberg?.[1] && gutenberg[2]) {
      fields.title = gutenberg[1];
      fields.author = gutenberg[2];
      position = titleLine.next;
    } else if (markdownTitle?.[1] && headingTitle(markdownTitle[1]) === null) {
      titleCandidate = markdownTitle[1];
    } else if (
      !(key && isKnownKey(key.key)) &&
      !(options.markdown && titleLine.text.startsWith('#')) &&
      isTitleLine(titleLine.text)
    ) {
      titleCandidate = titleLine.text;
    }
  }

  const header = readHeader(
    text,
    skipBlankLines(text, titleCandidate && titleLine ? titleLine.next : position),
  );
  if (header) {
    fields = mergeFields(fields, header.fields);
    if (titleCandidate && fields.title === undefined) fields.title = titleCandidate;
    else if (titleCandidate) fields.credits = [titleCandidate, ...(fields.credits ?? [])];
    position = header.end;
  } else if (titleCandidate && titleLine) {
    const rest = skipBlankLines(text, titleLine.next);
    if (rest < text.length) {
      fields.title = titleCandidate;
      position = readByLine(text, rest, fields);
    }
  }
  if (front) fields = mergeFields(fields, front.fields);
  return { fields, bodyStart: position };
}

/** "by Jane Austen" (or "by" and the name on the next block) after a title line. */
function readByLine(text: string, position: number, fields: StoryFields): number {
  const line = loneLine(text, position);
  if (!line) return position;
  const by = BY_LINE.exec(line.text);
  if (by?.[1]) {
    fields.author = by[1].trim();
    return line.next;
  }
  if (/^by$/i.test(line.text)) {
    const name = loneLine(text, line.next);
    if (name && name.text.length <= 60 && isTitleLine(name.text)) {
      fields.author = name.text;
      return name.next;
    }
  }
  return position;
}
