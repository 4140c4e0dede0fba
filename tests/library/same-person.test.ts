import { describe, expect, test } from 'vitest';
import { mayBeSamePerson } from '../../src/library/same-person.ts';
import { member } from '../game/fixtures.ts';

describe('mayBeSamePerson', () => {
  test.each([
    ['Sikes', 'Mr. Sikes', true, 'a title added'],
    ['Doctor Losberne', 'Mr. Losberne', true, 'another title'],
    ['Monsieur Lebrun', 'Robert Lebrun', true, 'surname within a full name'],
    ['Kit', 'Kitty', true, 'a short form'],
    ['Frank', 'Francis', true, 'a short form sharing four letters'],
    ['the Jew', 'Jew', true, '"the" is no name word'],
    ['Dawn Summers', 'Buffy Summers', false, 'two first names'],
    ['Spike', 'Angel', false, 'nothing shared'],
    ['Ann', 'Angel', false, 'too short to be a short form'],
  ])('%s / %s → %s (%s)', (a, b, expected) => {
    expect(mayBeSamePerson(member(a, 'unknown'), member(b, 'unknown'))).toBe(expected);
    expect(mayBeSamePerson(member(b, 'unknown'), member(a, 'unknown'))).toBe(expected);
  });

  test('an alias counts as a name', () => {
    expect(
      mayBeSamePerson(member('Noah', 'male', 5, ['Noah Claypole']), member('Mr. Claypole', 'male')),
    ).toBe(true);
  });

  test('known genders tell relatives apart', () => {
    expect(mayBeSamePerson(member('Mr. Bennet', 'male'), member('Mrs. Bennet', 'female'))).toBe(false);
    expect(mayBeSamePerson(member('Mr. Bennet', 'male'), member('Bennet', 'unknown'))).toBe(true);
  });

  test('two names within a third member of the cast may be one person', () => {
    const caroline = member('Caroline', 'female');
    const missAbbott = member('Miss Abbott', 'female');
    const cast = [caroline, missAbbott, member('Caroline Abbott', 'female'), member('Mr. Abbott', 'male')];
    expect(mayBeSamePerson(caroline, missAbbott)).toBe(false);
    expect(mayBeSamePerson(caroline, missAbbott, cast)).toBe(true);
    // Mr. Abbott is within "Caroline Abbott" too, but no woman is him.
    expect(mayBeSamePerson(missAbbott, cast[3]!, cast)).toBe(false);
  });

  test('sisters sharing a surname stay two people', () => {
    const jane = member('Jane Bennet', 'female');
    const elizabeth = member('Elizabeth Bennet', 'female', 5, ['Lizzy']);
    const cast = [
      jane,
      elizabeth,
      member('Bennet', 'unknown'),
      member('Mr. Bennet', 'male'),
      member('Mrs. Bennet', 'female'),
    ];
    expect(mayBeSamePerson(jane, elizabeth, cast)).toBe(false);
  });
});
