import { describe, expect, test } from 'vitest';
import { scoreAnswer, speedBonus, streakBonus } from '../../src/game/scoring.ts';

describe('scoring', () => {
  test.each([
    // elapsedMs, roundMs, expected speed bonus
    [0, 30_000, 50],
    [15_000, 30_000, 25],
    [29_000, 30_000, 2],
    [30_000, 30_000, 0],
    [45_000, 30_000, 0],
    [-5, 30_000, 50],
  ])('speed bonus after %i ms of %i → %i', (elapsed, round, expected) => {
    expect(speedBonus(elapsed, round)).toBe(expected);
  });

  test.each([
    [1, 0],
    [2, 25],
    [3, 50],
    [4, 75],
    [5, 100],
    [9, 100],
  ])('streak of %i → bonus %i', (streak, expected) => {
    expect(streakBonus(streak)).toBe(expected);
  });

  test.each([
    [
      { elapsedMs: 0, roundMs: 20_000, streak: 1 },
      { base: 100, speed: 50, streak: 0, total: 150 },
    ],
    [
      { elapsedMs: 10_000, roundMs: 20_000, streak: 3 },
      { base: 100, speed: 25, streak: 50, total: 175 },
    ],
    [
      { elapsedMs: 20_000, roundMs: 20_000, streak: 6 },
      { base: 100, speed: 0, streak: 100, total: 200 },
    ],
  ])('%o scores %o', (input, expected) => {
    expect(scoreAnswer(input)).toEqual(expected);
  });
});
