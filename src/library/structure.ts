/**
 * Turns the body of a story (a range of `Story.text`) into chapters, scenes and paragraphs.
 * Works on offsets only and in one pass over the lines, so a multi-megabyte paragraph costs
 * no more than its length; patterns only ever run on short lines.
 */
import type { Paragraph, Scene } from './types.ts';
import { countWords, isSpace } from './words.ts';

export interface BodyOptions {
  /**
   * 'auto' decides per document whether lines are hard-wrapped (then a blank-line block is one
   * paragraph) or not (then every line is a paragraph); 'lines' makes every line a paragraph.
   */
  readonly lineMode?: 'auto' | 'lines';
  /** Lines known to be chapter headings (by the offset of their first character) and their titles. */
  readonly headings?: ReadonlyMap<number, string | null>;
  /** Markdown `#` headings start chapters. */
  readonly markdown?: boolean;
}

export interface StoryBody {
  readonly scenes: Scene[];
  readonly chapters: { readonly index: number; readonly title: string | null }[];
  /** Banner credits before the story and closing lines ("The End") after it, as written. */
  readonly credits: string[];
}

/** Lines longer than this are prose: no pattern is tried on them. */
const SHORT_LINE = 120;

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|' +
  'seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred';
const ORDINALS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final';

/** "CHAPTER I", "Chapter 3: Title", "Part One - Title", "BOOK THE FIRST", "VOLUME I". */
const CHAPTER_HEADING = new RegExp(
  `^(?:chapter|chap\\.?|ch\\.|part|book|volume|vol\\.|section|act)\\s+` +
    `(\\d{1,4}|[ivxlcdm]{1,9}|(?:the\\s+)?(?:${ORDINALS})|(?:${NUMBER_WORDS})(?:[\\s-](?:${NUMBER_WORDS}))*)` +
    `(?:\\s*[:.)\\-–—]+\\s*(.*?))?\\s*$`,
  'i',
);
const STRICT_ROMAN = /^m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/i;
const NAMED_SECTION =
  /^(?:prologue|epilogue|interlude|afterword|foreword|preface|introduction|coda)(?:\s*[:.\-–—]+\s*.*)?$/i;
const MARKDOWN_HEADING = /^#{1,6}\s+(.+?)(?:\s+#+)?\s*$/;
export const LONE_NUMERAL = /^(?:[IVXLC]{1,7}|\d{1,3})\.?$/;

/** Lines made only of divider marks: X, *, ***, * * *, ~~~, ---, ###, o0o, -x-, ~*~, =+=, ... */
const DIVIDER_MARKS = /^[\s*~#=+_\-–—•·.:°§¤❦❧♦◊†‡<>/|\\^xXoO0]+$/u;
const HR_TAG = /^(?:<\s*hr\s*\/?\s*>|\[hr\])$/i;
const BREAK_WORDS = /^[\W_]*(?:scene|line|page|time)?\s*-?\s*break[\W_]*$/i;
const POV_LABEL =
  /^[\W_]*(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}(?:'s|’s)?\s+(?:POV|P\.O\.V\.?)|POV\s*[:-]\s*[A-Z][\w'’ .-]{0,30})[\W_]*$/;

const LEADING_CREDIT =
  /^[\W_]*(?:click (?:here )?(?:for|to (?:see|view|enlarge))\b|(?:banner|art(?:work)?|cover(?: art)?|graphics?|manip|icons?|header|image|fan ?art|illustrations?|picture)s?\s*(?:by\b|credits?\b|made by\b|:)|disclaimer\b|betas?\b|beta(?:'d|ed)? by\b|beta reader|a\/n\b|author'?s? notes?\b|\[?(?:image|banner|picture|img)\]?[\W_]*$)/i;
const TRAILING_CREDIT =
  /^[\W_]*(?:(?:the end|end|fin|finis|to be continued|tbc)[\W_]*$|end of (?:story|part|chapter|book)\b|a\/n\b|author'?s? notes?\b|thanks for reading|please review|reviews? (?:are|is) love|feedback (?:is|welcome)|\d+ comments?\b|(?:leave|post) a comment)/i;

/** The chapter title a heading line gives ("Chapter 3: Title" → "Title"), or null if it is no heading. */
export function headingTitle(line: string): string | null {
  const text = line.trim();
  if (text.length > SHORT_LINE) return null;
  const chapter = CHAPTER_HEADING.exec(text);
  if (chapter?.[1] && isNumeral(chapter[1])) return chapter[2] ? chapter[2] : text;
  if (NAMED_SECTION.test(text)) return text;
  return null;
}

function isNumeral(token: string): boolean {
  return !/^[ivxlcdm]+$/i.test(token) || STRICT_ROMAN.test(token);
}

export function isDividerLine(line: string): boolean {
  const text = line.trim();
  if (text === '' || text.length > 80) return false;
  if (HR_TAG.test(text) || BREAK_WORDS.test(text) || POV_LABEL.test(text)) return true;
  return DIVIDER_MARKS.test(text) && /[^.\s]/.test(text);
}

export function isLeadingCredit(line: string): boolean {
  return line.length <= 300 && LEADING_CREDIT.test(line);
}

export function isTrailingCredit(line: string): boolean {
  return line.length <= 300 && TRAILING_CREDIT.test(line);
}

/** A line that can continue a heading as its title ("CHAPTER I." / "Down the Rabbit-Hole"). */
function isTitleContinuation(line: string): boolean {
  if (line.length > 100) return false;
  if (/\p{Lu}/u.test(line) && !/\p{Ll}/u.test(line)) return true;
  return line.length <= 60 && !/[.!?,;:"”’)]$/.test(line) && !/^["“‘']/.test(line);
}

type Unit =
  | { readonly kind: 'prose'; readonly start: number; readonly end: number }
  | { readonly kind: 'divider' }
  | { readonly kind: 'heading'; readonly title: string | null };

interface Lines {
  /** Offsets of each line's first and last+1 non-space character (equal for a blank line). */
  readonly starts: number[];
  readonly ends: number[];
  /** Does the line begin with spaces or a tab? */
  readonly indented: boolean[];
}

function scanLines(text: string, from: number, to: number): Lines {
  const starts: number[] = [];
  const ends: number[] = [];
  const indented: boolean[] = [];
  let lineStart = from;
  while (lineStart <= to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let start = lineStart;
    let end = lineEnd;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    starts.push(start);
    ends.push(end);
    indented.push(start > lineStart);
    if (lineEnd >= to) break;
    lineStart = lineEnd + 1;
  }
  return { starts, ends, indented };
}

/** Characters a line of one-line-per-paragraph text usually ends with. */
function endsSentence(code: number): boolean {
  // . ! ? " ” ’ ' … ) ] * _
  return (
    code === 0x2e ||
    code === 0x21 ||
    code === 0x3f ||
    code === 0x22 ||
    code === 0x201d ||
    code === 0x2019 ||
    code === 0x27 ||
    code === 0x2026 ||
    code === 0x29 ||
    code === 0x5d ||
    code === 0x2a ||
    code === 0x5f
  );
}

interface Layout {
  /** Every line is a paragraph (unwrapped text), rather than every blank-line block. */
  readonly everyLine: boolean;
  /** Hard-wrapped text without blank lines: an indented first line starts a paragraph. */
  readonly indentStartsParagraph: boolean;
}

/**
 * Is this body hard-wrapped prose (Gutenberg style) or one line per paragraph? Wrapped lines are
 * short and mostly break mid-sentence; paragraph lines mostly end a sentence.
 */
function analyseLayout(text: string, lines: Lines): Layout {
  let nonBlank = 0;
  let long = 0;
  let followed = 0;
  let midSentence = 0;
  let blocks = 0;
  let indents = 0;
  const count = lines.starts.length;
  for (let i = 0; i < count; i++) {
    const length = lines.ends[i]! - lines.starts[i]!;
    if (length === 0) continue;
    nonBlank++;
    if (length > 100) long++;
    const previousIsProse = i > 0 && lines.ends[i - 1] !== lines.starts[i - 1];
    if (!previousIsProse) blocks++;
    else if (lines.indented[i] && !lines.indented[i - 1]) indents++;
    const nextIsProse = i + 1 < count && lines.ends[i + 1] !== lines.starts[i + 1];
    if (nextIsProse && length >= 20) {
      followed++;
      if (!endsSentence(text.charCodeAt(lines.ends[i]! - 1))) midSentence++;
    }
  }
  const wrapped = nonBlank > 0 && long <= nonBlank * 0.05 && midSentence * 2 >= followed;
  return {
    everyLine: !wrapped,
    indentStartsParagraph: wrapped && indents >= blocks && indents * 10 >= nonBlank,
  };
}

/**
 * Splits `text[from, to)` into chapters, scenes and paragraphs. Scene breaks are divider lines and
 * chapter headings; credits at either end (banner credits, "The End") are set aside.
 */
export function structureBody(text: string, from: number, to: number, options: BodyOptions = {}): StoryBody {
  const lines = scanLines(text, from, to);
  const layout = analyseLayout(text, lines);
  const units = classify(
    text,
    lines,
    options.lineMode === 'lines' ? { ...layout, everyLine: true } : layout,
    options,
  );
  const credits = setAsideCredits(text, units);
  return buildScenes(text, units, credits);
}

function lineText(text: string, lines: Lines, i: number): string {
  return text.slice(lines.starts[i], lines.ends[i]);
}

/** Lone numerals ("I", "II.", "3") are chapter headings only in a story that numbers its chapters so. */
function numbersChaptersAlone(text: string, lines: Lines): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < lines.starts.length; i++) {
    const length = lines.ends[i]! - lines.starts[i]!;
    if (length === 0 || length > 8) continue;
    const isolated =
      (i === 0 || lines.ends[i - 1] === lines.starts[i - 1]) &&
      (i === lines.starts.length - 1 || lines.ends[i + 1] === lines.starts[i + 1]);
    const line = lineText(text, lines, i);
    if (isolated && LONE_NUMERAL.test(line)) seen.add(line.replace('.', ''));
  }
  return (seen.has('I') && seen.has('II')) || (seen.has('1') && seen.has('2'));
}

function classify(text: string, lines: Lines, layout: Layout, options: BodyOptions): Unit[] {
  const units: Unit[] = [];
  const numerals = numbersChaptersAlone(text, lines);
  const count = lines.starts.length;
  let i = 0;
  while (i < count) {
    if (lines.starts[i] === lines.ends[i]) {
      i++;
      continue;
    }
    let blockEnd = i;
    while (blockEnd + 1 < count && lines.starts[blockEnd + 1] !== lines.ends[blockEnd + 1]) blockEnd++;
    classifyBlock(text, lines, i, blockEnd, layout, numerals, options, units);
    i = blockEnd + 1;
  }
  return units;
}

function headingOf(
  text: string,
  lines: Lines,
  i: number,
  alone: boolean,
  numerals: boolean,
  options: BodyOptions,
): { title: string | null } | null {
  const start = lines.starts[i]!;
  const forced = options.headings?.get(start);
  if (forced !== undefined) return { title: forced };
  if (lines.ends[i]! - start > SHORT_LINE) return null;
  const line = lineText(text, lines, i);
  if (options.markdown) {
    const markdown = MARKDOWN_HEADING.exec(line);
    if (markdown?.[1]) return { title: headingTitle(markdown[1]) ?? markdown[1] };
  }
  const title = headingTitle(line);
  if (title !== null) return { title };
  if (alone && numerals && LONE_NUMERAL.test(line)) return { title: line };
  return null;
}

function classifyBlock(
  text: string,
  lines: Lines,
  first: number,
  last: number,
  layout: Layout,
  numerals: boolean,
  options: BodyOptions,
  units: Unit[],
): void {
  // A block with an unwrapped (long) line is one paragraph per line even in a wrapped story.
  let perLine = layout.everyLine;
  for (let i = first; !perLine && i < last; i++) if (lines.ends[i]! - lines.starts[i]! > 100) perLine = true;
  let i = first;
  let proseStart = -1;
  const closeProse = (lastLine: number): void => {
    if (proseStart !== -1) units.push({ kind: 'prose', start: proseStart, end: lines.ends[lastLine]! });
    proseStart = -1;
  };
  while (i <= last) {
    const alone = first === last;
    const mayBeMarker = perLine || i === first;
    const heading = mayBeMarker ? headingOf(text, lines, i, alone, numerals, options) : null;
    if (heading) {
      closeProse(i - 1);
      let title = heading.title;
      let next = i + 1;
      const rest = last - i;
      if (rest > 0 && rest <= 3) {
        const continuation: string[] = [];
        for (let j = i + 1; j <= last; j++) continuation.push(lineText(text, lines, j));
        if (continuation.every(isTitleContinuation)) {
          const headingLine = lineText(text, lines, i);
          const joined = continuation.join(' ');
          title = title === headingLine || title === null ? joined : `${title} ${joined}`;
          next = last + 1;
        }
      }
      units.push({ kind: 'heading', title });
      i = next;
      continue;
    }
    if (
      (perLine || first === last) &&
      lines.ends[i]! - lines.starts[i]! <= 80 &&
      isDividerLine(lineText(text, lines, i))
    ) {
      closeProse(i - 1);
      units.push({ kind: 'divider' });
      i++;
      continue;
    }
    if (perLine) {
      units.push({ kind: 'prose', start: lines.starts[i]!, end: lines.ends[i]! });
    } else if (proseStart === -1) {
      proseStart = lines.starts[i]!;
    } else if (layout.indentStartsParagraph && lines.indented[i] && !lines.indented[i - 1]) {
      // Hard-wrapped text without blank lines marks a new paragraph by indenting its first line.
      closeProse(i - 1);
      proseStart = lines.starts[i]!;
    }
    i++;
  }
  closeProse(last);
}

/** Marks banner credits before the first prose and closing lines after the last; returns them. */
function setAsideCredits(text: string, units: Unit[]): string[] {
  const leading: string[] = [];
  const trailing: string[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (unit.kind !== 'prose') continue;
    const line = text.slice(unit.start, Math.min(unit.end, unit.start + 301));
    if (!isLeadingCredit(line)) break;
    leading.push(text.slice(unit.start, unit.end));
    units[i] = { kind: 'divider' };
  }
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!;
    if (unit.kind === 'divider') continue;
    if (unit.kind === 'heading') break;
    const line = text.slice(unit.start, Math.min(unit.end, unit.start + 301));
    if (!isTrailingCredit(line)) break;
    trailing.unshift(text.slice(unit.start, unit.end));
    units[i] = { kind: 'divider' };
  }
  return [...leading, ...trailing];
}

function buildScenes(text: string, units: readonly Unit[], credits: string[]): StoryBody {
  const scenes: Scene[] = [];
  const chapters: { index: number; title: string | null }[] = [];
  let paragraphs: Paragraph[] = [];
  let pendingHeading: { title: string | null } | null = null;

  const flush = (): void => {
    const firstParagraph = paragraphs[0];
    const lastParagraph = paragraphs[paragraphs.length - 1];
    if (!firstParagraph || !lastParagraph) return;
    const chapter = chapters[chapters.length - 1]!;
    let words = 0;
    for (const paragraph of paragraphs) words += countWords(text, paragraph.start, paragraph.end);
    scenes.push({
      index: scenes.length,
      chapter: chapter.index,
      chapterTitle: chapter.title,
      paragraphs,
      start: firstParagraph.start,
      end: lastParagraph.end,
      words,
    });
    paragraphs = [];
  };

  for (const unit of units) {
    if (unit.kind === 'heading') {
      flush();
      pendingHeading = { title: unit.title };
    } else if (unit.kind === 'divider') {
      flush();
    } else {
      if (pendingHeading || chapters.length === 0) {
        chapters.push({ index: chapters.length, title: pendingHeading?.title ?? null });
        pendingHeading = null;
      }
      paragraphs.push({ start: unit.start, end: unit.end });
    }
  }
  flush();
  return { scenes, chapters, credits };
}
