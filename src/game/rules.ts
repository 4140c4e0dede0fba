/**
 * The game as pure state transitions: each function takes a GameState and returns the next one,
 * never touching the store, the clock or Discord. Every transition is idempotent where a
 * duplicate could arrive (two processes, a retried press): applying it twice changes nothing.
 */
import { scoreAnswer } from './scoring.ts';
import type {
  EndReason,
  GameState,
  PlayerTally,
  Press,
  Question,
  QuizMode,
  Round,
  RoundOutcome,
} from './types.ts';

export interface Timing {
  /** Pause between a round's reveal and the next round. */
  readonly gapMs: number;
  /** The channel never gets two round messages closer together than this. */
  readonly minRoundIntervalMs: number;
}

export const DEFAULT_TIMING: Timing = { gapMs: 4_000, minRoundIntervalMs: 5_000 };

export interface NewGame {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly starterId: string;
  readonly starterName: string;
  readonly mode: QuizMode;
  readonly seconds: number;
  readonly ageRestricted: boolean;
  readonly questions: readonly Question[];
  readonly at: number;
  /** When the first round may be posted (the channel's message-rate bound); defaults to `at`. */
  readonly firstRoundAt?: number;
}

export function newGame(input: NewGame): GameState {
  return {
    id: input.id,
    guildId: input.guildId,
    channelId: input.channelId,
    starterId: input.starterId,
    starterName: input.starterName,
    mode: input.mode,
    seconds: input.seconds,
    ageRestricted: input.ageRestricted,
    questions: input.questions,
    rounds: [],
    phase: 'between',
    nextRoundAt: Math.max(input.at, input.firstRoundAt ?? input.at),
    players: {},
    startedAt: input.at,
    endedAt: null,
    endReason: null,
    stoppedBy: null,
    summaryPosted: false,
  };
}

export function currentRound(game: GameState): Round | undefined {
  return game.rounds[game.rounds.length - 1];
}

/** The round waiting for answers, if any. */
export function openRound(game: GameState): Round | undefined {
  const round = currentRound(game);
  return game.phase === 'round' && round && !round.outcome ? round : undefined;
}

/** Opens the next round (only from 'between' with questions left; otherwise unchanged). */
export function startRound(game: GameState, at: number): GameState {
  if (game.phase !== 'between' || game.rounds.length >= game.questions.length) return game;
  const round: Round = {
    index: game.rounds.length,
    postedAt: at,
    deadline: at + game.seconds * 1000,
    messageId: null,
    presses: [],
    outcome: null,
    revealed: false,
    settled: false,
  };
  return { ...game, phase: 'round', nextRoundAt: null, rounds: [...game.rounds, round] };
}

/**
 * Drops the questions not yet asked that `keep` rejects (a story hidden or removed since the
 * game started). When none are left, a game between rounds ends.
 */
export function dropQuestions(game: GameState, keep: (question: Question) => boolean, at: number): GameState {
  const asked = game.rounds.length;
  const remaining = game.questions.slice(asked).filter(keep);
  if (remaining.length === game.questions.length - asked) return game;
  const trimmed = { ...game, questions: [...game.questions.slice(0, asked), ...remaining] };
  if (trimmed.phase === 'between' && remaining.length === 0) {
    return { ...trimmed, phase: 'ended', nextRoundAt: null, endedAt: at, endReason: 'finished' };
  }
  return trimmed;
}

export function setRoundMessage(game: GameState, roundIndex: number, messageId: string): GameState {
  return replaceRound(game, roundIndex, (round) => ({ ...round, messageId }));
}

export type PressVerdict =
  | 'game-over'
  | 'round-over'
  | 'already-answered'
  | 'invalid-choice'
  | 'wrong'
  | 'correct';

/** What a press on round `roundIndex`, choice `choice` means right now. */
export function judgePress(
  game: GameState,
  roundIndex: number,
  userId: string,
  choice: number,
  at: number,
): PressVerdict {
  if (game.phase === 'ended') return 'game-over';
  const round = openRound(game);
  if (!round || round.index !== roundIndex || at > round.deadline) return 'round-over';
  if (round.presses.some((press) => press.userId === userId)) return 'already-answered';
  const question = game.questions[roundIndex];
  if (!question || !Number.isInteger(choice) || choice < 0 || choice >= question.choices.length) {
    return 'invalid-choice';
  }
  return choice === question.answer ? 'correct' : 'wrong';
}

/**
 * Wrong answers written into their round, each counting as an answer for its player. Presses the
 * round already holds are skipped, and so are presses after it closed; a settled round (its scores
 * already in the leaderboard) changes no more. Answering waits in a list of its own while the
 * round runs (storage.ts), so each press writes a few bytes, not the whole game; closing the round
 * folds that list in here.
 */
export function foldWrongPresses(game: GameState, roundIndex: number, presses: readonly Press[]): GameState {
  const round = game.rounds[roundIndex];
  if (!round || round.settled) return game;
  const closedAt = round.outcome?.at ?? round.deadline;
  const seen = new Set(round.presses.map((press) => press.userId));
  const added: Press[] = [];
  let players = game.players;
  for (const press of presses) {
    if (seen.has(press.userId) || press.at > closedAt) continue;
    seen.add(press.userId);
    added.push({ ...press, correct: false });
    const tally = tallyOf(players, press.userId, press.name);
    players = { ...players, [press.userId]: { ...tally, name: press.name, answers: tally.answers + 1 } };
  }
  if (added.length === 0) return game;
  return {
    ...replaceRound(game, roundIndex, (r) => ({ ...r, presses: [...r.presses, ...added] })),
    players,
  };
}

/**
 * The first correct answer wins the round: points (scoring.ts), the streak, and the round closes.
 * No-op when the round already has an outcome, so a duplicate award never scores twice.
 */
export function awardRound(
  game: GameState,
  roundIndex: number,
  press: Press,
  at: number,
  timing: Timing = DEFAULT_TIMING,
): GameState {
  const round = openRound(game);
  if (!round || round.index !== roundIndex) return game;
  const tally = tallyOf(game.players, press.userId, press.name);
  const streak = tally.streak + 1;
  const points = scoreAnswer({ elapsedMs: press.at - round.postedAt, roundMs: game.seconds * 1000, streak });
  const outcome: RoundOutcome = {
    reason: 'won',
    winnerId: press.userId,
    winnerName: press.name,
    points,
    streak,
    at,
  };
  const winner: PlayerTally = {
    ...tally,
    name: press.name,
    points: tally.points + points.total,
    roundsWon: tally.roundsWon + 1,
    answers: tally.answers + 1,
    correct: tally.correct + 1,
    streak,
    bestStreak: Math.max(tally.bestStreak, streak),
  };
  const closed = replaceRound(game, roundIndex, (r) => ({
    ...r,
    presses: [...r.presses, { ...press, correct: true }],
    outcome,
  }));
  return afterRound(
    { ...closed, players: { ...breakStreaks(game.players), [press.userId]: winner } },
    at,
    timing,
  );
}

/** Time ran out with no correct answer: the round closes without a winner and every streak ends. */
export function timeoutRound(
  game: GameState,
  roundIndex: number,
  at: number,
  timing: Timing = DEFAULT_TIMING,
): GameState {
  const round = openRound(game);
  if (!round || round.index !== roundIndex) return game;
  const outcome: RoundOutcome = {
    reason: 'timeout',
    winnerId: null,
    winnerName: null,
    points: null,
    streak: 0,
    at,
  };
  const closed = replaceRound(game, roundIndex, (r) => ({ ...r, outcome }));
  return afterRound({ ...closed, players: breakStreaks(game.players) }, at, timing);
}

/** Ends the game now (stopped, interrupted, failed); an open round closes as 'stopped'. */
export function endGame(game: GameState, reason: EndReason, at: number, by: string | null = null): GameState {
  if (game.phase === 'ended') return game;
  const round = openRound(game);
  const closed = round
    ? replaceRound(game, round.index, (r) => ({
        ...r,
        outcome: { reason: 'stopped', winnerId: null, winnerName: null, points: null, streak: 0, at },
      }))
    : game;
  return { ...closed, phase: 'ended', nextRoundAt: null, endedAt: at, endReason: reason, stoppedBy: by };
}

/** Players ranked for the summary: points, then rounds won, then best streak, then name. */
export function rankPlayers(game: GameState): PlayerTally[] {
  return Object.values(game.players).sort(
    (a, b) =>
      b.points - a.points ||
      b.roundsWon - a.roundsWon ||
      b.bestStreak - a.bestStreak ||
      a.name.localeCompare(b.name),
  );
}

function afterRound(game: GameState, at: number, timing: Timing): GameState {
  if (game.rounds.length >= game.questions.length) {
    return { ...game, phase: 'ended', nextRoundAt: null, endedAt: at, endReason: 'finished' };
  }
  const last = currentRound(game);
  const nextRoundAt = Math.max(at + timing.gapMs, (last?.postedAt ?? at) + timing.minRoundIntervalMs);
  return { ...game, phase: 'between', nextRoundAt };
}

function breakStreaks(players: Readonly<Record<string, PlayerTally>>): Record<string, PlayerTally> {
  return Object.fromEntries(Object.entries(players).map(([id, tally]) => [id, { ...tally, streak: 0 }]));
}

function tallyOf(players: GameState['players'], userId: string, name: string): PlayerTally {
  return (
    players[userId] ?? {
      id: userId,
      name,
      points: 0,
      roundsWon: 0,
      answers: 0,
      correct: 0,
      streak: 0,
      bestStreak: 0,
    }
  );
}

function replaceRound(game: GameState, roundIndex: number, change: (round: Round) => Round): GameState {
  return {
    ...game,
    rounds: game.rounds.map((round) => (round.index === roundIndex ? change(round) : round)),
  };
}

/**
 * How a round closes, decided once by whoever claims it first (src/game/play.ts claims it with
 * an atomic set-if-absent): the first correct press, the deadline, or a stop.
 */
export type RoundClaim =
  | { readonly reason: 'won'; readonly press: Press }
  | { readonly reason: 'timeout'; readonly at: number }
  | { readonly reason: 'stopped'; readonly by: string; readonly at: number };

/** Applies a round's claim; idempotent (a closed round or ended game is left as it is). */
export function applyClaim(
  game: GameState,
  roundIndex: number,
  claim: RoundClaim,
  timing: Timing = DEFAULT_TIMING,
): GameState {
  switch (claim.reason) {
    case 'won':
      return awardRound(game, roundIndex, claim.press, claim.press.at, timing);
    case 'timeout':
      return timeoutRound(game, roundIndex, claim.at, timing);
    case 'stopped':
      return endGame(game, 'stopped', claim.at, claim.by);
  }
}

export function markRevealed(game: GameState, roundIndex: number): GameState {
  return replaceRound(game, roundIndex, (round) => (round.outcome ? { ...round, revealed: true } : round));
}

export function markSettled(game: GameState, roundIndex: number): GameState {
  return replaceRound(game, roundIndex, (round) => (round.outcome ? { ...round, settled: true } : round));
}

export function markSummaryPosted(game: GameState): GameState {
  return game.phase === 'ended' ? { ...game, summaryPosted: true } : game;
}
