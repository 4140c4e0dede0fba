import type { PointOfView, Scene } from './types.ts';

/**
 * Narration read before deciding: about 5,500 words, hundreds of pronouns in ordinary prose (the
 * first 20,000 characters already decide every PDNC novel and seed story as the whole text does),
 * and a bounded cost however long the story.
 */
const SAMPLE_CHARACTERS = 32_000;
/** Below this many pronouns in the narration the story does not say enough to tell. */
const MIN_PRONOUNS = 20;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Pronouns counted start with i, m, h or s: other words are passed over without a look. */
function mayBePronoun(code: number): boolean {
  const lower = code | 0x20;
  return lower === 0x69 || lower === 0x6d || lower === 0x68 || lower === 0x73;
}

const NEITHER = 0;
const FIRST = 1;
const THIRD = 3;

/** Does `text` at `start` spell `lower` in any case? (The caller knows these are ASCII letters.) */
function spells(text: string, start: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    if ((text.charCodeAt(start + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The person of the ASCII-letter word `text[start, start + length)`: first for I (capital only),
 * me, my, myself and mine; third for he, she, him, her, his, hers, himself and herself (any case).
 * Compares character codes, so no word is ever copied.
 */
function personOf(text: string, start: number, length: number): number {
  switch (length) {
    case 1:
      return text.charCodeAt(start) === 0x49 ? FIRST : NEITHER;
    case 2:
      if (spells(text, start, 'me') || spells(text, start, 'my')) return FIRST;
      return spells(text, start, 'he') ? THIRD : NEITHER;
    case 3:
      return spells(text, start, 'she') ||
        spells(text, start, 'him') ||
        spells(text, start, 'her') ||
        spells(text, start, 'his')
        ? THIRD
        : NEITHER;
    case 4:
      if (spells(text, start, 'mine')) return FIRST;
      return spells(text, start, 'hers') ? THIRD : NEITHER;
    case 6:
      return spells(text, start, 'myself') ? FIRST : NEITHER;
    case 7:
      return spells(text, start, 'himself') || spells(text, start, 'herself') ? THIRD : NEITHER;
    default:
      return NEITHER;
  }
}

/**
 * Detects first- or third-person narration from the pronouns outside quotation marks
 * ("I", "me", "my" against "he", "she", "his", ...). Null when the narration is too short to tell.
 */
export function detectPov(text: string, scenes: readonly Scene[]): PointOfView | null {
  let first = 0;
  let third = 0;
  let read = 0;
  for (const scene of scenes) {
    for (const paragraph of scene.paragraphs) {
      let quoted = false;
      const end = Math.min(paragraph.end, paragraph.start + SAMPLE_CHARACTERS - read);
      let i = paragraph.start;
      while (i < end) {
        const code = text.charCodeAt(i);
        if (isAsciiLetter(code)) {
          // Read the whole word (a run of ASCII letters) and weigh it if it is narration.
          const wordStart = i;
          do i++;
          while (i < end && isAsciiLetter(text.charCodeAt(i)));
          if (!quoted && i - wordStart <= 7 && mayBePronoun(code)) {
            const person = personOf(text, wordStart, i - wordStart);
            if (person === FIRST) first++;
            else if (person === THIRD) third++;
          }
          continue;
        }
        if (code === 0x22) quoted = !quoted;
        else if (code === 0x201c) quoted = true;
        else if (code === 0x201d) quoted = false;
        i++;
      }
      read += end - paragraph.start;
      if (read >= SAMPLE_CHARACTERS) return decide(first, third);
    }
  }
  return decide(first, third);
}

function decide(first: number, third: number): PointOfView | null {
  if (first + third < MIN_PRONOUNS) return null;
  return first >= third * 0.5 ? 'first' : 'third';
}
