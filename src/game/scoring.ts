import type { Points } from './types.ts';

/**
 * How a round's winner is scored:
 *
 *   total = base + speed + streak
 *   base   = 100 for the first correct answer
 *   speed  = round(50 × time left / round time), 0..50 (an instant answer earns 50, one at the buzzer 0)
 *   streak = 25 × (rounds won in a row − 1), at most 100 (the 2nd win in a row +25, the 5th and later +100)
 *
 * Wrong answers cost nothing but the round: that player is out until the next one.
 */
export const BASE_POINTS = 100;
export const SPEED_BONUS_MAX = 50;
export const STREAK_BONUS_STEP = 25;
export const STREAK_BONUS_MAX = 100;

export interface ScoreInput {
  /** Milliseconds from the round being posted to the press. */
  readonly elapsedMs: number;
  /** The round's length in milliseconds. */
  readonly roundMs: number;
  /** The winner's streak including this round (1 for a first win). */
  readonly streak: number;
}

export function speedBonus(elapsedMs: number, roundMs: number): number {
  if (roundMs <= 0) return 0;
  const left = Math.min(1, Math.max(0, (roundMs - elapsedMs) / roundMs));
  return Math.round(SPEED_BONUS_MAX * left);
}

export function streakBonus(streak: number): number {
  return Math.min(STREAK_BONUS_MAX, STREAK_BONUS_STEP * Math.max(0, streak - 1));
}

export function scoreAnswer(input: ScoreInput): Points {
  const speed = speedBonus(input.elapsedMs, input.roundMs);
  const streak = streakBonus(input.streak);
  return { base: BASE_POINTS, speed, streak, total: BASE_POINTS + speed + streak };
}
