/**
 * What keeps places, nationalities and stray headings out of a story's cast (the names /summary
 * lists and the quiz offers as wrong answers), and keeps aliases and genders to the right person.
 */
import { describe, expect, test } from 'vitest';
import { dialogueOf } from './fixtures.ts';

const castOf = (story: string) => dialogueOf(story).characters;
const namesOf = (story: string) => castOf(story).flatMap((c) => [c.name, ...c.aliases]);
const memberNamed = (story: string, name: string) =>
  castOf(story).find((c) => c.name === name || c.aliases.includes(name));

/** Lucy and Charlotte talk about somewhere (or someone) the narration names `word`. */
const travelStory = (word: string, where: [string, string]): string =>
  [
    `Lucy had always dreamt of ${word}. She thought ${word} was the loveliest thing on earth.`,
    `"Do you think ${word} will like us?" said Lucy.`,
    `"I hope so," said Charlotte. Charlotte smiled, and she poured the tea.`,
    `Charlotte had heard that ${word} never slept. Lucy wrote a letter ${where[0]} ${word}.`,
    '"We shall see," said Charlotte.',
    `But ${word} was not what they had been told. They stayed ${where[1]} ${word} a week, and ${word} was kind.`,
    '"I am so happy," said Lucy.',
    `"So am I," said Charlotte. ${word} had won them both. Even ${word} could not have done more.`,
  ].join('\n\n');

describe('places are not characters', () => {
  test.each([
    ['a country written after "in" and "at"', 'Italy', ['in', 'at'] as [string, string]],
    ['a house written after "at" and "near"', 'Windy Corner', ['at', 'near'] as [string, string]],
  ])('%s (%s) never speaks and is not in the cast', (_what, word, where) => {
    expect(namesOf(travelStory(word, where))).not.toContain(word);
  });

  test('a person written after "to" and "with" is still a character', () => {
    expect(namesOf(travelStory('Cecil', ['to', 'with']))).toContain('Cecil');
  });

  test('a person written after "in" only as a possessive ("in Spike\'s arms") is still a character', () => {
    const story = [
      "Xander woke in Spike's arms. Later he sat in Spike's chair and thought of Spike.",
      '"You are late," Xander said.',
      "It was warm in Spike's room, and Spike was kind. Spike smiled at him.",
      '"I know," Xander said.',
      "He fell asleep in Spike's coat.",
    ].join('\n\n');
    expect(namesOf(story)).toContain('Spike');
  });
});

describe('nationalities are descriptions, not names', () => {
  test.each(['Englishwoman', 'Indians', 'Hindu', 'Eurasian'])(
    '%s, written mid-sentence beside the talk, is not in the cast',
    (word) => {
      const story = [
        `Aziz saw that one ${word} had come into the mosque. No ${word} had come so late before.`,
        '"Madam, this is a mosque," said Aziz.',
        `"I have taken off my shoes," she said. Any ${word} would have done so.`,
        '"Then I ask your pardon," said Aziz.',
      ].join('\n\n');
      expect(namesOf(story)).not.toContain(word);
    },
  );

  test('a speech tag can still make one an epithet speaker ("said the Frenchman")', () => {
    const story = [
      'The General sat down. The Frenchman looked at Polina.',
      '"It is late," said the Frenchman.',
      '"Yes," said Polina.',
      '"We must go," said the Frenchman.',
      '"Not yet," said Polina.',
    ].join('\n\n');
    const lines = dialogueOf(story).quotes.filter((q) => q.speaker === 'the Frenchman');
    expect(lines.length).toBe(2);
  });
});

describe('a name said to a character becomes their alias only when it is a name for them', () => {
  /** Spike and Illyria talk; Spike's three speeches are `spoken`. */
  const addressStory = (spoken: readonly string[]): string =>
    [
      'Illyria stood over the bodies. She turned her head.',
      '"You are wounded," Illyria said.',
      `"${spoken[0]}" Spike said.`,
      '"I will remove the weapon," Illyria said.',
      `"${spoken[1]}" Spike asked.`,
      '"You are not ready," Illyria said.',
      `"${spoken[2]}" Spike said.`,
    ].join('\n\n');

  test.each([
    [
      'a place mostly talked about, exclaimed once',
      'Prato',
      ["Prato! We must go to Prato, it's lovely.", 'Have you seen Prato at dusk?', 'They say Prato is dull.'],
    ],
    [
      "someone else's name, said once to the listener",
      'Margot',
      ["Margot, I'm tired.", "Shall we go to Margot's party?", 'I hear Margot has a new flat.'],
    ],
    ['an interjection', 'Goodness', ['Goodness, that hurts.', 'Goodness! Ready?', 'Goodness, come on.']],
  ])('%s (%s) is not an alias of the listener', (_what, word, spoken) => {
    expect(memberNamed(addressStory(spoken), 'Illyria')?.aliases ?? []).not.toContain(word);
  });

  test('a woman\'s given name is not an alias of a titled man ("Sophia" is not the Admiral)', () => {
    const story = [
      'Admiral Croft stood by the fire. He turned his head.',
      '"You are late," Admiral Croft said.',
      '"Yes, Sophia, I know," Anne said.',
      '"We shall dine at six," Admiral Croft said.',
      '"Ready, Sophia?" Anne asked.',
      '"Not yet," Admiral Croft said.',
      '"Come on, Sophia," Anne said.',
    ].join('\n\n');
    expect(memberNamed(story, 'Admiral Croft')?.aliases ?? []).not.toContain('Sophia');
  });

  test.each([
    [
      'a hyphenated surname\'s part ("Mr Menzies" beside Jock Grant-Menzies)',
      'Mr Menzies',
      'Jock Grant-Menzies was at the club.',
    ],
    ['a title with another surname than the listener\'s ("Mr Repton" to Mr Rushworth)', 'Mr Repton', ''],
  ])('%s is not an alias of the listener', (_what, word, narration) => {
    const story = [
      `Mr Rushworth stood by the window. He turned his head. ${narration}`,
      '"You are late," Mr Rushworth said.',
      `"Yes, ${word}, I know," Fanny said.`,
      '"We shall dine at six," Mr Rushworth said.',
      `"Ready, ${word}?" Fanny asked.`,
      '"Not yet," Mr Rushworth said.',
      `"Come on, ${word}," Fanny said.`,
    ].join('\n\n');
    expect(memberNamed(story, 'Mr Rushworth')?.aliases ?? []).not.toContain(word);
  });
});

describe('a title written after a name', () => {
  const story = [
    'Hamidullah came in from the garden. Hamidullah smiled, and he sat down by Aziz.',
    '"You are late," said Hamidullah.',
    '"I was kept," said Aziz. Aziz laughed, and he took a cup.',
    'Hamidullah Begum called from the next room. Hamidullah Begum was tired, and she wanted her husband.',
    '"Come in to dinner," said Hamidullah Begum.',
    '"We are coming," said Hamidullah.',
  ].join('\n\n');

  test('names another person (Hamidullah Begum is not Hamidullah)', () => {
    expect(memberNamed(story, 'Hamidullah')?.aliases ?? []).not.toContain('Hamidullah Begum');
    expect(memberNamed(story, 'Hamidullah Begum')).toBeDefined();
  });

  test.each([
    ['Hamidullah', 'male'],
    ['Hamidullah Begum', 'female'],
  ])('%s is %s', (name, gender) => {
    expect(memberNamed(story, name)?.gender).toBe(gender);
  });
});

describe('headings and function words are not characters', () => {
  test.each([
    ['a part number heading the talk', '[III]', 'III'],
    ['a reflexive pronoun', 'Himself, he thought, was to blame; God Himself was silent.', 'Himself'],
    ['a preposition', 'Outside, Among the trees it was dark.', 'Among'],
    ['a heading in capitals', 'He opened the book at THE THEFT, and read on.', 'THE THEFT'],
    ['a shouted word', 'Tony thought she WAS right, and she WAS.', 'WAS'],
    ['a country', 'They talked of Egypt; Tony said Egypt was hot.', 'Egypt'],
    ['an abstraction', 'Tony spoke of Truth; for Truth, he said, was everything.', 'Truth'],
    ['a house ending in Villa', 'They liked Cissie Villa, and Cissie Villa was cheap.', 'Cissie Villa'],
  ])('%s (%s)', (_what, opening, word) => {
    // Written often enough that the cast would list it even without lines.
    const scene = [opening, '"It is late," said Tony. Tony smiled, and he stood up.', '"Yes," said Brenda.'];
    const story = Array.from({ length: 5 }, () => scene.join('\n\n')).join('\n\n');
    expect(namesOf(story)).not.toContain(word);
  });
});

test('a title-case heading runs no words into a name ("Miss Lucy Honeychurch Drive")', () => {
  const story = [
    'Chapter Six: The Reverend Arthur Beebe, Miss Charlotte\nBartlett, and Miss Lucy Honeychurch Drive Out in Carriages to See a\nView; Italians Drive Them.',
    'Lucy sat in the carriage. Lucy smiled, and she looked at the hills.',
    '"How lovely," said Lucy.',
    '"Indeed," said Mr. Beebe. Mr. Beebe laughed, and he lit his pipe.',
  ].join('\n\n');
  expect(namesOf(story)).not.toContain('Miss Lucy Honeychurch Drive');
  expect(namesOf(story)).toContain('Lucy');
});

test('a married title with the husband\'s names leaves his first name to him ("Charles" is not Mrs. Charles Musgrove)', () => {
  const story = [
    'Mrs. Charles Musgrove sat by the fire. Mrs. Charles Musgrove sighed, and she rang the bell.',
    '"I am quite ill," said Mrs. Charles Musgrove.',
    'Charles came in from the fields. Charles laughed, and he threw down his gun.',
    '"You are never ill," said Charles.',
    '"Go away," said Mrs. Charles Musgrove.',
    '"I shall," said Charles. Charles smiled, and he went out with Anne.',
  ].join('\n\n');
  const charles = memberNamed(story, 'Charles');
  expect(charles?.aliases ?? []).not.toContain('Mrs. Charles Musgrove');
  expect(charles?.gender).toBe('male');
});

describe('surnames and titles', () => {
  test("Signor is a man's title", () => {
    const story = [
      'Signor Carella came into the room. Lilia looked up at Signor Carella and smiled.',
      '"Good evening," said Signor Carella.',
      '"You are late," said Lilia. Lilia laughed, and she poured the wine.',
      '"I was kept," said Signor Carella.',
    ].join('\n\n');
    expect(memberNamed(story, 'Signor Carella')?.gender).toBe('male');
  });

  test('a bare surname is not given to a titled man when another bearer is written far more often', () => {
    const sissy = 'Sissy Jupe sat by the window. Sissy Jupe smiled, and she read her book.';
    const story = [
      'Signor Jupe had gone away. Signor Jupe never came back.',
      ...Array.from({ length: 4 }, () => sissy),
      '"Jupe, come here," said Mr. Gradgrind. Jupe stood up at once.',
      '"Yes, sir," said Sissy Jupe.',
      '"Jupe is a good girl," said Mr. Gradgrind.',
    ].join('\n\n');
    const both = castOf(story).filter((c) => {
      const names = [c.name, ...c.aliases];
      return names.includes('Jupe') && names.includes('Signor Jupe');
    });
    expect(both).toEqual([]);
  });

  test.each([
    ['Mr Last', 'Mrs Last', 'Last'],
    ['Miss King', 'Mr. King', 'King'],
  ])('a surname that is also a word is a name after a title (%s)', (man, other, word) => {
    const story = [
      `${man} sat at one end of the table, ${other} at the other.`,
      `${man} said, "Is nothing sacred to you children?"`,
      `"It is the ${word.toLowerCase()} thing we need," said ${other}.`,
      `${man} laughed, and ${other} smiled at the ${word.toLowerCase()} of the guests.`,
    ].join('\n\n');
    expect(namesOf(story)).toEqual(expect.arrayContaining([man, other]));
    expect(dialogueOf(story).quotes.map((q) => q.speaker)).toEqual([man, other]);
  });
});
