/**
 * Faults with the real bot process against the Discord stand-in, state in a private redis-server
 * (append-only file fsync'd on every write, so what Redis acknowledged survives kill -9):
 * - an exception inside a handler, an unhandled rejection and an uncaught exception outside any
 *   handler: logged, answered where there is someone to answer, and the process keeps serving;
 * - Redis killed right after a quiz win was shown: state commands answer "unavailable" (story
 *   gating fails closed), /help keeps working, the bot reconnects when Redis returns and the win
 *   is on the leaderboard;
 * - the data folder changes (story added, edited, deleted; the folder briefly missing) and
 *   SIGHUP reloads it while a quiz is running, without dropping the game;
 * - SIGTERM and SIGINT: writes in flight finish, the store closes, the gateway closes with 1000, exit 0.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STORE_UNAVAILABLE } from '../../src/discord/router.ts';
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
/** How soon the bot must serve state again once Redis is back (its reconnect backoff included). */
const RECONNECT_WITHIN_MS = 20_000;

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
    expect(logged).toMatchObject({ command: 'excerpt', guildId: w.world.main.id, userId: w.world.users.reader.id });
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

  describe('Redis killed right after a quiz win was shown', () => {
    let outageStartedAt = 0;

    test('the win is shown; Redis dies at once', async () => {
      const started = Date.now();
      await answer(
        run({
          name: 'quiz',
          subcommand: 'start',
          options: { story: 'harbour-lights', rounds: 1, seconds: 30 },
          userId: w.world.users.reader2.id,
        }),
      );
      const round = await nextRound(w.standin, w.world.main.channels.general, started);
      const { right } = answerButtons(round, harbour.dialogue.quotes);
      const win = w.standin.pressButton({ message: round, customId: String(right.custom_id), userId: w.world.users.reader.id });
      const reveal = await win.response();
      expect(reveal.body).toMatchObject({ type: 7 });
      expect(visibleText(w.standin.message(round.id))).toMatch(/reed/i);
      // The win has been acknowledged to the players: now the store goes away, mid-game.
      await redis.kill();
      outageStartedAt = Date.now();
    }, 60_000);

    test('commands that need state answer clearly and privately; gating fails closed; /help works', async () => {
      const unavailable = async (input: Parameters<typeof run>[0]) => {
        const handle = run(input);
        const reply = await answer(handle, 10_000);
        expect(reply.flags & EPHEMERAL, input.name).toBe(EPHEMERAL);
        expect(reply.content, input.name).toBe(STORE_UNAVAILABLE);
        // Nothing of the story is shown when the server's gating cannot be read.
        expect(reply.embeds, input.name).toEqual([]);
        expect((await handle.response()).status).toBeLessThan(300);
      };
      await unavailable({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } });
      await unavailable({ name: 'summary', options: { story: 'harbour-lights' } });
      await unavailable({ name: 'warnings', options: { story: 'midnight-oath' } });
      await unavailable({ name: 'stories' });
      await unavailable({ name: 'quiz', subcommand: 'leaderboard' });
      await unavailable({ name: 'config', subcommand: 'show', userId: w.world.users.moderator.id });
      const typed = w.standin.autocomplete({
        guildId: w.world.main.id,
        channelId: w.world.main.channels.general,
        userId: w.world.users.reader.id,
        name: 'excerpt',
        focused: 'story',
        focusedValue: 'harb',
      });
      expect((await typed.response(10_000)).status).toBeLessThan(300);
      expect(typed.choices()).toEqual([]);
      const help = await answer(run({ name: 'help' }));
      expect(visibleText(help)).toContain('/excerpt');
      expect(bot.child.exitCode).toBeNull();
    }, 90_000);

    test('the bot serves state again once Redis is back, and the acknowledged win is on the leaderboard', async () => {
      await redis.start();
      const back = Date.now();
      let board = '';
      for (;;) {
        const reply = await answer(run({ name: 'quiz', subcommand: 'leaderboard' }), 10_000);
        board = visibleText(reply);
        if (reply.content !== STORE_UNAVAILABLE && /reed/i.test(board)) break;
        if (Date.now() - back > RECONNECT_WITHIN_MS) break;
        await sleep(500);
      }
      expect(board).toMatch(/reed/i);
      expect(board).toMatch(/\b1[0-9]{2} points\b/);
      process.stdout.write(
        `[faults] outage ${Math.round((back - outageStartedAt) / 1000)} s; state served again ${Date.now() - back} ms after Redis returned\n`,
      );
      // The interrupted game finished too: its summary was posted once Redis was back.
      const summary = await w.standin.waitForMessage(
        (message) => message.origin === 'channel' && message.createdAt >= back && /reed/i.test(visibleText(message)),
        20_000,
      );
      expect(summary).toBeDefined();
      const excerpt = await answer(run({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } }));
      expect(String(embedsOf(excerpt)[0]?.description)).toContain('lighthouse');
    }, 90_000);
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
    await w.standin.waitFor(() => errorsLogged('library reloaded (SIGHUP)').length > reloads, 10_000, 'the reload');

    const list = visibleText(await answer(run({ name: 'stories', channelId })));
    expect(list).toContain('New Arrival');
    expect(list).not.toContain('Midnight Oath');
    const summary = visibleText(await answer(run({ name: 'summary', options: { story: 'everyone-is-here' } })));
    expect(summary).toContain('A summary rewritten while the bot was running.');
    const gone = await answer(run({ name: 'excerpt', channelId, options: { story: 'midnight-oath' } }));
    expect(gone.flags & EPHEMERAL).toBe(EPHEMERAL);

    // The game in progress was not dropped: its open round takes the right answer, and round 2 follows.
    const { right } = answerButtons(first, harbour.dialogue.quotes);
    const win = w.standin.pressButton({ message: first, customId: String(right.custom_id), userId: w.world.users.reader2.id });
    expect((await win.response()).body).toMatchObject({ type: 7 });
    const second = await nextRound(w.standin, channelId, Date.now() - 1, 30_000);
    expect(String(embedsOf(second)[0]?.title)).toMatch(/Round 2 of 2/);

    // A reload while the folder is briefly missing (a deploy swapping it) keeps the stories loaded.
    const aside = `${w.dataDir}-aside`;
    await rename(w.dataDir, aside);
    try {
      const before = errorsLogged('library reloaded (SIGHUP)').length + errorsLogged('library reload failed; keeping the stories already loaded').length;
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
    const categories = ['gore', 'torture', 'incest', 'slavery', 'alcohol', 'drug-use', 'self-harm', 'suicide'];
    const handles = categories.map((category) =>
      run({
        name: 'config',
        subcommand: 'hide',
        options: { category, hidden: true },
        userId: w.world.users.moderator.id,
      }),
    );
    // Signal as soon as the first of them has been answered: the rest are mid-flight.
    await handles[0]!.response(10_000);
    const result = await bot.stop('SIGTERM');
    expect(result.code).toBe(0);
    expect(bot.logLines().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'store closed']));
    const closes = w.standin.gateway.connections.filter((connection) => connection.closedBy === 'client');
    expect(closes.at(-1)?.closeCode).toBe(1000);
    expect(bot.output()).not.toContain(w.world.botToken);
    // Every change the bot confirmed must be stored: read them back through a new bot process.
    const confirmed = categories.filter((_, index) => {
      const message = handles[index]!.message() ?? handles[index]!.followUpMessages().at(-1);
      return message !== undefined && /now hidden/.test(message.content);
    });
    expect(confirmed.length).toBeGreaterThan(0);
    bot = await startBot();
    const settings = visibleText(await answer(run({ name: 'config', subcommand: 'show', userId: w.world.users.moderator.id })));
    const hiddenLine = settings.split('\n').find((line) => line.includes('Hidden categories')) ?? '';
    for (const category of confirmed) expect(hiddenLine).toContain(category);
    process.stdout.write(`[faults] SIGTERM with ${categories.length} writes in flight: ${confirmed.length} confirmed, all stored\n`);
  }, 90_000);

  test('SIGINT shuts down just as cleanly', async () => {
    const closesBefore = w.standin.gateway.connections.filter((connection) => connection.closedBy === 'client').length;
    const result = await bot.stop('SIGINT');
    expect(result.code).toBe(0);
    expect(bot.logLines().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'store closed']));
    const closes = w.standin.gateway.connections.filter((connection) => connection.closedBy === 'client');
    expect(closes.length).toBe(closesBefore + 1);
    expect(closes.at(-1)?.closeCode).toBe(1000);
  }, 30_000);
});
