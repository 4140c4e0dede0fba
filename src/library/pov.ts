import type { PointOfView, Scene } from './types.ts';

const FIRST_PERSON = new Set(['i', 'me', 'my', 'myself', 'mine']);
const THIRD_PERSON = new Set(['he', 'she', 'him', 'her', 'his', 'hers', 'himself', 'herself']);

/** Narration read before deciding; enough for any story, and keeps long novels cheap. */
const SAMPLE_CHARACTERS = 400_000;
/** Below this many pronouns in the narration the story does not say enough to tell. */
const MIN_PRONOUNS = 20;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Pronouns counted start with i, m, h or s: other words are skipped without being copied. */
function mayBePronoun(code: number): boolean {
  const lower = code | 0x20;
  return lower === 0x69 || lower === 0x6d || lower === 0x68 || lower === 0x73;
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
      let wordStart = -1;
      const end = Math.min(paragraph.end, paragraph.start + SAMPLE_CHARACTERS - read);
      for (let i = paragraph.start; i <= end; i++) {
        const code = i < end ? text.charCodeAt(i) : 0x20;
        if (isAsciiLetter(code)) {
          if (wordStart === -1) wordStart = i;
          continue;
        }
        if (wordStart !== -1 && !quoted && i - wordStart <= 7 && mayBePronoun(text.charCodeAt(wordStart))) {
          const word = text.slice(wordStart, i);
          const lower = word.toLowerCase();
          if (word === 'I' || (lower !== 'i' && FIRST_PERSON.has(lower))) first++;
          else if (THIRD_PERSON.has(lower)) third++;
        }
        wordStart = -1;
        if (code === 0x22) quoted = !quoted;
        else if (code === 0x201c) quoted = true;
        else if (code === 0x201d) quoted = false;
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
