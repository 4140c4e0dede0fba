import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { escapeStoryText } from '../../src/discord/escape.ts';
import { paginate } from '../../src/discord/pages.ts';

const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');

describe('paginate', () => {
  test('keeps paragraphs whole when they fit', () => {
    const pages = paginate(['one.', 'two.', 'three.'], 12);
    expect(pages).toEqual(['one.\n\ntwo.', 'three.']);
  });

  test('cuts a long paragraph at sentence ends', () => {
    const paragraph = 'First sentence here. Second sentence here. Third sentence here.';
    const pages = paginate([paragraph], 45);
    expect(pages).toEqual(['First sentence here. Second sentence here.', 'Third sentence here.']);
  });

  test('falls back to words, then characters', () => {
    expect(paginate(['aaa bbb ccc ddd'], 8)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(paginate(['x'.repeat(25)], 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  test('measures after escaping', () => {
    const pages = paginate(['@everyone '.repeat(300)], 500, escapeStoryText);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(500);
  });

  test('property: every page fits and no word is lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 400 }), { maxLength: 12 }),
        fc.integer({ min: 20, max: 300 }),
        (paragraphs, limit) => {
          const pages = paginate(paragraphs, limit, escapeStoryText);
          for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
          // paginate trims each paragraph before rendering ("0. " trimmed is "0.", not a list marker).
          const original = words(
            paragraphs.map((paragraph) => escapeStoryText(paragraph.trim())).join(' '),
          ).join('');
          expect(words(pages.join(' ')).join('')).toBe(original);
        },
      ),
      { numRuns: 300 },
    );
  });
});
