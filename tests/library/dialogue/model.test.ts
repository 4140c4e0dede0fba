import { describe, expect, test } from 'vitest';
import { ELIGIBLE_CONFIDENCE } from '../../../src/library/dialogue/confidence.ts';
import { confidenceAt, modelTrained, rankCandidates } from '../../../src/library/dialogue/model.ts';
import { genderOfGivenName } from '../../../src/library/dialogue/names.ts';
import { dialogueOf, quoteStarting } from './fixtures.ts';

describe('the attribution model', () => {
  test('a trained weight table is committed', () => {
    expect(modelTrained).toBe(true);
  });

  test('confidence never falls as the model grows surer, and only a sure choice reaches eligibility', () => {
    let last = -1;
    for (let p = 0; p <= 1.0001; p += 0.01) {
      const c = confidenceAt(p);
      expect(c).toBeGreaterThanOrEqual(last);
      last = c;
    }
    expect(confidenceAt(0.5)).toBeLessThan(ELIGIBLE_CONFIDENCE);
    expect(confidenceAt(1)).toBeGreaterThanOrEqual(ELIGIBLE_CONFIDENCE);
  });

  test.each([
    [[0.2, 0.9, 0.5], 1, 2],
    [[0.9, 0.2, 0.5], 0, 2],
    [[0.7], 0, -1],
  ])('ranks %j: best %i, runner-up %i', (ps, best, second) => {
    expect(rankCandidates(ps)).toEqual({ best, second });
  });

  test('a character addressed inside the quote is never chosen to say it', () => {
    const d = dialogueOf(
      [
        'Tom walked in, and he sat down. Ann put down her pen, and she waited.',
        '"Where were you?" said Ann.',
        '"Out," said Tom.',
        '"Out where, Tom?"',
      ].join('\n\n'),
    );
    expect(quoteStarting(d, 'Out where').speaker).toBe('Ann');
  });
});

describe('given names as gender evidence', () => {
  test.each([
    ['Philip', 'male'],
    ['Harriet', 'female'],
    ['Fred', 'unknown'],
    ['Xyzzy', 'unknown'],
  ])('%s is %s', (name, gender) => {
    expect(genderOfGivenName(name)).toBe(gender);
  });

  test('a first name outweighs a misleading pronoun after it', () => {
    const d = dialogueOf(
      [
        'Philip turned to his mother, and she smiled at him. Philip came to her.',
        '"We must go," said Philip.',
        '"Not yet," said Mrs. Herriton.',
      ].join('\n\n'),
    );
    expect(d.characters.find((c) => c.name === 'Philip')?.gender).toBe('male');
  });
});
