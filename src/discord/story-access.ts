/**
 * The gate every command passes before showing a story: resolve what the user typed, load the
 * server's settings, and refuse (privately, with the reason) what this channel may not serve.
 */
import { type GuildSettings, isStoryServable, loadSettings, storyAccess } from '../gating/index.ts';
import { RATING_LABELS } from '../gating/settings.ts';
import type { Story } from '../library/types.ts';
import { truncate } from './escape.ts';
import {
  type AutocompleteChoice,
  type AutocompleteInteraction,
  type InteractionContext,
  type Services,
  UserError,
} from './port.ts';
import { resolveStory, searchStories } from './story-view.ts';

export interface ServableStory {
  readonly story: Story;
  readonly settings: GuildSettings;
}

/** The story the user named, if this channel may serve it; UserError with the reason otherwise. */
export async function requireServableStory(
  context: InteractionContext,
  services: Services,
  typed: string,
  optionName = 'story',
): Promise<ServableStory> {
  const story = resolveStory(services.library.current(), typed, optionName);
  const settings = await loadSettings(services.store, context.guildId);
  const access = storyAccess(story, settings, context);
  if (!access.allowed) throw new UserError(access.explanation);
  return { story, settings };
}

/** Looks a story up by id (from a button) and re-checks the gate: settings may have changed. */
export async function requireServableStoryById(
  context: InteractionContext,
  services: Services,
  storyId: string,
): Promise<ServableStory> {
  const story = services.library.current().stories.find((candidate) => candidate.id === storyId);
  if (story === undefined) throw new UserError('That story is no longer in the library.');
  const settings = await loadSettings(services.store, context.guildId);
  const access = storyAccess(story, settings, context);
  if (!access.allowed) throw new UserError(access.explanation);
  return { story, settings };
}

/** A choice for a story: "Title (Mature)", at most 100 characters; the value is the id. */
export function storyChoice(story: Story): AutocompleteChoice {
  return { name: truncate(`${story.title} (${RATING_LABELS[story.ratingLevel]})`, 100), value: story.id };
}

/** How many choices Discord shows. */
const MAX_CHOICES = 25;

/**
 * Autocomplete over the stories this channel may serve: fuzzy on title and id, at most 25.
 * The whole library is ranked while the server's settings are on their way from the store, and
 * only the best matches are then gated, until 25 may be served (gating does not change the order).
 */
export async function servableStoryChoices(
  interaction: AutocompleteInteraction,
  services: Services,
): Promise<AutocompleteChoice[]> {
  const settingsRead = loadSettings(services.store, interaction.guildId);
  const ranked = searchStories(services.library.current().stories, interaction.focused.value);
  const settings = await settingsRead;
  const choices: AutocompleteChoice[] = [];
  for (const story of ranked) {
    if (choices.length === MAX_CHOICES) break;
    if (isStoryServable(story, settings, interaction)) choices.push(storyChoice(story));
  }
  return choices;
}
