/**
 * "said her mother", "replied his wife": the relative of whom the narration follows, not that
 * person, and found by the family's name and title.
 */
import { describe, expect, test } from 'vitest';
import type { Cast } from '../../../src/library/dialogue/cast.ts';
import type { Gender } from '../../../src/library/dialogue/lexicon.ts';
import { kinDescription, relativeOf } from '../../../src/library/dialogue/relatives.ts';
import { dialogueOf } from './fixtures.ts';

/** A cast of the given characters, by name, gender and forms (entity ids in that order). */
const castOf = (members: readonly (readonly [string, Gender, readonly string[]])[]): Cast => {
  const entities = members.map(([name, gender, forms], id) => ({
    id,
    name,
    forms: new Map(forms.map((form) => [form, 1])),
    written: new Map(forms.map((form) => [form, form])),
    gender,
    mentions: 1,
    tagSubject: 1,
    epithet: false,
  }));
  const byForm = new Map(entities.flatMap((e) => [...e.forms.keys()].map((form) => [form, e.id] as const)));
  return { entities, byForm, mentions: { starts: [], entities: [] } };
};

const speakerOf = (story: string, words: string) =>
  dialogueOf(story).quotes.find((q) => q.text.includes(words))?.speaker;

/**
 * The Bennets at breakfast; Mrs. Long and Mr. Collins come in and are named last, just before
 * one of Elizabeth's parents (Elizabeth being whom the narration follows) speaks to her.
 */
const breakfast = (tag: string): string =>
  [
    'Mrs. Bennet and Mr. Bennet were already at the table.',
    '"Sit up, Jane," said Mrs. Bennet. "Where is that girl?"',
    '"Asleep, I dare say," said Mr. Bennet.',
    'Mrs. Long and Mr. Collins came in, and sat down by the fire.',
    'Elizabeth Bennet came down late; Elizabeth Bennet was never early. She took her seat by Mrs. Long, and Mr. Collins bowed to her.',
    `"You are late again, child," ${tag}.`,
    '"I am sorry," said Elizabeth.',
  ].join('\n\n');

describe('kin described by a possessive', () => {
  test.each([
    ['said her mother', 'Mrs. Bennet'],
    ['said her father', 'Mr. Bennet'],
  ])('"%s" is %s, not the daughter', (tag, parent) => {
    expect(speakerOf(breakfast(tag), 'late again')).toBe(parent);
  });

  test('"replied his wife" is the Mrs. of his family', () => {
    const story = [
      'Mr. Bennet read his paper. Mrs. Bennet and Mrs. Long sat by the fire, and Mr. Bennet did not look up.',
      '"Netherfield is let at last," said Mrs. Long.',
      '"Is it?" said Mr. Bennet. He turned a page.',
      '"You must know that it is," replied his wife.',
    ].join('\n\n');
    expect(speakerOf(story, 'You must know')).toBe('Mrs. Bennet');
  });

  test('of two women of the family with its title, "her mother" is the one called by title and name alone', () => {
    // Sense and Sensibility: Mrs. Dashwood, and her stepson's wife, Mrs. John Dashwood.
    const cast = castOf([
      ['Marianne Dashwood', 'female', ['Marianne Dashwood', 'Marianne']],
      ['Mrs. John Dashwood', 'female', ['mrs John Dashwood']],
      ['Mrs. Dashwood', 'female', ['mrs Dashwood']],
    ]);
    expect(relativeOf(cast, 0, kinDescription('her mother')!)).toBe(2);
    // Two called by title and name alone: no telling which.
    const twice = castOf([
      ...cast.entities.map((e) => [e.name, e.gender, [...e.forms.keys()]] as const),
      ['Mrs Dashwood', 'female', ['mrs Dashwood']],
    ]);
    expect(relativeOf(twice, 0, kinDescription('her mother')!)).toBeNull();
  });

  test.each([
    ["answered Daisy's mamma", 'Mrs. Miller'],
    ["said Daisy's mother", 'Mrs. Miller'],
    ["said Daisy's papa", 'Mr. Miller'],
  ])('"%s" is %s, never Daisy', (tag, parent) => {
    const story = [
      'Daisy Miller walked in, and she smiled. Mrs. Miller followed Daisy Miller, and she sat down.',
      'Mr. Miller stood by the fire; Mr. Miller was reading.',
      'Daisy sat by the window.',
      `"Oh, no; with this gentleman!" ${tag}.`,
    ].join('\n\n');
    expect(speakerOf(story, 'with this gentleman')).toBe(parent);
  });

  test('"said her mother" when the narration follows the mother herself, her daughter just behind', () => {
    const story = [
      '"I am going out," said Daisy Miller.',
      '"With whom?" said Mrs. Miller. Mrs. Miller put down her work; she looked at Daisy.',
      '"With Mr. Winterbourne," said Daisy.',
      'Mrs. Miller sighed; she held out the shawl.',
      '"Put it on," said her mother.',
    ].join('\n\n');
    expect(speakerOf(story, 'Put it on')).toBe('Mrs. Miller');
  });
});
