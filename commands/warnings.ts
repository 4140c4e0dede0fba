/** /warnings story:<autocomplete>: the rating and warnings, and what this server's settings do with them here. */
import { escapeStoryText, truncate } from '../src/discord/escape.ts';
import { storyOption } from '../src/discord/options.ts';
import { type CommandData, type CommandModule, UserError } from '../src/discord/port.ts';
import { servableStoryChoices } from '../src/discord/story-access.ts';
import { RATING_COLOURS, ratingMarker, resolveStory } from '../src/discord/story-view.ts';
import { channelRatingLimit, loadSettings, RATING_LABELS, storyAccess } from '../src/gating/index.ts';

const data = {
  name: 'warnings',
  description: "A story's rating and content warnings, and how this server shows them",
  options: [storyOption],
} as const satisfies CommandData;

function list(items: readonly string[], empty: string): string {
  return items.length === 0
    ? empty
    : truncate(items.map((item) => `• ${escapeStoryText(item)}`).join('\n'), 1024);
}

export const warnings: CommandModule = {
  data,
  async execute(interaction, services) {
    const story = resolveStory(services.library.current(), interaction.options.string('story') ?? '');
    const settings = await loadSettings(services.store, interaction.guildId);
    const access = storyAccess(story, settings, interaction);
    // A story the server switched off or hides by category is not described at all.
    if (!access.allowed && access.reason !== 'rating') throw new UserError(access.explanation);

    const limit = channelRatingLimit(settings, interaction);
    const here = access.allowed
      ? `Served in this channel (it allows up to ${RATING_LABELS[limit]}). Warnings are shown ${
          settings.warningDisplay === 'spoiler'
            ? 'as labelled spoilers, the text hidden until clicked'
            : 'plainly above the text'
        }.`
      : access.explanation;
    const rating = story.rating === null ? 'Not stated' : escapeStoryText(story.rating);
    await interaction.reply({
      // Details of a story this channel may not serve are shown only to the asker.
      ephemeral: !access.allowed,
      embeds: [
        {
          title: truncate(`Warnings: ${escapeStoryText(story.title)}`, 256),
          color: RATING_COLOURS[story.ratingLevel],
          fields: [
            { name: 'Rating', value: truncate(`${ratingMarker(story)} · as written: ${rating}`, 1024) },
            { name: 'Warnings as written', value: list(story.warnings, 'None given') },
            {
              name: 'Categories',
              value: list(
                story.warningCategories.map((category) => category.replaceAll('-', ' ')),
                'None',
              ),
            },
            { name: 'Here', value: truncate(here, 1024) },
          ],
        },
      ],
    });
  },
  autocomplete: servableStoryChoices,
};
