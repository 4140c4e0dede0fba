/**
 * The store stopped in the middle of a run, for each backend the bot supports over the network:
 * a private redis-server (append-only file fsync'd on every write) killed with kill -9, and a
 * private PostgreSQL cluster stopped in immediate mode (a crash). Right after a quiz win was shown:
 * - commands that need state answer privately and clearly, within Discord's window, and show no
 *   story text (gating fails closed: a server's rating limits cannot be read);
 * - /help and autocomplete (no choices) keep working; the process stays up;
 * - when the store returns the bot serves state again without a restart, the acknowledged win is
 *   on the leaderboard and the interrupted game finishes.
 */
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
  PrivatePostgres,
  PrivateRedis,
  type RunningBot,
  type StoreServer,
  sleep,
  startConnectedBot,
  visibleText,
  type World,
} from './support/bot-harness.ts';

/** How soon the bot must serve state again once the store is back (its reconnect backoff included). */
const RECONNECT_WITHIN_MS = 20_000;

const BACKENDS = [
  { backend: 'redis', create: (dir: string): Promise<StoreServer> => PrivateRedis.create(dir) },
  ...(PrivatePostgres.available()
    ? [{ backend: 'postgres', create: (dir: string): Promise<StoreServer> => PrivatePostgres.create(dir) }]
    : []),
];

describe.each(BACKENDS)('$backend stopped in the middle of a run', ({ backend, create }) => {
  let w: World;
  let server: StoreServer;
  let bot: RunningBot;
  let harbour: Story;
  let outageStartedAt = 0;

  beforeAll(async () => {
    w = await createWorld();
    server = await create(join(w.dir, backend));
    await server.start();
    harbour = (await loadLibrary(w.dataDir)).stories.find((story) => story.id === 'harbour-lights')!;
    bot = await startConnectedBot({
      storeUrl: server.url,
      dataDir: w.dataDir,
      standin: w.standin,
      world: w.world,
    });
  }, 90_000);

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await server?.remove();
    await w?.close();
  });

  const run = (input: Parameters<typeof commandIn>[2]) => commandIn(w.standin, w.world, input);
  const answer = (handle: InteractionHandle, timeoutMs?: number) => answerOf(w.standin, handle, timeoutMs);

  test('the win is shown; the store dies at once', async () => {
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
    const win = w.standin.pressButton({
      message: round,
      customId: String(right.custom_id),
      userId: w.world.users.reader.id,
    });
    const reveal = await win.response();
    expect(reveal.body).toMatchObject({ type: 7 });
    expect(visibleText(w.standin.message(round.id))).toMatch(/reed/i);
    // The win has been acknowledged to the players: now the store goes away, mid-game.
    await server.kill();
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

  test('the bot serves state again once the store is back, and the acknowledged win is on the leaderboard', async () => {
    await server.start();
    const back = Date.now();
    let board = '';
    let servedAfterMs: number | undefined;
    for (;;) {
      const reply = await answer(run({ name: 'quiz', subcommand: 'leaderboard' }), 10_000);
      board = visibleText(reply);
      if (reply.content !== STORE_UNAVAILABLE) servedAfterMs ??= Date.now() - back;
      if (reply.content !== STORE_UNAVAILABLE && /reed/i.test(board)) break;
      if (Date.now() - back > RECONNECT_WITHIN_MS) break;
      await sleep(250);
    }
    expect(board).toMatch(/reed/i);
    expect(board).toMatch(/\b1[0-9]{2} points\b/);
    process.stdout.write(
      `[outage] ${backend}: down ${((back - outageStartedAt) / 1000).toFixed(1)} s; state served again ${servedAfterMs} ms ` +
        `and the win on the leaderboard ${Date.now() - back} ms after it returned\n`,
    );
    // The interrupted game finished too: its summary was posted once the store was back.
    const summary = await w.standin.waitForMessage(
      (message) =>
        message.origin === 'channel' && message.createdAt >= back && /reed/i.test(visibleText(message)),
      20_000,
    );
    expect(summary).toBeDefined();
    const excerpt = await answer(run({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } }));
    expect(String(embedsOf(excerpt)[0]?.description)).toContain('lighthouse');
  }, 90_000);

  test('the outage was logged as such, the process never crashed, and no raw database error reached a member', () => {
    expect(bot.child.exitCode).toBeNull();
    expect(bot.logLines().some((line) => line.msg === 'store unavailable')).toBe(true);
    const answers = w.standin.interactionsSent.flatMap((handle) => [
      handle.message(),
      ...handle.followUpMessages(),
    ]);
    for (const message of answers) {
      expect(visibleText(message)).not.toMatch(
        /ECONNREFUSED|ECONNRESET|socket|terminat|keyv|redis|postgres/i,
      );
    }
  });
});
