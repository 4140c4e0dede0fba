/**
 * Pure builders for how a story appears: rating and warning markers, the content-warning
 * label, list lines, and resolving what a user typed into a story option.
 */
import { RATING_LABELS, type WarningDisplay } from '../gating/settings.ts';
import { findStories, storyById } from '../library/query.ts';
import type { Library, Story } from '../library/types.ts';
import { escapeStoryText, truncate } from './escape.ts';
import { UserError } from './port.ts';

/** Embed colours by rating. */
export const RATING_COLOURS = {
  general: 0x57f287,
  teen: 0x3498db,
  mature: 0xe67e22,
  explicit: 0xed4245,
  unrated: 0x99aab5,
} as const;

/** Rating marker: a coloured dot and the level, e.g. "🟠 Mature". */
export function ratingMarker(story: Story): string {
  const dots = { general: '🟢', teen: '🔵', mature: '🟠', explicit: '🔴', unrated: '⚪' } as const;
  return `${dots[story.ratingLevel]} ${RATING_LABELS[story.ratingLevel]}`;
}

/** The warnings worth a label: categories (minus "no warnings apply"), else the written ones. */
export function warningLabels(story: Story): string[] {
  const categories = story.warningCategories.filter((category) => category !== 'no-warnings-apply');
  if (categories.length > 0) return categories.map((category) => category.replaceAll('-', ' '));
  if (story.warningCategories.includes('no-warnings-apply')) return [];
  return story.warnings.map((warning) => warning.trim()).filter((warning) => warning !== '');
}

/** "CW: gore, non-con" (escaped, at most `max` characters), or null when the story carries none. */
export function contentWarningLabel(story: Story, max = 300): string | null {
  const labels = warningLabels(story);
  if (labels.length === 0) return null;
  return truncate(`CW: ${escapeStoryText(labels.join(', '))}`, max);
}

/**
 * Story text preceded by its warnings, as the server's settings say: a labelled spoiler
 * (`**CW: gore** ||text||`) or the label in plain sight above the text.
 */
export function withWarnings(story: Story, escapedText: string, display: WarningDisplay): string {
  const label = contentWarningLabel(story);
  if (label === null) return escapedText;
  return display === 'spoiler' ? `**${label}**\n||${escapedText}||` : `**${label}**\n\n${escapedText}`;
}

/** A story's title, escaped, at most 100 characters: for messages that name it. */
export function storyName(story: Story): string {
  return truncate(escapeStoryText(story.title), 100);
}

/** One line in /stories: title, id, author, rating and warning markers. */
export function storyListLine(story: Story): string {
  const title = truncate(escapeStoryText(story.title), 80);
  const author = story.author === null ? '' : ` by ${truncate(escapeStoryText(story.author), 40)}`;
  const labels = warningLabels(story);
  const warnings = labels.length === 0 ? '' : ` · ⚠️ ${truncate(escapeStoryText(labels.join(', ')), 80)}`;
  return `**${title}**${author} (\`${story.id}\`)\n${ratingMarker(story)} · ${story.words.toLocaleString('en-US')} words${warnings}`;
}

/** Stories of `stories` matching `query` (fuzzy on title and id), best first; all when the query is empty. */
export function searchStories(
  stories: readonly Story[],
  query: string,
  limit = Number.POSITIVE_INFINITY,
): Story[] {
  return findStories({ dir: '', stories, problems: [] }, query, limit);
}

/**
 * What the user typed into a story option → a story: the id (autocomplete sends it), an exact
 * title, or the single fuzzy match. UserError otherwise, naming the option.
 */
export function resolveStory(library: Library, typed: string, optionName = 'story'): Story {
  const value = typed.trim();
  const byId = storyById(library, value);
  if (byId !== undefined) return byId;
  const byTitle = library.stories.filter((story) => story.title.trim().toLowerCase() === value.toLowerCase());
  if (byTitle.length === 1) return byTitle[0]!;
  const matches = value === '' ? [] : findStories(library, value, 2);
  if (matches.length === 1) return matches[0]!;
  const shown = escapeStoryText(truncate(value, 60));
  throw new UserError(
    matches.length > 1
      ? `\`${optionName}\`: "${shown}" matches several stories; pick one from the suggestions or use /stories search:${shown}.`
      : `\`${optionName}\`: no story called "${shown}". Use /stories to see the library.`,
  );
}
