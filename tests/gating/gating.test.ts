import { describe, expect, test } from 'vitest';
import { isStoryServable, servableStories, storyAccess } from '../../src/gating/gating.ts';
import { DEFAULT_SETTINGS, type GuildSettings, normalizeSettings } from '../../src/gating/settings.ts';
import type { RatingLevel } from '../../src/library/types.ts';
import { makeStory } from '../discord/fixtures.ts';

const ordinary = { ageRestricted: false };
const nsfw = { ageRestricted: true };

describe('default gating', () => {
  test.each<[RatingLevel, boolean, boolean]>([
    ['general', true, true],
    ['teen', true, true],
    ['mature', false, true],
    ['explicit', false, true],
    ['unrated', false, true],
  ])('%s: ordinary %s, age-restricted %s', (ratingLevel, inOrdinary, inNsfw) => {
    const story = makeStory({ id: 's', ratingLevel });
    expect(isStoryServable(story, DEFAULT_SETTINGS, ordinary)).toBe(inOrdinary);
    expect(isStoryServable(story, DEFAULT_SETTINGS, nsfw)).toBe(inNsfw);
  });
});

describe('settings', () => {
  const settings: GuildSettings = {
    ...DEFAULT_SETTINGS,
    rating: { ordinary: 'general', ageRestricted: 'mature' },
    hiddenCategories: ['non-con'],
    disabledStories: ['off'],
  };

  test.each([
    [makeStory({ id: 'a', ratingLevel: 'teen' }), ordinary, 'rating'],
    [makeStory({ id: 'b', ratingLevel: 'explicit' }), nsfw, 'rating'],
    [makeStory({ id: 'c', warningCategories: ['non-con'] }), nsfw, 'hidden-category'],
    [makeStory({ id: 'off' }), nsfw, 'disabled'],
  ] as const)('refuses %# with reason %s', (story, channel, reason) => {
    const access = storyAccess(story, settings, channel);
    expect(access.allowed).toBe(false);
    if (!access.allowed) {
      expect(access.reason).toBe(reason);
      expect(access.explanation.length).toBeLessThan(200);
    }
  });

  test('servableStories keeps library order and drops the rest', () => {
    const stories = [
      makeStory({ id: 'x', ratingLevel: 'general' }),
      makeStory({ id: 'y', ratingLevel: 'mature' }),
      makeStory({ id: 'z', ratingLevel: 'general', warningCategories: ['non-con'] }),
      makeStory({ id: 'w', ratingLevel: 'general' }),
    ];
    expect(servableStories(stories, settings, nsfw).map((story) => story.id)).toEqual(['x', 'y', 'w']);
    expect(servableStories(stories, settings, ordinary).map((story) => story.id)).toEqual(['x', 'w']);
  });

  test('malformed stored settings fall back field by field', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings('garbage')).toEqual(DEFAULT_SETTINGS);
    const mixed = normalizeSettings({
      rating: { ordinary: 'explicit', ageRestricted: 'nc-17' },
      warningDisplay: 'loud',
      hiddenCategories: ['gore', 'spiders', 'gore'],
      disabledStories: ['a', 3],
      game: { seconds: 9999, rounds: 10, mode: 'story' },
    });
    expect(mixed).toEqual({
      rating: { ordinary: 'explicit', ageRestricted: 'explicit' },
      warningDisplay: 'spoiler',
      hiddenCategories: ['gore'],
      disabledStories: ['a'],
      game: { seconds: DEFAULT_SETTINGS.game.seconds, rounds: 10, mode: 'story' },
    });
  });
});
