import { describe, expect, test } from 'vitest';
import { SpeakerNames } from '../../src/library/speaker-names.ts';

/** Persuasion's Elliots and their circle, by the names the dialogue layer gives them. */
const PERSUASION = new SpeakerNames([
  { key: 'Anne', forms: ['Anne', 'Anne Elliot', 'Miss Anne Elliot'] },
  { key: 'Elizabeth', forms: ['Elizabeth', 'Miss Elliot'] },
  { key: 'Sir Walter', forms: ['Sir Walter', 'Sir Walter Elliot'] },
  { key: 'Mr Elliot', forms: ['Mr Elliot', 'Mr. William Elliot'] },
  { key: 'Lady Russell', forms: ['Lady Russell'] },
  { key: 'the Admiral', forms: ['the Admiral'] },
]);

describe('SpeakerNames: does a line say its speaker’s name?', () => {
  test.each([
    ['Anne', 'Anne, you must come with us.', true, 'her given name'],
    ['Anne', "That is Anne's shawl.", true, 'possessive'],
    ['Anne', 'ANNE! Over here!', true, 'shouted'],
    ['Anne', 'Are you acquainted with Mr Elliot?', false, "a shared family name in another's form"],
    ['Anne', 'Are you acquainted with Mr. William Elliot?', false, "another's full form, with full stops"],
    ['Anne', 'Sir Walter Elliot will not hear of it.', false, 'three words of a form before the family name'],
    ['Anne', 'Miss Anne Elliot, if you please.', true, 'her own full form'],
    ['Anne', 'The Elliots are proud; an Elliot never bends.', true, 'the family name alone'],
    ['Anne', 'Dear Miss Elliot is late again.', false, "her sister's form"],
    ['Elizabeth', 'Dear Miss Elliot is late again.', true, 'the same line said by that sister'],
    ['Mr Elliot', 'Mr. Elliot sends his compliments.', true, 'his own form, written with a full stop'],
    ['Mr Elliot', 'Pray ask Anne Elliot to sing.', false, "a cousin's full name"],
    [
      'Lady Russell',
      'I shall call on Mrs Russell tomorrow.',
      true,
      'an unknown form with her name stays hers',
    ],
    ['Lady Russell', 'We must talk of nothing but Anne.', false, "someone else's name only"],
    ['the Admiral', 'The Admiral will have his way.', true, 'a character known by a title alone'],
    ['the Admiral', 'Nobody in the navy would say so.', false, 'no name at all'],
    ['nobody', 'Anne, you must come.', false, 'an unknown character names no one'],
  ])('%s: %j → %s (%s)', (speaker, line, expected) => {
    expect(PERSUASION.namedIn(line, speaker)).toBe(expected);
  });

  test('a word in lower case is not a name', () => {
    const names = new SpeakerNames([{ key: 'Hope', forms: ['Hope'] }]);
    expect(names.namedIn('I hope you are well.', 'Hope')).toBe(false);
    expect(names.namedIn('Hope, are you well?', 'Hope')).toBe(true);
  });

  test('a name inside a longer word is not the name', () => {
    const names = new SpeakerNames([{ key: 'Ann', forms: ['Ann'] }]);
    expect(names.namedIn('Annabel will be there.', 'Ann')).toBe(false);
  });
});
