/**
 * The real discord.js adapter end to end: ficbot's client logs in to the local Discord stand-in,
 * its commands are registered as `npm run deploy` does, and interactions flow through the router
 * to the handlers. Proves threads inherit age restriction, private answers use the Ephemeral
 * flag, and no message the bot sends can ping anyone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { type Client, Events, MessageFlags, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';
import { type BotHandle, createClient, createMessenger, startBot } from '../../src/discord/client.ts';
import { createRouter } from '../../src/discord/router.ts';
import { createLibraryHolder, createServices } from '../../src/discord/services.ts';
import { createLogger } from '../../src/logger.ts';
import { systemClock } from '../../src/shell/clock.ts';
import { openStore } from '../../src/state/store.ts';
import type { Store } from '../../src/state/types.ts';
import { loadSeedLibrary } from '../shell/harness.ts';
import { type DiscordStandin, startStandin } from '../support/discord-standin.ts';
import { buildFicWorld, type FicWorld } from '../support/standin-fixtures.ts';

const MATURE = 'war-verse-first-person';

let world: FicWorld;
let standin: DiscordStandin;
let bot: BotHandle;
let store: Store;
let dir: string;

beforeAll(async () => {
  world = buildFicWorld();
  standin = await startStandin({
    applicationId: world.applicationId,
    botToken: world.botToken,
    guilds: world.guilds,
    users: world.allUsers,
    heartbeatIntervalMs: 400,
  });
  const rest = new REST({ api: standin.apiUrl }).setToken(world.botToken);
  // Registered globally (as `npm run deploy` does without DISCORD_GUILD_ID): both servers have them.
  await rest.put(Routes.applicationCommands(world.applicationId), {
    body: commands.map((command) => command.data),
  });
  dir = await mkdtemp(join(tmpdir(), 'ficbot-bot-'));
  const logger = createLogger({ level: 'silent' });
  store = await openStore(`sqlite://${join(dir, 'bot.sqlite')}`, { logger });
  const client: Client = createClient({ apiUrl: standin.apiUrl });
  const services = createServices({
    library: createLibraryHolder(await loadSeedLibrary()),
    store,
    logger,
    messenger: createMessenger(client),
    clock: systemClock,
    commands,
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  bot = await startBot(client, world.botToken, createRouter(commands, services).route, logger);
  await ready;
}, 60_000);

afterAll(async () => {
  await bot?.stop(1000);
  await store?.close();
  await standin?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function command(
  channel: keyof FicWorld['main']['channels'],
  userId: string,
  name: string,
  options = {},
  extra = {},
) {
  return standin.slashCommand({
    guildId: world.main.id,
    channelId: world.main.channels[channel],
    userId,
    name,
    options,
    ...extra,
  });
}

describe('ficbot on Discord (stand-in)', () => {
  test('a mature story is refused privately in an ordinary channel', async () => {
    const handle = command('general', world.users.reader.id, 'excerpt', { story: MATURE });
    const response = await handle.response();
    // The bot does not ask for the sent message back (no with_response): Discord answers 204.
    expect(response.status).toBe(204);
    expect(response.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect(JSON.stringify(response.body)).toContain('rated Mature');
    expect(response.mentionsDisabled).toBe(true);
  });

  test('served in a thread of an age-restricted channel, paged with buttons', async () => {
    const handle = command('nsfwThread', world.users.reader.id, 'excerpt', {
      story: 'another-time-another-place',
      scene: 1,
    });
    const response = await handle.response();
    expect(response.status).toBe(204);
    expect(response.body).toMatchObject({ type: 4 });
    const message = handle.message()!;
    expect(message.flags & MessageFlags.Ephemeral).toBe(0);
    expect(JSON.stringify(message.embeds)).toContain('Metal clanged against metal');
    const press = standin.pressButton({
      message,
      customId: 'excerpt:page:another-time-another-place:0:1',
      userId: world.users.reader.id,
    });
    const update = await press.response();
    expect(update.status).toBe(204);
    expect(update.body).toMatchObject({ type: 7 });
    expect(JSON.stringify(standin.message(message.id)?.embeds)).toContain('page 2 of');
  });

  test('a thread of an ordinary channel is ordinary', async () => {
    const handle = command('thread', world.users.reader.id, 'excerpt', { story: MATURE });
    expect(JSON.stringify((await handle.response()).body)).toContain('rated Mature');
  });

  test('/config: a reader is refused even where the server overrode the permissions; a moderator changes it', async () => {
    const denied = command(
      'general',
      world.users.reader.id,
      'config',
      {},
      { subcommand: 'show', permissionOverride: true },
    );
    const refusal = await denied.response();
    expect(refusal.body).toMatchObject({ data: { flags: MessageFlags.Ephemeral } });
    expect(JSON.stringify(refusal.body)).toContain('You need the Manage Server permission');
    const changed = command(
      'general',
      world.users.moderator.id,
      'config',
      { ordinary: 'mature' },
      { subcommand: 'rating' },
    );
    const answer = await changed.response();
    expect(answer.body).toMatchObject({ data: { flags: MessageFlags.Ephemeral } });
    expect(JSON.stringify(answer.body)).toContain('Ordinary channels now allow up to **Mature**');
    const served = command('general', world.users.reader.id, 'summary', { story: MATURE });
    expect(JSON.stringify((await served.response()).body)).toContain('Spike and Xander');
  });

  test('autocomplete answers with the stories this channel may serve', async () => {
    const handle = standin.autocomplete({
      guildId: world.other.id,
      channelId: world.other.channels.afterDark,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: '' },
      focused: 'story',
      focusedValue: '',
    });
    await handle.response();
    const choices = handle.choices() as { value: string }[] | undefined;
    expect(choices?.map((choice) => choice.value).sort()).toEqual([
      'another-time-another-place',
      'war-verse-first-person',
    ]);
    const ordinary = standin.autocomplete({
      guildId: world.other.id,
      channelId: world.other.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: '' },
      focused: 'story',
      focusedValue: '',
    });
    await ordinary.response();
    // Both seed stories are mature or unrated: nothing to offer in an ordinary channel by default.
    expect(ordinary.choices()).toEqual([]);
  });

  test('no message the bot sent could ping anyone', () => {
    const bearing = standin.requests.filter((request) => request.messageBearing);
    expect(bearing.length).toBeGreaterThan(4);
    for (const request of bearing) expect(request.mentionsDisabled, request.route).toBe(true);
  });
});
