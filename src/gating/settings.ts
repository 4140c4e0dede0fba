/**
 * A server's settings: what moderators control with /config. Pure data and validation; the
 * store holds one `GuildSettings` per server under `SETTINGS_KEY`.
 */
import { type RatingLevel, WARNING_CATEGORIES, type WarningCategory } from '../library/types.ts';

/** The levels a channel may allow, lowest first (a story's 'unrated' is gated as mature). */
export type AllowedRating = Exclude<RatingLevel, 'unrated'>;
export const ALLOWED_RATINGS: readonly AllowedRating[] = ['general', 'teen', 'mature', 'explicit'];

export type WarningDisplay = 'spoiler' | 'plain';
export type GameMode = 'speaker' | 'story';

export interface GameSettings {
  /** Seconds a round stays open. */
  readonly seconds: number;
  readonly rounds: number;
  readonly mode: GameMode;
}

export interface GuildSettings {
  /** The highest rating served in ordinary and in age-restricted channels. */
  readonly rating: { readonly ordinary: AllowedRating; readonly ageRestricted: AllowedRating };
  /** Warnings as labelled spoilers (`CW: gore ||...||`) or plainly. */
  readonly warningDisplay: WarningDisplay;
  /** Stories carrying any of these categories are never served in this server. */
  readonly hiddenCategories: readonly WarningCategory[];
  /** Story ids switched off in this server. */
  readonly disabledStories: readonly string[];
  /** Defaults for /quiz start. */
  readonly game: GameSettings;
}

export const SETTINGS_KEY = 'settings';

export const GAME_LIMITS = {
  seconds: { min: 5, max: 120 },
  rounds: { min: 1, max: 50 },
} as const;

/** What a server gets before any moderator acts: mature and explicit only in age-restricted channels. */
export const DEFAULT_SETTINGS: GuildSettings = {
  rating: { ordinary: 'teen', ageRestricted: 'explicit' },
  warningDisplay: 'spoiler',
  hiddenCategories: [],
  disabledStories: [],
  game: { seconds: 30, rounds: 5, mode: 'speaker' },
};

export { WARNING_CATEGORIES };

export function isAllowedRating(value: unknown): value is AllowedRating {
  return typeof value === 'string' && (ALLOWED_RATINGS as readonly string[]).includes(value);
}

export function isWarningCategory(value: unknown): value is WarningCategory {
  return typeof value === 'string' && (WARNING_CATEGORIES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function intInRange(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : fallback;
}

/**
 * Reads whatever the store holds into valid settings: missing or malformed fields fall back to
 * the defaults one by one, so a bad stored value never breaks a command.
 */
export function normalizeSettings(stored: unknown): GuildSettings {
  if (!isRecord(stored)) return DEFAULT_SETTINGS;
  const rating = isRecord(stored.rating) ? stored.rating : {};
  const game = isRecord(stored.game) ? stored.game : {};
  const d = DEFAULT_SETTINGS;
  return {
    rating: {
      ordinary: isAllowedRating(rating.ordinary) ? rating.ordinary : d.rating.ordinary,
      ageRestricted: isAllowedRating(rating.ageRestricted) ? rating.ageRestricted : d.rating.ageRestricted,
    },
    warningDisplay:
      stored.warningDisplay === 'plain' || stored.warningDisplay === 'spoiler'
        ? stored.warningDisplay
        : d.warningDisplay,
    hiddenCategories: Array.isArray(stored.hiddenCategories)
      ? [...new Set(stored.hiddenCategories.filter(isWarningCategory))]
      : d.hiddenCategories,
    disabledStories: Array.isArray(stored.disabledStories)
      ? [...new Set(stored.disabledStories.filter((id): id is string => typeof id === 'string'))]
      : d.disabledStories,
    game: {
      seconds: intInRange(game.seconds, GAME_LIMITS.seconds.min, GAME_LIMITS.seconds.max, d.game.seconds),
      rounds: intInRange(game.rounds, GAME_LIMITS.rounds.min, GAME_LIMITS.rounds.max, d.game.rounds),
      mode: game.mode === 'speaker' || game.mode === 'story' ? game.mode : d.game.mode,
    },
  };
}

export function ratingRank(level: RatingLevel): number {
  // Unrated stories may contain anything: gated like mature ones.
  return level === 'unrated' ? ALLOWED_RATINGS.indexOf('mature') : ALLOWED_RATINGS.indexOf(level);
}

export const RATING_LABELS: Readonly<Record<RatingLevel, string>> = {
  general: 'General',
  teen: 'Teen',
  mature: 'Mature',
  explicit: 'Explicit',
  unrated: 'Not rated',
};
