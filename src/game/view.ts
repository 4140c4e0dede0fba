/**
 * What the quote game's messages look like: pure builders from game state to the bot's
 * response description (`BotMessage`). The same objects go to Discord and to the shell.
 * A reveal depends only on its round, so showing it twice (a press and a timer racing) shows
 * the same thing.
 */
import type { APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';
import { escapeStoryText, truncate } from '../discord/escape.ts';
import type { BotMessage, ButtonRow } from '../discord/port.ts';
import { rankPlayers } from './rules.ts';
import { BASE_POINTS } from './scoring.ts';
import { accuracy, isoWeekKey, monthKey } from './stats.ts';
import type { GameState, LeaderboardPeriod, PlayerStats, QuizMode, Round } from './types.ts';

/** Discord component and style numbers (API v10): an action row, a button and its styles. */
const ACTION_ROW = 1;
const BUTTON = 2;
const STYLE = { primary: 1, secondary: 2, success: 3, danger: 4 } as const;

const COLOUR = { question: 0x5865f2, won: 0x57f287, nobody: 0x99aab5, summary: 0xfee75c } as const;

export const QUIZ_COMMAND = 'quiz';

export function guessCustomId(gameId: string, roundIndex: number, choice: number): string {
  return `${QUIZ_COMMAND}:guess:${gameId}:${roundIndex}:${choice}`;
}

function safe(text: string, max: number): string {
  return truncate(escapeStoryText(text), max);
}

function question(mode: QuizMode): string {
  return mode === 'speaker' ? 'Who said it?' : 'Which story is it from?';
}

function roundTitle(game: GameState, round: Round, tail: string): string {
  return truncate(`Round ${round.index + 1} of ${game.questions.length} · ${tail}`, 256);
}

/** The line as asked: a trailing comma (cut before its dialogue tag) becomes an ellipsis. */
export function spokenLine(text: string): string {
  return text.trim().replace(/\s*[,;:]$/u, '…');
}

function quoteBlock(text: string): string {
  return safe(spokenLine(text), 1500)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function buttons(game: GameState, round: Round, revealed: boolean): ButtonRow[] {
  const q = game.questions[round.index];
  if (!q) return [];
  const components: APIButtonComponentWithCustomId[] = q.choices.map((label, choice) => ({
    type: BUTTON,
    custom_id: guessCustomId(game.id, round.index, choice),
    label: truncate(label, 80),
    style: !revealed ? STYLE.primary : choice === q.answer ? STYLE.success : STYLE.secondary,
    disabled: revealed,
  }));
  return [{ type: ACTION_ROW, components }];
}

/** A round's question: the line, whose story it is (speaker mode), and four answer buttons. */
export function roundMessage(game: GameState, round: Round): BotMessage {
  const q = game.questions[round.index];
  if (!q) return { content: 'This round has no question.' };
  const from = game.mode === 'speaker' ? `From “${q.storyTitle}” · ` : '';
  const embed: APIEmbed = {
    title: roundTitle(game, round, question(game.mode)),
    description: quoteBlock(q.text),
    color: COLOUR.question,
    footer: { text: truncate(`${from}${game.seconds} seconds · first right answer wins`, 2048) },
  };
  return { embeds: [embed], components: buttons(game, round, false) };
}

/** A closed round: the answer, the winner and their points, the line in context, its scene. */
export function revealMessage(game: GameState, round: Round): BotMessage {
  const q = game.questions[round.index];
  if (!q) return { content: 'This round has no question.' };
  const outcome = round.outcome;
  // Embed titles render markdown: a story title or name from a file is escaped like any story text.
  const answer = game.mode === 'speaker' ? safe(q.speaker, 200) : `“${safe(q.storyTitle, 200)}”`;
  const context = [
    q.before ? safe(q.before, 600) : null,
    `> **${safe(spokenLine(q.text), 1500)}**`,
    q.after ? safe(q.after, 600) : null,
  ]
    .filter((part): part is string => part !== null)
    .join('\n');
  const speaker = q.speaker === 'NARRATOR' ? 'the narrator' : q.speaker;
  const fields = [
    {
      name: 'Answer',
      value: safe(game.mode === 'speaker' ? q.speaker : `${q.storyTitle} (said by ${speaker})`, 1024),
      inline: true,
    },
    { name: 'Winner', value: winnerLine(round), inline: true },
    { name: 'Scene', value: safe(`Scene ${q.scene + 1} of “${q.storyTitle}”`, 1024), inline: true },
  ];
  const out = round.presses.filter((press) => !press.correct).map((press) => press.name);
  if (out.length > 0)
    fields.push({ name: 'Wrong answers', value: safe(out.join(', '), 1024), inline: false });
  const embed: APIEmbed = {
    title: roundTitle(game, round, `It was ${answer}`),
    description: context,
    color: outcome?.winnerId ? COLOUR.won : COLOUR.nobody,
    fields,
  };
  return { embeds: [embed], components: buttons(game, round, true) };
}

function winnerLine(round: Round): string {
  const outcome = round.outcome;
  if (!outcome || outcome.reason === 'stopped') return 'Nobody: the quiz was stopped';
  if (outcome.reason === 'timeout' || !outcome.winnerName || !outcome.points) return 'Nobody: time ran out';
  const p = outcome.points;
  const bonuses = [p.speed > 0 ? `${p.speed} speed` : null, p.streak > 0 ? `${p.streak} streak` : null]
    .filter(Boolean)
    .join(' + ');
  const breakdown = bonuses ? ` (${BASE_POINTS} + ${bonuses})` : '';
  const streak = outcome.streak > 1 ? ` · ${outcome.streak} in a row` : '';
  return safe(`${outcome.winnerName}: +${p.total} points${breakdown}${streak}`, 1024);
}

/** The game's opening announcement (the answer to /quiz start). */
export function startMessage(game: GameState, note: string | null): BotMessage {
  const rounds = game.questions.length;
  const lines = [
    `**Quote quiz!** ${rounds} round${rounds === 1 ? '' : 's'} · ${question(game.mode).toLowerCase()} · ${game.seconds} seconds each · started by ${safe(game.starterName, 80)}.`,
    'Press the right button first to win a round: 100 points, up to 50 more for speed, and a bonus for a streak. A wrong answer puts you out for that round.',
  ];
  if (note) lines.push(note);
  return { content: lines.join('\n') };
}

const END_NOTES = {
  finished: (game: GameState) => `${game.rounds.length} round${game.rounds.length === 1 ? '' : 's'} played.`,
  stopped: (game: GameState) =>
    `Stopped after ${game.rounds.length} of ${game.questions.length} rounds${game.stoppedBy ? ` by ${safe(game.stoppedBy, 80)}` : ''}.`,
  interrupted: (game: GameState) =>
    `The bot restarted and the quiz could not go on after ${game.rounds.length} of ${game.questions.length} rounds; this is where it stood.`,
  failed: (game: GameState) =>
    `A round could not be posted, so the quiz ended after ${game.rounds.length} of ${game.questions.length} rounds.`,
} as const;

/** The final summary: the game's players ranked, with points, rounds won and best streak. */
export function summaryMessage(game: GameState): BotMessage {
  const ranked = rankPlayers(game);
  const medals = ['🥇', '🥈', '🥉'];
  const lines = ranked.slice(0, 20).map((player, index) => {
    const place = medals[index] ?? `${index + 1}.`;
    const won = `${player.roundsWon} round${player.roundsWon === 1 ? '' : 's'} won`;
    return `${place} **${safe(player.name, 80)}**: ${player.points} points · ${won} · best streak ${player.bestStreak}`;
  });
  const note = END_NOTES[game.endReason ?? 'finished'](game);
  const embed: APIEmbed = {
    title: 'Quote quiz · final scores',
    description: truncate(
      [note, '', ...(lines.length > 0 ? lines : ['Nobody answered this time.'])].join('\n'),
      4096,
    ),
    color: COLOUR.summary,
  };
  return { embeds: [embed] };
}

export function periodLabel(period: LeaderboardPeriod, at: number): string {
  if (period === 'month') return `this month (${monthKey(at)})`;
  if (period === 'week') return `this week (${isoWeekKey(at)})`;
  return 'all time';
}

function percent(stats: PlayerStats): string {
  return `${Math.round(accuracy(stats) * 100)}%`;
}

/** The server's board for a period: top players by points. */
export function leaderboardMessage(
  board: readonly PlayerStats[],
  period: LeaderboardPeriod,
  at: number,
): BotMessage {
  const lines = board.map(
    (stats, index) =>
      `${index + 1}. **${safe(stats.name, 80)}**: ${stats.points} points · ${stats.roundsWon} won · ${percent(stats)} accuracy · best streak ${stats.bestStreak}`,
  );
  const embed: APIEmbed = {
    title: `Quote quiz leaderboard · ${periodLabel(period, at)}`,
    description: lines.length > 0 ? lines.join('\n') : 'Nobody has played the quiz in this period yet.',
    color: COLOUR.summary,
  };
  return { embeds: [embed] };
}

export interface PeriodStats {
  readonly period: LeaderboardPeriod;
  readonly stats: PlayerStats | null;
  readonly place: number | null;
}

/** One member's record: all time, this month, this week. */
export function statsMessage(name: string, periods: readonly PeriodStats[], at: number): BotMessage {
  const fields = periods.map(({ period, stats, place }) => ({
    name: periodLabel(period, at).replace(/^./u, (c) => c.toUpperCase()),
    value: stats
      ? [
          `**${stats.points}** points${place ? ` (#${place})` : ''}`,
          `${stats.roundsWon} round${stats.roundsWon === 1 ? '' : 's'} won`,
          `${percent(stats)} accuracy (${stats.correct}/${stats.answers})`,
          `best streak ${stats.bestStreak}`,
          `${stats.games} game${stats.games === 1 ? '' : 's'} played`,
        ].join('\n')
      : 'No games yet',
    inline: true,
  }));
  return {
    embeds: [{ title: `Quote quiz stats · ${safe(name, 200)}`, color: COLOUR.summary, fields }],
  };
}
