/**
 * Whom the narration is following, per gender, where each quote begins: what decides whom a
 * "said she" means when several women have been named.
 */
import { describe, expect, test } from 'vitest';
import type { Gender } from '../../../src/library/dialogue/lexicon.ts';
import type { ParagraphRef, RawQuote } from '../../../src/library/dialogue/quotes.ts';
import { narrationCentres } from '../../../src/library/dialogue/salience.ts';

const PEOPLE: readonly { name: string; gender: Gender }[] = [
  { name: 'Mrs. Bennet', gender: 'female' },
  { name: 'Mr. Bennet', gender: 'male' },
  { name: 'Jane', gender: 'female' },
  { name: 'Lydia', gender: 'female' },
  { name: 'Wickham', gender: 'male' },
];

/**
 * The centres at each quote of a story written as paragraphs; a paragraph "X" is a scene break.
 * Quotes are the double-quoted spans, names the PEOPLE written in full.
 */
function centresAtQuotes(paragraphs: readonly string[]): { woman: string | null; man: string | null }[] {
  let text = '';
  let scene = 0;
  const refs: ParagraphRef[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph === 'X') {
      scene++;
      continue;
    }
    if (text !== '') text += '\n\n';
    refs.push({ start: text.length, end: text.length + paragraph.length, scene });
    text += paragraph;
  }
  const quotes: RawQuote[] = [];
  refs.forEach((ref, para) => {
    for (const m of text.slice(ref.start, ref.end).matchAll(/"([^"]*)"/g)) {
      const open = ref.start + m.index;
      const close = open + m[0].length;
      quotes.push({ start: open + 1, end: close - 1, open, close, para, depth: 0, continuesNext: false });
    }
  });
  const found: { start: number; id: number }[] = [];
  PEOPLE.forEach((person, id) => {
    const pattern = new RegExp(`\\b${person.name.replace('.', '\\.')}(?![\\w])`, 'g');
    for (const m of text.matchAll(pattern)) {
      // "Mr. Bennet" is not "Mrs. Bennet" written inside it.
      if (!found.some((f) => f.start <= m.index && m.index < f.start + PEOPLE[f.id]!.name.length))
        found.push({ start: m.index, id });
    }
  });
  found.sort((a, b) => a.start - b.start);
  const centres = narrationCentres(
    text,
    refs,
    quotes,
    { starts: found.map((f) => f.start), entities: found.map((f) => f.id) },
    (id) => PEOPLE[id]?.gender ?? 'unknown',
    quotes.map((q) => q.start),
  );
  const nameOf = (id: number): string | null => (id >= 0 ? PEOPLE[id]!.name : null);
  return quotes.map((_, k) => ({ woman: nameOf(centres.female[k]!), man: nameOf(centres.male[k]!) }));
}

describe('whom the narration follows', () => {
  test.each([
    [
      'a pronoun chain keeps its subject over a woman named in passing',
      [
        'Mrs. Bennet was delighted. She was busily searching the neighbourhood for a house for her daughter, though Jane was not yet engaged, and though Jane had asked her not to.',
        '"Haye-Park might do," said she.',
      ],
      ['Mrs. Bennet'],
    ],
    [
      'a woman newly named as the subject takes over',
      [
        'Mrs. Bennet sat down by the fire. Lydia ran in, and Lydia laughed at everyone.',
        '"Oh, mamma!" she cried.',
      ],
      ['Lydia'],
    ],
    [
      'names spoken in a quote are not whom the narration follows',
      [
        'Mrs. Bennet sat down by the fire.',
        '"Lydia, Lydia, Jane and Lydia: where are they?" she said.',
        '"Lydia will be the death of me," she said.',
      ],
      ['Mrs. Bennet', 'Mrs. Bennet'],
    ],
    [
      'a new scene starts with nobody',
      ['Mrs. Bennet sat down by the fire.', 'X', '"Good morning," she said.'],
      [null],
    ],
  ])('%s', (_what, paragraphs, women) => {
    expect(centresAtQuotes(paragraphs).map((c) => c.woman)).toEqual(women);
  });

  test('a man and a woman are followed apart', () => {
    const centres = centresAtQuotes([
      'Mr. Bennet read his paper while Mrs. Bennet talked. He turned a page; she went on.',
      '"My dear," said he.',
    ]);
    expect(centres).toEqual([{ woman: 'Mrs. Bennet', man: 'Mr. Bennet' }]);
  });

  test('"Mr." and "Mrs." do not end a sentence', () => {
    // Were "Mrs." a sentence end, Wickham (named after it) would have been worth more than
    // Mr. Bennet, named before it as the subject, by the time of the quote.
    const centres = centresAtQuotes([
      'Mr. Bennet wrote to Mrs. Bennet and to Wickham at once.',
      '"There," he said.',
    ]);
    expect(centres[0]!.man).toBe('Mr. Bennet');
  });
});
