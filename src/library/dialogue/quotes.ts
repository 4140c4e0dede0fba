/**
 * Quotation detection: finds the quoted spans of each paragraph in one linear pass over its
 * quotation marks. Parity resets at every paragraph; an unclosed quote either continues into the
 * next paragraph (when that paragraph reopens with a mark: the multi-paragraph convention) or
 * closes at the paragraph's end. Single-quote dialogue is used when a story writes its dialogue
 * that way; apostrophes ("don't", "'em", "dogs' bones") are told apart from quote marks.
 */

/** A paragraph as the dialogue layer reads it. */
export interface ParagraphRef {
  readonly start: number;
  readonly end: number;
  readonly scene: number;
}

export type QuoteStyle = 'double' | 'single' | 'dash';

export interface RawQuote {
  /** The quoted words, marks excluded. */
  readonly start: number;
  readonly end: number;
  /** Index of the opening mark (=== start when the span continues from the previous paragraph without one). */
  readonly open: number;
  /** Index just past the closing mark (=== end when the span runs to the paragraph's end). */
  readonly close: number;
  readonly para: number;
  /** 0 for top-level speech, 1 for a quote nested inside another. */
  readonly depth: number;
  /** Speech continues into the next paragraph (the next paragraph reopens with a mark). */
  readonly continuesNext: boolean;
}

/** Longest span an unclosed quote may claim before it is taken for a stray mark. */
const MAX_UNCLOSED = 4000;

/** Which code points below U+0250 are capital letters (A-Z, À-Þ, Ā, Ł, Ž...), by Unicode's own table. */
const LATIN_CAPITALS = Uint8Array.from({ length: 0x250 }, (_, c) =>
  /\p{Lu}/u.test(String.fromCharCode(c)) ? 1 : 0,
);
/** A capital letter a name may start with: "Emma", "Éowyn", "Øystein", "Łukasz". */
export const isCapitalLetter = (c: number): boolean => c < 0x250 && LATIN_CAPITALS[c] === 1;
/**
 * Finds candidates for isCapitalLetter in one regular-expression pass (global: callers set
 * lastIndex). Latin Extended's lower-case letters match too; callers confirm with isCapitalLetter.
 */
export const capitalPattern = (): RegExp => /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F]/g;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9 || c === 0xa0;
const isLetter = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f) || (c >= 48 && c <= 57);

const DOUBLE_OPEN = 0x201c; // “
const DOUBLE_CLOSE = 0x201d; // ”
const SINGLE_OPEN = 0x2018; // ‘
const SINGLE_CLOSE = 0x2019; // ’
const STRAIGHT_DOUBLE = 34;
const STRAIGHT_SINGLE = 39;
const GUILLEMET_OPEN = 0xab;
const GUILLEMET_CLOSE = 0xbb;
const EM_DASH = 0x2014;

/** Words a leading apostrophe belongs to ('em, 'tis, 'cause...). */
const APOSTROPHE_PREFIXED =
  /^(?:s|d|ll|ve|re|m|t|em|tis|twas|twere|twill|cause|bout|til|till|round|n|er|im|ere|ow|ome|ard|appen|alf|e|is|a|un|ud|ee|at|taint|nuff|fraid|kay|sup|scuse|specially|cept)\b/i;

function isDoubleMark(c: number): boolean {
  return (
    c === STRAIGHT_DOUBLE ||
    c === DOUBLE_OPEN ||
    c === DOUBLE_CLOSE ||
    c === GUILLEMET_OPEN ||
    c === GUILLEMET_CLOSE
  );
}

function isSingleMark(c: number): boolean {
  return c === STRAIGHT_SINGLE || c === SINGLE_OPEN || c === SINGLE_CLOSE;
}

/**
 * Classifies a single mark at `i`: 'open', 'close' or 'apostrophe'. `inside` says whether a
 * single-quoted span is open; `limit` is the end of the text that may hold its closing mark.
 */
function classifySingle(
  text: string,
  i: number,
  inside: boolean,
  limit: number,
  closers: Int32Array,
): 'open' | 'close' | 'apostrophe' {
  const c = text.charCodeAt(i);
  const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
  const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  if (isLetter(prev) && isLetter(next)) return 'apostrophe';
  if (c === SINGLE_OPEN && !inside) return 'open';
  const prevOpenish = isSpace(prev) || prev === 40 || prev === 0x2014 || prev === 45 || isDoubleMark(prev);
  if (prevOpenish && !isSpace(next)) {
    if (isLetter(next) && APOSTROPHE_PREFIXED.test(text.slice(i + 1, i + 12))) {
      // "'em" / "'tis" inside a quote; at the start of a quote it opens only when no closer follows.
      if (inside || hasCloserAhead(closers, i + 1, limit) === false) return 'apostrophe';
      // "'S'pose" style openers are rare; an opener followed by a clitic and a closer later opens.
      if (/^(?:s|d|ll|ve|re|m|t)\b/i.test(text.slice(i + 1, i + 4))) return 'apostrophe';
    }
    return inside ? 'apostrophe' : 'open';
  }
  if (!isSpace(prev) && (isSpace(next) || !isLetter(next) || i + 1 >= limit)) {
    if (!inside) return 'apostrophe';
    // "dogs' bones", "goin' home": a plural possessive or dropped g followed by a lower-case word,
    // when a later mark can still close the quote.
    if ((prev === 115 || prev === 110) && isSpace(next)) {
      const after = text.charCodeAt(i + 2);
      if (after >= 97 && after <= 122 && hasCloserAhead(closers, i + 2, limit)) return 'apostrophe';
    }
    return 'close';
  }
  return 'apostrophe';
}

/**
 * Positions of the quotation marks in a text, found once: every later question ("which marks
 * fall in this paragraph?", "is there a closer ahead?") is a binary search, so no scan ever
 * runs past its paragraph.
 */
export interface MarkIndex {
  readonly doubles: Int32Array;
  readonly singles: Int32Array;
  /** Single marks that could close a quote (non-space before, non-letter after). */
  readonly closers: Int32Array;
}

export function indexMarks(text: string): MarkIndex {
  const doubles = positionsOf(text, '"\u201C\u201D\u00AB\u00BB');
  const singles = positionsOf(text, "'\u2018\u2019");
  const closers: number[] = [];
  for (const i of singles) {
    if (text.charCodeAt(i) === SINGLE_OPEN || i === 0) continue;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
    if (!isSpace(text.charCodeAt(i - 1)) && !isLetter(next)) closers.push(i);
  }
  return { doubles, singles, closers: Int32Array.from(closers) };
}

/**
 * Where any of `characters` occurs in the text, in order. indexOf finds a character far faster
 * than a regular expression steps through the text, so each character gets its own search and
 * the sorted lists are merged.
 */
function positionsOf(text: string, characters: string): Int32Array {
  let merged: Int32Array = new Int32Array(0);
  for (const character of characters) {
    const found: number[] = [];
    for (let i = text.indexOf(character); i !== -1; i = text.indexOf(character, i + 1)) found.push(i);
    if (found.length > 0) merged = mergeSorted(merged, found);
  }
  return merged;
}

/** The two ascending lists (of distinct positions) as one ascending list. */
function mergeSorted(a: Int32Array, b: readonly number[]): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** First index in a sorted array whose value is >= x. */
export function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * lowerBound(a, x) for queries that mostly come in increasing order: walks on from the previous
 * answer `hint` (linear over a sorted run of queries), searching afresh when x went back.
 */
function lowerBoundFrom(a: Int32Array, x: number, hint: number): number {
  if (hint > 0 && a[hint - 1]! >= x) return lowerBound(a, x);
  let k = hint;
  while (k < a.length && a[k]! < x) k++;
  return k;
}

/** Is there a plausible closing single mark between `from` and `limit`? */
function hasCloserAhead(closers: Int32Array, from: number, limit: number): boolean {
  const k = lowerBound(closers, from);
  return k < closers.length && closers[k]! < Math.min(limit, from + 3000);
}

/** Counts the marks that open quotes, to pick the story's dialogue style. Linear in the text. */
export function detectQuoteStyle(
  text: string,
  paragraphs: readonly ParagraphRef[],
  marks: MarkIndex,
): QuoteStyle {
  let doubles = 0;
  let singleOpeners = 0;
  let doubleAt = 0;
  let singleAt = 0;
  for (const p of paragraphs) {
    doubleAt = lowerBoundFrom(marks.doubles, p.start, doubleAt);
    for (let k = doubleAt; k < marks.doubles.length && marks.doubles[k]! < p.end; k++) doubles++;
    singleAt = lowerBoundFrom(marks.singles, p.start, singleAt);
    for (let k = singleAt; k < marks.singles.length && marks.singles[k]! < p.end; k++) {
      const i = marks.singles[k]!;
      const prev = i > p.start ? text.charCodeAt(i - 1) : 32;
      const next = text.charCodeAt(i + 1);
      if (
        (isSpace(prev) || i === p.start) &&
        isLetter(next) &&
        !APOSTROPHE_PREFIXED.test(text.slice(i + 1, i + 8))
      )
        singleOpeners++;
    }
  }
  // Em-dash dialogue (Joyce, many translations): paragraphs opening with a dash, no quote marks.
  let dashParagraphs = 0;
  for (const p of paragraphs) {
    let i = p.start;
    while (i < p.end && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === EM_DASH || text.charCodeAt(i) === 0x2015) dashParagraphs++;
  }
  if (dashParagraphs > 0 && dashParagraphs * 2 > doubles && dashParagraphs > singleOpeners) return 'dash';
  // Double marks come in pairs; single openers are counted once per quote.
  return singleOpeners >= 4 && singleOpeners * 2 > doubles * 1.5 ? 'single' : 'double';
}

interface Scan {
  readonly quotes: RawQuote[];
  /** The paragraph ended inside a quote. */
  readonly unclosedAt: number | null;
}

/**
 * Em-dash dialogue: a paragraph opening with a dash is speech up to the next spaced dash; the
 * narration after it runs to the next spaced dash, which reopens speech ("— Come up, Kinch! —
 * said Buck. — Come up, you fearful jesuit!").
 */
function scanDashParagraph(text: string, para: number, start: number, end: number): Scan {
  const quotes: RawQuote[] = [];
  let i = start;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  if (c !== EM_DASH && c !== 0x2015) return { quotes, unclosedAt: null };
  let speech = true;
  let open = i;
  for (;;) {
    let next = text.indexOf('\u2014', open + 1);
    while (
      next >= 0 &&
      next < end &&
      !(isSpace(text.charCodeAt(next - 1)) || isSpace(text.charCodeAt(next + 1)))
    )
      next = text.indexOf('\u2014', next + 1);
    const stop = next >= 0 && next < end ? next : end;
    if (speech) {
      let s = open + 1;
      while (s < stop && isSpace(text.charCodeAt(s))) s++;
      const e = trimEnd(text, s, stop);
      if (e > s)
        quotes.push({
          start: s,
          end: e,
          open,
          close: stop < end ? stop + 1 : e,
          para,
          depth: 0,
          continuesNext: false,
        });
    }
    if (stop >= end) break;
    speech = !speech;
    open = stop;
  }
  return { quotes, unclosedAt: null };
}

/**
 * Scans one paragraph's top-level quotes in the story's style into `quotes` (emptied first: the
 * caller reuses one list, as most paragraphs have none). `positions` are the style's marks;
 * `first` is the index of the first one at or after `start`. Returns where a quote was left
 * open, or -1.
 */
function scanParagraph(
  text: string,
  para: number,
  start: number,
  end: number,
  style: QuoteStyle,
  marks: MarkIndex,
  positions: Int32Array,
  first: number,
  quotes: RawQuote[],
): number {
  quotes.length = 0;
  let openAt = -1;
  for (let k = first; k < positions.length && positions[k]! < end; k++) {
    const i = positions[k]!;
    const c = text.charCodeAt(i);
    const inside = openAt >= 0;
    let role: 'open' | 'close' | 'skip';
    if (style === 'single') {
      const r = classifySingle(text, i, inside, end, marks.closers);
      role = r === 'apostrophe' ? 'skip' : r;
    } else {
      const prev = i > start ? text.charCodeAt(i - 1) : 32;
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 32;
      const canOpen = !isSpace(next);
      const canClose = i > start && !isSpace(prev);
      if (c === DOUBLE_OPEN || c === GUILLEMET_OPEN)
        role = inside && !canOpen ? 'close' : inside ? 'close' : 'open';
      else if (c === DOUBLE_CLOSE || c === GUILLEMET_CLOSE)
        role = inside ? 'close' : canOpen && !canClose ? 'open' : 'skip';
      else if (inside) role = 'close';
      else if (canOpen) role = isLetter(prev) && isSpace(next) ? 'skip' : 'open';
      else role = 'skip';
      // A straight mark after a letter and before a space cannot open ("pupils" designs").
      if (role === 'open' && c === STRAIGHT_DOUBLE && canClose && isLetter(prev) && !canOpen) role = 'skip';
    }
    if (role === 'open' && !inside) openAt = i;
    else if (role === 'close' && inside) {
      if (i > openAt + 1) {
        quotes.push({
          start: openAt + 1,
          end: i,
          open: openAt,
          close: i + 1,
          para,
          depth: 0,
          continuesNext: false,
        });
      }
      openAt = -1;
    }
  }
  return openAt;
}

/**
 * Appends to `out` the quotes nested in a top-level span, marked with the other style's marks
 * (`positions`; `first` is the index of the first one at or after the span's start).
 */
function pushNestedQuotes(
  out: RawQuote[],
  text: string,
  outer: RawQuote,
  style: QuoteStyle,
  marks: MarkIndex,
  positions: Int32Array,
  first: number,
): void {
  let openAt = -1;
  for (let k = first; k < positions.length && positions[k]! < outer.end; k++) {
    const i = positions[k]!;
    let role: 'open' | 'close' | 'apostrophe';
    if (style === 'double') role = classifySingle(text, i, openAt >= 0, outer.end, marks.closers);
    else role = openAt >= 0 ? 'close' : 'open';
    if (role === 'open' && openAt < 0) openAt = i;
    else if (role === 'close' && openAt >= 0) {
      if (i > openAt + 1) {
        out.push({
          start: openAt + 1,
          end: i,
          open: openAt,
          close: i + 1,
          para: outer.para,
          depth: 1,
          continuesNext: false,
        });
      }
      openAt = -1;
    }
  }
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

function firstNonSpace(text: string, start: number, end: number): number {
  let s = start;
  while (s < end && isSpace(text.charCodeAt(s))) s++;
  return s;
}

/**
 * Every quote of the story in text order (a nested quote follows its outer quote). Linear: each
 * quotation mark is looked at a bounded number of times.
 */
export function findQuotes(
  text: string,
  paragraphs: readonly ParagraphRef[],
  style: QuoteStyle,
  marks: MarkIndex,
): RawQuote[] {
  const out: RawQuote[] = [];
  // The marks of the story's style, and the other style's marks (nested quotes), each searched
  // from where the previous paragraph or quote left off.
  const positions = style === 'double' ? marks.doubles : marks.singles;
  const nestedPositions = style === 'double' ? marks.singles : marks.doubles;
  let markAt = 0;
  let nestedAt = 0;
  // One paragraph's quotes (the quote objects move on to `out`; the list is refilled).
  const paragraphQuotes: RawQuote[] = [];
  for (let p = 0; p < paragraphs.length; p++) {
    const para = paragraphs[p]!;
    let quotes: RawQuote[];
    let unclosedAt: number | null;
    if (style === 'dash') {
      const scan = scanDashParagraph(text, p, para.start, para.end);
      quotes = scan.quotes;
      unclosedAt = scan.unclosedAt;
    } else {
      markAt = lowerBoundFrom(positions, para.start, markAt);
      const open = scanParagraph(
        text,
        p,
        para.start,
        para.end,
        style,
        marks,
        positions,
        markAt,
        paragraphQuotes,
      );
      quotes = paragraphQuotes;
      unclosedAt = open >= 0 ? open : null;
    }
    if (unclosedAt !== null) {
      const open = unclosedAt;
      const end = trimEnd(text, open + 1, para.end);
      const next = paragraphs[p + 1];
      const nextFirst = next ? text.charCodeAt(firstNonSpace(text, next.start, next.end)) : 0;
      const reopens =
        next !== undefined &&
        next.scene === para.scene &&
        (style === 'double'
          ? isDoubleMark(nextFirst) && nextFirst !== DOUBLE_CLOSE
          : isSingleMark(nextFirst));
      // A mark left open over thousands of characters is a stray, not speech, reopened or not.
      if (end > open + 1 && end - open <= MAX_UNCLOSED) {
        quotes.push({ start: open + 1, end, open, close: end, para: p, depth: 0, continuesNext: reopens });
      }
    }
    for (const q of quotes) {
      out.push(q);
      if (q.end - q.start > 3 && style !== 'dash') {
        nestedAt = lowerBoundFrom(nestedPositions, q.start, nestedAt);
        pushNestedQuotes(out, text, q, style, marks, nestedPositions, nestedAt);
      }
    }
  }
  return out;
}

/** JavaScript's \s: ASCII and Unicode white space, line terminators and the BOM. */
export function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The white-space separated words in text[from, to) (as `split(/\s+/).filter(Boolean)` counts them). */
function countWords(text: string, from: number, to: number): number {
  let words = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = isJsSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

const SPEECHLIKE_BEFORE =
  /\b(?:say|says|said|saying|cry|cried|ask|asked|answer|answered|reply|replied|shout|shouted|whisper|whispered|exclaim|exclaimed|tell|told|add|added)\W*$/i;

/**
 * Quoted words in narration that nobody says aloud ("a cabinet called "the Museum"", "as
 * "amusing""): short, lower-case or title-like, sitting mid-sentence with narration on both sides,
 * and not next to a speech verb.
 */
export function isScareQuote(text: string, q: RawQuote, para: ParagraphRef): boolean {
  if (q.depth > 0 || q.continuesNext) return false;
  const len = q.end - q.start;
  if (len > 40) return false;
  const words = countWords(text, q.start, q.end);
  if (words > 4) return false;
  const inner = text.slice(q.start, q.end);
  // Narration must come before the quote in the same sentence.
  let b = q.open - 1;
  while (b >= para.start && isSpace(text.charCodeAt(b))) b--;
  if (b < para.start) return false;
  const before = text.charCodeAt(b);
  if (!isLetter(before) && before !== 44) return false;
  if (before === 44 && !/^[a-z]/.test(inner)) return false;
  const lead = text.slice(Math.max(para.start, b - 30), b + 1);
  if (SPEECHLIKE_BEFORE.test(lead)) return false;
  // ...and narration after it, continuing the sentence.
  let a = q.close;
  while (a < para.end && isSpace(text.charCodeAt(a))) a++;
  if (a >= para.end) return /[a-z]$/.test(inner) && /^[a-z]/.test(inner);
  const after = text.charCodeAt(a);
  if (after === 46 || after === 33 || after === 63) return /^[a-z]/.test(inner) && !/[!?]$/.test(inner);
  if (isCapitalLetter(after)) return false;
  const tail = text.slice(a, Math.min(para.end, a + 30));
  if (/^[,;]?\s*(?:said|cried|asked|replied|answered|says|whispered|exclaimed|called|shouted)\b/.test(tail))
    return false;
  if (/[!?]$/.test(inner) && words > 1) return false;
  return true;
}
