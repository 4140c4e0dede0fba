import { describe, expect, test } from 'vitest';
import { awardRound, foldWrongPresses, newGame, startRound, timeoutRound } from '../../src/game/rules.ts';
import {
  APPLIED_MEMORY,
  accuracy,
  applyRound,
  bucketKey,
  bucketKeys,
  EMPTY_BUCKET,
  isoWeekKey,
  leaderboard,
  rankOf,
  roundDeltas,
} from '../../src/game/stats.ts';
import type { Question } from '../../src/game/types.ts';

describe('period buckets', () => {
  test.each([
    ['2026-11-20T12:00:00Z', '2026-W47'],
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2021-01-03T23:59:59Z', '2020-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2026-12-31T12:00:00Z', '2026-W53'],
  ])('%s is in ISO week %s', (iso, week) => {
    expect(isoWeekKey(Date.parse(iso))).toBe(week);
  });

  test('every moment counts towards all time, its month and its ISO week', () => {
    const at = Date.parse('2026-11-30T23:30:00Z');
    expect(bucketKeys(at)).toEqual(['all', 'month:2026-11', 'week:2026-W49']);
    expect(bucketKey('month', Date.parse('2026-12-01T00:00:00Z'))).toBe('month:2026-12');
  });
});

const q: Question = {
  storyId: 's',
  storyTitle: 'S',
  quoteStart: 0,
  quoteEnd: 5,
  text: 'hello there friend',
  speaker: 'A',
  choices: ['A', 'B', 'C', 'D'],
  answer: 0,
  scene: 0,
  before: null,
  after: null,
};
const T0 = Date.UTC(2026, 10, 20);

describe('applying rounds', () => {
  let g = newGame({
    id: 'g',
    guildId: 'x',
    channelId: 'c',
    starterId: 'a',
    starterName: 'a',
    mode: 'speaker',
    seconds: 10,
    ageRestricted: false,
    questions: [q, q, q],
    at: T0,
  });
  g = startRound(g, T0);
  g = foldWrongPresses(g, 0, [{ userId: 'bob', name: 'Bob', choice: 1, correct: false, at: T0 + 100 }]);
  g = awardRound(g, 0, { userId: 'amy', name: 'Amy', choice: 0, correct: true, at: T0 + 0 }, T0 + 200);
  g = startRound(g, T0 + 20_000);
  g = awardRound(
    g,
    1,
    { userId: 'amy', name: 'Amy', choice: 0, correct: true, at: T0 + 20_000 },
    T0 + 20_000,
  );
  g = startRound(g, T0 + 40_000);
  g = timeoutRound(g, 2, T0 + 50_000);

  test('a closed round gives each player who answered their change', () => {
    expect(roundDeltas(g, 0)).toEqual([
      { id: 'bob', name: 'Bob', points: 0, roundsWon: 0, answers: 1, correct: 0, streak: 0, games: 1 },
      { id: 'amy', name: 'Amy', points: 150, roundsWon: 1, answers: 1, correct: 1, streak: 1, games: 1 },
    ]);
    expect(roundDeltas(g, 1)).toEqual([
      { id: 'amy', name: 'Amy', points: 175, roundsWon: 1, answers: 1, correct: 1, streak: 2, games: 0 },
    ]);
    expect(roundDeltas(g, 2)).toEqual([]);
  });

  test('a round counts once, however often it is applied', () => {
    let bucket = applyRound(EMPTY_BUCKET, 'g:0', roundDeltas(g, 0));
    bucket = applyRound(bucket, 'g:1', roundDeltas(g, 1));
    const again = applyRound(applyRound(bucket, 'g:0', roundDeltas(g, 0)), 'g:1', roundDeltas(g, 1));
    expect(again).toBe(bucket);
    expect(bucket.players.amy).toEqual({
      id: 'amy',
      name: 'Amy',
      points: 325,
      roundsWon: 2,
      answers: 2,
      correct: 2,
      bestStreak: 2,
      games: 1,
    });
    expect(accuracy(bucket.players.bob!)).toBe(0);
    expect(leaderboard(bucket).map((p) => p.id)).toEqual(['amy', 'bob']);
    expect(rankOf(bucket, 'bob')).toBe(2);
    expect(rankOf(bucket, 'nobody')).toBeNull();
  });

  test('the memory of counted rounds is bounded', () => {
    let bucket = EMPTY_BUCKET;
    for (let i = 0; i < APPLIED_MEMORY + 20; i++) bucket = applyRound(bucket, `r${i}`, []);
    expect(bucket.applied).toHaveLength(APPLIED_MEMORY);
    expect(bucket.applied.at(-1)).toBe(`r${APPLIED_MEMORY + 19}`);
  });
});
