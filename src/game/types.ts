/**
 * The quote game's data: what a question is, what a game looks like in the store, and the
 * per-player tallies. Plain JSON-serialisable values only: a game lives in the store between
 * presses, so any process (or a restarted one) can pick it up.
 */

/** speaker: "who said it?" (four characters of the quote's story); story: "which story is it from?". */
export type QuizMode = 'speaker' | 'story';

export const QUIZ_MODES: readonly QuizMode[] = ['speaker', 'story'];

export type LeaderboardPeriod = 'all' | 'month' | 'week';

export const LEADERBOARD_PERIODS: readonly LeaderboardPeriod[] = ['all', 'month', 'week'];

/** One question, self-contained: answering and revealing it never needs the library again. */
export interface Question {
  readonly storyId: string;
  readonly storyTitle: string;
  /** Offsets of the quote in the story's text; with storyId they identify the line. */
  readonly quoteStart: number;
  readonly quoteEnd: number;
  readonly text: string;
  readonly speaker: string;
  /** The four button labels, in button order. */
  readonly choices: readonly string[];
  /** Index into `choices` of the right answer. */
  readonly answer: number;
  /** 0-based scene index in the story. */
  readonly scene: number;
  /** The sentence before and after the line, for the reveal. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface Press {
  readonly userId: string;
  readonly name: string;
  readonly choice: number;
  readonly correct: boolean;
  readonly at: number;
}

/** How a player's correct answer was scored (see src/game/scoring.ts). */
export interface Points {
  readonly base: number;
  readonly speed: number;
  readonly streak: number;
  readonly total: number;
}

export interface RoundOutcome {
  /** 'won': first correct press; 'timeout': the deadline passed; 'stopped': the game was stopped. */
  readonly reason: 'won' | 'timeout' | 'stopped';
  readonly winnerId: string | null;
  readonly winnerName: string | null;
  readonly points: Points | null;
  /** The winner's streak including this round (0 without a winner). */
  readonly streak: number;
  readonly at: number;
}

export interface Round {
  /** 0-based. */
  readonly index: number;
  readonly postedAt: number;
  readonly deadline: number;
  /** The round's message, once posted; null while posting (or when posting failed). */
  readonly messageId: string | null;
  /** Every answer given this round, in the order they were recorded. */
  readonly presses: readonly Press[];
  readonly outcome: RoundOutcome | null;
  /** The round's message shows the answer and its buttons are disabled. */
  readonly revealed: boolean;
  /** The round's scores are in the leaderboard buckets. */
  readonly settled: boolean;
}

export interface PlayerTally {
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly roundsWon: number;
  /** Answers given (presses that were judged). */
  readonly answers: number;
  readonly correct: number;
  /** Consecutive rounds won up to now. */
  readonly streak: number;
  readonly bestStreak: number;
}

export type GamePhase = 'round' | 'between' | 'ended';

export type EndReason = 'finished' | 'stopped' | 'interrupted' | 'failed';

export interface GameState {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly starterId: string;
  readonly starterName: string;
  readonly mode: QuizMode;
  /** Seconds each round stays open. */
  readonly seconds: number;
  /** The channel was age-restricted when the game started (what its gate is checked against). */
  readonly ageRestricted: boolean;
  readonly questions: readonly Question[];
  /** Rounds posted so far; the last one is the current round. */
  readonly rounds: readonly Round[];
  readonly phase: GamePhase;
  /** While 'between': when the next round is due. */
  readonly nextRoundAt: number | null;
  readonly players: Readonly<Record<string, PlayerTally>>;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly endReason: EndReason | null;
  /** Who stopped the game, when it was stopped. */
  readonly stoppedBy: string | null;
  /** The final summary has been posted. */
  readonly summaryPosted: boolean;
}

/** A player's lasting record in one leaderboard bucket (all time, a month or an ISO week). */
export interface PlayerStats {
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly roundsWon: number;
  readonly answers: number;
  readonly correct: number;
  readonly bestStreak: number;
  readonly games: number;
}

export interface StatsBucket {
  readonly players: Readonly<Record<string, PlayerStats>>;
  /** Keys of the rounds already counted (bounded, newest last): applying a round twice changes nothing. */
  readonly applied: readonly string[];
}
