import { describe, expect, test } from 'vitest';
import { MAX_PARAGRAPH_CHARS, pushBoundedParagraph } from '../../../src/library/dialogue/chunks.ts';
import type { ParagraphRef } from '../../../src/library/dialogue/quotes.ts';

function pieces(text: string): ParagraphRef[] {
  const out: ParagraphRef[] = [];
  pushBoundedParagraph(out, text, 0, text.length, 3);
  return out;
}

describe('giant paragraphs are read in bounded pieces', () => {
  test('a paragraph of ordinary length stays whole', () => {
    const text = '"Hush," said Mrs. Bennet. She sat down.';
    expect(pieces(text)).toEqual([{ start: 0, end: text.length, scene: 3 }]);
  });

  test.each([
    ['sentences', 'He waited by the door. "Come in," she said. '],
    ['one sentence without end', 'and then and then and then '],
    ['one unbroken word', 'x'],
  ])('a multi-megabyte paragraph of %s is cut into pieces that cover it in order', (_kind, unit) => {
    const text = unit.repeat(Math.ceil(300_000 / unit.length)).trimEnd();
    const parts = pieces(text);
    expect(parts.length).toBeGreaterThan(300_000 / MAX_PARAGRAPH_CHARS - 1);
    let at = 0;
    for (const part of parts) {
      expect(part.end - part.start).toBeLessThanOrEqual(MAX_PARAGRAPH_CHARS);
      expect(text.slice(at, part.start).trim()).toBe('');
      at = part.end;
    }
    expect(at).toBe(text.length);
  });

  test('cuts after a sentence end when one is near the limit', () => {
    const text = 'He waited by the door. "Come in," she said. '.repeat(2_000);
    for (const part of pieces(text).slice(0, -1))
      expect(text.slice(part.start, part.end)).toMatch(/[.!?]["”]?$/);
  });
});
