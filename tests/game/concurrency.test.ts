/**
 * Fairness under contention, against real Redis with two separate Store instances (two
 * "processes" or shards sharing one Redis): many simultaneous presses → exactly one winner and
 * exactly one score change.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  afterPress,
  pressAnswer,
  QUIZ_KEYS,
  quizIdle,
  stopQuizTimers,
  tuneQuiz,
} from '../../src/game/index.ts';
import { wrongPresses } from '../../src/game/storage.ts';
import type { GameState, StatsBucket } from '../../src/game/types.ts';
import { createManualClock } from '../../src/shell/clock.ts';
import { openStore } from '../../src/state/store.ts';
import type { Store } from '../../src/state/types.ts';
import { memoryLogger, purgePrefix, REDIS_URL, randomGuildId, runPrefix } from '../state/helpers.ts';
import { scoobyStory } from './fixtures.ts';
import {
  type Answer,
  buttonIds,
  ChannelLog,
  pressButton,
  quizServices,
  runQuizCommand,
  type TestServices,
  tick,
} from './support.ts';

const prefix = runPrefix();
let storeA: Store;
let storeB: Store;

beforeAll(async () => {
  storeA = await openStore(REDIS_URL, { logger: memoryLogger(), prefix });
  storeB = await openStore(REDIS_URL, { logger: memoryLogger(), prefix });
});
afterAll(async () => {
  await Promise.all([storeA.close(), storeB.close()]);
  await purgePrefix('redis', prefix);
});

const players = Array.from({ length: 24 }, (_, i) => ({
  id: `4000000000000000${String(i).padStart(2, '0')}`,
  name: `p${i}`,
}));

function twoProcesses() {
  const log = new ChannelLog();
  const clock = createManualClock(Date.UTC(2026, 10, 20, 12));
  const stories = [scoobyStory('hush', 5, 4)];
  const a = quizServices({ store: storeA, stories, logger: memoryLogger(), log, clock });
  const b = quizServices({ store: storeB, stories, logger: memoryLogger(), log, clock });
  for (const services of [a, b]) tuneQuiz(services, { timing: { gapMs: 1_000, minRoundIntervalMs: 1_000 } });
  return { log, a, b, where: { guildId: randomGuildId(), channelId: '300000000000000001' } };
}

async function roundOnScreen(log: ChannelLog, store: Store, guildId: string) {
  const posted = log.lastRound()!;
  const ids = buttonIds(posted.message);
  const gameId = ids[0]!.split(':')[2]!;
  const game = (await store.guild(guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
  const question = game.questions[game.rounds.length - 1]!;
  return {
    posted,
    gameId,
    right: ids[question.answer]!,
    wrong: ids[(question.answer + 1) % 4]!,
    round: game.rounds.length - 1,
  };
}

describe('simultaneous presses', () => {
  test('24 right answers at once through two processes: one winner, one score change', async () => {
    const { log, a, b, where } = twoProcesses();
    await runQuizCommand(a, players[0]!, where, 'start', { rounds: 2, seconds: 30 });
    await tick(a, 1_000);
    const { posted, gameId, right, round } = await roundOnScreen(log, storeA, where.guildId);

    const answers: Answer[][] = await Promise.all(
      players.map((player, i) => pressButton(i % 2 === 0 ? a : b, player, where, posted.messageId, right)),
    );
    await Promise.all([quizIdle(a), quizIdle(b)]);

    const reveals = answers.filter((list) => list[0]?.how === 'update');
    expect(reveals).toHaveLength(1);
    const losers = answers.filter((list) => list[0]?.how === 'reply');
    expect(losers).toHaveLength(players.length - 1);
    for (const list of losers) {
      expect(list[0]!.message.ephemeral).toBe(true);
      expect(list[0]!.message.content).toMatch(
        /^Right, but p\d+ got there first\.$|^This round is over: p\d+ got it\.$/,
      );
    }

    const game = (await storeB.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
    const outcome = game.rounds[round]!.outcome!;
    const scored = Object.values(game.players).filter((p) => p.points > 0);
    expect(scored).toHaveLength(1);
    expect(scored[0]).toMatchObject({ id: outcome.winnerId, points: outcome.points!.total, roundsWon: 1 });
    expect(game.rounds[round]!.presses.filter((p) => p.correct)).toHaveLength(1);

    for (const bucket of ['all', 'month:2026-11', 'week:2026-W47']) {
      const stats = (await storeA.guild(where.guildId).get<StatsBucket>(QUIZ_KEYS.stats(bucket)))!;
      expect(Object.values(stats.players)).toEqual([
        expect.objectContaining({
          id: outcome.winnerId,
          points: outcome.points!.total,
          roundsWon: 1,
          answers: 1,
        }),
      ]);
      expect(stats.applied.filter((key) => key === `${gameId}:${round}`)).toHaveLength(1);
    }
    stopQuizTimers(a);
    stopQuizTimers(b);
  });

  test('a busy round: 40 wrong answers at once through two processes are all recorded, once each', async () => {
    const crowd = Array.from({ length: 40 }, (_, i) => ({
      id: `5000000000000000${String(i).padStart(2, '0')}`,
      name: `c${i}`,
    }));
    const { log, a, b, where } = twoProcesses();
    await runQuizCommand(a, players[0]!, where, 'start', { rounds: 1, seconds: 30 });
    await tick(a, 1_000);
    const { posted, gameId, wrong } = await roundOnScreen(log, storeA, where.guildId);
    const answers = await Promise.all(
      crowd.map((player, i) => pressButton(i % 2 ? a : b, player, where, posted.messageId, wrong)),
    );
    expect(answers.map((list) => list[0]!.message.content).filter((t) => t?.startsWith('Not '))).toHaveLength(
      40,
    );
    await Promise.all([quizIdle(a), quizIdle(b)]);
    const recorded = await wrongPresses(storeA.guild(where.guildId), gameId, 0);
    expect(recorded.map((press) => press.userId).sort()).toEqual(crowd.map((player) => player.id).sort());

    await tick(a, 31_000); // the round times out and all 40 wrong answers go into the game
    await quizIdle(a);
    const after = (await storeB.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
    expect(after.rounds[0]!.outcome?.reason).toBe('timeout');
    expect(after.rounds[0]!.presses).toHaveLength(40);
    for (const player of crowd) expect(after.players[player.id]).toMatchObject({ answers: 1, correct: 0 });
    stopQuizTimers(a);
    stopQuizTimers(b);
  });

  test('a round running across an upgrade keeps the wrong answers the old version listed', async () => {
    const { log, a, b, where } = twoProcesses();
    await runQuizCommand(a, players[0]!, where, 'start', { rounds: 1, seconds: 30 });
    await tick(a, 1_000);
    const { posted, gameId, wrong } = await roundOnScreen(log, storeA, where.guildId);
    // Versions before the numbered slots kept the round's wrong answers in one list.
    const listedBefore = { userId: players[4]!.id, name: 'p4', choice: 0, correct: false, at: a.clock.now() };
    await storeA.guild(where.guildId).set(QUIZ_KEYS.legacyPresses(gameId, 0), [listedBefore]);
    await pressButton(b, players[5]!, where, posted.messageId, wrong);
    await quizIdle(b);
    await tick(a, 31_000); // the round times out and its wrong answers go into the game
    await quizIdle(a);
    const after = (await storeB.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
    expect(after.rounds[0]!.presses.map((press) => press.userId)).toEqual([players[4]!.id, players[5]!.id]);
    expect(after.players[players[4]!.id]).toMatchObject({ answers: 1, correct: 0 });
    stopQuizTimers(a);
    stopQuizTimers(b);
  });

  test('one player double-pressing through both processes answers once', async () => {
    const { log, a, b, where } = twoProcesses();
    await runQuizCommand(a, players[0]!, where, 'start', { rounds: 1, seconds: 30 });
    await tick(a, 1_000);
    const { posted, gameId, wrong } = await roundOnScreen(log, storeA, where.guildId);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pressButton(i % 2 ? a : b, players[5]!, where, posted.messageId, wrong),
      ),
    );
    const texts = answers.map((list) => list[0]!.message.content);
    expect(texts.filter((t) => t?.startsWith('Not '))).toHaveLength(1);
    expect(texts.filter((t) => t?.startsWith('You already answered'))).toHaveLength(9);
    expect(await wrongPresses(storeB.guild(where.guildId), gameId, 0)).toHaveLength(1);
    await tick(a, 31_000); // the round times out and its wrong answers go into the game
    await quizIdle(b);
    const after = (await storeB.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
    expect(after.rounds[0]!.outcome?.reason).toBe('timeout');
    expect(after.rounds[0]!.presses.map((press) => press.userId)).toEqual([players[5]!.id]);
    expect(after.players[players[5]!.id]).toMatchObject({ answers: 1, points: 0 });
    stopQuizTimers(a);
    stopQuizTimers(b);
  });

  test('presses racing the deadline closing from the other process: exactly one outcome', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { log, a, b, where } = twoProcesses();
      await runQuizCommand(a, players[0]!, where, 'start', { rounds: 1, seconds: 10 });
      await tick(a, 1_000);
      const { posted, gameId, right } = await roundOnScreen(log, storeA, where.guildId);
      const game = (await storeA.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
      // Exactly at the deadline: presses are still in time, and process B's timer fires too.
      await b.clock.advance(game.rounds[0]!.deadline - b.clock.now());
      const results = await Promise.all(
        players.slice(0, 8).map(async (player, i) => {
          const services: TestServices = i % 2 ? a : b;
          const request = {
            guildId: where.guildId,
            user: player,
            gameId,
            round: 0,
            choice: buttonIdsIndex(posted, right),
          };
          const result = await pressAnswer(services, request);
          await afterPress(services, request, result);
          return result;
        }),
      );
      await Promise.all([quizIdle(a), quizIdle(b)]);
      const final = (await storeA.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
      const outcome = final.rounds[0]!.outcome!;
      const winners = results.filter((r) => r.kind === 'reveal');
      expect(winners.length).toBe(outcome.reason === 'won' ? 1 : 0);
      const totalPoints = Object.values(final.players).reduce((sum, p) => sum + p.points, 0);
      expect(totalPoints).toBe(outcome.points?.total ?? 0);
      expect(final.phase).toBe('ended');
      stopQuizTimers(a);
      stopQuizTimers(b);
    }
  });
});

function buttonIdsIndex(posted: { message: Parameters<typeof buttonIds>[0] }, id: string): number {
  return buttonIds(posted.message).indexOf(id);
}
