/**
 * The reveal's context: the sentence before a quote and the sentence after it, read from the
 * story's text within the quote's scene.
 */
import type { Quote, Scene } from '../library/types.ts';

/** Longest context sentence shown; longer ones are cut at a word with an ellipsis. */
export const CONTEXT_MAX_CHARS = 300;
const LOOK_CHARS = 1_200;

/** This quote's own opening mark and the space or dash before it (not the mark closing the line before). */
const OPENING_MARK = /[\s—–-]*["'“‘«„]?[\s—–-]*$/u;
const CLOSING_MARKS = /^[\s"'”’»—–,;:-]+/u;
/** A sentence ends at terminal punctuation (with any closing marks) followed by space, or at a line break. */
const SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s)|\n+/gu;

export interface QuoteContext {
  readonly before: string | null;
  readonly after: string | null;
}

export function quoteContext(text: string, quote: Pick<Quote, 'start' | 'end'>, scene?: Scene): QuoteContext {
  const floor = Math.max(scene?.start ?? 0, quote.start - LOOK_CHARS);
  const ceiling = Math.min(scene?.end ?? text.length, quote.end + LOOK_CHARS);
  const ahead = text.slice(floor, quote.start).replace(OPENING_MARK, '');
  const behind = text.slice(quote.end, Math.max(quote.end, ceiling)).replace(CLOSING_MARKS, '');
  return { before: tidy(lastSentence(ahead)), after: tidy(firstSentence(behind)) };
}

export function lastSentence(text: string): string {
  const trimmed = text.trimEnd();
  let start = 0;
  for (const match of trimmed.matchAll(SENTENCE_END)) {
    const end = (match.index ?? 0) + match[0].length;
    if (end < trimmed.length) start = end;
  }
  return trimmed.slice(start);
}

export function firstSentence(text: string): string {
  const trimmed = text.trimStart();
  SENTENCE_END.lastIndex = 0;
  const match = SENTENCE_END.exec(trimmed);
  SENTENCE_END.lastIndex = 0;
  return match ? trimmed.slice(0, (match.index ?? 0) + match[0].length) : trimmed;
}

/** A sentence cut out of dialogue may hold half a quotation: close or open it so it reads whole. */
export function balanceQuotes(text: string): string {
  let out = text;
  const straight = (out.match(/"/gu) ?? []).length;
  if (straight % 2 === 1) out = out.startsWith('"') ? `${out}"` : `"${out}`;
  const opens = (out.match(/“/gu) ?? []).length;
  const closes = (out.match(/”/gu) ?? []).length;
  if (opens > closes) out = `${out}”`;
  else if (closes > opens) out = `“${out}`;
  return out;
}

function tidy(sentence: string): string | null {
  const flat = balanceQuotes(sentence.replace(/\s+/gu, ' ').trim());
  if (!flat) return null;
  if (flat.length <= CONTEXT_MAX_CHARS) return flat;
  const cut = flat.slice(0, CONTEXT_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > CONTEXT_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
