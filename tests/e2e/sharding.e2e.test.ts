// Two shards through `npm run start:shards` (discord.js's ShardingManager, one process each), sharing
// Redis: each shard serves its own guilds, and a quiz round pressed by everyone at once still has
// exactly one winner.
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../src/library/index.ts';
import type { Story } from '../../src/library/types.ts';
import {
  type BotEnvironment,
  PROJECT_ROOT,
  type RunningBot,
  runDeploy,
  startBot,
} from '../support/bot-process.ts';
import {
  buttonsOf,
  type DiscordStandin,
  type InteractionHandle,
  type JsonObject,
  startStandin,
} from '../support/discord-standin.ts';
import { buildFicWorld, type FicGuildFixture, type FicWorld } from '../support/standin-fixtures.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const STORIES_DIR = join(PROJECT_ROOT, 'tests', 'e2e', 'stories');

const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

async function purgeGuilds(guildIds: string[]): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  for (const guildId of guildIds) {
    for (const pattern of [`*ficbot:${guildId}:*`, `*ficbot-lock:${guildId}:*`]) {
      const keys = await client.keys(pattern);
      if (keys.length > 0) await client.del(keys);
    }
  }
  await client.close();
}

describe('two shards through npm run start:shards, state in Redis', () => {
  let world: FicWorld;
  let standin: DiscordStandin;
  let workDir: string;
  let shards: RunningBot;
  let library: Story[];

  beforeAll(async () => {
    world = buildFicWorld({ shardCount: 2 });
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
      shardCount: 2,
      heartbeatIntervalMs: 2_000,
    });
    workDir = await mkdtemp(join(tmpdir(), 'ficbot-shards-'));
    const dataDir = join(workDir, 'data');
    await mkdir(dataDir);
    for (const file of await readdir(STORIES_DIR))
      await copyFile(join(STORIES_DIR, file), join(dataDir, file));
    library = [...(await loadLibrary(dataDir)).stories];
    const env: BotEnvironment = {
      DISCORD_TOKEN: world.botToken,
      DISCORD_CLIENT_ID: world.applicationId,
      DISCORD_API_URL: standin.apiUrl,
      STORE_URL: REDIS_URL,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    // Global commands, as a production deployment registers them.
    const deployed = await runDeploy(env);
    expect(deployed.code, deployed.stderr).toBe(0);
    // The launcher hands its environment to each shard process it spawns.
    shards = startBot({ ...env, SHARD_COUNT: '2' }, 'src/shards.ts');
    await standin.waitForShards(2);
  }, 120_000);

  afterAll(async () => {
    await shards?.stop();
    await standin?.close();
    if (world) await purgeGuilds([world.main.id, world.other.id]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('each shard process identifies with its own shard and gets only its guilds', () => {
    const sessions = standin.gateway.liveSessions();
    expect(sessions.map((session) => session.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const byShard = new Map(sessions.map((session) => [session.shard[0], session.guildIds]));
    expect(byShard.get(0)).toEqual([world.main.id]);
    expect(byShard.get(1)).toEqual([world.other.id]);
    expect(standin.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);
    expect(shards.output()).not.toContain(world.botToken);
  });

  test('both shards serve their guilds', async () => {
    const inMain = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'stories',
    });
    const inOther = standin.slashCommand({
      guildId: world.other.id,
      channelId: world.other.channels.general,
      userId: world.users.reader.id,
      name: 'stories',
    });
    expect(inMain.shard).toEqual([0, 2]);
    expect(inOther.shard).toEqual([1, 2]);
    for (const handle of [inMain, inOther]) {
      const response = await handle.response(10_000);
      expect(response.status).toBeLessThan(300);
      expect(JSON.stringify(handle.message()?.embeds)).toContain('Harbour Lights');
    }
  });

  async function quizRound(guild: FicGuildFixture, starter: string, players: string[]) {
    const start = standin.slashCommand({
      guildId: guild.id,
      channelId: guild.channels.general,
      userId: starter,
      name: 'quiz',
      subcommand: 'start',
      options: { story: 'harbour-lights', rounds: 1, seconds: 20 },
    });
    expect((await start.response(10_000)).status).toBeLessThan(300);
    expect(start.message()?.content).toContain('Quote quiz!');
    const round = await standin.waitForMessage(
      (message) =>
        message.origin === 'channel' &&
        message.channelId === guild.channels.general &&
        buttonsOf(message).some((button) => String(button.custom_id).startsWith('quiz:guess:')),
      20_000,
    );
    const story = library.find((candidate) => candidate.id === 'harbour-lights')!;
    const shown = letters(String((round.embeds[0] as JsonObject).description));
    const quote = story.dialogue.quotes
      .filter((candidate) => candidate.eligible && shown.includes(letters(candidate.text)))
      .sort((a, b) => b.text.length - a.text.length)[0];
    const right = buttonsOf(round).find((button) => button.label === quote?.speaker);
    expect(right, `answer button for ${quote?.speaker}`).toBeDefined();
    // Everyone presses the right answer at the same instant.
    const presses: InteractionHandle[] = players.map((userId) =>
      standin.pressButton({ message: round, customId: String(right?.custom_id), userId }),
    );
    const responses = await Promise.all(presses.map((press) => press.response(10_000)));
    expect(responses.every((response) => response.status < 300)).toBe(true);
    const reveals = responses.filter((response) => (response.body as JsonObject).type === 7);
    expect(reveals).toHaveLength(1);
    const winnerIndex = responses.findIndex((response) => (response.body as JsonObject).type === 7);
    const winner = world.allUsers.find((user) => user.id === players[winnerIndex])!;
    const revealed = standin.message(round.id)!;
    expect(JSON.stringify(revealed.embeds).toLowerCase()).toContain(winner.username);
    for (const [index, press] of presses.entries()) {
      if (index !== winnerIndex) expect(press.message()?.ephemeralFor).toBe(players[index]);
    }
    // The game ends with a summary post once the scores are settled.
    await standin.waitForMessage(
      (message) =>
        message.origin === 'channel' &&
        message.channelId === guild.channels.general &&
        message.id !== round.id &&
        message.createdAt >= revealed.createdAt &&
        JSON.stringify([message.content, message.embeds]).toLowerCase().includes(winner.username),
      20_000,
    );
    return winner;
  }

  test('a quiz round in each shard, every player pressing the right answer at once, has exactly one winner each', async () => {
    const eligible = library
      .find((candidate) => candidate.id === 'harbour-lights')
      ?.dialogue.quotes.filter((quote) => quote.eligible);
    expect(
      eligible?.length,
      'the library marks no line of harbour-lights eligible for the quiz',
    ).toBeGreaterThanOrEqual(4);
    const { users } = world;
    const [mainWinner, otherWinner] = await Promise.all([
      quizRound(world.main, users.moderator.id, [
        users.owner.id,
        users.moderator.id,
        users.reader.id,
        users.reader2.id,
      ]),
      quizRound(world.other, users.outsider.id, [users.outsider.id, users.reader2.id, users.reader.id]),
    ]);
    const board = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: users.reader.id,
      name: 'quiz',
      subcommand: 'leaderboard',
    });
    await board.response(10_000);
    const text = JSON.stringify([board.message()?.content, board.message()?.embeds]).toLowerCase();
    expect(text, text).toContain(mainWinner.username);
    expect(otherWinner).toBeDefined();
  }, 90_000);

  test('SIGTERM to the launcher stops both shards cleanly', async () => {
    const result = await shards.stop();
    expect(result.code, shards.output().slice(-2000)).toBe(0);
    expect(standin.gateway.liveSessions()).toEqual([]);
  }, 30_000);

  test('every message both shards sent disabled mentions', () => {
    const sent = standin.messageRequests().filter((request) => request.status < 300);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.filter((request) => request.mentionsDisabled !== true)).toEqual([]);
  });
});
