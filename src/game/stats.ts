/**
 * Lasting scores: one bucket per period so each board is exact — all time, each calendar month
 * (UTC, `month:2026-11`) and each ISO week (UTC, `week:2026-W47`). A closed round is applied to
 * the three buckets of the moment it closed; a bucket remembers the rounds it has counted, so a
 * round applied twice (a retry, a second process) counts once.
 */
import type { GameState, LeaderboardPeriod, PlayerStats, StatsBucket } from './types.ts';

/** How many applied round keys a bucket remembers (far more than rounds that can be in flight). */
export const APPLIED_MEMORY = 500;

export const EMPTY_BUCKET: StatsBucket = { players: {}, applied: [] };

/** ISO 8601 week of a UTC date: `2026-W47` (the week-year can differ from the calendar year). */
export function isoWeekKey(at: number): string {
  const date = new Date(at);
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7; // Monday 1 … Sunday 7
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function monthKey(at: number): string {
  const date = new Date(at);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The bucket name for a period at a moment: 'all', 'month:2026-11', 'week:2026-W47'. */
export function bucketKey(period: LeaderboardPeriod, at: number): string {
  if (period === 'month') return `month:${monthKey(at)}`;
  if (period === 'week') return `week:${isoWeekKey(at)}`;
  return 'all';
}

export function bucketKeys(at: number): string[] {
  return (['all', 'month', 'week'] as const).map((period) => bucketKey(period, at));
}

/** One player's change from one closed round. */
export interface StatsDelta {
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly roundsWon: number;
  readonly answers: number;
  readonly correct: number;
  /** The streak this round reached (only the winner's is above 0). */
  readonly streak: number;
  /** 1 when this is the player's first answer in the game. */
  readonly games: number;
}

export function roundKey(gameId: string, roundIndex: number): string {
  return `${gameId}:${roundIndex}`;
}

/** What a closed round changes for each player who answered it; empty while it is open. */
export function roundDeltas(game: GameState, roundIndex: number): StatsDelta[] {
  const round = game.rounds[roundIndex];
  if (!round?.outcome) return [];
  const earlier = new Set(game.rounds.slice(0, roundIndex).flatMap((r) => r.presses.map((p) => p.userId)));
  return round.presses.map((press) => {
    const won = round.outcome?.winnerId === press.userId;
    return {
      id: press.userId,
      name: press.name,
      points: won ? (round.outcome?.points?.total ?? 0) : 0,
      roundsWon: won ? 1 : 0,
      answers: 1,
      correct: press.correct ? 1 : 0,
      streak: won ? (round.outcome?.streak ?? 0) : 0,
      games: earlier.has(press.userId) ? 0 : 1,
    };
  });
}

/** Adds a round's deltas to a bucket, once per round key. */
export function applyRound(bucket: StatsBucket, key: string, deltas: readonly StatsDelta[]): StatsBucket {
  if (bucket.applied.includes(key)) return bucket;
  const players: Record<string, PlayerStats> = { ...bucket.players };
  for (const delta of deltas) {
    const before = players[delta.id] ?? {
      id: delta.id,
      name: delta.name,
      points: 0,
      roundsWon: 0,
      answers: 0,
      correct: 0,
      bestStreak: 0,
      games: 0,
    };
    players[delta.id] = {
      id: delta.id,
      name: delta.name,
      points: before.points + delta.points,
      roundsWon: before.roundsWon + delta.roundsWon,
      answers: before.answers + delta.answers,
      correct: before.correct + delta.correct,
      bestStreak: Math.max(before.bestStreak, delta.streak),
      games: before.games + delta.games,
    };
  }
  return { players, applied: [...bucket.applied, key].slice(-APPLIED_MEMORY) };
}

/** Correct answers over answers given, 0..1 (0 with no answers). */
export function accuracy(stats: Pick<PlayerStats, 'answers' | 'correct'>): number {
  return stats.answers === 0 ? 0 : stats.correct / stats.answers;
}

/** A bucket's players ranked: points, rounds won, accuracy, then name. */
export function leaderboard(bucket: StatsBucket, limit = 10): PlayerStats[] {
  return Object.values(bucket.players)
    .sort(
      (a, b) =>
        b.points - a.points ||
        b.roundsWon - a.roundsWon ||
        accuracy(b) - accuracy(a) ||
        a.name.localeCompare(b.name),
    )
    .slice(0, limit);
}

/** A player's 1-based place on a bucket's full board, or null when they have not played. */
export function rankOf(bucket: StatsBucket, userId: string): number | null {
  const board = leaderboard(bucket, Number.POSITIVE_INFINITY);
  const place = board.findIndex((stats) => stats.id === userId);
  return place === -1 ? null : place + 1;
}
