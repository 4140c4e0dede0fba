/**
 * Starting, answering and stopping the quote game, and reading its scores: what /quiz and its
 * buttons call. The rules are pure (rules.ts, questions.ts, scoring.ts, stats.ts); the game's
 * state lives in the store (storage.ts) and moves on by itself (lifecycle.ts).
 *
 * Fairness rests on atomic claims (`setIfAbsent`, Redis SET NX across processes and shards):
 * - one game per channel: `quiz:channel:<channel>`;
 * - one answer per member per round: `quiz:answered:<game>:<round>:<member>`;
 * - one outcome per round (the first right answer, the deadline, or a stop):
 *   `quiz:claim:<game>:<round>`; whoever loses applies the winning claim, and applying it is
 *   idempotent, so the winner scores exactly once even when several processes apply it;
 * - one post per round and one summary per game (lifecycle.ts).
 */
import { randomBytes } from 'node:crypto';
import { escapeStoryText } from '../discord/escape.ts';
import type { BotMessage, InteractionUser, Services } from '../discord/port.ts';
import { UserError } from '../discord/port.ts';
import { GAME_LIMITS, loadSettings, servableStories, storyAccess } from '../gating/index.ts';
import type { Story } from '../library/types.ts';
import type { GuildStore } from '../state/types.ts';
import { closeIfOverdue, closeRound, drive, guarded } from './lifecycle.ts';
import { selectQuestions } from './questions.ts';
import { randomSeed, seededRng } from './random.ts';
import { endGame, judgePress, markRevealed, newGame, openRound, type RoundClaim } from './rules.ts';
import { runtime } from './runtime.ts';
import { bucketKey, EMPTY_BUCKET, leaderboard, rankOf } from './stats.ts';
import { CLAIM_TTL_MS, QUIZ_KEYS, recordWrongPress, updateGame } from './storage.ts';
import type { GameState, LeaderboardPeriod, PlayerStats, Press, QuizMode, StatsBucket } from './types.ts';
import { type PeriodStats, revealMessage, startMessage } from './view.ts';

const GAME_OVER = 'This quiz is over. Start a new one with /quiz start.';
const ROUND_OVER = 'This round is over; wait for the next one.';

/** A member's name inside a message: no markdown or mention can leak from it. */
function shown(name: string): string {
  return escapeStoryText(name);
}

function newGameId(): string {
  return randomBytes(6).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// Starting

export interface StartRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly user: InteractionUser;
  readonly ageRestricted: boolean;
  /** The story the command's option named (already resolved), or null for the whole library. */
  readonly story: Story | null;
  readonly mode: QuizMode | null;
  readonly rounds: number | null;
  readonly seconds: number | null;
  /** Fixes the question order (tests); random otherwise. */
  readonly seed?: number;
}

export interface StartedGame {
  readonly game: GameState;
  /** The public announcement to answer /quiz start with. */
  readonly message: BotMessage;
}

function checkRange(name: string, value: number, limits: { min: number; max: number }): void {
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new UserError(
      `\`${name}\` must be a whole number from ${limits.min} to ${limits.max} (got ${value}).`,
    );
  }
}

/**
 * Validates the request against the server's settings and the channel's gate, picks the
 * questions, and claims the channel. Throws UserError with the reason when it cannot start.
 * Call `runQuiz` after answering the interaction.
 */
export async function startQuiz(services: Services, request: StartRequest): Promise<StartedGame> {
  const now = services.clock.now();
  const store = services.store.guild(request.guildId);
  const settings = await loadSettings(services.store, request.guildId);
  const mode = request.mode ?? settings.game.mode;
  const rounds = request.rounds ?? settings.game.rounds;
  const seconds = request.seconds ?? settings.game.seconds;
  checkRange('rounds', rounds, GAME_LIMITS.rounds);
  checkRange('seconds', seconds, GAME_LIMITS.seconds);
  const channel = { ageRestricted: request.ageRestricted };
  if (request.story) {
    if (mode === 'story') {
      throw new UserError(
        '`story`: story mode asks which story a line comes from, so it cannot be limited to one story. Leave out `story`, or use `mode:speaker`.',
      );
    }
    const access = storyAccess(request.story, settings, channel);
    if (!access.allowed) throw new UserError(access.explanation);
  }
  const stories = servableStories(services.library.current().stories, settings, channel);
  const questions = selectQuestions(stories, {
    mode,
    rounds,
    rng: seededRng(request.seed ?? randomSeed()),
    ...(request.story ? { storyIds: [request.story.id] } : {}),
  });
  if (questions.length === 0) throw new UserError(noQuestionsReason(mode, request.story, stories.length));

  const cooldownKey = QUIZ_KEYS.cooldown(request.user.id);
  const cooldownUntil = await store.get<number>(cooldownKey);
  if (cooldownUntil !== undefined && cooldownUntil > now)
    throw new UserError(cooldownReason(cooldownUntil, now));

  const gameId = newGameId();
  await claimChannel(store, request, gameId);
  const tuning = runtime(services).tuning;
  // Claimed atomically, and compared on the bot's clock (not the backend's expiry).
  const until = now + tuning.cooldownMs;
  const held = await store.update<number>(cooldownKey, (current) =>
    current !== undefined && current > now ? current : until,
  );
  if (held !== until) {
    await store.delete(QUIZ_KEYS.channel(request.channelId));
    throw new UserError(cooldownReason(held, now));
  }
  const lastPost = (await store.get<number>(QUIZ_KEYS.lastPost(request.channelId))) ?? 0;
  const game = newGame({
    id: gameId,
    guildId: request.guildId,
    channelId: request.channelId,
    starterId: request.user.id,
    starterName: request.user.name,
    mode,
    seconds,
    ageRestricted: request.ageRestricted,
    questions,
    at: now,
    firstRoundAt: Math.max(now + tuning.timing.gapMs, lastPost + tuning.timing.minRoundIntervalMs),
  });
  await store.set(QUIZ_KEYS.game(gameId), game);
  await store.update<string[]>(QUIZ_KEYS.active, (ids) => [
    ...(ids ?? []).filter((id) => id !== gameId),
    gameId,
  ]);
  const note =
    questions.length < rounds
      ? `Only ${questions.length} good line${questions.length === 1 ? ' is' : 's are'} available here, so this quiz has ${questions.length} round${questions.length === 1 ? '' : 's'}.`
      : null;
  return { game, message: startMessage(game, note) };
}

function noQuestionsReason(mode: QuizMode, story: Story | null, storyCount: number): string {
  if (mode === 'story') {
    return storyCount < 4
      ? `Story mode needs at least four stories this channel may show; there ${storyCount === 1 ? 'is' : 'are'} ${storyCount}.`
      : 'None of the stories this channel may show has a line ready for the quiz yet.';
  }
  return story
    ? `"${story.title}" has no lines ready for the quiz (it needs confidently attributed lines and at least four speaking characters).`
    : 'No story this channel may show has lines ready for the quiz (it needs confidently attributed lines and at least four speaking characters).';
}

function cooldownReason(until: number, now: number): string {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return `You started a quiz a moment ago; you can start another in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

async function claimChannel(store: GuildStore, request: StartRequest, gameId: string): Promise<void> {
  const key = QUIZ_KEYS.channel(request.channelId);
  if (await store.setIfAbsent(key, gameId, CLAIM_TTL_MS)) return;
  const runningId = await store.get<string>(key);
  const running = runningId ? await store.get<GameState>(QUIZ_KEYS.game(runningId)) : undefined;
  if (running && running.phase !== 'ended') throw new UserError(alreadyRunning(running));
  // The claim is left over from a game that has ended: take it over, atomically.
  const taken = await store.update<string>(key, (current) =>
    current === undefined || current === runningId ? gameId : current,
  );
  if (taken !== gameId) {
    throw new UserError(
      `A quiz is already running in <#${request.channelId}>. Play along, or wait for it to end.`,
    );
  }
}

function alreadyRunning(game: GameState): string {
  const round = game.rounds[game.rounds.length - 1];
  const where = `<#${game.channelId}>`;
  const progress = round ? ` (round ${round.index + 1} of ${game.questions.length})` : ' (starting)';
  const link = round?.messageId
    ? `\nhttps://discord.com/channels/${game.guildId}/${game.channelId}/${round.messageId}`
    : '';
  return `A quiz is already running in ${where}${progress}. Play along, or wait for it to end.${link}`;
}

/** Sets the game going after /quiz start was answered: schedules its first round. */
export async function runQuiz(services: Services, game: GameState): Promise<void> {
  await guarded(services, game.guildId, game.id, () => drive(services, game.guildId, game.id));
}

// ---------------------------------------------------------------------------------------------
// Pressing

export interface PressRequest {
  readonly guildId: string;
  readonly user: InteractionUser;
  readonly gameId: string;
  readonly round: number;
  readonly choice: number;
}

/** What a press answers: privately (wrong, late, over) or by revealing the round in its message. */
export type PressResult =
  | {
      readonly kind: 'private';
      readonly content: string;
      /** The round's deadline passed but it is still open (its timer lives elsewhere or died). */
      readonly overdue?: boolean;
      /** A wrong answer whose slot is claimed: recorded in the round once the player has been told. */
      readonly wrongPress?: Press;
    }
  | { readonly kind: 'reveal'; readonly message: BotMessage; readonly game: GameState };

export async function pressAnswer(services: Services, request: PressRequest): Promise<PressResult> {
  const now = services.clock.now();
  const store = services.store.guild(request.guildId);
  // The member's one answer for this round is claimed while the game is read, so the two round
  // trips overlap. A claim for a press the game then refuses (the round or the game is over)
  // changes nothing: that round takes no more answers. Choices outside the question's four never
  // get here (the custom id is checked first, and Discord only sends ids of the message's buttons).
  const [game, first] = await Promise.all([
    store.get<GameState>(QUIZ_KEYS.game(request.gameId)),
    store.setIfAbsent(
      QUIZ_KEYS.answered(request.gameId, request.round, request.user.id),
      request.choice,
      CLAIM_TTL_MS,
    ),
  ]);
  if (!game || game.guildId !== request.guildId) return { kind: 'private', content: GAME_OVER };
  const verdict = judgePress(game, request.round, request.user.id, request.choice, now);
  switch (verdict) {
    case 'game-over':
      return { kind: 'private', content: GAME_OVER };
    case 'round-over': {
      const open = openRound(game);
      const overdue = open !== undefined && now > open.deadline;
      return { kind: 'private', content: roundOverText(game, request.round), overdue };
    }
    case 'already-answered':
      return { kind: 'private', content: 'You already answered this round; wait for the next one.' };
    case 'invalid-choice':
      throw new UserError('That button is not one ficbot made (or it is out of date).');
  }
  if (!first) return { kind: 'private', content: 'You already answered this round; wait for the next one.' };
  const press: Press = {
    userId: request.user.id,
    name: request.user.name,
    choice: request.choice,
    correct: verdict === 'correct',
    at: now,
  };
  const label = game.questions[request.round]?.choices[request.choice] ?? 'that';
  if (verdict === 'wrong') {
    // The claim above already puts this member out for the round; the player hears so at once and
    // the press is recorded afterwards (`afterPress`) in the round's list of wrong answers, which
    // closing the round folds into the game (it counts unless it came after the close).
    return {
      kind: 'private',
      content: `Not ${shown(label)}. You are out for this round.`,
      wrongPress: press,
    };
  }
  const closed = await closeRound(services, store, game.id, request.round, { reason: 'won', press });
  const round = closed.game?.rounds[request.round];
  if (!closed.claimed || !closed.game || !round?.outcome) {
    return { kind: 'private', content: lostClaimText(closed.claim) };
  }
  return { kind: 'reveal', message: revealMessage(closed.game, round), game: closed.game };
}

/**
 * What a press leaves to do once it has been answered: after a winning reveal (shown by updating
 * its message), record that, settle the scores and move the game on; after a press on an
 * overdue round, close it. Never throws (the interaction is already answered).
 */
export async function afterPress(
  services: Services,
  request: PressRequest,
  result: PressResult,
): Promise<void> {
  if (result.kind === 'private') {
    const { wrongPress } = result;
    if (wrongPress !== undefined) {
      await guarded(services, request.guildId, request.gameId, async () => {
        await recordWrongPress(
          services.store.guild(request.guildId),
          request.gameId,
          request.round,
          wrongPress,
          runtime(services).pressSlots,
        );
      });
    }
    if (result.overdue) await closeIfOverdue(services, request.guildId, request.gameId);
    return;
  }
  await guarded(services, request.guildId, request.gameId, async () => {
    await updateGame(services.store.guild(request.guildId), request.gameId, (g) =>
      markRevealed(g, request.round),
    );
    await drive(services, request.guildId, request.gameId);
  });
}

function roundOverText(game: GameState, roundIndex: number): string {
  const outcome = game.rounds[roundIndex]?.outcome;
  if (outcome?.reason === 'won' && outcome.winnerName)
    return `This round is over: ${shown(outcome.winnerName)} got it.`;
  if (outcome?.reason === 'timeout' || (!outcome && game.rounds[roundIndex])) {
    return "Time's up for this round; wait for the next one.";
  }
  return ROUND_OVER;
}

function lostClaimText(claim: RoundClaim): string {
  if (claim.reason === 'won') return `Right, but ${shown(claim.press.name)} got there first.`;
  if (claim.reason === 'timeout') return "Right, but time's up for this round.";
  return 'The quiz was stopped.';
}

// ---------------------------------------------------------------------------------------------
// Stopping

export interface StopRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly user: InteractionUser;
  readonly canManageGuild: boolean;
}

/** Ends the channel's game (its starter or Manage Server). Call `runQuiz` afterwards to post the summary. */
export async function stopQuiz(
  services: Services,
  request: StopRequest,
): Promise<{ game: GameState; content: string }> {
  const store = services.store.guild(request.guildId);
  const gameId = await store.get<string>(QUIZ_KEYS.channel(request.channelId));
  const game = gameId ? await store.get<GameState>(QUIZ_KEYS.game(gameId)) : undefined;
  if (!gameId || !game || game.phase === 'ended') throw new UserError('No quiz is running in this channel.');
  if (game.starterId !== request.user.id && !request.canManageGuild) {
    throw new UserError(
      `Only ${shown(game.starterName)}, who started this quiz, or a member with Manage Server can stop it.`,
    );
  }
  const now = services.clock.now();
  const round = openRound(game);
  if (round) {
    await closeRound(services, store, gameId, round.index, {
      reason: 'stopped',
      by: request.user.name,
      at: now,
    });
  }
  const ended = await updateGame(store, gameId, (g) => endGame(g, 'stopped', now, request.user.name));
  if (!ended) throw new UserError('No quiz is running in this channel.');
  return { game: ended, content: `Quiz stopped by ${shown(request.user.name)}.` };
}

// ---------------------------------------------------------------------------------------------
// Leaderboards and stats

export async function quizLeaderboard(
  services: Services,
  guildId: string,
  period: LeaderboardPeriod,
): Promise<PlayerStats[]> {
  const bucket = await services.store
    .guild(guildId)
    .get<StatsBucket>(QUIZ_KEYS.stats(bucketKey(period, services.clock.now())));
  return leaderboard(bucket ?? EMPTY_BUCKET);
}

export async function quizStats(services: Services, guildId: string, userId: string): Promise<PeriodStats[]> {
  const now = services.clock.now();
  const store = services.store.guild(guildId);
  const periods: LeaderboardPeriod[] = ['all', 'month', 'week'];
  return Promise.all(
    periods.map(async (period) => {
      const bucket = (await store.get<StatsBucket>(QUIZ_KEYS.stats(bucketKey(period, now)))) ?? EMPTY_BUCKET;
      return { period, stats: bucket.players[userId] ?? null, place: rankOf(bucket, userId) };
    }),
  );
}
