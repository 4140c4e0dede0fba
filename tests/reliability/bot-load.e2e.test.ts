/**
 * Correctness under load, through the Discord stand-in against the real bot process (loopback
 * only, bounded in count and time). Not a speed test: speed is `npm run bench`.
 * - 100 members press answers in the same quiz round at once: exactly one winner, one score change.
 * - LOAD_RATE interactions per second (default 500) for LOAD_SECONDS (default 30), a mix of cheap
 *   commands and autocomplete: every one answered in Discord's 3 s window, none refused; the bot's
 *   RSS (/proc/<pid>/status) back near its baseline afterwards.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../src/library/index.ts';
import type { Story } from '../../src/library/types.ts';
import type { InteractionHandle } from '../support/discord-standin.ts';
import {
  answerButtons,
  answerOf,
  commandIn,
  createWorld,
  nextRound,
  PrivateRedis,
  type RunningBot,
  sleep,
  startConnectedBot,
  visibleText,
  type World,
} from './support/bot-harness.ts';

const RATE = Number(process.env.LOAD_RATE ?? 500);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CROWD = 100;
const MB = 1024 * 1024;
/**
 * RSS after the run may exceed the warmed-up baseline by at most this much. V8 keeps the heap it
 * grew into for a while after a burst (it returns pages lazily) and glibc keeps freed arenas, so
 * RSS never drops exactly to the baseline; a leak of the kind that matters here (something kept
 * per interaction: 15,000 of them) would hold far more than this, and keep growing run over run.
 */
const RSS_TOLERANCE_BYTES = 64 * MB;

describe('the bot under load', () => {
  let w: World & { members: string[] };
  let redis: PrivateRedis;
  let bot: RunningBot;
  let harbour: Story;

  beforeAll(async () => {
    w = await createWorld({}, { extraMembers: CROWD });
    redis = await PrivateRedis.create(join(w.dir, 'redis'));
    await redis.start();
    harbour = (await loadLibrary(w.dataDir)).stories.find((story) => story.id === 'harbour-lights')!;
    bot = await startConnectedBot({ storeUrl: redis.url, dataDir: w.dataDir, standin: w.standin, world: w.world });
  }, 90_000);

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await redis?.kill();
    await w?.close();
  });

  const run = (input: Parameters<typeof commandIn>[2]) => commandIn(w.standin, w.world, input);

  test('100 members press answers in the same round at once: exactly one winner and one score change', async () => {
    const started = Date.now();
    const announced = await answerOf(
      w.standin,
      run({ name: 'quiz', subcommand: 'start', options: { story: 'harbour-lights', rounds: 1, seconds: 30 }, userId: w.world.users.owner.id }),
    );
    expect(visibleText(announced)).toContain('Quote quiz!');
    const round = await nextRound(w.standin, w.world.main.channels.general, started);
    const { right, wrong } = answerButtons(round, harbour.dialogue.quotes);
    // 70 press the right answer, 30 a wrong one, all dispatched in the same tick.
    const presses = w.members.map((userId, index) =>
      w.standin.pressButton({ message: round, customId: String((index % 10 < 7 ? right : wrong).custom_id), userId }),
    );
    const responses = await Promise.all(presses.map((press) => press.response(10_000)));
    expect(responses.every((response) => response.status < 300)).toBe(true);
    const updates = responses.filter((response) => (response.body as { type?: number }).type === 7);
    expect(updates).toHaveLength(1);
    const winnerIndex = responses.indexOf(updates[0]!);
    const winnerId = w.members[winnerIndex]!;
    expect(winnerIndex % 10).toBeLessThan(7);
    // Everyone else was told privately, and no one else was told they won.
    const others = await Promise.all(
      presses.filter((_, index) => index !== winnerIndex).map((press) => answerOf(w.standin, press)),
    );
    expect(others.every((message) => (message.flags & 64) === 64)).toBe(true);
    expect(others.filter((message) => /got there first|round is over|Not |out for this round/i.test(message.content))).toHaveLength(
      CROWD - 1,
    );

    // The game ends (one round); then the board shows one player with points: the winner.
    await w.standin.waitForMessage(
      (message) => message.origin === 'channel' && message.createdAt >= round.createdAt && message.id !== round.id,
      20_000,
    );
    const board = visibleText(await answerOf(w.standin, run({ name: 'quiz', subcommand: 'leaderboard' })));
    const scored = [...board.matchAll(/\*\*([^*]+)\*\*: (\d+) points/g)].filter((match) => Number(match[2]) > 0);
    expect(scored.map((match) => match[1])).toEqual([w.standin.user(winnerId).globalName]);
    const stats = visibleText(
      await answerOf(w.standin, run({ name: 'quiz', subcommand: 'stats', options: { member: winnerId } })),
    );
    expect(stats).toMatch(/\*\*1\d\d\*\* points/);
  }, 60_000);

  test(`${RATE} interactions per second for ${SECONDS} s: every one answered, memory back near its baseline`, async () => {
    const users = [...w.members, w.world.users.reader.id, w.world.users.reader2.id];
    const kinds: ((userId: string, n: number) => InteractionHandle)[] = [
      (userId) => run({ name: 'help', userId }),
      (userId, n) =>
        w.standin.autocomplete({
          guildId: w.world.main.id,
          channelId: w.world.main.channels.general,
          userId,
          name: 'excerpt',
          focused: 'story',
          focusedValue: ['h', 'har', 'harbour', 'every', 'x'][n % 5]!,
        }),
      (userId) =>
        w.standin.autocomplete({
          guildId: w.world.main.id,
          channelId: w.world.main.channels.afterDark,
          userId,
          name: 'summary',
          focused: 'story',
          focusedValue: 'mid',
        }),
      (userId, n) => run({ name: 'excerpt', userId, options: { story: 'harbour-lights', scene: (n % 3) + 1 } }),
      (userId) => run({ name: 'summary', userId, options: { story: 'harbour-lights' } }),
    ];
    const dispatch = (n: number) => kinds[n % kinds.length]!(users[n % users.length]!, n);

    /** Sends `rate`/s for `seconds`; returns the handles. */
    async function burst(rate: number, seconds: number, onTick?: () => void): Promise<InteractionHandle[]> {
      const handles: InteractionHandle[] = [];
      const total = Math.round(rate * seconds);
      const start = performance.now();
      while (handles.length < total) {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
        while (handles.length < due) handles.push(dispatch(handles.length));
        onTick?.();
        await sleep(4);
      }
      return handles;
    }

    async function settle(handles: InteractionHandle[]): Promise<void> {
      await w.standin.waitFor(() => handles.every((handle) => handle.callbacks().length > 0), 15_000, 'every answer');
    }

    // Warm up (JIT, caches, connections), then take the baseline.
    w.standin.recordBodies = false;
    await settle(await burst(100, 5));
    await sleep(3_000);
    const baseline = bot.rssBytes();

    let peak = baseline;
    let lastSample = 0;
    const sample = () => {
      if (performance.now() - lastSample < 250) return;
      lastSample = performance.now();
      peak = Math.max(peak, bot.rssBytes());
    };
    w.standin.clearRecords();
    const started = performance.now();
    const handles = await burst(RATE, SECONDS, sample);
    const sendSeconds = (performance.now() - started) / 1000;
    await settle(handles).catch(() => undefined);

    const latencies: number[] = [];
    const failures: string[] = [];
    for (const handle of handles) {
      const first = handle.callbacks()[0];
      if (!first) failures.push(`${handle.id}: never answered`);
      else if (first.status >= 300) failures.push(`${handle.id}: ${first.status} ${first.errorCode ?? ''}`);
      else latencies.push(first.at - handle.sentAt);
      if (handle.callbacks().length > 1) failures.push(`${handle.id}: answered twice`);
    }
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? -1);

    // Idle, then compare with the baseline.
    await sleep(10_000);
    const after = bot.rssBytes();
    const errors = bot.logLines().filter((line) => Number(line.level) >= 50);
    process.stdout.write(
      `[load] ${handles.length} interactions in ${sendSeconds.toFixed(1)} s (${Math.round(handles.length / sendSeconds)}/s), ` +
        `${failures.length} failures; latency p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${percentile(1)} ms; ` +
        `RSS baseline ${Math.round(baseline / MB)} MB, peak ${Math.round(peak / MB)} MB, after ${Math.round(after / MB)} MB\n`,
    );
    w.standin.recordBodies = true;

    expect(handles).toHaveLength(RATE * SECONDS);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(errors.map((line) => line.msg)).toEqual([]);
    expect(after - baseline).toBeLessThan(RSS_TOLERANCE_BYTES);
  }, 180_000);
});
