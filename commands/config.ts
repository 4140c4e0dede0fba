/** /config: Manage Server only. View and change this server's settings; every change answers with the new value. */
import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { escapeStoryText } from '../src/discord/escape.ts';
import { checkChoice, checkRange, choicesOf, storyOption } from '../src/discord/options.ts';
import {
  type CommandData,
  type CommandInteraction,
  type CommandModule,
  privateMessage,
  type Services,
  UserError,
} from '../src/discord/port.ts';
import { storyChoice } from '../src/discord/story-access.ts';
import { resolveStory, searchStories } from '../src/discord/story-view.ts';
import {
  ALLOWED_RATINGS,
  changeSettings,
  describeGame,
  describeRatings,
  describeSettings,
  GAME_LIMITS,
  type GuildSettings,
  loadSettings,
  RATING_LABELS,
  resetSettings,
  WARNING_CATEGORIES,
  withGame,
  withHiddenCategory,
  withRatings,
  withStoryEnabled,
} from '../src/gating/index.ts';

const { String: Str, Integer, Boolean: Bool, Subcommand } = ApplicationCommandOptionType;
const MODES = choicesOf(['speaker', 'story']);
const range = (limits: { min: number; max: number }) => ({ min_value: limits.min, max_value: limits.max });
const ratingChoices = ALLOWED_RATINGS.map((level) => ({ name: RATING_LABELS[level], value: level }));

const data = {
  name: 'config',
  description: "View and change ficbot's settings for this server",
  default_member_permissions: '32',
  contexts: [InteractionContextType.Guild],
  options: [
    { type: Subcommand, name: 'show', description: "This server's settings" },
    {
      type: Subcommand,
      name: 'rating',
      description: 'The highest rating allowed in ordinary and in age-restricted channels',
      options: [
        { type: Str, name: 'ordinary', description: 'Highest in ordinary channels', choices: ratingChoices },
        {
          type: Str,
          name: 'age-restricted',
          description: 'Highest in age-restricted ones',
          choices: ratingChoices,
        },
      ],
    },
    {
      type: Subcommand,
      name: 'warnings',
      description: 'Show warnings as labelled spoilers or plainly',
      options: [
        {
          type: Str,
          name: 'display',
          description: 'spoiler or plain',
          required: true,
          choices: [
            { name: 'Labelled spoilers (CW: gore ||…||)', value: 'spoiler' },
            { name: 'Plainly', value: 'plain' },
          ],
        },
      ],
    },
    {
      type: Subcommand,
      name: 'hide',
      description: 'Hide (or show again) every story with a warning category',
      options: [
        {
          type: Str,
          name: 'category',
          description: 'Warning category',
          required: true,
          choices: choicesOf(WARNING_CATEGORIES),
        },
        { type: Bool, name: 'hidden', description: 'true hides, false shows again', required: true },
      ],
    },
    {
      type: Subcommand,
      name: 'story',
      description: 'Switch one story on or off in this server',
      options: [
        { ...storyOption, description: 'Story id or title' },
        { type: Bool, name: 'enabled', description: 'false switches it off', required: true },
      ],
    },
    {
      type: Subcommand,
      name: 'game',
      description: 'Defaults for /quiz start',
      options: [
        { type: Integer, name: 'seconds', description: 'Seconds per round', ...range(GAME_LIMITS.seconds) },
        { type: Integer, name: 'rounds', description: 'Rounds per game', ...range(GAME_LIMITS.rounds) },
        { type: Str, name: 'mode', description: 'Guess the speaker or the story', choices: MODES },
      ],
    },
    { type: Subcommand, name: 'reset', description: 'Back to the defaults' },
  ],
} as const satisfies CommandData;

export const config: CommandModule = {
  data,
  guildOnly: true,
  deferPrivately: true,
  async execute(interaction, services) {
    if (!interaction.canManageGuild) {
      throw new UserError("You need the Manage Server permission to view or change ficbot's settings.");
    }
    await interaction.reply(privateMessage(await applySubcommand(interaction, services)));
  },
  async autocomplete(interaction, services) {
    // Moderators may switch any story on or off, including ones hidden here.
    if (!interaction.canManageGuild) return [];
    return searchStories(services.library.current().stories, interaction.focused.value)
      .slice(0, 25)
      .map(storyChoice);
  },
};

/** Runs one subcommand and returns the private answer: the new value. */
async function applySubcommand(interaction: CommandInteraction, services: Services): Promise<string> {
  const guildId = interaction.guildId!;
  const { options } = interaction;
  const change = (apply: (current: GuildSettings) => GuildSettings) =>
    changeSettings(services.store, guildId, apply);

  switch (options.subcommand()) {
    case 'show':
      return describeSettings(await loadSettings(services.store, guildId));
    case 'rating': {
      const ordinary = checkChoice(options.string('ordinary'), 'ordinary', ALLOWED_RATINGS);
      const ageRestricted = checkChoice(options.string('age-restricted'), 'age-restricted', ALLOWED_RATINGS);
      if (ordinary === null && ageRestricted === null) {
        throw new UserError('Give `ordinary`, `age-restricted` or both (general, teen, mature, explicit).');
      }
      return describeRatings(await change((current) => withRatings(current, ordinary, ageRestricted)));
    }
    case 'warnings': {
      const display = checkChoice(options.string('display'), 'display', ['spoiler', 'plain'] as const);
      if (display === null) throw new UserError('`display` must be spoiler or plain.');
      await change((current) => ({ ...current, warningDisplay: display }));
      return display === 'spoiler'
        ? 'Warnings are now shown as labelled spoilers (CW: gore ||…||).'
        : 'Warnings are now shown plainly.';
    }
    case 'hide': {
      const category = checkChoice(options.string('category'), 'category', WARNING_CATEGORIES);
      const hidden = options.boolean('hidden');
      if (category === null || hidden === null) throw new UserError('Give `category` and `hidden`.');
      const saved = await change((current) => withHiddenCategory(current, category, hidden));
      const list = saved.hiddenCategories.length === 0 ? 'none' : saved.hiddenCategories.join(', ');
      return `Stories with **${category}** are now ${hidden ? 'hidden' : 'shown'} in this server. Hidden categories: ${list}.`;
    }
    case 'story': {
      const story = resolveStory(services.library.current(), options.string('story') ?? '');
      const enabled = options.boolean('enabled');
      if (enabled === null) throw new UserError('`enabled` must be true or false.');
      await change((current) => withStoryEnabled(current, story.id, enabled));
      return `**${escapeStoryText(story.title)}** (\`${story.id}\`) is now ${enabled ? 'enabled' : 'switched off'} in this server.`;
    }
    case 'game': {
      const seconds = checkRange(options.integer('seconds'), 'seconds', GAME_LIMITS.seconds);
      const rounds = checkRange(options.integer('rounds'), 'rounds', GAME_LIMITS.rounds);
      const mode = checkChoice(options.string('mode'), 'mode', ['speaker', 'story'] as const);
      if (seconds === null && rounds === null && mode === null) {
        throw new UserError('Give `seconds`, `rounds` or `mode`.');
      }
      const patch = {
        ...(seconds === null ? {} : { seconds }),
        ...(rounds === null ? {} : { rounds }),
        ...(mode === null ? {} : { mode }),
      };
      return `Quiz defaults are now ${describeGame(await change((current) => withGame(current, patch)))}.`;
    }
    case 'reset':
      return `Settings are back to the defaults:\n${describeSettings(await resetSettings(services.store, guildId))}`;
    default:
      throw new UserError('Use one of: show, rating, warnings, hide, story, game, reset.');
  }
}
