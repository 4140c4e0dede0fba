/**
 * Turns the body of a story (a range of `Story.text`) into chapters, scenes and paragraphs.
 * Works on offsets only and in one pass over the lines, so a multi-megabyte paragraph costs
 * no more than its length. Patterns only ever run on short lines, and only on those whose first
 * characters could start a heading or whose letters could make a divider (cheap character checks
 * first): ordinary prose lines are never copied.
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

/** A chapter heading line: the chapter's title, or null when it has none. */
interface Heading {
  readonly heading: string | null;
}

/** A scene-break line (or a credit line set aside): ends the scene, holds no prose. */
const DIVIDER = { divider: true } as const;

/** The body read line by line: a paragraph of prose, a chapter heading or a divider. */
type Unit = Paragraph | Heading | typeof DIVIDER;

function isHeading(unit: Unit): unit is Heading {
  return 'heading' in unit;
}

function isParagraph(unit: Unit): unit is Paragraph {
  return unit !== DIVIDER && !isHeading(unit);
}

/**
 * The body's lines as offsets in typed arrays (a novel has tens of thousands of lines; none is
 * copied). `starts[i]`/`ends[i]` are line i's first and last+1 non-space characters (equal for a
 * blank line); `indented[i]` is 1 when the line begins with spaces or a tab.
 */
interface Lines {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly indented: Int32Array;
}

function isBlank(lines: Lines, i: number): boolean {
  return lines.starts[i] === lines.ends[i];
}

function lineLength(lines: Lines, i: number): number {
  return lines.ends[i]! - lines.starts[i]!;
}

function grown(array: Int32Array, capacity: number): Int32Array {
  const larger = new Int32Array(capacity);
  larger.set(array);
  return larger;
}

/** Finds the lines of `text[from, to]` with indexOf (no per-character loop) and trims each by offsets. */
function scanLines(text: string, from: number, to: number): Lines {
  // Room for lines of ~40 characters; doubled when a text has more.
  let capacity = Math.max(64, ((to - from) >> 5) + 1);
  let starts: Int32Array = new Int32Array(capacity);
  let ends: Int32Array = new Int32Array(capacity);
  let indented: Int32Array = new Int32Array(capacity);
  let count = 0;
  let lineStart = from;
  while (lineStart <= to) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > to) lineEnd = to;
    let start = lineStart;
    let end = lineEnd;
    while (start < end && isSpace(text.charCodeAt(start))) start++;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    if (count === capacity) {
      capacity *= 2;
      starts = grown(starts, capacity);
      ends = grown(ends, capacity);
      indented = grown(indented, capacity);
    }
    starts[count] = start;
    ends[count] = end;
    indented[count] = start > lineStart ? 1 : 0;
    count++;
    if (lineEnd >= to) break;
    lineStart = lineEnd + 1;
  }
  return { count, starts, ends, indented };
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
  /** Some line may be over 100 characters (an unwrapped line: its block is read line by line). */
  readonly anyLongLine: boolean;
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
  const { count } = lines;
  for (let i = 0; i < count; i++) {
    const length = lineLength(lines, i);
    if (length === 0) continue;
    nonBlank++;
    if (length > 100) long++;
    const previousIsProse = i > 0 && !isBlank(lines, i - 1);
    if (!previousIsProse) blocks++;
    else if (lines.indented[i] && !lines.indented[i - 1]) indents++;
    const nextIsProse = i + 1 < count && !isBlank(lines, i + 1);
    if (nextIsProse && length >= 20) {
      followed++;
      if (!endsSentence(text.charCodeAt(lines.ends[i]! - 1))) midSentence++;
    }
  }
  // Wrapped lines mostly break mid-sentence. With no line long enough to judge, blank lines decide:
  // a text that has them separates paragraphs with them; one without is one paragraph per line.
  const breaksMidSentence = followed > 0 ? midSentence * 2 >= followed : blocks > 1;
  const wrapped = nonBlank > 0 && long <= nonBlank * 0.05 && breaksMidSentence;
  return {
    everyLine: !wrapped,
    indentStartsParagraph: wrapped && indents >= blocks && indents * 10 >= nonBlank,
    anyLongLine: long > 0,
  };
}

/**
 * Splits `text[from, to)` into chapters, scenes and paragraphs. Scene breaks are divider lines and
 * chapter headings; credits at either end (banner credits, "The End") are set aside.
 */
export function structureBody(text: string, from: number, to: number, options: BodyOptions = {}): StoryBody {
  const lines = scanLines(text, from, to);
  // Every line a paragraph: indents are never read, so the layout needs no analysis.
  const layout =
    options.lineMode === 'lines'
      ? { everyLine: true, indentStartsParagraph: false, anyLongLine: true }
      : analyseLayout(text, lines);
  const reader: BlockReader = {
    text,
    lines,
    layout,
    numerals: numbersChaptersAlone(text, lines),
    options,
    units: [],
  };
  classify(reader);
  const credits = setAsideCredits(text, reader.units);
  return buildScenes(text, reader.units, credits);
}

function lineText(text: string, lines: Lines, i: number): string {
  return text.slice(lines.starts[i], lines.ends[i]);
}

function isAsciiDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Can a line starting with this character be a LONE_NUMERAL (I, V, X, L, C or a digit)? */
function mayStartNumeral(code: number): boolean {
  return (
    isAsciiDigit(code) || code === 0x49 || code === 0x56 || code === 0x58 || code === 0x4c || code === 0x43
  );
}

/** Lone numerals ("I", "II.", "3") are chapter headings only in a story that numbers its chapters so. */
function numbersChaptersAlone(text: string, lines: Lines): boolean {
  const seen = new Set<string>();
  const last = lines.count - 1;
  for (let i = 0; i <= last; i++) {
    const length = lineLength(lines, i);
    if (length === 0 || length > 8 || !mayStartNumeral(text.charCodeAt(lines.starts[i]!))) continue;
    const isolated = (i === 0 || isBlank(lines, i - 1)) && (i === last || isBlank(lines, i + 1));
    const line = lineText(text, lines, i);
    if (isolated && LONE_NUMERAL.test(line)) seen.add(line.replace('.', ''));
  }
  return (seen.has('I') && seen.has('II')) || (seen.has('1') && seen.has('2'));
}

/** What classifying the body's blocks reads, and the units it writes. */
interface BlockReader {
  readonly text: string;
  readonly lines: Lines;
  readonly layout: Layout;
  /** The story numbers its chapters with lone numerals (see numbersChaptersAlone). */
  readonly numerals: boolean;
  readonly options: BodyOptions;
  readonly units: Unit[];
}

/** Reads the body block by block (runs of non-blank lines) into units. */
function classify(reader: BlockReader): void {
  const { lines } = reader;
  let i = 0;
  while (i < lines.count) {
    if (isBlank(lines, i)) {
      i++;
      continue;
    }
    let blockEnd = i;
    while (blockEnd + 1 < lines.count && !isBlank(lines, blockEnd + 1)) blockEnd++;
    classifyBlock(reader, i, blockEnd);
    i = blockEnd + 1;
  }
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Does `text` at `at` read `word`, ignoring ASCII case when `anyCase`? */
function readsAt(text: string, at: number, word: string, anyCase: boolean): boolean {
  for (let k = 0; k < word.length; k++) {
    const code = text.charCodeAt(at + k);
    if ((anyCase && isAsciiLetter(code) ? code | 0x20 : code) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Does the line at `at` start with a word every chapter heading starts with (CHAPTER_HEADING and
 * NAMED_SECTION), in any case? Read in place: most prose lines fail at the first character.
 */
function startsHeadingWord(text: string, at: number): boolean {
  switch (text.charCodeAt(at) | 0x20) {
    case 0x61: // a
      return readsAt(text, at, 'act', true) || readsAt(text, at, 'afterword', true);
    case 0x62: // b
      return readsAt(text, at, 'book', true);
    case 0x63: // c
      return (
        readsAt(text, at, 'chap', true) || readsAt(text, at, 'ch.', true) || readsAt(text, at, 'coda', true)
      );
    case 0x65: // e
      return readsAt(text, at, 'epilogue', true);
    case 0x66: // f
      return readsAt(text, at, 'foreword', true);
    case 0x69: // i
      return readsAt(text, at, 'interlude', true) || readsAt(text, at, 'introduction', true);
    case 0x70: // p
      return (
        readsAt(text, at, 'part', true) ||
        readsAt(text, at, 'prologue', true) ||
        readsAt(text, at, 'preface', true)
      );
    case 0x73: // s
      return readsAt(text, at, 'section', true);
    case 0x76: // v
      return readsAt(text, at, 'vol', true);
    default:
      return false;
  }
}

/**
 * Could line i be a heading? A cheap, conservative test of its first characters, so prose lines
 * are never copied or matched. (Lines start at their first non-space character; one starting
 * beyond ASCII is always tried, since String#trim strips a few spaces isSpace keeps.)
 */
function mayBeHeading(reader: BlockReader, i: number, alone: boolean): boolean {
  const { text } = reader;
  const start = reader.lines.starts[i]!;
  const first = text.charCodeAt(start);
  if (first >= 0x80) return true;
  if (reader.options.markdown && first === 0x23) return true; // #
  if (alone && reader.numerals && mayStartNumeral(first)) return true;
  return startsHeadingWord(text, start);
}

function headingOf(reader: BlockReader, i: number, alone: boolean): Heading | null {
  const { text, lines, options } = reader;
  const start = lines.starts[i]!;
  const forced = options.headings?.get(start);
  if (forced !== undefined) return { heading: forced };
  if (lines.ends[i]! - start > SHORT_LINE || !mayBeHeading(reader, i, alone)) return null;
  const line = lineText(text, lines, i);
  if (options.markdown) {
    const markdown = MARKDOWN_HEADING.exec(line);
    if (markdown?.[1]) return { heading: headingTitle(markdown[1]) ?? markdown[1] };
  }
  const title = headingTitle(line);
  if (title !== null) return { heading: title };
  if (alone && reader.numerals && LONE_NUMERAL.test(line)) return { heading: line };
  return null;
}

/**
 * Could `text[start, end)` be a divider line (isDividerLine)? Conservative and allocation-free: a
 * line with letters other than x and o can only be `<hr>`/`[hr]`, a "scene break" or a POV label.
 */
function mayBeDivider(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  if (first >= 0x80 || first === 0x3c || first === 0x5b) return true; // beyond ASCII, < or [
  let letters = false;
  for (let i = start; i < end && !letters; i++) {
    const code = text.charCodeAt(i);
    const lower = code | 0x20;
    letters = isAsciiLetter(code) && lower !== 0x78 && lower !== 0x6f; // not x or o
  }
  if (!letters) return true;
  for (let i = start; i < end; i++) {
    const lower = text.charCodeAt(i) | 0x20;
    if (lower === 0x62 && readsAt(text, i, 'break', true)) return true;
    if (lower === 0x70 && (readsAt(text, i, 'POV', false) || readsAt(text, i, 'P.O.V', false))) return true;
  }
  return false;
}

/** Adds the units of one block (lines first..last, none blank). */
function classifyBlock(reader: BlockReader, first: number, last: number): void {
  const { text, lines, layout, units } = reader;
  // A block with an unwrapped (long) line is one paragraph per line even in a wrapped story.
  let perLine = layout.everyLine;
  if (layout.anyLongLine) {
    for (let i = first; !perLine && i < last; i++) if (lineLength(lines, i) > 100) perLine = true;
  }
  const alone = first === last;
  // The first line of the wrapped paragraph being read, or -1 between paragraphs.
  let proseFrom = -1;
  let i = first;
  while (i <= last) {
    const heading = perLine || i === first ? headingOf(reader, i, alone) : null;
    if (heading) {
      proseFrom = closeParagraph(reader, proseFrom, i - 1);
      i = readHeadingTitle(reader, heading, i, last);
      continue;
    }
    if (
      (perLine || alone) &&
      lineLength(lines, i) <= 80 &&
      mayBeDivider(text, lines.starts[i]!, lines.ends[i]!) &&
      isDividerLine(lineText(text, lines, i))
    ) {
      proseFrom = closeParagraph(reader, proseFrom, i - 1);
      units.push(DIVIDER);
      i++;
      continue;
    }
    if (perLine) {
      units.push({ start: lines.starts[i]!, end: lines.ends[i]! });
    } else if (proseFrom === -1) {
      proseFrom = i;
      // Wrapped text: the rest of the block can only continue this paragraph (headings and
      // dividers are first or lone lines), unless indents start paragraphs. Skip to its end.
      if (!layout.indentStartsParagraph) break;
    } else if (layout.indentStartsParagraph && lines.indented[i] && !lines.indented[i - 1]) {
      // Hard-wrapped text without blank lines marks a new paragraph by indenting its first line.
      closeParagraph(reader, proseFrom, i - 1);
      proseFrom = i;
    }
    i++;
  }
  closeParagraph(reader, proseFrom, last);
}

/** Ends the wrapped paragraph of lines proseFrom..lastLine (if one is open); returns -1 (none open). */
function closeParagraph(reader: BlockReader, proseFrom: number, lastLine: number): number {
  if (proseFrom !== -1) {
    reader.units.push({ start: reader.lines.starts[proseFrom]!, end: reader.lines.ends[lastLine]! });
  }
  return -1;
}

/**
 * Adds the heading at line i, taking up to three following lines of the block as its title when
 * they read like one ("CHAPTER I." / "Down the Rabbit-Hole"). Returns the line to read next.
 */
function readHeadingTitle(reader: BlockReader, heading: Heading, i: number, last: number): number {
  const { text, lines, units } = reader;
  const rest = last - i;
  if (rest > 0 && rest <= 3) {
    const continuation: string[] = [];
    for (let j = i + 1; j <= last; j++) continuation.push(lineText(text, lines, j));
    if (continuation.every(isTitleContinuation)) {
      const headingLine = lineText(text, lines, i);
      const joined = continuation.join(' ');
      const title = heading.heading;
      units.push({ heading: title === headingLine || title === null ? joined : `${title} ${joined}` });
      return last + 1;
    }
  }
  units.push(heading);
  return i + 1;
}

/** The first 301 characters of a paragraph: enough for the credit patterns (they stop at 300). */
function creditCandidate(text: string, paragraph: Paragraph): string {
  return text.slice(paragraph.start, Math.min(paragraph.end, paragraph.start + 301));
}

/** Marks banner credits before the first prose and closing lines after the last; returns them. */
function setAsideCredits(text: string, units: Unit[]): string[] {
  const leading: string[] = [];
  const trailing: string[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (!isParagraph(unit)) continue;
    if (!isLeadingCredit(creditCandidate(text, unit))) break;
    leading.push(text.slice(unit.start, unit.end));
    units[i] = DIVIDER;
  }
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!;
    if (unit === DIVIDER) continue;
    if (!isParagraph(unit)) break;
    if (!isTrailingCredit(creditCandidate(text, unit))) break;
    trailing.unshift(text.slice(unit.start, unit.end));
    units[i] = DIVIDER;
  }
  return [...leading, ...trailing];
}

/** Groups paragraphs into scenes (ended by dividers and headings) and scenes into chapters. */
function buildScenes(text: string, units: readonly Unit[], credits: string[]): StoryBody {
  const scenes: Scene[] = [];
  const chapters: { index: number; title: string | null }[] = [];
  let paragraphs: Paragraph[] = [];
  let pendingHeading: Heading | null = null;
  for (const unit of units) {
    if (!isParagraph(unit)) {
      if (paragraphs.length > 0) scenes.push(sceneOf(text, scenes.length, chapters, paragraphs));
      paragraphs = [];
      if (isHeading(unit)) pendingHeading = unit;
      continue;
    }
    if (pendingHeading || chapters.length === 0) {
      chapters.push({ index: chapters.length, title: pendingHeading?.heading ?? null });
      pendingHeading = null;
    }
    paragraphs.push(unit);
  }
  if (paragraphs.length > 0) scenes.push(sceneOf(text, scenes.length, chapters, paragraphs));
  return { scenes, chapters, credits };
}

/** Scene `index`: its (non-empty) paragraphs, in the latest chapter, with their word count. */
function sceneOf(
  text: string,
  index: number,
  chapters: readonly { index: number; title: string | null }[],
  paragraphs: Paragraph[],
): Scene {
  const chapter = chapters[chapters.length - 1]!;
  let words = 0;
  for (const paragraph of paragraphs) words += countWords(text, paragraph.start, paragraph.end);
  return {
    index,
    chapter: chapter.index,
    chapterTitle: chapter.title,
    paragraphs,
    start: paragraphs[0]!.start,
    end: paragraphs[paragraphs.length - 1]!.end,
    words,
  };
}
