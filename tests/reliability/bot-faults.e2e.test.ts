/**
 * Faults with the real bot process against the Discord stand-in, state in a private redis-server
 * (a store outage mid-run is bot-store-outage.e2e.test.ts):
 * - an exception inside a handler, an unhandled rejection and an uncaught exception outside any
 *   handler: logged, answered where there is someone to answer, and the process keeps serving;
 * - the data folder changes (story added, edited, deleted; the folder briefly missing) and
 *   SIGHUP reloads it while a quiz is running, without dropping the game;
 * - SIGTERM and SIGINT: writes in flight finish, the store closes, the gateway closes with 1000, exit 0.
 */
import { execFile } from 'node:child_process';
import { rename, rm, writeFile } from 'node:fs/promises';
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
  EPHEMERAL,
  embedsOf,
  nextRound,
  PrivateRedis,
  type RunningBot,
  sleep,
  startConnectedBot,
  visibleText,
  type World,
} from './support/bot-harness.ts';

const PRELOAD = new URL('./support/fault-preload.ts', import.meta.url).pathname;

describe('faults in a running bot', () => {
  let w: World;
  let redis: PrivateRedis;
  let bot: RunningBot;
  let harbour: Story;

  const startBot = () =>
    startConnectedBot({
      storeUrl: redis.url,
      dataDir: w.dataDir,
      standin: w.standin,
      world: w.world,
      nodeArgs: ['--import', PRELOAD],
    });

  beforeAll(async () => {
    w = await createWorld();
    redis = await PrivateRedis.create(join(w.dir, 'redis'));
    await redis.start();
    harbour = (await loadLibrary(w.dataDir)).stories.find((story) => story.id === 'harbour-lights')!;
    bot = await startBot();
  }, 90_000);

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await redis?.kill();
    await w?.close();
  });

  const run = (input: Parameters<typeof commandIn>[2]) => commandIn(w.standin, w.world, input);
  const answer = (handle: InteractionHandle, timeoutMs?: number) => answerOf(w.standin, handle, timeoutMs);
  const errorsLogged = (msg: string) => bot.logLines().filter((line) => line.msg === msg);

  test('an exception thrown inside a handler is logged with its context and answered; the bot carries on', async () => {
    // Discord's client would never send a text value for an integer option; a forged request can.
    const handle = run({
      name: 'excerpt',
      rawOptions: [
        { name: 'story', type: 3, value: 'harbour-lights' },
        { name: 'scene', type: 3, value: 'not a number' },
      ],
    });
    const reply = await answer(handle);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Something went wrong/);
    const logged = await bot.waitForLog((line) => line.msg === 'handler failed');
    expect(logged).toMatchObject({
      command: 'excerpt',
      guildId: w.world.main.id,
      userId: w.world.users.reader.id,
    });
    expect(bot.child.exitCode).toBeNull();
    const next = await answer(run({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } }));
    expect(String(embedsOf(next)[0]?.description)).toContain('lighthouse');
  });

  test('an unhandled rejection and an uncaught exception outside any handler are logged; the bot carries on', async () => {
    bot.child.kill('SIGUSR2');
    await bot.waitForLog((line) => line.msg === 'unhandled promise rejection');
    await bot.waitForLog((line) => line.msg === 'uncaught exception');
    expect(bot.output()).toContain('injected fault: a rejection nobody handled');
    expect(bot.output()).toContain('injected fault: an exception outside any handler');
    await sleep(200);
    expect(bot.child.exitCode).toBeNull();
    const help = await answer(run({ name: 'help' }));
    expect(visibleText(help)).toContain('/excerpt');
  });

  test('SIGHUP reloads a changed data folder while a quiz runs, and the game carries on', async () => {
    const channelId = w.world.main.channels.afterDark;
    const started = Date.now();
    await answer(
      run({
        name: 'quiz',
        subcommand: 'start',
        channelId,
        options: { story: 'harbour-lights', rounds: 2, seconds: 60 },
        userId: w.world.users.owner.id,
      }),
    );
    const first = await nextRound(w.standin, channelId, started);

    await writeFile(
      join(w.dataDir, 'new-arrival.txt'),
      'Title: New Arrival\nRating: General Audiences\n\nA ship came in at dawn, and the harbour woke to meet it.\n',
    );
    await writeFile(
      join(w.dataDir, 'everyone-is-here.txt'),
      'Title: Everyone Is Here\nRating: General Audiences\nSummary: A summary rewritten while the bot was running.\n\nThe party was over.\n',
    );
    await rm(join(w.dataDir, 'midnight-oath.txt'));
    const reloads = errorsLogged('library reloaded (SIGHUP)').length;
    bot.child.kill('SIGHUP');
    await w.standin.waitFor(
      () => errorsLogged('library reloaded (SIGHUP)').length > reloads,
      10_000,
      'the reload',
    );

    const list = visibleText(await answer(run({ name: 'stories', channelId })));
    expect(list).toContain('New Arrival');
    expect(list).not.toContain('Midnight Oath');
    const summary = visibleText(
      await answer(run({ name: 'summary', options: { story: 'everyone-is-here' } })),
    );
    expect(summary).toContain('A summary rewritten while the bot was running.');
    const gone = await answer(run({ name: 'excerpt', channelId, options: { story: 'midnight-oath' } }));
    expect(gone.flags & EPHEMERAL).toBe(EPHEMERAL);

    // The game in progress was not dropped: its open round takes the right answer, and round 2 follows.
    const { right } = answerButtons(first, harbour.dialogue.quotes);
    const win = w.standin.pressButton({
      message: first,
      customId: String(right.custom_id),
      userId: w.world.users.reader2.id,
    });
    expect((await win.response()).body).toMatchObject({ type: 7 });
    const second = await nextRound(w.standin, channelId, Date.now() - 1, 30_000);
    expect(String(embedsOf(second)[0]?.title)).toMatch(/Round 2 of 2/);

    // A reload while the folder is briefly missing (a deploy swapping it) keeps the stories loaded.
    const aside = `${w.dataDir}-aside`;
    await rename(w.dataDir, aside);
    try {
      const before =
        errorsLogged('library reloaded (SIGHUP)').length +
        errorsLogged('library reload failed; keeping the stories already loaded').length;
      bot.child.kill('SIGHUP');
      await w.standin.waitFor(
        () =>
          errorsLogged('library reloaded (SIGHUP)').length +
            errorsLogged('library reload failed; keeping the stories already loaded').length >
          before,
        10_000,
        'the reload attempt',
      );
      const still = visibleText(await answer(run({ name: 'stories', channelId })));
      expect(still).toContain('Harbour Lights');
      expect(still).toContain('New Arrival');
    } finally {
      await rename(aside, w.dataDir);
    }
    await answer(run({ name: 'quiz', subcommand: 'stop', channelId, userId: w.world.users.owner.id }));
  }, 90_000);

  test('SIGTERM: writes in flight finish, the store closes, the gateway closes with 1000, exit 0', async () => {
    const categories = [
      'gore',
      'torture',
      'incest',
      'slavery',
      'alcohol',
      'drug-use',
      'self-harm',
      'suicide',
    ];
    // Redis stalls for 1.5 s (DEBUG SLEEP), so the writes are still waiting on it when SIGTERM lands.
    const stall = execFile('redis-cli', ['-p', String(redis.port), 'DEBUG', 'SLEEP', '1.5']);
    const stalled = new Promise<string>((resolve) => stall.once('close', (code) => resolve(String(code))));
    await sleep(100);
    const handles = categories.map((category) =>
      run({
        name: 'config',
        subcommand: 'hide',
        options: { category, hidden: true },
        userId: w.world.users.moderator.id,
      }),
    );
    await sleep(300);
    expect(handles.every((handle) => handle.callbacks().length === 0)).toBe(true);
    const result = await bot.stop('SIGTERM');
    expect(await stalled).toBe('0');
    expect(result.code).toBe(0);
    expect(bot.logLines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'store closed']),
    );
    const closes = w.standin.gateway.connections.filter((connection) => connection.closedBy === 'client');
    expect(closes.at(-1)?.closeCode).toBe(1000);
    expect(bot.output()).not.toContain(w.world.botToken);
    // Every change the bot confirmed must be stored: read them back through a new bot process.
    const confirmed = categories.filter((_, index) => {
      const message = handles[index]!.message() ?? handles[index]!.followUpMessages().at(-1);
      return message !== undefined && /now hidden/.test(message.content);
    });
    // All eight were in flight when the signal came; shutdown waited for every one of them.
    expect(confirmed).toEqual(categories);
    bot = await startBot();
    const settings = visibleText(
      await answer(run({ name: 'config', subcommand: 'show', userId: w.world.users.moderator.id })),
    );
    const hiddenLine = settings.split('\n').find((line) => line.includes('Hidden categories')) ?? '';
    for (const category of confirmed) expect(hiddenLine).toContain(category);
    process.stdout.write(
      `[faults] SIGTERM with ${categories.length} writes in flight: ${confirmed.length} confirmed, all stored\n`,
    );
  }, 90_000);

  test('SIGINT shuts down just as cleanly', async () => {
    const closesBefore = w.standin.gateway.connections.filter(
      (connection) => connection.closedBy === 'client',
    ).length;
    const result = await bot.stop('SIGINT');
    expect(result.code).toBe(0);
    expect(bot.logLines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'store closed']),
    );
    const closes = w.standin.gateway.connections.filter((connection) => connection.closedBy === 'client');
    expect(closes.length).toBe(closesBefore + 1);
    expect(closes.at(-1)?.closeCode).toBe(1000);
  }, 30_000);
});
