import { describe, expect, test } from 'vitest';
import {
  isPlayableQuote,
  namesSpeaker,
  pickDistractors,
  pickOtherStories,
  selectQuestions,
} from '../../src/game/questions.ts';
import { seededRng } from '../../src/game/random.ts';
import { QUESTION_MAX_CHARS, questionLine } from '../../src/library/dialogue/confidence.ts';
import type { CastMember, Story } from '../../src/library/types.ts';
import { makeStory, member, SCOOBIES, scoobyStory } from './fixtures.ts';

describe('namesSpeaker', () => {
  const buffy = member('Buffy Summers', 'female', 10, ['Buff', 'The Slayer']);
  test.each([
    ['Buffy, get down!', true],
    ["That's Buffy's jacket.", true],
    ['BUFFY! Over here!', true],
    ['Ms Summers will see you now.', true],
    ['Hey Buff, what is up?', true],
    ['The Slayer is here.', true],
    ['Buffalo wings are on the menu tonight.', false],
    ['We need to get to the library now.', false],
  ])('%s → %s', (text, expected) => {
    expect(namesSpeaker(text, buffy.name, [buffy])).toBe(expected);
  });

  test('a common lower-case word is not the alias "Will"', () => {
    const willow = member('Willow Rosenberg', 'female', 10, ['Will']);
    expect(namesSpeaker('I will find it in the books.', willow.name, [willow])).toBe(false);
    expect(namesSpeaker('Will, come on.', willow.name, [willow])).toBe(true);
  });

  test("a family name the line gives another character is not the speaker's", () => {
    const dawn = member('Dawn Summers', 'female', 10, ['Miss Summers']);
    const joyce = member('Joyce Summers', 'female', 10, ['Mrs. Summers']);
    const cast = [buffy, dawn, joyce];
    expect(namesSpeaker('Mrs. Summers is waiting in the car.', buffy.name, cast)).toBe(false);
    expect(namesSpeaker('Tell Mrs. Summers I said so.', dawn.name, cast)).toBe(false);
    // The speaker's own form, or the family name alone, still gives it away.
    expect(namesSpeaker('Ms Summers will see you now.', buffy.name, cast)).toBe(true);
    expect(namesSpeaker('Miss Summers is late again.', dawn.name, cast)).toBe(true);
    expect(namesSpeaker('The Summers girls are trouble.', buffy.name, cast)).toBe(true);
  });
});

/** Seven sentences of one speech, over 300 characters in all; the first six fit in a question. */
const SPEECH = [
  'We go in through the library windows at midnight.',
  'Giles takes the stacks and Willow takes the computers.',
  'Nobody touches the cage in the back, whatever it says.',
  'If the alarm goes, we scatter and meet at the Bronze.',
  'And somebody bring the donuts this time, please.',
  'I mean it.',
  'Then we all go home and never speak of it again.',
].join(' ');

describe('questionLine: what the quiz shows of a quote', () => {
  test.each([
    ['Somebody has to bring the donuts tonight.', 'Somebody has to bring the donuts tonight.'],
    ['  Hi there, you.  ', null],
    ['Not now.', null],
    [SPEECH, SPEECH.slice(0, SPEECH.indexOf(' Then we all'))],
    ['word '.repeat(80), null],
  ])('%j → %j', (text, line) => {
    expect(questionLine(text)).toBe(line);
  });

  test('a question line is whole sentences and never longer than a question may be', () => {
    const line = questionLine(`${SPEECH} ${SPEECH}`)!;
    expect(line.length).toBeLessThanOrEqual(QUESTION_MAX_CHARS);
    expect(line.endsWith('.')).toBe(true);
  });
});

describe('isPlayableQuote', () => {
  const story = makeStory({
    id: 's',
    cast: SCOOBIES,
    lines: [
      { speaker: 'Xander Harris', text: 'Hi.' },
      { speaker: 'Xander Harris', text: 'x '.repeat(200).trim() },
      { speaker: 'Xander Harris', text: 'Xander is always the one who brings the donuts.' },
      { speaker: 'Xander Harris', text: 'Somebody has to bring the donuts tonight.', eligible: false },
      { speaker: null, text: 'Somebody has to bring the donuts tonight.' },
      { speaker: 'Xander Harris', text: 'Somebody has to bring the donuts tonight.' },
      { speaker: 'Xander Harris', text: `${SPEECH} Xander will, as always.` },
      { speaker: 'Xander Harris', text: `${'and then '.repeat(32)}we ran. ${SPEECH}` },
    ],
  });
  test.each([
    [0, false, 'too short'],
    [1, false, 'too long, with no sentence to cut at'],
    [2, false, 'names its speaker'],
    [3, false, 'not eligible'],
    [4, false, 'no speaker'],
    [5, true, 'a good line'],
    [6, true, 'a long speech, asked by its opening sentences (the name comes later)'],
    [7, false, 'a long speech whose first sentence is already too long'],
  ])('quote %i → %s (%s)', (index, expected) => {
    expect(isPlayableQuote(story.dialogue.quotes[index]!, story)).toBe(expected);
  });
});

/** A story that is only its cast: what pickDistractors reads. */
const castOnly = (id: string, cast: CastMember[]) => makeStory({ id, cast, lines: [] });

/** The wrong answers picked for `speaker` with each of 20 seeds; each seed must give some. */
const picksOverSeeds = (story: Story, speaker: string): string[][] =>
  Array.from({ length: 20 }, (_, seed) => {
    const picked = pickDistractors(story, speaker, seededRng(seed));
    expect(picked).not.toBeNull();
    return picked ?? [];
  });

describe('pickDistractors', () => {
  test('three other characters of the same story, speaking ones first, same gender first', () => {
    const story = castOnly('g', [
      member('Buffy Summers', 'female', 10),
      member('Willow Rosenberg', 'female', 10),
      member('Dawn Summers', 'female', 3),
      member('Tara Maclay', 'female', 0),
      member('Xander Harris', 'male', 8),
      member('Rupert Giles', 'male', 9),
    ]);
    for (const picked of picksOverSeeds(story, 'Buffy Summers')) {
      expect(picked).toHaveLength(3);
      expect(picked).not.toContain('Buffy Summers');
      // Two women who speak, then a speaking man ahead of Tara, who never speaks.
      expect(picked.slice(0, 2).sort()).toEqual(['Dawn Summers', 'Willow Rosenberg']);
      expect(['Xander Harris', 'Rupert Giles']).toContain(picked[2]);
    }
  });

  test('no question without three others to choose from', () => {
    const story = castOnly('tiny', [
      member('Buffy', 'female'),
      member('Spike', 'male'),
      member('Giles', 'male'),
    ]);
    expect(pickDistractors(story, 'Buffy', seededRng(1))).toBeNull();
  });

  test('characters with a speaking part before those with a line or two, whatever their gender', () => {
    const story = castOnly('parts', [
      member('Fielding', 'male', 40),
      member('Aziz', 'male', 38),
      member('Adela', 'female', 30),
      member('Mrs. Moore', 'female', 20),
      member('Hassan', 'male', 2),
      member('Rafi', 'male', 1),
    ]);
    for (const picked of picksOverSeeds(story, 'Fielding')) {
      expect(picked[0]).toBe('Aziz');
      expect(picked.slice(1).sort()).toEqual(['Adela', 'Mrs. Moore']);
    }
  });

  test('a character known only by a description comes after the named speakers', () => {
    const story = castOnly('described', [
      member('Oliver', 'male', 300),
      member('Fagin', 'male', 200),
      member('Nancy', 'female', 150),
      member('the stranger', 'unknown', 100),
      member('Monks', 'male', 50),
    ]);
    for (const picked of picksOverSeeds(story, 'Oliver'))
      expect(picked.sort()).toEqual(['Fagin', 'Monks', 'Nancy']);
  });

  test('in a long story, a name with a handful of lines is no speaking part', () => {
    const story = castOnly('long', [
      member('Emma', 'female', 550),
      member('Harriet', 'female', 120),
      member('Mrs. Weston', 'female', 110),
      member('Miss Bates', 'female', 30),
      member('Mrs. Churchill', 'female', 6),
      member('Highbury', 'unknown', 0),
    ]);
    for (const picked of picksOverSeeds(story, 'Emma'))
      expect(picked.sort()).toEqual(['Harriet', 'Miss Bates', 'Mrs. Weston']);
  });

  test.each([
    ['Sikes', 'male', 'Mr. Sikes', 'male'],
    ['Kit', 'unknown', 'Kitty', 'female'],
    ['Frank', 'male', 'Francis', 'male'],
    ['Will', 'unknown', 'William', 'male'],
    ['Robert Lebrun', 'male', 'Monsieur Lebrun', 'male'],
    ['Noah', 'male', 'Mr. Claypole', 'male'],
    ['Doctor Losberne', 'unknown', 'Mr. Losberne', 'male'],
    ['Mr. Losberne', 'male', 'Doctor Losberne', 'unknown'],
  ] as const)(
    'never offers %s and %s as two people: they may be one',
    (speaker, gender, other, otherGender) => {
      const story = castOnly('unmerged', [
        member(speaker, gender, 30, speaker === 'Noah' ? ['Noah Claypole'] : []),
        member(other, otherGender, 20),
        member('Oliver', 'male', 40),
        member('Fagin', 'male', 35),
        member('Nancy', 'female', 25),
        member('Mr. Brownlow', 'male', 1),
      ]);
      for (const picked of picksOverSeeds(story, speaker)) expect(picked).not.toContain(other);
    },
  );

  test('relatives told apart by gender stay fair wrong answers', () => {
    const story = castOnly('bennets', [
      member('Mr. Bennet', 'male', 30),
      member('Mrs. Bennet', 'female', 30),
      member('Elizabeth Bennet', 'female', 30, ['Lizzy']),
      member('Mr. Darcy', 'male', 30),
    ]);
    expect(pickDistractors(story, 'Mr. Bennet', seededRng(1))?.sort()).toEqual([
      'Elizabeth Bennet',
      'Mr. Darcy',
      'Mrs. Bennet',
    ]);
  });

  test('never offers another name of the speaker', () => {
    const story = castOnly('dup', [
      member('Illyria', 'female', 10, ['Blue']),
      member('Blue', 'female', 2),
      member('Angel', 'male'),
      member('Spike', 'male'),
      member('Wesley', 'male'),
    ]);
    expect(pickDistractors(story, 'Illyria', seededRng(3))).not.toContain('Blue');
  });
});

describe('selectQuestions, speaker mode', () => {
  const story = scoobyStory('hush', 5, 2);

  test('no line repeats, every answer is among four distinct choices of the same story', () => {
    const questions = selectQuestions([story], { mode: 'speaker', rounds: 10, rng: seededRng(7) });
    expect(questions).toHaveLength(10);
    expect(new Set(questions.map((q) => q.quoteStart)).size).toBe(10);
    const cast = new Set(SCOOBIES.map((c) => c.name));
    for (const q of questions) {
      expect(q.choices).toHaveLength(4);
      expect(new Set(q.choices).size).toBe(4);
      expect(q.choices[q.answer]).toBe(q.speaker);
      for (const choice of q.choices) expect(cast.has(choice)).toBe(true);
      expect(story.text.slice(q.quoteStart, q.quoteEnd)).toBe(q.text);
    }
  });

  test('a long speech is asked by its opening sentences, and the line still points at the whole quote', () => {
    const speeches = makeStory({
      id: 'speech',
      cast: SCOOBIES,
      lines: [{ speaker: 'Buffy Summers', text: SPEECH }],
    });
    const [question] = selectQuestions([speeches], { mode: 'speaker', rounds: 1, rng: seededRng(3) });
    expect(question?.text).toBe(questionLine(SPEECH));
    expect(speeches.text.slice(question!.quoteStart, question!.quoteEnd)).toBe(SPEECH);
  });

  test('characters take turns: counts differ by at most one while every speaker has lines left', () => {
    const questions = selectQuestions([scoobyStory('many', 5, 6)], {
      mode: 'speaker',
      rounds: 12,
      rng: seededRng(11),
    });
    const counts = new Map<string, number>();
    for (const q of questions) counts.set(q.speaker, (counts.get(q.speaker) ?? 0) + 1);
    const values = [...counts.values()];
    expect(counts.size).toBe(5);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  test('fewer rounds when the story runs out of good lines; none from ineligible lines', () => {
    const small = makeStory({
      id: 'small',
      cast: SCOOBIES,
      lines: [
        { speaker: 'Spike', text: 'I could do with a nice cup of blood right about now.' },
        {
          speaker: 'Rupert Giles',
          text: 'The prophecy is quite specific about the timing.',
          eligible: false,
        },
      ],
    });
    const questions = selectQuestions([small], { mode: 'speaker', rounds: 5, rng: seededRng(1) });
    expect(questions.map((q) => q.speaker)).toEqual(['Spike']);
  });

  test('the same seed gives the same game; the storyIds filter keeps to one story', () => {
    const other = scoobyStory('other', 5, 2, 'Another Night');
    const a = selectQuestions([story, other], { mode: 'speaker', rounds: 6, rng: seededRng(42) });
    const b = selectQuestions([story, other], { mode: 'speaker', rounds: 6, rng: seededRng(42) });
    expect(a).toEqual(b);
    const only = selectQuestions([story, other], {
      mode: 'speaker',
      rounds: 6,
      rng: seededRng(42),
      storyIds: ['other'],
    });
    expect(new Set(only.map((q) => q.storyId))).toEqual(new Set(['other']));
  });

  test('the reveal context is the sentence before and after the line', () => {
    const [q] = selectQuestions([story], { mode: 'speaker', rounds: 1, rng: seededRng(5) });
    expect(q?.before).toMatch(/^The clock ticked over line \d-\d\.$/);
    expect(q?.after).toBe('said someone.');
  });
});

describe('selectQuestions, story mode', () => {
  const stories = ['a', 'b', 'c', 'd', 'e'].map((id) => scoobyStory(id, 5, 1, `Title ${id.toUpperCase()}`));

  test('the answer is the line’s story among three other stories', () => {
    const questions = selectQuestions(stories, { mode: 'story', rounds: 10, rng: seededRng(3) });
    expect(questions).toHaveLength(10);
    for (const q of questions) {
      expect(q.choices[q.answer]).toBe(q.storyTitle);
      expect(new Set(q.choices).size).toBe(4);
      for (const choice of q.choices) expect(stories.map((s) => s.title)).toContain(choice);
    }
    const perStory = new Map<string, number>();
    for (const q of questions) perStory.set(q.storyId, (perStory.get(q.storyId) ?? 0) + 1);
    expect([...perStory.values()].every((n) => n === 2)).toBe(true);
  });

  test('needs four stories', () => {
    expect(selectQuestions(stories.slice(0, 3), { mode: 'story', rounds: 3, rng: seededRng(1) })).toEqual([]);
  });

  test('prefers other stories of the same fandom', () => {
    const fandomed = [
      makeStory({ id: 'x', title: 'X', fandoms: ['Angel'], cast: [], lines: [] }),
      makeStory({ id: 'y', title: 'Y', fandoms: ['Angel'], cast: [], lines: [] }),
      makeStory({ id: 'z', title: 'Z', fandoms: ['Firefly'], cast: [], lines: [] }),
      makeStory({ id: 'w', title: 'W', fandoms: ['Angel'], cast: [], lines: [] }),
      makeStory({ id: 'v', title: 'V', fandoms: ['Angel'], cast: [], lines: [] }),
    ];
    for (let seed = 0; seed < 10; seed++) {
      expect(pickOtherStories(fandomed, fandomed[0]!, seededRng(seed)).sort()).toEqual(['V', 'W', 'Y']);
    }
  });
});
