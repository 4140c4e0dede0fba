import { describe, expect, test } from 'vitest';
import { findStories, type Library, paragraphTexts, sceneText, storyById } from '../../src/library/index.ts';
import { storyFrom } from './helpers.ts';

const library: Library = {
  dir: 'data',
  problems: [],
  stories: [
    storyFrom('Another Time, Another Place\n\nSpike fought in the rain.\n'),
    storyFrom('Title: Nine Lives\n\nSpike died again.\n'),
    storyFrom('Title: Lanterns\n\nKatara lit a lantern.\n'),
    storyFrom('Title: Another Day\n\nBuffy slept in.\n'),
  ],
};

describe('sceneText and paragraphTexts', () => {
  const story = storyFrom(
    'Title: T\n\nFirst line of the\nwrapped paragraph, short.\n\nSecond paragraph here.\n\n***\n\nNext scene.\n',
  );

  test('paragraphs come back one string each, wrapped lines joined', () => {
    expect(paragraphTexts(story, story.scenes[0]!)).toEqual([
      'First line of the wrapped paragraph, short.',
      'Second paragraph here.',
    ]);
  });

  test('a scene’s text is its paragraphs separated by blank lines', () => {
    expect(sceneText(story, story.scenes[0]!)).toBe(
      'First line of the wrapped paragraph, short.\n\nSecond paragraph here.',
    );
    expect(sceneText(story, story.scenes[1]!)).toBe('Next scene.');
  });
});

describe('findStories (autocomplete)', () => {
  test.each([
    ['nine lives', ['nine-lives']],
    ['another', ['another-day', 'another-time-another-place']],
    ['place', ['another-time-another-place']],
    ['LANT', ['lanterns']],
    ['atap', ['another-time-another-place']],
    ['zzz', []],
  ])('%s', (query, ids) => {
    expect(findStories(library, query).map((story) => story.id)).toEqual(ids);
  });

  test('ranks a title that starts with the query, then a word that does, then a substring', () => {
    const ranked: Library = {
      dir: 'data',
      problems: [],
      stories: ['Sometimes', 'Another Time', 'Timeless', 'Two Timers'].map((title) =>
        storyFrom(`Title: ${title}\n\nText.\n`),
      ),
    };
    expect(findStories(ranked, 'time').map((story) => story.title)).toEqual([
      'Timeless',
      'Another Time',
      'Two Timers',
      'Sometimes',
    ]);
    expect(findStories(ranked, 'timers').map((story) => story.title)).toEqual(['Two Timers']);
  });

  test('matches on the id as well as the title', () => {
    expect(findStories(library, 'another-time').map((story) => story.id)[0]).toBe(
      'another-time-another-place',
    );
  });

  test('an empty query lists every story by title, up to the limit', () => {
    expect(findStories(library, '', 3).map((story) => story.title)).toEqual([
      'Another Day',
      'Another Time, Another Place',
      'Lanterns',
    ]);
  });
});

describe('storyById', () => {
  test('finds a story by id, or nothing', () => {
    expect(storyById(library, 'lanterns')?.title).toBe('Lanterns');
    expect(storyById(library, 'missing')).toBeUndefined();
  });
});
