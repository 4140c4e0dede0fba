/**
 * A restart mid-game: the game is in the store, the old process (its timers) is gone, a new
 * process with its own Store instance runs `recoverQuizzes`. Never live buttons that do nothing.
 */
import { afterAll, describe, expect, test } from 'vitest';
import {
  pendingQuizTimers,
  QUIZ_KEYS,
  recoverQuizzes,
  STALE_AFTER_MS,
  stopQuizTimers,
  tuneQuiz,
} from '../../src/game/index.ts';
import type { GameState } from '../../src/game/types.ts';
import { createManualClock } from '../../src/shell/clock.ts';
import { openStore } from '../../src/state/store.ts';
import type { Store } from '../../src/state/types.ts';
import { memoryLogger, purgePrefix, REDIS_URL, randomGuildId, runPrefix } from '../state/helpers.ts';
import { scoobyStory } from './fixtures.ts';
import {
  buttonIds,
  buttonsDisabled,
  ChannelLog,
  pressButton,
  quizServices,
  runQuizCommand,
  textOf,
  tick,
} from './support.ts';

const prefix = runPrefix();
const stores: Store[] = [];
const alice = { id: '200000000000000001', name: 'alice' };
const bob = { id: '200000000000000002', name: 'bob' };

async function newStore(): Promise<Store> {
  const store = await openStore(REDIS_URL, { logger: memoryLogger(), prefix });
  stores.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await purgePrefix('redis', prefix);
});

/** Process one starts a game and posts round 1, then dies; process two comes up on a new Store. */
async function crashDuringRound(rounds = 3) {
  const log = new ChannelLog();
  const clock = createManualClock(Date.UTC(2026, 10, 20, 12));
  const stories = [scoobyStory('hush', 5, 4)];
  const where = { guildId: randomGuildId(), channelId: '300000000000000001' };
  const before = quizServices({ store: await newStore(), stories, logger: memoryLogger(), log, clock });
  tuneQuiz(before, { timing: { gapMs: 2_000, minRoundIntervalMs: 2_000 } });
  await runQuizCommand(before, alice, where, 'start', { rounds, seconds: 20 });
  await tick(before, 2_000);
  const round = log.lastRound()!;
  stopQuizTimers(before); // the process is gone: nothing in memory survives
  const after = quizServices({ store: await newStore(), stories, logger: memoryLogger(), log, clock });
  tuneQuiz(after, { timing: { gapMs: 2_000, minRoundIntervalMs: 2_000 } });
  const gameId = buttonIds(round.message)[0]!.split(':')[2]!;
  const game = async () => (await after.store.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
  return { log, before, after, where, round, game };
}

describe('recoverQuizzes', () => {
  test('a round whose deadline passed while the bot was down is revealed, and the game goes on', async () => {
    const { log, after, where, round, game } = await crashDuringRound();
    await after.clock.advance(60_000); // down for a minute: the 20-second round is long over
    expect(buttonsDisabled(round.message)).toEqual([false, false, false, false]);

    expect(await recoverQuizzes(after, [where.guildId])).toBe(1);
    await tick(after, 0);
    const revealed = log.messages.get(round.messageId)!;
    expect(textOf(revealed.message)).toContain('Winner: Nobody: time ran out');
    expect(buttonsDisabled(revealed.message)).toEqual([true, true, true, true]);

    // The next round follows, from the new process, and its buttons work.
    const next = log.lastRound()!;
    expect(next.messageId).not.toBe(round.messageId);
    const state = await game();
    expect(state.rounds).toHaveLength(2);
    const right = buttonIds(next.message)[state.questions[1]!.answer]!;
    const win = await pressButton(after, bob, where, next.messageId, right);
    expect(win[0]!.how).toBe('update');
    // The old round's buttons answer that it is over.
    const old = await pressButton(after, bob, where, round.messageId, buttonIds(round.message)[0]!);
    expect(old[0]!.message.content).toMatch(/Time's up|round is over/);
    stopQuizTimers(after);
  });

  test('a round still running gets its timer back: answers still work, and the deadline still reveals', async () => {
    const { log, after, where, round, game } = await crashDuringRound();
    await after.clock.advance(5_000);
    await recoverQuizzes(after, [where.guildId]);
    expect(pendingQuizTimers(after)).toBe(1);
    expect(buttonsDisabled(log.messages.get(round.messageId)!.message)).toEqual([false, false, false, false]);

    const state = await game();
    const wrong = buttonIds(round.message)[(state.questions[0]!.answer + 1) % 4]!;
    const answer = await pressButton(after, bob, where, round.messageId, wrong);
    expect(answer[0]!.message.content).toMatch(/^Not .* out for this round\.$/);

    await tick(after, state.rounds[0]!.deadline - after.clock.now());
    const revealed = log.messages.get(round.messageId)!;
    expect(textOf(revealed.message)).toContain('Winner: Nobody: time ran out');
    expect(textOf(revealed.message)).toContain('Wrong answers: bob');
    expect(buttonsDisabled(revealed.message)).toEqual([true, true, true, true]);
    stopQuizTimers(after);
  });

  test('a game left too long is ended with a message, its round revealed and the channel freed', async () => {
    const { log, after, where, round } = await crashDuringRound();
    await after.clock.advance(STALE_AFTER_MS + 60_000);
    await recoverQuizzes(after, [where.guildId]);
    await tick(after, 0);
    expect(buttonsDisabled(log.messages.get(round.messageId)!.message)).toEqual([true, true, true, true]);
    const summary = log.all().at(-1)!;
    expect(textOf(summary.message)).toContain(
      'The bot restarted and the quiz could not go on after 1 of 3 rounds',
    );
    expect(pendingQuizTimers(after)).toBe(0);
    const press = await pressButton(after, bob, where, round.messageId, buttonIds(round.message)[0]!);
    expect(press[0]!.message.content).toMatch(/This quiz is over/);
    const again = await runQuizCommand(after, bob, where, 'start', { rounds: 1 });
    expect(textOf(again[0]!.message)).toContain('Quote quiz!');
    expect(await recoverQuizzes(after, [where.guildId])).toBe(1); // only bob's new game
    stopQuizTimers(after);
  });

  test('without the start-up call, the first quiz interaction in the server recovers its games', async () => {
    const { log, after, where, round } = await crashDuringRound();
    await after.clock.advance(60_000);
    await runQuizCommand(after, bob, where, 'leaderboard');
    await tick(after, 0);
    expect(buttonsDisabled(log.messages.get(round.messageId)!.message)).toEqual([true, true, true, true]);
    expect(textOf(log.lastRound()!.message)).toContain('Round 2 of 3');
    stopQuizTimers(after);
  });

  test('a crash between rounds: recovery posts the next round', async () => {
    const { log, before, after, where, round, game } = await crashDuringRound();
    // Before dying, process one saw alice win round 1 (revealed), but never posted round 2.
    const state = await game();
    const right = buttonIds(round.message)[state.questions[0]!.answer]!;
    await pressButton(before, alice, where, round.messageId, right);
    stopQuizTimers(before);
    const posts = log.all().length;
    await after.clock.advance(30_000);
    expect(log.all()).toHaveLength(posts);
    await recoverQuizzes(after, [where.guildId]);
    await tick(after, 0);
    expect(log.all()).toHaveLength(posts + 1);
    expect(textOf(log.lastRound()!.message)).toContain('Round 2 of 3');
    stopQuizTimers(after);
  });
});
