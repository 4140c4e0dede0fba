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

export type Sieve =
  | 'tag-name'
  | 'tag-name-before'
  | 'tag-name-ambiguous'
  | 'tag-narrator'
  | 'tag-pronoun-confirmed'
  | 'tag-pronoun-single'
  | 'tag-pronoun-recency'
  | 'tag-epithet'
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
/** Playable length: enough words to recognise a voice, short enough to read in a Discord embed. */
export const ELIGIBLE_MIN_WORDS = 3;
export const ELIGIBLE_MAX_WORDS = 60;
export const ELIGIBLE_MAX_CHARS = 400;

export function playableLength(text: string): boolean {
  if (text.length > ELIGIBLE_MAX_CHARS) return false;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
    if (alnum && !inWord) words++;
    // Apostrophes and hyphens keep a word together ("don't", "well-known").
    inWord = alnum || (inWord && (c === 39 || c === 45 || c === 0x2019));
  }
  return words >= ELIGIBLE_MIN_WORDS && words <= ELIGIBLE_MAX_WORDS;
}
