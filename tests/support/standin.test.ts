// The stand-in is only worth something if the real discord.js client works against it exactly as it
// would against Discord. These tests drive discord.js 14 and @discordjs/rest through it.
import { REST } from '@discordjs/rest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type DiscordStandin, startStandin } from './discord-standin.ts';
import { buildFicWorld, type FicWorld } from './standin-fixtures.ts';

type Listener = (interaction: Interaction) => Promise<void>;

async function loginClient(
  standin: DiscordStandin,
  token: string,
  shard?: { shards: number[]; shardCount: number },
): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: standin.apiUrl },
    allowedMentions: { parse: [] },
    ...(shard ?? {}),
  });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}

/** Runs `listener` for interactions until the test ends; errors surface through `failures`. */
function handleInteractions(client: Client, listener: Listener) {
  const failures: unknown[] = [];
  const wrapped = (interaction: Interaction) => {
    listener(interaction).catch((cause: unknown) => failures.push(cause));
  };
  client.on(Events.InteractionCreate, wrapped);
  return { failures, stop: () => client.off(Events.InteractionCreate, wrapped) };
}

interface ApiRefusal {
  code: number | string;
  status: number;
  rawError: unknown;
}

/** discord.js (CommonJS) and @discordjs/rest (ESM here) carry distinct DiscordAPIError classes, so match by shape. */
function isApiRefusal(cause: unknown): cause is ApiRefusal {
  return cause instanceof Error && 'code' in cause && 'status' in cause && 'rawError' in cause;
}

async function rejectionOf(promise: Promise<unknown>): Promise<ApiRefusal> {
  try {
    await promise;
  } catch (cause) {
    if (isApiRefusal(cause)) return cause;
    throw cause;
  }
  throw new Error('expected Discord to refuse the request');
}

const readCommands = [
  {
    name: 'excerpt',
    description: 'Show a scene',
    options: [
      { name: 'story', description: 'Story', type: 3, required: true, autocomplete: true },
      { name: 'page', description: 'Page', type: 4, min_value: 1, max_value: 50 },
    ],
  },
  {
    name: 'config',
    description: 'Server settings',
    default_member_permissions: '32',
    options: [
      {
        name: 'set',
        description: 'Change a setting',
        type: 1,
        options: [
          {
            name: 'key',
            description: 'Setting',
            type: 3,
            required: true,
            choices: [{ name: 'Rating limit', value: 'rating' }],
          },
          { name: 'value', description: 'Value', type: 3, required: true },
        ],
      },
    ],
  },
];

describe('the stand-in with one discord.js client', () => {
  let world: FicWorld;
  let standin: DiscordStandin;
  let client: Client<true>;
  let stopListening: (() => void) | undefined;

  beforeAll(async () => {
    world = buildFicWorld();
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
      heartbeatIntervalMs: 400,
    });
    client = await loginClient(standin, world.botToken);
    const rest = new REST({ api: standin.apiUrl }).setToken(world.botToken);
    await rest.put(Routes.applicationGuildCommands(world.applicationId, world.main.id), {
      body: readCommands,
    });
  });

  afterEach(() => {
    stopListening?.();
    stopListening = undefined;
  });

  afterAll(async () => {
    await client?.destroy();
    await standin?.close();
  });

  function listen(listener: Listener) {
    const handle = handleInteractions(client, listener);
    stopListening = handle.stop;
    return handle.failures;
  }

  test('login reaches clientReady with the fixture guilds, channels, roles and age restrictions cached', () => {
    expect(standin.requests[0]?.route).toBe('GET /gateway/bot');
    expect(client.user.id).toBe(world.applicationId);
    expect(client.application.id).toBe(world.applicationId);
    expect([...client.guilds.cache.keys()].sort()).toEqual([world.main.id, world.other.id].sort());
    const guild = client.guilds.cache.get(world.main.id)!;
    expect(guild.name).toBe('Fic Club');
    const general = guild.channels.cache.get(world.main.channels.general) as TextChannel;
    const afterDark = guild.channels.cache.get(world.main.channels.afterDark) as TextChannel;
    expect(general.type).toBe(ChannelType.GuildText);
    expect(general.nsfw).toBe(false);
    expect(afterDark.nsfw).toBe(true);
    const thread = guild.channels.cache.get(world.main.channels.thread);
    expect(thread?.isThread()).toBe(true);
    expect(thread?.isThread() && thread.parentId).toBe(world.main.channels.general);
    expect(guild.roles.everyone.id).toBe(world.main.id);
    expect(guild.roles.cache.get(world.main.roles.moderator)?.permissions.has('ManageGuild')).toBe(true);
    expect(guild.members.cache.get(world.users.reader.id)?.permissions.has('ManageGuild')).toBe(false);
    expect(guild.members.cache.get(world.users.moderator.id)?.permissions.has('ManageGuild')).toBe(true);
  });

  test('the client heartbeats and every heartbeat is acknowledged', async () => {
    const connection = standin.gateway.connections.find((candidate) => candidate.kind === 'identify')!;
    await standin.waitFor(() => connection.heartbeats >= 2, 5_000, 'two heartbeats');
    expect(connection.shard).toEqual([0, 1]);
    expect(connection.intents).toBe(GatewayIntentBits.Guilds);
    await standin.waitFor(() => client.ws.ping >= 0, 5_000, 'a measured ping');
  });

  test('a slash command reaches the handler with typed options, member permissions and the channel', async () => {
    const seen: { story: string; page: number | null; manage: boolean | undefined; nsfw: boolean }[] = [];
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const channel = interaction.channel as TextChannel;
      seen.push({
        story: interaction.options.getString('story', true),
        page: interaction.options.getInteger('page'),
        manage: interaction.memberPermissions?.has('ManageGuild'),
        nsfw: channel.nsfw,
      });
      await interaction.reply({ content: `Showing ${interaction.options.getString('story')} @everyone` });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.afterDark,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'moonlit', page: 2 },
    });
    const response = await handle.response();
    expect(seen).toEqual([{ story: 'moonlit', page: 2, manage: false, nsfw: true }]);
    expect(response.status).toBe(204);
    expect(response.path).toBe(`/v10/interactions/${handle.id}/${handle.token}/callback`);
    expect(response.body).toMatchObject({ type: 4, data: { content: 'Showing moonlit @everyone' } });
    expect(response.mentionsDisabled).toBe(true);
    expect(response.pings).toEqual({ everyone: false, users: [], roles: [] });
    expect(handle.message()?.content).toBe('Showing moonlit @everyone');
    expect(handle.latencyMs()).toBeGreaterThan(0);
  });

  test('a message sent without allowed_mentions is recorded as one that pings', async () => {
    listen(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'ok' });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    await handle.response();
    // What a client without a client-wide allowedMentions sends: no allowed_mentions at all.
    const followUp = await client.rest.post(Routes.webhook(world.applicationId, handle.token), {
      body: { content: `again <@${world.users.reader2.id}> @everyone` },
      query: new URLSearchParams({ wait: 'true' }),
      auth: false,
    });
    expect(followUp).toMatchObject({ mentions: [{ id: world.users.reader2.id }], mention_everyone: false });
    const recorded = handle.followUps()[0]!;
    expect(recorded.mentionsDisabled).toBe(false);
    expect(recorded.pings).toEqual({ everyone: false, users: [world.users.reader2.id], roles: [] });
  });

  test('deferReply, editReply and followUp land on the right endpoints and messages', async () => {
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({
        content: 'Here is the summary',
        embeds: [new EmbedBuilder().setTitle('Summary')],
      });
      await interaction.followUp({ content: 'And a follow-up' });
      const fetched = await interaction.fetchReply();
      await interaction.followUp({ content: `fetched ${fetched.id}`, flags: MessageFlags.Ephemeral });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.moderator.id,
      name: 'excerpt',
      options: { story: 'moonlit' },
    });
    const defer = await handle.response();
    expect(defer.body).toEqual({ type: 5, data: { flags: 64 } });
    await handle.waitForRequest(
      (request) => request.body !== undefined && JSON.stringify(request.body).includes('fetched'),
    );
    const routes = handle.requests().map((request) => `${request.route} ${request.status}`);
    expect(routes).toEqual([
      'POST /interactions/:id/:token/callback 204',
      'PATCH /webhooks/:app/:token/messages/:message 200',
      'POST /webhooks/:app/:token 200',
      'GET /webhooks/:app/:token/messages/:message 200',
      'POST /webhooks/:app/:token 200',
    ]);
    expect(handle.requests()[1]?.path).toContain('/messages/%40original');
    const original = handle.message()!;
    expect(original.content).toBe('Here is the summary');
    expect(original.ephemeralFor).toBe(world.users.moderator.id);
    expect(original.flags & 128).toBe(0);
    const [first, second] = handle.followUpMessages();
    expect(first?.content).toBe('And a follow-up');
    expect(first?.ephemeralFor).toBeUndefined();
    expect(second?.content).toBe(`fetched ${original.id}`);
    expect(
      handle
        .requests()
        .filter((request) => request.messageBearing)
        .every((r) => r.mentionsDisabled),
    ).toBe(true);
  });

  test('a button press reaches the handler and update() edits the message that carries it', async () => {
    listen(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('page:moonlit:2').setLabel('Next').setStyle(ButtonStyle.Primary),
        );
        await interaction.reply({ content: 'Page 1', components: [row] });
      } else if (interaction.isButton()) {
        expect(interaction.message.content).toBe('Page 1');
        await interaction.update({ content: `Page 2 for ${interaction.user.username}`, components: [] });
      }
    });
    const command = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'moonlit' },
    });
    await command.response();
    const message = command.message()!;
    const press = standin.pressButton({
      message,
      customId: 'page:moonlit:2',
      userId: world.users.reader2.id,
    });
    const update = await press.response();
    expect(update.status).toBe(204);
    expect(update.body).toMatchObject({ type: 7, data: { content: 'Page 2 for rhea', components: [] } });
    expect(standin.message(message.id)?.content).toBe('Page 2 for rhea');
    expect(standin.message(message.id)?.history.map((entry) => entry.content)).toEqual(['Page 1']);
    expect(() =>
      standin.pressButton({ message, customId: 'page:moonlit:2', userId: world.users.reader.id }),
    ).toThrow(/no component/);
  });

  test('deferUpdate then editReply edits the component message', async () => {
    listen(async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('quiz:a').setLabel('A').setStyle(ButtonStyle.Secondary),
        );
        await interaction.reply({ content: 'Who said it?', components: [row] });
      } else if (interaction.isButton()) {
        await interaction.deferUpdate();
        await interaction.editReply({ content: 'Answered' });
      }
    });
    const command = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'moonlit' },
    });
    await command.response();
    const press = standin.pressButton({
      message: command.message()!,
      customId: 'quiz:a',
      userId: world.users.reader.id,
    });
    expect((await press.response()).body).toEqual({ type: 6 });
    await press.waitForRequest((request) => request.method === 'PATCH');
    expect(command.message()?.content).toBe('Answered');
  });

  test('autocomplete respond() is recorded, and more than 25 choices are refused with 50035', async () => {
    const refusals: ApiRefusal[] = [];
    listen(async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      const many = interaction.options.getString('story') === 'many';
      const choices = Array.from({ length: many ? 26 : 3 }, (_, index) => ({
        name: `${typed} ${index}`,
        value: `${typed}-${index}`,
      }));
      if (many) refusals.push(await rejectionOf(interaction.respond(choices)));
      else await interaction.respond(choices);
    });
    const handle = standin.autocomplete({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      focused: 'story',
      focusedValue: 'moo',
    });
    const response = await handle.response();
    expect(response.status).toBe(204);
    expect(handle.choices()).toEqual([
      { name: 'moo 0', value: 'moo-0' },
      { name: 'moo 1', value: 'moo-1' },
      { name: 'moo 2', value: 'moo-2' },
    ]);
    expect(handle.payload.data).toMatchObject({ options: [{ name: 'story', value: 'moo', focused: true }] });
    const many = standin.autocomplete({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      focused: 'story',
      focusedValue: 'many',
    });
    expect((await many.response()).errorCode).toBe(50035);
    await standin.waitFor(() => refusals.length === 1, 2_000, 'the refusal');
    expect(refusals[0]?.code).toBe(50035);
    expect(refusals[0]?.rawError).toMatchObject({
      errors: { data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
  });

  test('a second initial response to one interaction is refused with 40060', async () => {
    const refusals: ApiRefusal[] = [];
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'first' });
      // A second process answering the same interaction (discord.js itself refuses locally).
      const second = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: 4, data: { content: 'second' } },
        auth: false,
      });
      refusals.push(await rejectionOf(second));
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    await handle.waitForRequest((request) => request.status === 400);
    expect(handle.callbacks().map((request) => [request.status, request.errorCode])).toEqual([
      [204, undefined],
      [400, 40060],
    ]);
    await standin.waitFor(() => refusals.length === 1, 2_000, 'the refusal');
    expect(refusals[0]).toMatchObject({ code: 40060, status: 400 });
  });

  test('a response after 3 seconds is refused with 10062 and no message appears', async () => {
    const refusals: ApiRefusal[] = [];
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      refusals.push(await rejectionOf(interaction.reply({ content: 'too late' })));
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    const response = await handle.response(6_000);
    expect(response).toMatchObject({ status: 404, errorCode: 10062 });
    expect(handle.latencyMs()).toBeGreaterThan(3_000);
    await standin.waitFor(() => refusals.length === 1, 2_000, 'the refusal');
    expect(refusals[0]).toMatchObject({ code: 10062, status: 404 });
    expect(handle.message()).toBeUndefined();
  });

  test('content over 2000 characters is refused with 50035 naming the field', async () => {
    const refusals: ApiRefusal[] = [];
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      refusals.push(await rejectionOf(interaction.reply({ content: 'x'.repeat(2001) })));
      await interaction.reply({ content: 'x'.repeat(2000) });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    await handle.waitForRequest((request) => request.status === 204);
    expect(refusals[0]).toMatchObject({ code: 50035, status: 400 });
    expect(refusals[0]?.rawError).toMatchObject({
      errors: { data: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    expect(handle.message()?.content).toHaveLength(2000);
  });

  test('a follow-up with an unknown token or application is refused', async () => {
    const rest = new REST({ api: standin.apiUrl });
    const unknownToken = await rejectionOf(
      rest.post(Routes.webhook(world.applicationId, 'not-a-token'), { body: { content: 'x' }, auth: false }),
    );
    expect(unknownToken).toMatchObject({ code: 50027, status: 401 });
    const unknownApp = await rejectionOf(
      rest.patch(Routes.webhookMessage('123456789012345678', 'not-a-token'), {
        body: { content: 'x' },
        auth: false,
      }),
    );
    expect(unknownApp).toMatchObject({ code: 10015, status: 404 });
  });

  test('the bot posts, edits, fetches and deletes its own channel messages', async () => {
    const channel = client.channels.cache.get(world.main.channels.general) as TextChannel;
    const sent = await channel.send({ content: 'Round 2: who said "never"?' });
    expect(sent.author.id).toBe(world.applicationId);
    const edited = await sent.edit({ content: 'Round 2 is over' });
    expect(edited.content).toBe('Round 2 is over');
    const fetched = await channel.messages.fetch({ message: sent.id, force: true });
    expect(fetched.content).toBe('Round 2 is over');
    await sent.delete();
    expect(standin.message(sent.id)?.deleted).toBe(true);
    const post = standin.requests.find((request) => request.route === 'POST /channels/:channel/messages');
    expect(post).toMatchObject({ status: 200, authorized: true, mentionsDisabled: true });
    const unknown = await rejectionOf(client.rest.get(Routes.channel('123456789012345678')));
    expect(unknown).toMatchObject({ code: 10003, status: 404 });
  });

  test('the dispatch helpers refuse what Discord would never send', () => {
    const base = {
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
    };
    expect(() => standin.slashCommand({ ...base, name: 'nope' })).toThrow(/not registered/);
    expect(() => standin.slashCommand({ ...base, name: 'excerpt', options: {} })).toThrow(
      /requires option "story"/,
    );
    expect(() =>
      standin.slashCommand({ ...base, name: 'excerpt', options: { story: 'x', page: 51 } }),
    ).toThrow(/max_value/);
    expect(() =>
      standin.slashCommand({
        ...base,
        name: 'config',
        subcommand: 'set',
        options: { key: 'rating', value: 'teen' },
      }),
    ).toThrow(/default_member_permissions/);
    expect(() =>
      standin.slashCommand({
        ...base,
        userId: world.users.outsider.id,
        name: 'excerpt',
        options: { story: 'x' },
      }),
    ).toThrow(/not a member/);
  });

  test('a subcommand with a server permission override reaches the handler with the member permissions', async () => {
    const seen: (boolean | undefined)[] = [];
    listen(async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      expect(interaction.options.getSubcommand()).toBe('set');
      expect(interaction.options.getString('key')).toBe('rating');
      seen.push(interaction.memberPermissions?.has('ManageGuild'));
      await interaction.reply({ content: 'You need Manage Server', flags: MessageFlags.Ephemeral });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'config',
      subcommand: 'set',
      options: { key: 'rating', value: 'teen' },
      permissionOverride: true,
    });
    await handle.response();
    expect(seen).toEqual([false]);
    expect(handle.message()?.ephemeralFor).toBe(world.users.reader.id);
  });

  test('a forced disconnect makes the client RESUME on resume_gateway_url and replay missed events', async () => {
    const resumed = new Promise<number>((resolve) => client.once(Events.ShardResume, (id) => resolve(id)));
    listen(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'answered after resume' });
    });
    const session = standin.disconnectShard(0);
    // Dispatched while the shard is down: Discord buffers it and replays it on RESUME.
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    expect(await resumed).toBe(0);
    expect((await handle.response()).status).toBe(204);
    const last = standin.gateway.connections.at(-1)!;
    expect(last).toMatchObject({ kind: 'resume', path: '/gateway-resume', sessionId: session.id });
    expect(session.resumes).toBe(1);
    expect(client.guilds.cache.size).toBe(2);
  });

  test('op 7 Reconnect makes the client resume the same session', async () => {
    const resumed = new Promise<number>((resolve) => client.once(Events.ShardResume, (id) => resolve(id)));
    const session = standin.requestReconnect(0);
    expect(await resumed).toBe(0);
    expect(standin.gateway.connections.at(-1)).toMatchObject({ kind: 'resume', sessionId: session.id });
  });

  test('op 9 Invalid Session (not resumable) makes the client identify a new session and get its guilds again', async () => {
    const before = standin.invalidateSession(0, false);
    const [fresh] = await standin.waitFor(
      () => {
        const live = standin.gateway.liveSessions().filter((s) => s.id !== before.id && s.guildsSent);
        return live.length > 0 ? live : undefined;
      },
      15_000,
      'a new session',
    );
    expect(fresh?.shard).toEqual([0, 1]);
    expect(standin.gateway.connections.at(-1)).toMatchObject({ kind: 'identify', path: '/gateway' });
    listen(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'still here' });
    });
    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'x' },
    });
    expect((await handle.response()).status).toBe(204);
  });
});

describe('the stand-in with two shards', () => {
  let world: FicWorld;
  let standin: DiscordStandin;
  const clients: Client[] = [];

  beforeAll(async () => {
    world = buildFicWorld({ shardCount: 2 });
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
      shardCount: 2,
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    await standin?.close();
  });

  test('each shard gets only its guilds and serves their interactions', async () => {
    const [first, second] = await Promise.all([
      loginClient(standin, world.botToken, { shards: [0], shardCount: 2 }),
      loginClient(standin, world.botToken, { shards: [1], shardCount: 2 }),
    ]);
    clients.push(first, second);
    expect([...first.guilds.cache.keys()]).toEqual([world.main.id]);
    expect([...second.guilds.cache.keys()]).toEqual([world.other.id]);
    const shardsSeen: string[] = [];
    for (const [name, client] of [
      ['first', first],
      ['second', second],
    ] as const) {
      handleInteractions(client, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        shardsSeen.push(`${name}:${interaction.guildId}`);
        await interaction.reply({ content: `from shard ${client.ws.shards.first()?.id}` });
      });
    }
    const inMain = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'help',
    });
    const inOther = standin.slashCommand({
      guildId: world.other.id,
      channelId: world.other.channels.general,
      userId: world.users.reader.id,
      name: 'help',
    });
    expect((await inMain.response()).body).toMatchObject({ data: { content: 'from shard 0' } });
    expect((await inOther.response()).body).toMatchObject({ data: { content: 'from shard 1' } });
    expect(shardsSeen.sort()).toEqual([`first:${world.main.id}`, `second:${world.other.id}`].sort());
    expect(inMain.shard).toEqual([0, 2]);
    expect(inOther.shard).toEqual([1, 2]);
  });
});

describe('application command bulk overwrite through @discordjs/rest', () => {
  let world: FicWorld;
  let standin: DiscordStandin;

  beforeAll(async () => {
    world = buildFicWorld();
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
    });
  });

  afterAll(async () => {
    await standin?.close();
  });

  test('guild and global overwrites store the commands, return ids and keep ids of existing names', async () => {
    const rest = new REST({ api: standin.apiUrl }).setToken(world.botToken);
    const route = Routes.applicationGuildCommands(world.applicationId, world.main.id);
    const created = (await rest.put(route, { body: readCommands })) as { id: string; name: string }[];
    expect(created.map((command) => command.name)).toEqual(['excerpt', 'config']);
    expect(created.every((command) => /^\d{17,20}$/.test(command.id))).toBe(true);
    const again = (await rest.put(route, { body: readCommands.slice(0, 1) })) as { id: string }[];
    expect(again[0]?.id).toBe(created[0]?.id);
    expect(((await rest.get(route)) as unknown[]).length).toBe(1);
    expect(standin.commandCreates.get(world.main.id)).toBe(2);
    const global = (await rest.put(Routes.applicationCommands(world.applicationId), {
      body: [{ name: 'help', description: 'How to use ficbot' }],
    })) as { name: string; guild_id?: string }[];
    expect(global).toMatchObject([{ name: 'help' }]);
    expect(global[0]?.guild_id).toBeUndefined();
    expect(standin.commandsFor(world.main.id).map((command) => command.name)).toEqual(['excerpt', 'help']);
  });

  test.each([
    ['an upper-case name', [{ name: 'Excerpt', description: 'x' }], '0.name'],
    ['a description over 100 characters', [{ name: 'x', description: 'd'.repeat(101) }], '0.description'],
    [
      'a required option after an optional one',
      [
        {
          name: 'x',
          description: 'x',
          options: [
            { name: 'a', description: 'a', type: 3 },
            { name: 'b', description: 'b', type: 3, required: true },
          ],
        },
      ],
      '0.options.1.required',
    ],
    [
      'autocomplete together with choices',
      [
        {
          name: 'x',
          description: 'x',
          options: [
            {
              name: 'a',
              description: 'a',
              type: 3,
              autocomplete: true,
              choices: [{ name: 'n', value: 'v' }],
            },
          ],
        },
      ],
      '0.options.0.autocomplete',
    ],
  ])('refuses %s with 50035', async (_label, body, field) => {
    const rest = new REST({ api: standin.apiUrl }).setToken(world.botToken);
    const refusal = await rejectionOf(rest.put(Routes.applicationCommands(world.applicationId), { body }));
    expect(refusal).toMatchObject({ code: 50035, status: 400 });
    let node: unknown = (refusal.rawError as { errors: unknown }).errors;
    for (const key of field.split('.')) node = (node as Record<string, unknown>)[key];
    expect(node).toHaveProperty('_errors');
  });

  test('a wrong token is refused with 401 and discord.js reports an invalid token', async () => {
    const rest = new REST({ api: standin.apiUrl }).setToken('wrong');
    expect(await rejectionOf(rest.get(Routes.gatewayBot()))).toMatchObject({ status: 401 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: standin.apiUrl } });
    await expect(client.login('wrong')).rejects.toThrow(/invalid token/i);
    await client.destroy();
  });
});

describe('message limits (raw callbacks, as any client would send them)', () => {
  let world: FicWorld;
  let standin: DiscordStandin;
  let client: Client<true>;

  beforeAll(async () => {
    world = buildFicWorld();
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
    });
    client = await loginClient(standin, world.botToken);
  });

  afterAll(async () => {
    await client?.destroy();
    await standin?.close();
  });

  const button = (id: string, label = 'b') => ({ type: 2, style: 1, custom_id: id, label });
  const row = (...components: unknown[]) => ({ type: 1, components });
  const field = { name: 'n', value: 'v' };

  test.each([
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 'data.embeds'],
    ['an embed title of 257', { embeds: [{ title: 't'.repeat(257) }] }, 'data.embeds.0.title'],
    [
      'an embed description of 4097',
      { embeds: [{ description: 'd'.repeat(4097) }] },
      'data.embeds.0.description',
    ],
    [
      '26 embed fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => field) }] },
      'data.embeds.0.fields',
    ],
    [
      'a field name of 257',
      { embeds: [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }] },
      'data.embeds.0.fields.0.name',
    ],
    [
      'a field value of 1025',
      { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
      'data.embeds.0.fields.0.value',
    ],
    ['a footer of 2049', { embeds: [{ footer: { text: 'f'.repeat(2049) } }] }, 'data.embeds.0.footer.text'],
    [
      'an author name of 257',
      { embeds: [{ author: { name: 'a'.repeat(257) } }] },
      'data.embeds.0.author.name',
    ],
    [
      'embeds totalling over 6000',
      { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
      'data.embeds',
    ],
    [
      '6 action rows',
      { components: Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))) },
      'data.components',
    ],
    [
      '6 buttons in a row',
      { components: [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] },
      'data.components.0.components',
    ],
    [
      'a custom_id of 101',
      { components: [row(button('c'.repeat(101)))] },
      'data.components.0.components.0.custom_id',
    ],
    [
      'a duplicate custom_id',
      { components: [row(button('same')), row(button('same'))] },
      'data.components.1.components.0.custom_id',
    ],
    [
      'a button label of 81',
      { components: [row(button('b', 'l'.repeat(81)))] },
      'data.components.0.components.0.label',
    ],
  ])('refuses a reply with %s', async (_label, data, path) => {
    const refusals: ApiRefusal[] = [];
    const listener = handleInteractions(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      refusals.push(
        await rejectionOf(
          client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
            body: { type: 4, data: { content: 'x', ...data } },
            auth: false,
          }),
        ),
      );
    });
    try {
      const handle = standin.slashCommand({
        guildId: world.main.id,
        channelId: world.main.channels.general,
        userId: world.users.reader.id,
        name: 'help',
      });
      const response = await handle.response();
      expect(response).toMatchObject({ status: 400, errorCode: 50035 });
      let node: unknown = (response.response as { errors: unknown }).errors;
      for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
      expect(node).toHaveProperty('_errors');
      await standin.waitFor(() => refusals.length === 1, 2_000, 'the refusal');
      expect(refusals[0]?.code).toBe(50035);
      expect(handle.message()).toBeUndefined();
    } finally {
      listener.stop();
    }
  });

  test('an empty reply is refused with 50006 and a 2000-character reply with 5 rows of 5 buttons is accepted', async () => {
    const listener = handleInteractions(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const route = Routes.interactionCallback(interaction.id, interaction.token);
      await rejectionOf(client.rest.post(route, { body: { type: 4, data: {} }, auth: false }));
      const rows = Array.from({ length: 5 }, (_, r) =>
        row(...Array.from({ length: 5 }, (_, b) => button(`r${r}b${b}`))),
      );
      await client.rest.post(route, {
        body: { type: 4, data: { content: 'y'.repeat(2000), components: rows } },
        auth: false,
      });
    });
    try {
      const handle = standin.slashCommand({
        guildId: world.main.id,
        channelId: world.main.channels.general,
        userId: world.users.reader.id,
        name: 'help',
      });
      await handle.waitForRequest((request) => request.status === 204);
      expect(handle.callbacks().map((request) => request.errorCode ?? request.status)).toEqual([50006, 204]);
      expect(handle.message()?.components).toHaveLength(5);
    } finally {
      listener.stop();
    }
  });
});
