import { describe, expect, test } from 'vitest';
import {
  applyClaim,
  awardRound,
  dropQuestions,
  endGame,
  foldWrongPresses,
  judgePress,
  markSettled,
  newGame,
  openRound,
  rankPlayers,
  startRound,
  type Timing,
  timeoutRound,
} from '../../src/game/rules.ts';
import type { GameState, Press, Question } from '../../src/game/types.ts';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const TIMING: Timing = { gapMs: 3_000, minRoundIntervalMs: 5_000 };

function question(answer: number): Question {
  return {
    storyId: 's',
    storyTitle: 'S',
    quoteStart: answer * 10,
    quoteEnd: answer * 10 + 5,
    text: `line ${answer}`,
    speaker: ['A', 'B', 'C', 'D'][answer]!,
    choices: ['A', 'B', 'C', 'D'],
    answer,
    scene: 0,
    before: null,
    after: null,
  };
}

function game(rounds = 3, seconds = 20): GameState {
  return newGame({
    id: 'g1',
    guildId: 'guild',
    channelId: 'chan',
    starterId: 'alice',
    starterName: 'Alice',
    mode: 'speaker',
    seconds,
    ageRestricted: false,
    questions: Array.from({ length: rounds }, (_, i) => question(i % 4)),
    at: T0,
  });
}

function press(userId: string, choice: number, at: number, correct = false): Press {
  return { userId, name: userId, choice, correct, at };
}

/** Plays a round: opens it at `at`, then the winner (if any) answers after `afterMs`. */
function playRound(g: GameState, at: number, winner: string | null, afterMs = 1_000): GameState {
  const opened = startRound(g, at);
  const index = opened.rounds.length - 1;
  const answer = opened.questions[index]!.answer;
  return winner
    ? awardRound(opened, index, press(winner, answer, at + afterMs, true), at + afterMs, TIMING)
    : timeoutRound(opened, index, at + opened.seconds * 1000, TIMING);
}

describe('judgePress: lockouts, one answer per round, timeouts', () => {
  const opened = startRound(game(), T0);
  const afterBobWrong = foldWrongPresses(opened, 0, [press('bob', 1, T0 + 500)]);

  test.each([
    ['right answer in time', opened, 'carol', 0, T0 + 1_000, 'correct'],
    ['wrong answer', opened, 'carol', 2, T0 + 1_000, 'wrong'],
    ['at the deadline exactly', opened, 'carol', 0, T0 + 20_000, 'correct'],
    ['after the deadline', opened, 'carol', 0, T0 + 20_001, 'round-over'],
    ['a locked-out player pressing again, even right', afterBobWrong, 'bob', 0, T0 + 900, 'already-answered'],
    ['another player after a lockout', afterBobWrong, 'carol', 0, T0 + 900, 'correct'],
    ['a choice that does not exist', opened, 'carol', 7, T0 + 900, 'invalid-choice'],
  ] as const)('%s → %s', (_label, g, user, choice, at, expected) => {
    expect(judgePress(g, 0, user, choice, at)).toBe(expected);
  });

  test('a stale round index and a finished game are over', () => {
    expect(judgePress(opened, 1, 'carol', 0, T0 + 1_000)).toBe('round-over');
    const won = awardRound(opened, 0, press('carol', 0, T0 + 1_000, true), T0 + 1_000, TIMING);
    expect(judgePress(won, 0, 'dave', 0, T0 + 1_500)).toBe('round-over');
    expect(judgePress(endGame(opened, 'stopped', T0 + 1_000), 0, 'carol', 0, T0 + 1_500)).toBe('game-over');
  });

  test('a wrong press is recorded once and counts as an answer', () => {
    const twice = foldWrongPresses(afterBobWrong, 0, [press('bob', 2, T0 + 700)]);
    expect(twice.rounds[0]!.presses).toHaveLength(1);
    expect(twice.players.bob).toMatchObject({ answers: 1, correct: 0, points: 0 });
  });

  test('closing a round folds in the wrong answers given before it closed, and only those', () => {
    const won = awardRound(opened, 0, press('carol', 0, T0 + 1_000, true), T0 + 1_000, TIMING);
    const folded = foldWrongPresses(won, 0, [
      press('bob', 1, T0 + 500),
      press('dave', 2, T0 + 900),
      press('bob', 3, T0 + 950),
      press('erin', 1, T0 + 1_200),
    ]);
    expect(folded.rounds[0]!.presses.map((p) => [p.userId, p.correct])).toEqual([
      ['carol', true],
      ['bob', false],
      ['dave', false],
    ]);
    expect(folded.players.dave).toMatchObject({ answers: 1, correct: 0 });
    expect(folded.players.erin).toBeUndefined();
    expect(foldWrongPresses(folded, 0, [press('dave', 2, T0 + 900)])).toBe(folded);
    const settled = markSettled(won, 0);
    expect(foldWrongPresses(settled, 0, [press('bob', 1, T0 + 500)])).toBe(settled);
  });
});

describe('awarding and timing out', () => {
  test('the first correct press wins; a second award of the same round changes nothing', () => {
    const opened = startRound(game(), T0);
    const won = awardRound(opened, 0, press('carol', 0, T0 + 10_000, true), T0 + 10_000, TIMING);
    const again = awardRound(won, 0, press('dave', 0, T0 + 11_000, true), T0 + 11_000, TIMING);
    expect(again).toBe(won);
    expect(won.rounds[0]!.outcome).toMatchObject({ reason: 'won', winnerId: 'carol', streak: 1 });
    expect(won.players.carol).toMatchObject({ points: 125, roundsWon: 1, answers: 1, correct: 1 });
    expect(won.phase).toBe('between');
    expect(openRound(won)).toBeUndefined();
  });

  test('streaks grow with consecutive wins and end when someone else wins or time runs out', () => {
    let g = game(5);
    g = playRound(g, T0, 'carol');
    g = playRound(g, T0 + 60_000, 'carol');
    g = playRound(g, T0 + 120_000, 'carol');
    expect(g.players.carol).toMatchObject({ streak: 3, bestStreak: 3 });
    expect(g.rounds.map((r) => r.outcome?.points?.streak)).toEqual([0, 25, 50]);
    g = playRound(g, T0 + 180_000, null);
    expect(g.players.carol).toMatchObject({ streak: 0, bestStreak: 3 });
    g = playRound(g, T0 + 240_000, 'dave');
    expect(g.players.dave).toMatchObject({ streak: 1 });
    expect(g.phase).toBe('ended');
    expect(g.endReason).toBe('finished');
  });

  test('a timeout closes the round without a winner and schedules the next within the rate bound', () => {
    const opened = startRound(game(), T0);
    const timedOut = timeoutRound(opened, 0, T0 + 20_000, TIMING);
    expect(timedOut.rounds[0]!.outcome).toMatchObject({ reason: 'timeout', winnerId: null, points: null });
    expect(timedOut.nextRoundAt).toBe(T0 + 23_000);
    // A very quick win still waits for the channel's minimum interval between round messages.
    const quick = awardRound(opened, 0, press('carol', 0, T0 + 200, true), T0 + 200, TIMING);
    expect(quick.nextRoundAt).toBe(T0 + 5_000);
  });

  test('startRound only opens a round between rounds, with the deadline from the round time', () => {
    const opened = startRound(game(3, 15), T0);
    expect(openRound(opened)).toMatchObject({ index: 0, postedAt: T0, deadline: T0 + 15_000 });
    expect(startRound(opened, T0 + 1)).toBe(opened);
  });

  test('stopping closes the open round as stopped and ends the game', () => {
    const opened = startRound(game(), T0);
    const stopped = applyClaim(opened, 0, { reason: 'stopped', by: 'Alice', at: T0 + 5_000 }, TIMING);
    expect(stopped.phase).toBe('ended');
    expect(stopped.endReason).toBe('stopped');
    expect(stopped.rounds[0]!.outcome?.reason).toBe('stopped');
    expect(endGame(stopped, 'finished', T0 + 9_000)).toBe(stopped);
  });
});

describe('summary ranking', () => {
  test('points first, then rounds won, then best streak', () => {
    let g = game(4);
    g = playRound(g, T0, 'carol', 19_000); // slow: 103 points
    g = playRound(g, T0 + 60_000, 'dave', 0); // instant: 150 points
    g = playRound(g, T0 + 120_000, 'erin', 19_000);
    g = foldWrongPresses(startRound(g, T0 + 180_000), 3, [press('frank', 3, T0 + 180_500)]);
    g = timeoutRound(g, 3, T0 + 200_000, TIMING);
    expect(rankPlayers(g).map((p) => p.id)).toEqual(['dave', 'carol', 'erin', 'frank']);
    expect(rankPlayers(g).at(-1)).toMatchObject({ points: 0, answers: 1 });
  });
});

describe('dropQuestions', () => {
  test('drops only questions not yet asked; a game with none left ends', () => {
    const g = timeoutRound(startRound(game(3), T0), 0, T0 + 20_000, TIMING);
    const keepNone = dropQuestions(g, () => false, T0 + 21_000);
    expect(keepNone.questions).toHaveLength(1);
    expect(keepNone.phase).toBe('ended');
    expect(keepNone.endReason).toBe('finished');
    const keepOdd = dropQuestions(g, (q) => q.answer !== 1, T0 + 21_000);
    expect(keepOdd.questions.map((q) => q.answer)).toEqual([0, 2]);
    expect(keepOdd.phase).toBe('between');
    expect(dropQuestions(g, () => true, T0)).toBe(g);
  });
});
