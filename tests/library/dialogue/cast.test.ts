import { describe, expect, test } from 'vitest';
import { dialogueOf } from './fixtures.ts';

const EMMA = [
  'Everyone in Highbury knew Emma Woodhouse. Emma smiled at her father, and she poured the tea.',
  '"Papa, sit down," said Emma.',
  '"Thank you, my dear," said Mr. Woodhouse. He sat down by the fire.',
  'Miss Woodhouse was not to be persuaded. Emma laughed, and she shook her head.',
  '"Mr. Knightley is coming," said Miss Woodhouse.',
  'Mr. Knightley walked in with John Knightley. Mr. Knightley bowed, and he sat down.',
  '"Good evening," said Mr. Knightley.',
  '"Good evening to you all," said John Knightley. John Knightley smiled, and he took a cup.',
  'Mrs. Weston came in after Mr. Weston. Mrs. Weston smiled, and she kissed Emma.',
  '"My dear Emma!" said Mrs. Weston.',
  '"Well, well," said Mr. Weston. Mr. Weston rubbed his hands, and he laughed.',
].join('\n\n');

const castOf = (story: string) => dialogueOf(story).characters;
const memberNamed = (story: string, name: string) =>
  castOf(story).find((c) => c.name === name || c.aliases.includes(name));

describe('cast building', () => {
  test('Miss Woodhouse, Emma and Emma Woodhouse are one character', () => {
    const emma = memberNamed(EMMA, 'Emma');
    expect(emma).toBeDefined();
    expect([emma!.name, ...emma!.aliases]).toEqual(
      expect.arrayContaining(['Emma', 'Miss Woodhouse', 'Emma Woodhouse']),
    );
    expect(emma!.lines).toBe(2);
  });

  test.each([
    ['Mr. Knightley', 'John Knightley'],
    ['Mr. Weston', 'Mrs. Weston'],
    ['Mr. Woodhouse', 'Miss Woodhouse'],
  ])('%s and %s stay two characters', (a, b) => {
    const first = memberNamed(EMMA, a);
    const second = memberNamed(EMMA, b);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first!.name).not.toBe(second!.name);
  });

  test('names that begin with an accented capital are characters, and their lines are theirs', () => {
    const story = [
      'Éowyn stood on the wall, and she watched the road. Faramir came up beside her, and he waited.',
      '"They will come back," said Éowyn.',
      '"Perhaps," Faramir said.',
      '"You do not believe it," Éowyn said.',
      'Zoë laughed, and she went in. Łukasz followed her, and he shut the door.',
      '"Well," said Zoë.',
      '"Well what?" Łukasz asked.',
    ].join('\n\n');
    const d = dialogueOf(story);
    expect(d.characters.map((c) => c.name)).toEqual(expect.arrayContaining(['Éowyn', 'Zoë', 'Łukasz']));
    expect(d.quotes.map((q) => q.speaker)).toEqual(['Éowyn', 'Faramir', 'Éowyn', 'Zoë', 'Łukasz']);
  });

  test('Will and May are names; "May I", "Will you" and "in June" are not', () => {
    const story = [
      'Will looked at Mike, and he shrugged. Mike shook his head, and he sighed.',
      '"We should go," said Will.',
      '"Not yet," Mike said. "Will you wait until June? May I ask that much?"',
      '"Why not?" Will asked.',
      'In June the rain came. May came in with the tea, and she set it down.',
      '"Drink it while it is hot," said May.',
      '"Thanks, Aunt May," said Will. "May I have another?"',
    ].join('\n\n');
    const d = dialogueOf(story);
    expect(d.characters.map((c) => c.name).sort()).toEqual(['May', 'Mike', 'Will']);
    expect(d.quotes.map((q) => q.speaker)).toEqual(['Will', 'Mike', 'Will', 'May', 'Will']);
  });

  test('a story that only says "May I" and "in May" has no May', () => {
    const story = [
      'Jane came to the door on the first of May, and she knocked.',
      '"May I come in?" said Jane. "Will you let me?"',
      '"Not until August," said Mr. Bennet. "May 5 at the earliest, and in April, never."',
    ].join('\n\n');
    expect(
      castOf(story)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Jane', 'Mr. Bennet']);
  });

  test('"Mrs Charles" is named after her husband: "Charles" alone is him', () => {
    const story = [
      'Mrs Charles sat by the fire with her sister. Mrs Charles sighed, and she rang the bell.',
      '"I am very ill," said Mrs Charles.',
      'Charles came in from shooting. Charles laughed, and he put down his gun.',
      '"You look well enough," said Charles.',
      '"Nonsense," said Mrs Charles. Charles shrugged, and he went out again.',
    ].join('\n\n');
    const charles = castOf(story).find((member) => member.name === 'Charles');
    expect(charles?.gender).toBe('male');
    expect(charles?.aliases).not.toContain('Mrs Charles');
  });

  test('one long sentence naming someone twice does not make two people of them', () => {
    const story = [
      'George Wickham came to Meryton with Denny. Mr. Wickham smiled, and he bowed to Lydia.',
      '"A fine morning," said Mr. Wickham.',
      'He had found out where your sister and Mr. Wickham were, and that he had seen and talked with them both, Wickham repeatedly, Lydia once.',
      '"We shall be married soon," said Wickham. Wickham laughed, and he looked at Lydia.',
      '"Oh, my dear Wickham!" said Lydia. Lydia laughed, and she ran to the window.',
    ].join('\n\n');
    const wickham = memberNamed(story, 'Wickham');
    expect([wickham?.name, ...(wickham?.aliases ?? [])]).toEqual(
      expect.arrayContaining(['Wickham', 'Mr. Wickham']),
    );
    expect(wickham?.gender).toBe('male');
  });

  test.each([
    ['Mr. Knightley', 'male'],
    ['Mrs. Weston', 'female'],
    ['Emma', 'female'],
    ['John Knightley', 'male'],
  ])('%s is %s', (name, gender) => {
    expect(memberNamed(EMMA, name)?.gender).toBe(gender);
  });

  test.each([
    [
      'a title and surname gives way to the first and last name',
      'Miss Quested',
      'Adela Quested',
      'Adela Quested',
    ],
    ['a first name stays when it is the most used', 'Adela', 'Adela Quested', 'Adela'],
  ])('%s (%s, once %s: shown as %s)', (_what, usual, full, shown) => {
    const story = [
      `It was ${full} who came out to India with Mrs. Moore. ${usual} looked at the hills.`,
      `"I want to see the real India," ${usual} said.`,
      `${usual} smiled at Mrs. Moore. "Shall we go?" ${usual} asked.`,
      `"Yes, my dear," said Mrs. Moore. ${usual} laughed.`,
    ].join('\n\n');
    expect(memberNamed(story, usual)?.name).toBe(shown);
  });

  test.each([
    [
      'addressed twice in one breath, stay one character',
      '"Miss Quested, Adela, come here," said Ronny.',
      true,
    ],
    ['listed side by side in narration, stay two', 'Miss Quested, Adela and Ronny walked on.', false],
  ])('names side by side: %s', (_what, line, same) => {
    const story = [
      'It was Adela Quested who came out to India with Ronny. Miss Quested looked at the hills.',
      '"I want to see the real India," Adela said. Adela smiled at Ronny.',
      line,
      '"Shall we go?" Miss Quested asked. Miss Quested laughed.',
      '"Yes," said Ronny. Adela nodded.',
    ].join('\n\n');
    const adela = memberNamed(story, 'Adela');
    expect(adela).toBeDefined();
    expect([adela!.name, ...adela!.aliases].includes('Miss Quested')).toBe(same);
  });

  test('a first name shared with someone called by surname goes to the other, shown in full', () => {
    const story = [
      'Tony sat with John Beaver. Beaver smiled, and Beaver ate. Later John Andrew ran in, and John Andrew laughed.',
      'Beaver looked at the boy. Beaver said nothing. Then John Andrew sat down.',
      '"Can I ride today?" John asked.',
      '"Yes," said Beaver.',
      '"Thank you," said John. John grinned at Tony.',
    ].join('\n\n');
    expect(memberNamed(story, 'John')?.name).toBe('John Andrew');
    expect(memberNamed(story, 'Beaver')?.aliases).not.toContain('John');
  });

  test('the most used title and surname goes to the full name first ("Mr. Crawford" is Henry, not his uncle the Admiral)', () => {
    const story = [
      'Henry Crawford and Mary Crawford came to Mansfield. Their uncle, Admiral Crawford, stayed in town. Fanny liked Henry Crawford, and Mary Crawford liked Edmund.',
      'Mr. Crawford bowed to Fanny, and he smiled. Mr. Crawford sat down.',
      '"You are very quiet," said Mr. Crawford.',
      '"I am tired," said Fanny.',
      '"Then rest," said Mr. Crawford. Mr. Crawford left the room.',
      '"He is gone," said Mary.',
    ].join('\n\n');
    const henry = memberNamed(story, 'Henry Crawford');
    expect(henry?.aliases).toContain('Mr. Crawford');
    expect(henry?.aliases).not.toContain('Admiral Crawford');
    expect(henry?.lines).toBe(2);
  });

  test('a surname repeated after a semicolon or a dash is the same person ("Mr. William Sikes; ... the said Sikes")', () => {
    const story = [
      'Oliver was given into the care of Mr. William Sikes; and further, the said Sikes was to keep him.',
      'Fagin watched them go. Sikes walked fast, and he pulled the boy along.',
      '"Come along," said Sikes.',
      '"I am coming," said Oliver.',
      '"Faster," said Mr. William Sikes.',
    ].join('\n\n');
    const sikes = memberNamed(story, 'Sikes');
    expect(sikes?.name).toBe(memberNamed(story, 'Mr. William Sikes')?.name);
    expect(sikes?.lines).toBe(2);
  });

  test('a name stumbled over in speech is one person ("Dr. Aziz, Dr, Aziz, I come to enquire")', () => {
    const story = [
      'Hamidullah came into the room. Aziz lay on the bed, and he looked at the ceiling.',
      '"Dr. Aziz, Dr, Aziz, I come to enquire," said Hamidullah.',
      '"I am ill," said Aziz.',
      '"Then rest, Dr. Aziz," said Hamidullah. Aziz turned his face to the wall.',
      '"Go away," said Aziz.',
    ].join('\n\n');
    const aziz = memberNamed(story, 'Aziz');
    expect([aziz?.name, ...(aziz?.aliases ?? [])]).toContain('Dr. Aziz');
    expect(aziz?.lines).toBe(2);
  });

  test('line counts follow the attributions', () => {
    expect(memberNamed(EMMA, 'Mr. Weston')?.lines).toBe(1);
    expect(memberNamed(EMMA, 'Mrs. Weston')?.lines).toBe(1);
  });

  test.each([
    [
      'a weekday next to a speech verb',
      '"It rained," said Tom. "It always rains on Monday."\n\n"On Monday," Ann said, "we met Tuesday people."',
      'Monday',
    ],
    ['a month', '"Come in March," said Tom.\n\n"In March?" asked Ann. "March is cold."', 'March'],
    [
      'a place after "in"',
      '"We lived in Highbury," said Tom.\n\n"In Highbury?" asked Ann. "I was born in Highbury."',
      'Highbury',
    ],
    [
      'a sentence-initial word',
      '"Perhaps," said Tom. Perhaps was all he said.\n\n"Indeed," said Ann. Indeed it was.',
      'Perhaps',
    ],
    ['an interjection', '"Oh, Tom," said Ann. Oh, how she sighed.\n\n"Oh!" said Tom.', 'Oh'],
  ])('%s is not a character', (_what, story, word) => {
    expect(castOf(story).map((c) => c.name)).not.toContain(word);
  });

  test('a name used only to address a character becomes their alias (Blue for Illyria)', () => {
    const story = [
      'Illyria stood over the bodies. She turned her head.',
      '"You are wounded," Illyria said.',
      '"Yeah, that\'s right, Blue," Spike said. "We\'re all a bit bruised."',
      '"I will remove the weapon," Illyria said.',
      '"Ready, Blue?" Spike asked.',
      '"You are not ready," Illyria said.',
      '"Come on, Blue," Spike said.',
    ].join('\n\n');
    const illyria = memberNamed(story, 'Illyria');
    expect(illyria?.aliases).toContain('Blue');
    expect(castOf(story).map((c) => c.name)).not.toContain('Blue');
  });

  test.each([
    ['a word the story also writes in lower case', 'Nonsense', 'It was all nonsense, she thought.'],
    ['an interjection', 'Hullo', 'She did not answer.'],
  ])('%s opening quotes said to a character is not their alias (%s)', (_what, word, narration) => {
    const story = [
      `Illyria stood over the bodies. She turned her head. ${narration}`,
      '"You are wounded," Illyria said.',
      `Spike said, "${word}, that's nothing. We're all a bit bruised."`,
      '"I will remove the weapon," Illyria said.',
      `Spike said, "${word}! Ready?"`,
      '"You are not ready," Illyria said.',
      `Spike said, "${word}, come on."`,
    ].join('\n\n');
    expect(memberNamed(story, 'Illyria')?.aliases ?? []).not.toContain(word);
    expect(castOf(story).map((c) => c.name)).not.toContain(word);
  });

  test("a name sharing another character's surname is never a listener's alias (Mr. Quested is not Aziz)", () => {
    const story = [
      'Miss Quested sat by the window, and Aziz stood at the door. Then Miss Quested smiled at Aziz.',
      '"You are kind," Aziz said.',
      '"Yes, Mr. Quested would agree," Miss Quested said.',
      '"I will come," Aziz said.',
      '"Ready, Mr. Quested?" Miss Quested asked.',
      '"I am not ready," Aziz said.',
      '"Come on, Mr. Quested," Miss Quested said.',
    ].join('\n\n');
    expect(memberNamed(story, 'Aziz')?.aliases ?? []).not.toContain('Mr. Quested');
  });
});
