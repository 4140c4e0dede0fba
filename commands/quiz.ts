/** /quiz: the who-said-it quote game. Start, stop, leaderboard, stats; answer buttons. Rules live in src/game/. */
import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { expectArgs, intArg, parseCustomId, stringArg } from '../src/discord/custom-id.ts';
import { type CommandData, type CommandModule, privateMessage, UserError } from '../src/discord/port.ts';
import { servableStoryChoices } from '../src/discord/story-access.ts';
import { resolveStory } from '../src/discord/story-view.ts';
import { recoverGuildOnce } from '../src/game/lifecycle.ts';
import {
  afterPress,
  pressAnswer,
  quizLeaderboard,
  quizStats,
  runQuiz,
  startQuiz,
  stopQuiz,
} from '../src/game/play.ts';
import { LEADERBOARD_PERIODS, type LeaderboardPeriod, QUIZ_MODES, type QuizMode } from '../src/game/types.ts';
import { leaderboardMessage, statsMessage } from '../src/game/view.ts';
import { GAME_LIMITS } from '../src/gating/index.ts';

const { String: Str, Integer, User, Subcommand } = ApplicationCommandOptionType;

const data = {
  name: 'quiz',
  description: 'Who said it? The quote game',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: Subcommand,
      name: 'start',
      description: 'Start a quote quiz in this channel',
      options: [
        {
          type: Str,
          name: 'story',
          description: 'Only lines from this story',
          autocomplete: true,
          max_length: 100,
        },
        {
          type: Str,
          name: 'mode',
          description: 'Guess who said it, or which story it is from',
          choices: [
            { name: 'Who said it (speaker)', value: 'speaker' },
            { name: 'Which story (story)', value: 'story' },
          ],
        },
        { type: Integer, name: 'rounds', description: 'How many rounds', ...minMax(GAME_LIMITS.rounds) },
        { type: Integer, name: 'seconds', description: 'Seconds per round', ...minMax(GAME_LIMITS.seconds) },
      ],
    },
    {
      type: Subcommand,
      name: 'stop',
      description: 'Stop the quiz in this channel (its starter or Manage Server)',
    },
    {
      type: Subcommand,
      name: 'leaderboard',
      description: "This server's best quiz players",
      options: [
        {
          type: Str,
          name: 'period',
          description: 'All time, this month or this week',
          choices: [
            { name: 'All time', value: 'all' },
            { name: 'This month', value: 'month' },
            { name: 'This week', value: 'week' },
          ],
        },
      ],
    },
    {
      type: Subcommand,
      name: 'stats',
      description: "A member's quiz record: points, rounds won, accuracy, best streak",
      options: [{ type: User, name: 'member', description: 'Whose stats (yours when left out)' }],
    },
  ],
} as const satisfies CommandData;

function minMax(limits: { readonly min: number; readonly max: number }) {
  return { min_value: limits.min, max_value: limits.max };
}

function oneOf<T extends string>(name: string, value: string | null, allowed: readonly T[]): T | null {
  if (value === null) return null;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`\`${name}\` must be one of: ${allowed.join(', ')} (got "${value}").`);
}

export const quiz: CommandModule = {
  data,
  guildOnly: true,
  async execute(interaction, services) {
    const guildId = interaction.guildId;
    if (guildId === null) throw new UserError('The quiz only works in a server.');
    recoverGuildOnce(services, guildId);
    const { options, user } = interaction;
    switch (options.subcommand()) {
      case 'start': {
        const typed = options.string('story');
        const started = await startQuiz(services, {
          guildId,
          channelId: interaction.channelId,
          user,
          ageRestricted: interaction.ageRestricted,
          story: typed === null ? null : resolveStory(services.library.current(), typed),
          mode: oneOf<QuizMode>('mode', options.string('mode'), QUIZ_MODES),
          rounds: options.integer('rounds'),
          seconds: options.integer('seconds'),
        });
        try {
          await interaction.reply(started.message);
        } finally {
          await runQuiz(services, started.game);
        }
        return;
      }
      case 'stop': {
        const stopped = await stopQuiz(services, {
          guildId,
          channelId: interaction.channelId,
          user,
          canManageGuild: interaction.canManageGuild,
        });
        try {
          await interaction.reply({ content: stopped.content });
        } finally {
          await runQuiz(services, stopped.game);
        }
        return;
      }
      case 'leaderboard': {
        const period =
          oneOf<LeaderboardPeriod>('period', options.string('period'), LEADERBOARD_PERIODS) ?? 'all';
        const board = await quizLeaderboard(services, guildId, period);
        await interaction.reply(leaderboardMessage(board, period, services.clock.now()));
        return;
      }
      case 'stats': {
        const member = options.user('member') ?? user;
        const periods = await quizStats(services, guildId, member.id);
        await interaction.reply(statsMessage(member.name, periods, services.clock.now()));
        return;
      }
      default:
        throw new UserError('Use /quiz start, /quiz stop, /quiz leaderboard or /quiz stats.');
    }
  },
  autocomplete: servableStoryChoices,
  async button(interaction, services) {
    const parsed = parseCustomId(interaction.customId);
    if (parsed.action !== 'guess' || interaction.guildId === null)
      throw new UserError('That button does nothing.');
    expectArgs(parsed, 3);
    recoverGuildOnce(services, interaction.guildId);
    const request = {
      guildId: interaction.guildId,
      user: interaction.user,
      gameId: stringArg(parsed, 0),
      round: intArg(parsed, 1, 0, 1000),
      choice: intArg(parsed, 2, 0, 3),
    };
    const result = await pressAnswer(services, request);
    try {
      if (result.kind === 'reveal') await interaction.update(result.message);
      else await interaction.reply(privateMessage(result.content));
    } finally {
      await afterPress(services, request, result);
    }
  },
};
