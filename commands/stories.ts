/** /stories [search] [page]: the library, paged with buttons, with rating and warning markers. */
import { ApplicationCommandOptionType } from 'discord.js';
import {
  buildCustomId,
  expectArgs,
  fitsCustomId,
  intArg,
  parseCustomId,
  stringArg,
} from '../src/discord/custom-id.ts';
import { escapeStoryText, truncate } from '../src/discord/escape.ts';
import type {
  BotMessage,
  CommandData,
  CommandModule,
  InteractionContext,
  Services,
} from '../src/discord/port.ts';
import { UserError } from '../src/discord/port.ts';
import { searchStories, storyListLine } from '../src/discord/story-view.ts';
import { explainNoStories, loadSettings, servableStories } from '../src/gating/index.ts';

const PAGE_SIZE = 8;

const data = {
  name: 'stories',
  description: 'Browse the story library',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'search',
      description: 'Words from a title or id',
      max_length: 60,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'page',
      description: 'Page of the list',
      min_value: 1,
    },
  ],
} as const satisfies CommandData;

/** Page `page` (0-based) of the stories this channel may serve that match `search`. */
async function storiesMessage(
  context: InteractionContext,
  services: Services,
  search: string,
  page: number,
): Promise<BotMessage> {
  const settings = await loadSettings(services.store, context.guildId);
  const servable = servableStories(services.library.current().stories, settings, context);
  const matching = search === '' ? servable : searchStories(servable, search);
  const shownSearch = escapeStoryText(truncate(search, 60));
  if (matching.length === 0) {
    return {
      content:
        search === ''
          ? explainNoStories(services.library.current().stories, settings, context)
          : `No story here matches "${shownSearch}". Try /stories without a search.`,
      ephemeral: true,
    };
  }
  const pageCount = Math.ceil(matching.length / PAGE_SIZE);
  if (page < 0 || page >= pageCount) {
    throw new UserError(
      `\`page\`: there ${pageCount === 1 ? 'is 1 page' : `are ${pageCount} pages`}; pick 1 to ${pageCount}.`,
    );
  }
  const lines = matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).map(storyListLine);
  const title = search === '' ? 'Stories' : `Stories matching "${truncate(search, 60)}"`;
  const message: BotMessage = {
    embeds: [
      {
        title: escapeStoryText(title),
        description: lines.join('\n\n'),
        footer: {
          text: `Page ${page + 1} of ${pageCount} · ${matching.length} stories · read one with /excerpt`,
        },
      },
    ],
  };
  if (pageCount === 1 || !fitsCustomId('stories', 'page', pageCount, search)) return message;
  const pageButton = (label: string, target: number, disabled: boolean, spare: string) => ({
    type: 2 as const,
    style: 2 as const,
    label,
    custom_id: disabled ? `stories:none:${spare}` : buildCustomId('stories', 'page', target, search),
    disabled,
  });
  return {
    ...message,
    components: [
      {
        type: 1,
        components: [
          pageButton('◀ Previous', page - 1, page === 0, 'previous'),
          pageButton('Next ▶', page + 1, page === pageCount - 1, 'next'),
        ],
      },
    ],
  };
}

export const stories: CommandModule = {
  data,
  async execute(interaction, services) {
    const search = interaction.options.string('search')?.trim() ?? '';
    const page = (interaction.options.integer('page') ?? 1) - 1;
    await interaction.reply(await storiesMessage(interaction, services, search, page));
  },
  async button(interaction, services) {
    const parsed = parseCustomId(interaction.customId);
    if (parsed.action !== 'page') throw new UserError('That button does nothing.');
    expectArgs(parsed, 2);
    const message = await storiesMessage(interaction, services, stringArg(parsed, 1), intArg(parsed, 0));
    await interaction.update(message);
  },
};
