/**
 * Calibrated confidence per attribution bucket, and the game's eligibility rule.
 *
 * Each prior is the precision measured for that bucket over the 20 PDNC development novels
 * (scripts/score-pdnc.ts --buckets), rounded down and pooled across novels so that no single book
 * sets a number. The sieves use the priors among themselves (anchors, chains); the final
 * confidence is the trained model's (model.ts): the held-out precision of the quotes it is at
 * least as sure of. A quote is eligible when that confidence reaches ELIGIBLE_CONFIDENCE, its
 * length is playable and it does not name its own speaker.
 */
import { isJsSpace } from './quotes.ts';

export type Sieve =
  | 'tag-name'
  | 'tag-name-before'
  | 'tag-name-ambiguous'
  | 'tag-narrator'
  | 'tag-pronoun-confirmed'
  | 'tag-pronoun-single'
  | 'tag-pronoun-recency'
  | 'tag-epithet'
  | 'tag-relative'
  | 'beat-before-name'
  | 'beat-before-pronoun'
  | 'beat-after'
  | 'vocative'
  | 'alternation'
  | 'dyad'
  | 'narration-name'
  | 'narration-beat'
  | 'continuation'
  | 'fallback'
  | 'ranked'
  | 'none';

/** Starting precision of each bucket (measured on PDNC; see the module comment). */
export const SIEVE_PRIOR: Readonly<Record<Sieve, number>> = {
  'tag-name': 0.97,
  'tag-name-before': 0.8,
  'tag-name-ambiguous': 0.7,
  'tag-narrator': 0.99,
  'tag-pronoun-confirmed': 0.82,
  'tag-pronoun-single': 0.65,
  'tag-pronoun-recency': 0.52,
  'tag-epithet': 0.46,
  'tag-relative': 0.9,
  'beat-before-name': 0.69,
  'beat-before-pronoun': 0.5,
  'beat-after': 0.49,
  vocative: 0.62,
  alternation: 0.5,
  dyad: 0.77,
  'narration-name': 0.42,
  'narration-beat': 0.49,
  continuation: 0.47,
  fallback: 0.4,
  ranked: 0.5,
  none: 0,
};

/** Alternation reliability by distance (in turns) from the anchoring tagged turn. */
export function alternationConfidence(
  distance: number,
  agreeing: boolean,
  vocativeConfirms: boolean,
): number {
  // Outside clean two-person exchanges (handled by the dyad sieve) PDNC measures back to the
  // anchor at .75-.85 and to the partner at .5-.7, falling with distance.
  const base = distance % 2 === 0 ? 0.8 - 0.04 * (distance / 2) : 0.62 - 0.04 * ((distance - 1) / 2);
  let c = Math.max(0.4, base);
  if (agreeing) c = 1 - (1 - c) * 0.5;
  if (vocativeConfirms) c = 1 - (1 - c) * 0.5;
  return Math.min(0.99, c);
}

/**
 * Eligible quotes need at least this confidence: 0.97 required, plus a margin for novel-to-novel
 * variation (scripts/train-confidence.ts trains the cut to this target).
 */
export const ELIGIBLE_CONFIDENCE = 0.972;
/**
 * What the quiz shows of a quote, and so what "a playable length" means: the whole quote when it
 * fits in a question, otherwise its opening whole sentences that do (a long speech is asked
 * about by how it begins). Too short a line is not a voice anyone could recognise.
 */
export const QUESTION_MIN_CHARS = 20;
export const QUESTION_MAX_CHARS = 280;
export const QUESTION_MIN_WORDS = 4;

/** A sentence ends at terminal punctuation, with any closing marks, before a space. */
const SENTENCE_END = /[.!?\u2026]+["'\u201d\u2019\u00bb)\]]*(?=\s)/gu;

/** The line the quiz asks for a quote (see QUESTION_MAX_CHARS), or null when it has none. */
export function questionLine(text: string): string | null {
  const whole = text.trim();
  let line = whole;
  if (whole.length > QUESTION_MAX_CHARS) {
    let cut = -1;
    SENTENCE_END.lastIndex = 0;
    for (let m = SENTENCE_END.exec(whole); m !== null; m = SENTENCE_END.exec(whole)) {
      const end = m.index + m[0].length;
      if (end > QUESTION_MAX_CHARS) break;
      cut = end;
    }
    SENTENCE_END.lastIndex = 0;
    if (cut < 0) return null;
    line = whole.slice(0, cut);
  }
  if (line.length < QUESTION_MIN_CHARS) return null;
  return hasWords(line, QUESTION_MIN_WORDS) ? line : null;
}

/**
 * Does the text hold at least `min` white-space separated words (as `split(/\s+/u)` finds them)?
 * Counted char by char, stopping at the `min`th: no array of words.
 */
function hasWords(text: string, min: number): boolean {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length && words < min; i++) {
    const space = isJsSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words >= min;
}

/** Playable length: the quote gives the quiz a question line. */
export function playableLength(text: string): boolean {
  return questionLine(text) !== null;
}
