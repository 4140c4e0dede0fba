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
  buttonsOf,
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
const MEMORY_PRELOAD = new URL('./support/memory-preload.ts', import.meta.url).pathname;
const MB = 1024 * 1024;
/**
 * Memory after the run, against a baseline taken after a warm-up (JIT, caches, connections),
 * both right after a forced full GC (the bot runs with --expose-gc and memory-preload.ts):
 * - the V8 heap still referenced may grow by at most 16 MB: about 1 KB for each of the 15,000
 *   interactions, so anything kept per interaction (a leak) fails it; caches with fixed bounds
 *   (discord.js's 200 messages per channel, the member cache of 100 members) fit easily.
 * - RSS may exceed the baseline by at most 64 MB: V8 and glibc keep some pages they grew into
 *   (semi-spaces, code space, malloc arenas) and give them back lazily, so RSS never lands exactly
 *   on the baseline; 64 MB is under half the baseline and far below what a per-interaction leak
 *   of the heap kind would add.
 */
const HEAP_TOLERANCE_BYTES = 16 * MB;
const RSS_TOLERANCE_BYTES = 64 * MB;

describe('the bot under load', () => {
  let w: World & { members: string[] };
  let redis: PrivateRedis;
  let bot: RunningBot;
  let harbour: Story;

  beforeAll(async () => {
    // Discord's own heartbeat interval: the stand-in's short test default would make a stall of a
    // couple of seconds on a busy machine look like a dead connection and force a reconnect mid-run.
    w = await createWorld({}, { extraMembers: CROWD, heartbeatIntervalMs: 41_250 });
    redis = await PrivateRedis.create(join(w.dir, 'redis'));
    await redis.start();
    harbour = (await loadLibrary(w.dataDir)).stories.find((story) => story.id === 'harbour-lights')!;
    bot = await startConnectedBot({
      storeUrl: redis.url,
      dataDir: w.dataDir,
      standin: w.standin,
      world: w.world,
      nodeArgs: [
        '--expose-gc',
        '--import',
        MEMORY_PRELOAD,
        // LOAD_CPU_PROFILE=<folder> writes a V8 CPU profile of the bot when it stops (for profiling).
        ...(process.env.LOAD_CPU_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_CPU_PROFILE}`]
          : []),
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await bot?.stop('SIGTERM');
    await redis?.kill();
    await w?.close();
  });

  const run = (input: Parameters<typeof commandIn>[2]) => commandIn(w.standin, w.world, input);

  test('100 members press answers in the same round at once: exactly one winner and one score change', async () => {
    const started = Date.now();
    const announced = await answerOf(
      w.standin,
      run({
        name: 'quiz',
        subcommand: 'start',
        options: { story: 'harbour-lights', rounds: 1, seconds: 30 },
        userId: w.world.users.owner.id,
      }),
    );
    expect(visibleText(announced)).toContain('Quote quiz!');
    const round = await nextRound(w.standin, w.world.main.channels.general, started).catch(
      (error: unknown) => {
        const logged = bot.logLines().filter((line) => Number(line.level) >= 40);
        throw new Error(`${String(error)}; bot warnings: ${JSON.stringify(logged).slice(0, 3000)}`);
      },
    );
    const { right, wrong } = answerButtons(round, harbour.dialogue.quotes);
    // 70 press the right answer, 30 a wrong one, all dispatched in the same tick.
    const presses = w.members.map((userId, index) =>
      w.standin.pressButton({
        message: round,
        customId: String((index % 10 < 7 ? right : wrong).custom_id),
        userId,
      }),
    );
    const responses = await Promise.all(presses.map((press) => press.response(10_000)));
    expect(responses.every((response) => response.status < 300)).toBe(true);
    // The winner's press updates the round message (type 7, or a deferred update, type 6); every
    // other press gets a private answer.
    const privately = await Promise.all(
      presses.map((press) => answerOf(w.standin, press, 6_000).catch(() => undefined)),
    );
    const winners = presses.filter((_, index) => privately[index] === undefined);
    expect(winners).toHaveLength(1);
    const winnerIndex = presses.indexOf(winners[0]!);
    const winnerId = w.members[winnerIndex]!;
    expect(winnerIndex % 10, 'the winner pressed the right answer').toBeLessThan(7);
    expect([6, 7]).toContain((responses[winnerIndex]!.body as { type?: number }).type);
    const others = privately.filter((message) => message !== undefined);
    expect(others.every((message) => (message.flags & 64) === 64)).toBe(true);
    const contents = others.map((message) => message.content);
    expect(
      contents.filter(
        (content) => !/got there first|round is over|quiz is over|^Not .*out for this round/i.test(content),
      ),
    ).toEqual([]);
    await w.standin.waitFor(
      () =>
        /Reader/.test(visibleText(w.standin.message(round.id))) &&
        buttonsOf(w.standin.message(round.id)).every((b) => b.disabled),
      10_000,
      'the round revealed',
    );
    expect(visibleText(w.standin.message(round.id))).toContain(String(w.standin.user(winnerId).globalName));

    // The game ends (one round); then the board shows one player with points: the winner.
    await w.standin.waitForMessage(
      (message) =>
        message.origin === 'channel' && message.createdAt >= round.createdAt && message.id !== round.id,
      20_000,
    );
    const board = visibleText(await answerOf(w.standin, run({ name: 'quiz', subcommand: 'leaderboard' })));
    const scored = [...board.matchAll(/\*\*([^*]+)\*\*: (\d+) points/g)].filter(
      (match) => Number(match[2]) > 0,
    );
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
      (userId, n) =>
        run({ name: 'excerpt', userId, options: { story: 'harbour-lights', scene: (n % 3) + 1 } }),
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

    /** The bot's V8 heap in use after a forced full collection (see memory-preload.ts). */
    async function heapAfterGc(): Promise<number> {
      const seen = bot.logLines().filter((line) => line.msg === 'memory').length;
      bot.child.kill('SIGUSR2');
      await w.standin.waitFor(
        () => bot.logLines().filter((line) => line.msg === 'memory').length > seen,
        5_000,
        'a memory report',
      );
      const report = bot
        .logLines()
        .filter((line) => line.msg === 'memory')
        .at(-1)!;
      expect(report.collected).toBe(true);
      return Number(report.heapUsed);
    }

    async function settle(handles: InteractionHandle[]): Promise<void> {
      await w.standin.waitFor(
        () => handles.every((handle) => handle.callbacks().length > 0),
        15_000,
        'every answer',
      );
    }

    // Warm up (JIT, caches, connections), then take the baseline.
    w.standin.recordBodies = false;
    await settle(await burst(100, 5));
    await sleep(3_000);
    const baselineHeap = await heapAfterGc();
    const baseline = bot.rssBytes();

    let peak = baseline;
    let lastSample = 0;
    const sample = () => {
      if (performance.now() - lastSample < 250) return;
      lastSample = performance.now();
      peak = Math.max(peak, bot.rssBytes());
    };
    w.standin.clearRecords();
    const botCpuBefore = bot.cpuSeconds();
    const ownCpuBefore = process.cpuUsage();
    const started = performance.now();
    const handles = await burst(RATE, SECONDS, sample);
    const sendSeconds = (performance.now() - started) / 1000;
    await settle(handles).catch(() => undefined);
    const botCpu = bot.cpuSeconds() - botCpuBefore;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const ownCpuSeconds = (ownCpu.user + ownCpu.system) / 1e6;

    const latencies: number[] = [];
    const failures: string[] = [];
    const startedAt = performance.timeOrigin + started;
    for (const handle of handles) {
      const first = handle.callbacks()[0];
      const data = handle.payload.data as { name?: string; options?: unknown[] } | undefined;
      const what = `${handle.id} (${handle.payload.type === 4 ? 'autocomplete ' : '/'}${data?.name}, sent at +${Math.round(handle.sentAt - startedAt)} ms)`;
      if (!first) failures.push(`${what}: never answered`);
      else if (first.status >= 300)
        failures.push(
          `${what}: ${first.status} ${first.errorCode ?? ''} after ${Math.round(first.at - handle.sentAt)} ms`,
        );
      else latencies.push(first.at - handle.sentAt);
      if (handle.callbacks().length > 1) failures.push(`${what}: answered twice`);
    }
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? -1);

    // Idle, then compare with the baseline.
    await sleep(10_000);
    const idle = bot.rssBytes();
    const afterHeap = await heapAfterGc();
    const after = bot.rssBytes();
    const errors = bot.logLines().filter((line) => Number(line.level) >= 50);
    process.stdout.write(
      `[load] ${handles.length} interactions in ${sendSeconds.toFixed(1)} s (${Math.round(handles.length / sendSeconds)}/s), ` +
        `${failures.length} failures; bot CPU ${((botCpu / sendSeconds) * 100).toFixed(0)}% of a core ` +
        `(${((botCpu * 1e6) / handles.length).toFixed(0)} µs per interaction), stand-in and load generator ${((ownCpuSeconds / sendSeconds) * 100).toFixed(0)}%; latency p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, max ${percentile(1)} ms; ` +
        `RSS baseline ${Math.round(baseline / MB)} MB, peak ${Math.round(peak / MB)} MB, after 10 s idle ${Math.round(idle / MB)} MB, ` +
        `after a full GC ${Math.round(after / MB)} MB; heap after GC ${Math.round(baselineHeap / MB)} → ${Math.round(afterHeap / MB)} MB\n`,
    );
    w.standin.recordBodies = true;

    expect(handles).toHaveLength(RATE * SECONDS);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(errors.map((line) => line.msg)).toEqual([]);
    expect(afterHeap - baselineHeap, 'V8 heap still referenced after the run (a leak)').toBeLessThan(
      HEAP_TOLERANCE_BYTES,
    );
    expect(after - baseline, 'RSS after the run, both measured after a full GC').toBeLessThan(
      RSS_TOLERANCE_BYTES,
    );
  }, 180_000);
});
