/**
 * Gating: may this story be served in this channel? Pure; every command and the quote game ask
 * here before showing any of a story's text, title in lists, or quotes.
 */
import type { Story } from '../library/types.ts';
import { type GuildSettings, RATING_LABELS, ratingRank } from './settings.ts';

export interface ChannelKind {
  /** The channel (or a thread's parent) is age-restricted. */
  readonly ageRestricted: boolean;
}

export type Access =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'disabled' | 'hidden-category' | 'rating';
      /** A short explanation for the user (shown privately). */
      readonly explanation: string;
    };

/** The highest rating this channel allows under these settings. */
export function channelRatingLimit(settings: GuildSettings, channel: ChannelKind) {
  return channel.ageRestricted ? settings.rating.ageRestricted : settings.rating.ordinary;
}

/** Why (or whether) `story` may be served in `channel` under `settings`. */
export function storyAccess(story: Story, settings: GuildSettings, channel: ChannelKind): Access {
  if (settings.disabledStories.includes(story.id)) {
    return {
      allowed: false,
      reason: 'disabled',
      explanation: "That story is switched off in this server's settings.",
    };
  }
  const hidden = story.warningCategories.filter((category) => settings.hiddenCategories.includes(category));
  if (hidden.length > 0) {
    return {
      allowed: false,
      reason: 'hidden-category',
      explanation: `That story carries a warning this server hides (${hidden.join(', ')}).`,
    };
  }
  const limit = channelRatingLimit(settings, channel);
  if (ratingRank(story.ratingLevel) > ratingRank(limit)) {
    const rated =
      story.ratingLevel === 'unrated'
        ? 'not rated (treated as Mature)'
        : `rated ${RATING_LABELS[story.ratingLevel]}`;
    const where = channel.ageRestricted
      ? `this server allows at most ${RATING_LABELS[limit]} even in age-restricted channels`
      : `this channel allows at most ${RATING_LABELS[limit]}; try an age-restricted channel`;
    return { allowed: false, reason: 'rating', explanation: `That story is ${rated}, and ${where}.` };
  }
  return { allowed: true };
}

/** The predicate for lists, autocomplete and the quote game. */
export function isStoryServable(story: Story, settings: GuildSettings, channel: ChannelKind): boolean {
  return storyAccess(story, settings, channel).allowed;
}

/** The stories that may be served in `channel`, in library order. */
export function servableStories(
  stories: readonly Story[],
  settings: GuildSettings,
  channel: ChannelKind,
): readonly Story[] {
  return stories.filter((story) => isStoryServable(story, settings, channel));
}

/**
 * Why a channel can serve none of the library: how many stories each reason holds back, so a
 * member knows whether an age-restricted channel or a moderator would help.
 */
export function explainNoStories(
  stories: readonly Story[],
  settings: GuildSettings,
  channel: ChannelKind,
): string {
  if (stories.length === 0)
    return 'The library is empty: the people who host ficbot add stories to its data folder.';
  let byRating = 0;
  let byServer = 0;
  for (const story of stories) {
    const access = storyAccess(story, settings, channel);
    if (!access.allowed && access.reason === 'rating') byRating += 1;
    else if (!access.allowed) byServer += 1;
  }
  const parts: string[] = [];
  if (byRating > 0) {
    const limit = RATING_LABELS[channelRatingLimit(settings, channel)];
    parts.push(
      channel.ageRestricted
        ? `${byRating} rated above ${limit}, the most this server allows`
        : `${byRating} rated above ${limit}, the most this channel allows: try an age-restricted channel`,
    );
  }
  if (byServer > 0) parts.push(`${byServer} hidden or switched off by this server's moderators`);
  return `No stories can be shown in this channel (${parts.join('; ')}).`;
}
