/** The changes /config makes, as pure functions from settings to settings. */
import type { WarningCategory } from '../library/types.ts';
import type { AllowedRating, GameSettings, GuildSettings } from './settings.ts';

export function withRatings(
  settings: GuildSettings,
  ordinary: AllowedRating | null,
  ageRestricted: AllowedRating | null,
): GuildSettings {
  return {
    ...settings,
    rating: {
      ordinary: ordinary ?? settings.rating.ordinary,
      ageRestricted: ageRestricted ?? settings.rating.ageRestricted,
    },
  };
}

export function withHiddenCategory(
  settings: GuildSettings,
  category: WarningCategory,
  hidden: boolean,
): GuildSettings {
  const others = settings.hiddenCategories.filter((entry) => entry !== category);
  return { ...settings, hiddenCategories: hidden ? [...others, category] : others };
}

export function withStoryEnabled(settings: GuildSettings, storyId: string, enabled: boolean): GuildSettings {
  const others = settings.disabledStories.filter((id) => id !== storyId);
  return { ...settings, disabledStories: enabled ? others : [...others, storyId] };
}

export function withGame(settings: GuildSettings, change: Partial<GameSettings>): GuildSettings {
  return { ...settings, game: { ...settings.game, ...change } };
}
