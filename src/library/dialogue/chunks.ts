import type { ParagraphRef } from './quotes.ts';

/**
 * The longest stretch of text the dialogue analysis reads as one paragraph. Real paragraphs stay
 * well below it (the longest in the PDNC novels, a letter in Pride and Prejudice, is 15,226
 * characters); a hostile or broken file can hold megabytes without a blank line. Every per-quote
 * look-around (the paragraph's names, its other quotes, its turn) is bounded by the paragraph, so
 * cutting giant paragraphs keeps the whole analysis linear in the text.
 */
export const MAX_PARAGRAPH_CHARS = 32_000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const TAB = 0x09;

function isSpace(code: number): boolean {
  return code === SPACE || code === NEWLINE || code === TAB || code === 0x0d;
}

/** `.`, `!`, `?`, `…`, optionally followed by a closing quotation mark. */
function endsSentenceBefore(text: string, at: number): boolean {
  let i = at - 1;
  let code = text.charCodeAt(i);
  if (code === 0x22 || code === 0x201d || code === 0x27 || code === 0x2019) code = text.charCodeAt(--i);
  return code === 0x2e || code === 0x21 || code === 0x3f || code === 0x2026;
}

/**
 * Appends the paragraph `[start, end)` to `out`, cut into pieces of at most about
 * `MAX_PARAGRAPH_CHARS` when it is longer: at a sentence end if one falls in the second half of
 * the window, otherwise at a space, otherwise (one unbroken run of letters) anywhere.
 */
export function pushBoundedParagraph(
  out: ParagraphRef[],
  text: string,
  start: number,
  end: number,
  scene: number,
): void {
  let from = start;
  while (end - from > MAX_PARAGRAPH_CHARS) {
    const limit = from + MAX_PARAGRAPH_CHARS;
    const half = from + (MAX_PARAGRAPH_CHARS >> 1);
    let cut = -1;
    let space = -1;
    for (let i = limit; i > half; i--) {
      if (!isSpace(text.charCodeAt(i))) continue;
      if (space < 0) space = i;
      if (endsSentenceBefore(text, i)) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = space >= 0 ? space : limit;
    out.push({ start: from, end: cut, scene });
    from = cut;
    while (from < end && isSpace(text.charCodeAt(from))) from++;
  }
  if (end > from) out.push({ start: from, end, scene });
}
