// A faithful local Discord (API v10) for tests and benchmarks: REST under `/api/v10` and the gateway on
// the same port (127.0.0.1, ephemeral). The real discord.js client logs in against it with
// `rest: { api: standin.apiUrl }`. It records every request and refuses what Discord refuses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BOT_ROLE_PERMISSIONS,
  channelPermissions,
  channelTypeOf,
  fixtureId,
  type GuildFixture,
  isTextBased,
  isThread,
  type MemberFixture,
  randomToken,
  rolesOf,
  shardIdForGuild,
  snowflake,
  toBits,
  type UserFixture,
} from './standin-fixtures.ts';
import { type GatewaySession, StandinGateway } from './standin-gateway.ts';
import {
  type AutocompleteInput,
  buildAutocompleteInteraction,
  buildCommandInteraction,
  buildComponentInteraction,
  type ComponentInput,
  InteractionType,
  type InteractionWorld,
  memberPayload,
  type SlashCommandInput,
  type StoredCommand,
} from './standin-interactions.ts';
import {
  CHANNEL_DEFAULT_PARSE,
  INTERACTION_DEFAULT_PARSE,
  type MentionKind,
  mentionsDisabled,
  type Pings,
  pingsOf,
} from './standin-mentions.ts';
import {
  FormErrors,
  isEmptyMessage,
  isObject,
  type Json,
  type JsonObject,
  MESSAGE_FLAGS,
  validateAutocompleteResult,
  validateCommandList,
  validateMessageBody,
} from './standin-validation.ts';

export type { Json, JsonObject } from './standin-validation.ts';

export interface StandinOptions {
  botToken: string;
  applicationId?: string;
  botUsername?: string;
  guilds: GuildFixture[];
  users: UserFixture[];
  /** Shards recommended by `GET /gateway/bot` (default 1). */
  shardCount?: number;
  /** HELLO's heartbeat_interval (Discord: 41250 ms). Tests shorten it. */
  heartbeatIntervalMs?: number;
  /** Time allowed for the initial response (Discord: 3 s). */
  responseWindowMs?: number;
  /** Lifetime of an interaction token for follow-ups and edits (Discord: 15 min). */
  tokenLifetimeMs?: number;
  /** Privileged intents the application may request (default none). */
  allowedPrivilegedIntents?: number;
  /** Keep request and response bodies in `requests` (default true; benchmarks may turn it off). */
  recordBodies?: boolean;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path after `/api`, as received (so `@original` shows as `%40original`), without the query. */
  path: string;
  /** Route template, e.g. `POST /interactions/:id/:token/callback`. */
  route: string;
  query: Record<string, string>;
  body: Json | undefined;
  /** Epoch milliseconds (fractional) when the request had fully arrived. */
  at: number;
  status: number;
  response: Json | undefined;
  /** Discord error code of a refused request. */
  errorCode?: number;
  /** Carried `Authorization: Bot <the right token>`. */
  authorized: boolean;
  interactionId?: string;
  /** Creates or edits message content, embeds or components that someone will see. */
  messageBearing: boolean;
  /** For message-bearing requests: `allowed_mentions` was `{ parse: [] }` (nobody can be pinged). */
  mentionsDisabled?: boolean;
  /** For message-bearing requests: who the content would actually ping. */
  pings?: Pings;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | undefined;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  type: number;
  createdAt: number;
  editedAt: number | undefined;
  deleted: boolean;
  /** Set for ephemeral messages: the only user who sees them. */
  ephemeralFor: string | undefined;
  interactionId: string | undefined;
  origin: 'interaction-response' | 'follow-up' | 'channel';
  pings: Pings;
  history: { at: number; content: string; embeds: Json[]; components: Json[] }[];
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  payload: JsonObject;
  guildId: string;
  channelId: string;
  userId: string;
  commandName: string | undefined;
  sentAt: number;
  shard: [number, number];
  acknowledgedWith: number | undefined;
  acknowledgedAt: number | undefined;
  originalMessageId: string | undefined;
  componentMessageId: string | undefined;
  loading: boolean;
  requests: RecordedRequest[];
  followUpIds: string[];
}

interface RouteResult {
  status: number;
  body?: Json;
}

interface RequestContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json | undefined;
  authorized: boolean;
  record: RecordedRequest;
}

type Handler = (context: RequestContext) => RouteResult;

const now = () => performance.timeOrigin + performance.now();

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function error(status: number, code: number, message: string, extra: JsonObject = {}): RouteResult {
  return { status, body: { message, code, ...extra } };
}

const unauthorized = (): RouteResult => error(401, 0, '401: Unauthorized');
const unknownInteraction = (): RouteResult => error(404, 10062, 'Unknown interaction');
const unknownMessage = (): RouteResult => error(404, 10008, 'Unknown Message');
const unknownChannel = (): RouteResult => error(404, 10003, 'Unknown Channel');
const unknownWebhook = (): RouteResult => error(404, 10015, 'Unknown Webhook');
const invalidWebhookToken = (): RouteResult => error(401, 50027, 'Invalid Webhook Token');
const emptyMessage = (): RouteResult => error(400, 50006, 'Cannot send an empty message');
const missingPermissions = (): RouteResult => error(403, 50013, 'Missing Permissions');

const PERMISSION_VIEW_CHANNEL = 1n << 10n;
const PERMISSION_SEND_MESSAGES = 1n << 11n;
const PERMISSION_SEND_IN_THREADS = 1n << 38n;

interface Waiter {
  check: () => boolean;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly payload: JsonObject;
  /** Epoch ms when the dispatch was written to the gateway. */
  readonly sentAt: number;
  readonly shard: [number, number];
  /** The first callback request for this interaction (whatever its status). */
  response(timeoutMs?: number): Promise<RecordedRequest>;
  /** All callback requests (a second one shows up here with 40060). */
  callbacks(): RecordedRequest[];
  /** `POST /webhooks/{app}/{token}` requests. */
  followUps(): RecordedRequest[];
  /** Every request that used this interaction's id or token. */
  requests(): RecordedRequest[];
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** The message the interaction's response shows now (after edits), if any. */
  message(): StoredMessage | undefined;
  followUpMessages(): StoredMessage[];
  /** Milliseconds from dispatch to the first callback request. */
  latencyMs(): number | undefined;
  /** Autocomplete choices of the accepted type-8 response. */
  choices(): Json[] | undefined;
}

export interface PressButtonInput extends ComponentInput {
  messageId?: string;
  message?: { id: string };
}

export class DiscordStandin implements InteractionWorld {
  readonly applicationId: string;
  readonly botUser: JsonObject;
  readonly requests: RecordedRequest[] = [];
  readonly interactionsSent: InteractionHandle[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly globalCommands: StoredCommand[] = [];
  readonly guildCommands = new Map<string, StoredCommand[]>();
  readonly gateway: StandinGateway;
  apiUrl = '';
  gatewayUrl = '';
  /** Keep request and response bodies in `requests` (benchmarks turn it off for long runs). */
  recordBodies: boolean;
  /** Number of commands created (not overwritten) by bulk overwrites, per scope ('global' or guild id). */
  readonly commandCreates = new Map<string, number>();

  private server: Server | undefined;
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly waiters = new Set<Waiter>();
  private readonly guilds: Map<string, GuildFixture>;
  private readonly users: Map<string, UserFixture>;
  private readonly botMembers = new Map<string, MemberFixture>();
  private readonly botRoleIds = new Map<string, string>();
  private readonly routes: { method: string; segments: string[]; template: string; handler: Handler }[] = [];
  private requestCounter = 0;
  private readonly options: Required<Omit<StandinOptions, 'applicationId' | 'botUsername'>>;

  constructor(options: StandinOptions) {
    this.options = {
      shardCount: 1,
      heartbeatIntervalMs: 41_250,
      responseWindowMs: 3_000,
      tokenLifetimeMs: 15 * 60_000,
      allowedPrivilegedIntents: 0,
      recordBodies: true,
      ...options,
    };
    this.recordBodies = this.options.recordBodies;
    this.applicationId = options.applicationId ?? fixtureId();
    this.botUser = {
      id: this.applicationId,
      username: options.botUsername ?? 'ficbot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      flags: 0,
      mfa_enabled: false,
      email: null,
    };
    this.guilds = new Map(options.guilds.map((guild) => [guild.id, guild]));
    this.users = new Map(options.users.map((user) => [user.id, user]));
    this.users.set(this.applicationId, {
      id: this.applicationId,
      username: String(this.botUser.username),
      bot: true,
    });
    for (const guild of options.guilds) {
      // The bot joins every fixture guild with its managed role.
      const roleId = fixtureId();
      this.botRoleIds.set(guild.id, roleId);
      this.botMembers.set(guild.id, { userId: this.applicationId, roleIds: [roleId] });
    }
    this.gateway = new StandinGateway({
      botToken: options.botToken,
      botUser: this.botUser,
      applicationId: this.applicationId,
      applicationFlags: 0,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
      allowedPrivilegedIntents: this.options.allowedPrivilegedIntents,
      replayBufferSize: 10_000,
      world: {
        guildIds: () => [...this.guilds.keys()],
        guildCreatePayload: (guildId) => this.guildCreatePayload(guildId),
        membersPayload: (guildId, userIds, query, limit) =>
          this.membersPayload(guildId, userIds, query, limit),
      },
      resumeUrl: () => `${this.gatewayUrl.replace(/\/gateway$/, '')}/gateway-resume`,
      onChange: () => this.changed(),
    });
    this.defineRoutes();
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      this.handleHttp(request, response).catch((cause: unknown) => {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: `Stand-in failure: ${String(cause)}`, code: 0 }));
      });
    });
    server.keepAliveTimeout = 60_000;
    server.on('upgrade', (request, socket, head) => {
      const path = new URL(request.url ?? '/', 'ws://standin').pathname;
      if (path === '/gateway' || path === '/gateway-resume')
        this.gateway.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters) this.waiters.delete(waiter);
    await this.gateway.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forget recorded requests (benchmarks call this between phases). */
  clearRecords(): void {
    this.requests.length = 0;
    this.interactionsSent.length = 0;
    for (const state of this.interactions.values()) state.requests.length = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Waiting

  private changed(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /**
   * Resolves with the first truthy value of `probe`, re-checked whenever the stand-in's state changes
   * and every 10 ms (so probes may also look at the test's own state).
   */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000, what = 'a condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = probe();
      if (first) {
        resolve(first);
        return;
      }
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (!value) return false;
          clearTimeout(timer);
          clearInterval(poll);
          this.waiters.delete(waiter);
          resolve(value);
          return true;
        },
      };
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(waiter);
        reject(new Error(`Stand-in: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(() => waiter.check(), 10);
      this.waiters.add(waiter);
    });
  }

  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 5_000,
  ): Promise<RecordedRequest> {
    let scanned = 0;
    return this.waitFor(
      () => {
        for (; scanned < this.requests.length; scanned += 1) {
          const request = this.requests[scanned];
          if (request && predicate(request)) return request;
        }
        return undefined;
      },
      timeoutMs,
      'a matching request',
    );
  }

  waitForMessage(predicate: (message: StoredMessage) => boolean, timeoutMs = 5_000): Promise<StoredMessage> {
    return this.waitFor(
      () => [...this.messages.values()].find((message) => !message.deleted && predicate(message)),
      timeoutMs,
      'a matching message',
    );
  }

  /** Waits until `count` shards have identified (or resumed) and received all their guilds. */
  waitForShards(count: number, timeoutMs = 20_000): Promise<GatewaySession[]> {
    return this.waitFor(
      () => {
        const ready = this.gateway
          .liveSessions()
          .filter((session) => session.connected && session.guildsSent);
        return ready.length >= count ? ready : undefined;
      },
      timeoutMs,
      `${count} connected shard(s)`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Queries for assertions

  /** Requests that create or edit something users see (replies, updates, follow-ups, edits, channel posts). */
  messageRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.messageBearing);
  }

  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter(
      (message) => message.channelId === channelId && !message.deleted,
    );
  }

  message(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** The API message object, as Discord would return it. */
  messagePayload(message: StoredMessage): JsonObject {
    const state = message.interactionId ? this.interactions.get(message.interactionId) : undefined;
    const payload: JsonObject = {
      id: message.id,
      type: message.type,
      channel_id: message.channelId,
      author: this.botUser,
      content: message.content,
      timestamp: iso(message.createdAt),
      edited_timestamp: message.editedAt === undefined ? null : iso(message.editedAt),
      tts: false,
      mention_everyone: message.pings.everyone,
      mentions: message.pings.users
        .map((id) => this.users.get(id))
        .filter((user): user is UserFixture => user !== undefined)
        .map((user) => this.userPayload(user)),
      mention_roles: message.pings.roles,
      mention_channels: [],
      attachments: [],
      embeds: message.embeds,
      reactions: [],
      pinned: false,
      flags: message.flags,
      components: message.components,
    };
    if (message.guildId) payload.guild_id = message.guildId;
    if (message.origin !== 'channel') {
      payload.webhook_id = this.applicationId;
      payload.application_id = this.applicationId;
    }
    if (state) {
      const user = this.users.get(state.userId);
      payload.interaction_metadata = {
        id: state.id,
        type: state.type,
        user: user ? this.userPayload(user) : null,
        authorizing_integration_owners: { '0': state.guildId },
        ...(state.commandName ? { name: state.commandName, command_type: 1 } : {}),
      };
    }
    return payload;
  }

  hasRegisteredCommands(): boolean {
    return this.globalCommands.length > 0 || [...this.guildCommands.values()].some((list) => list.length > 0);
  }

  commandsFor(guildId: string): StoredCommand[] {
    return [...(this.guildCommands.get(guildId) ?? []), ...this.globalCommands];
  }

  // -------------------------------------------------------------------------------------------
  // World (fixtures → API payloads)

  guild(guildId: string): GuildFixture {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`Stand-in: no guild ${guildId}`);
    return guild;
  }

  user(userId: string): UserFixture {
    const user = this.users.get(userId);
    if (!user) throw new Error(`Stand-in: no user ${userId}`);
    return user;
  }

  member(guild: GuildFixture, userId: string): MemberFixture {
    const member =
      guild.members.find((candidate) => candidate.userId === userId) ??
      (userId === this.applicationId ? this.botMembers.get(guild.id) : undefined);
    if (!member) throw new Error(`Stand-in: user ${userId} is not a member of ${guild.name}`);
    return member;
  }

  appPermissions(guild: GuildFixture, channelId: string): bigint {
    const channel = guild.channels.find((candidate) => candidate.id === channelId);
    const member = this.member(guild, this.applicationId);
    return channel ? channelPermissions(this.guildWithBotRole(guild), member, channel) : 0n;
  }

  private guildWithBotRole(guild: GuildFixture): GuildFixture {
    const roleId = this.botRoleIds.get(guild.id) ?? '';
    return {
      ...guild,
      roles: [
        ...(guild.roles ?? []),
        { id: roleId, name: String(this.botUser.username), permissions: BOT_ROLE_PERMISSIONS, managed: true },
      ],
    };
  }

  userPayload(user: UserFixture): JsonObject {
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.globalName ?? null,
      avatar: null,
      avatar_decoration_data: null,
      public_flags: 0,
      ...(user.bot ? { bot: true } : {}),
    };
  }

  rolePayload(guild: GuildFixture, roleId: string): JsonObject {
    const role = rolesOf(this.guildWithBotRole(guild)).find((candidate) => candidate.id === roleId);
    if (!role) throw new Error(`Stand-in: no role ${roleId} in ${guild.name}`);
    return {
      id: role.id,
      name: role.name,
      color: role.color ?? 0,
      colors: { primary_color: role.color ?? 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position ?? 0,
      permissions: toBits(role.permissions).toString(),
      managed: role.managed ?? false,
      mentionable: false,
      flags: 0,
      ...(role.managed ? { tags: { bot_id: this.applicationId } } : {}),
    };
  }

  channelPayload(guild: GuildFixture, channelId: string): JsonObject {
    const channel = guild.channels.find((candidate) => candidate.id === channelId);
    if (!channel) throw new Error(`Stand-in: no channel ${channelId} in ${guild.name}`);
    const base: JsonObject = {
      id: channel.id,
      type: channelTypeOf(channel),
      guild_id: guild.id,
      name: channel.name,
      flags: 0,
    };
    if (isThread(channel)) {
      return {
        ...base,
        parent_id: channel.parentId ?? null,
        owner_id: guild.ownerId,
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        total_message_sent: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: 1440,
          archive_timestamp: '2021-03-04T05:06:07.000000+00:00',
          locked: false,
          create_timestamp: '2021-03-04T05:06:07.000000+00:00',
        },
      };
    }
    const overwrites = (channel.permissionOverwrites ?? []).map((overwrite) => ({
      id: overwrite.id,
      type: overwrite.type === 'role' ? 0 : 1,
      allow: toBits(overwrite.allow).toString(),
      deny: toBits(overwrite.deny).toString(),
    }));
    const position = guild.channels.indexOf(channel);
    if (channel.kind === 'category') return { ...base, position, permission_overwrites: overwrites };
    return {
      ...base,
      position,
      parent_id: channel.parentId ?? null,
      permission_overwrites: overwrites,
      nsfw: channel.nsfw === true,
      topic: channel.topic ?? null,
      last_message_id: null,
      rate_limit_per_user: 0,
      ...(channel.kind === 'voice' ? { bitrate: 64_000, user_limit: 0, rtc_region: null } : {}),
    };
  }

  private guildPayload(guild: GuildFixture): JsonObject {
    const withBot = this.guildWithBotRole(guild);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      system_channel_id: null,
      system_channel_flags: 0,
      widget_enabled: false,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: guild.preferredLocale ?? 'en-US',
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      application_id: null,
      features: [],
      roles: rolesOf(withBot).map((role) => this.rolePayload(guild, role.id)),
      emojis: [],
      stickers: [],
      incidents_data: null,
    };
  }

  guildCreatePayload(guildId: string): JsonObject {
    const guild = this.guild(guildId);
    const channels = guild.channels.filter((channel) => !isThread(channel));
    const threads = guild.channels.filter((channel) => isThread(channel));
    const members = [...guild.members, this.member(guild, this.applicationId)];
    return {
      ...this.guildPayload(guild),
      joined_at: '2021-03-04T05:06:07.000000+00:00',
      large: false,
      unavailable: false,
      member_count: members.length,
      lazy: true,
      voice_states: [],
      members: members.map((member) => memberPayload(this, guild, member, undefined)),
      channels: channels.map((channel) => {
        const { guild_id: _guildId, ...rest } = this.channelPayload(guild, channel.id);
        return rest;
      }),
      threads: threads.map((thread) => this.channelPayload(guild, thread.id)),
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  private membersPayload(
    guildId: string,
    userIds: string[] | undefined,
    query: string | undefined,
    limit: number,
  ) {
    const guild = this.guilds.get(guildId);
    if (!guild) return [];
    const members = [...guild.members, this.member(guild, this.applicationId)].filter((member) => {
      if (userIds) return userIds.includes(member.userId);
      const name =
        member.userId === this.applicationId
          ? String(this.botUser.username)
          : this.user(member.userId).username;
      return query === undefined || name.toLowerCase().startsWith(query.toLowerCase());
    });
    return members.slice(0, limit).map((member) => memberPayload(this, guild, member, undefined));
  }

  // -------------------------------------------------------------------------------------------
  // Dispatching interactions

  private sessionForGuild(guildId: string): GatewaySession {
    const session = this.gateway.sessionForGuild(guildId);
    if (!session) {
      const live = this.gateway
        .liveSessions()
        .map((candidate) => `[${candidate.shard.join('/')}]`)
        .join(', ');
      throw new Error(
        `Stand-in: no gateway session serves guild ${guildId} (shard ${shardIdForGuild(guildId, this.options.shardCount)}); live sessions: ${live || 'none'}`,
      );
    }
    return session;
  }

  private dispatchInteraction(
    payload: JsonObject,
    meta: { commandName?: string; componentMessageId?: string },
  ) {
    const guildId = String(payload.guild_id);
    const session = this.sessionForGuild(guildId);
    const member = isObject(payload.member) && isObject(payload.member.user) ? payload.member.user : {};
    const state: InteractionState = {
      id: String(payload.id),
      token: String(payload.token),
      type: Number(payload.type),
      payload,
      guildId,
      channelId: String(payload.channel_id),
      userId: String(member.id),
      commandName: meta.commandName,
      sentAt: now(),
      shard: session.shard,
      acknowledgedWith: undefined,
      acknowledgedAt: undefined,
      originalMessageId: undefined,
      componentMessageId: meta.componentMessageId,
      loading: false,
      requests: [],
      followUpIds: [],
    };
    this.interactions.set(state.id, state);
    this.interactionsByToken.set(state.token, state);
    const event = this.gateway.dispatch(session, 'INTERACTION_CREATE', payload);
    state.sentAt = event.at;
    const handle = this.handleFor(state);
    this.interactionsSent.push(handle);
    this.changed();
    return handle;
  }

  private handleFor(state: InteractionState): InteractionHandle {
    const callbacks = () => state.requests.filter((request) => request.route.endsWith('/callback'));
    return {
      id: state.id,
      token: state.token,
      payload: state.payload,
      sentAt: state.sentAt,
      shard: state.shard,
      response: (timeoutMs = 5_000) =>
        this.waitFor(() => callbacks()[0], timeoutMs, `the initial response to interaction ${state.id}`),
      callbacks,
      followUps: () => state.requests.filter((request) => request.route === 'POST /webhooks/:app/:token'),
      requests: () => [...state.requests],
      waitForRequest: (predicate, timeoutMs = 5_000) =>
        this.waitFor(
          () => state.requests.find(predicate),
          timeoutMs,
          `a request for interaction ${state.id}`,
        ),
      message: () => {
        const id = state.originalMessageId ?? state.componentMessageId;
        const message = id ? this.messages.get(id) : undefined;
        return message && !message.deleted ? message : undefined;
      },
      followUpMessages: () =>
        state.followUpIds
          .map((id) => this.messages.get(id))
          .filter((message): message is StoredMessage => message !== undefined && !message.deleted),
      latencyMs: () => {
        const first = callbacks()[0];
        return first ? first.at - state.sentAt : undefined;
      },
      choices: () => {
        const accepted = callbacks().find((request) => request.status < 300);
        const body = accepted?.body;
        if (!isObject(body) || body.type !== 8 || !isObject(body.data)) return undefined;
        return Array.isArray(body.data.choices) ? body.data.choices : undefined;
      },
    };
  }

  /** A member runs a slash command. Options are checked against the registered definition. */
  slashCommand(input: SlashCommandInput): InteractionHandle {
    const payload = buildCommandInteraction(this, input, snowflake(), randomToken());
    return this.dispatchInteraction(payload, { commandName: input.name });
  }

  /** A member types in an autocomplete option. */
  autocomplete(input: AutocompleteInput): InteractionHandle {
    const payload = buildAutocompleteInteraction(this, input, snowflake(), randomToken());
    return this.dispatchInteraction(payload, { commandName: input.name });
  }

  /** A member presses a button (or picks from a select menu, with `values`) on a message the bot sent. */
  pressButton(input: PressButtonInput): InteractionHandle {
    const messageId = input.messageId ?? input.message?.id;
    if (!messageId) throw new Error('Stand-in: pressButton needs messageId or message');
    const message = this.messages.get(messageId);
    if (!message || message.deleted)
      throw new Error(`Stand-in: no message ${messageId} to press a button on`);
    if (!message.guildId) throw new Error('Stand-in: only guild messages are supported');
    const payload = buildComponentInteraction(
      this,
      {
        message: this.messagePayload(message),
        guildId: message.guildId,
        channelId: message.channelId,
        ...(message.ephemeralFor ? { ephemeralFor: message.ephemeralFor } : {}),
      },
      input,
      snowflake(),
      randomToken(),
    );
    return this.dispatchInteraction(payload, { componentMessageId: message.id });
  }

  /** Sends any other dispatch on the shard that serves `guildId`. */
  dispatchEvent(guildId: string, t: string, d: Json): void {
    this.gateway.dispatch(this.sessionForGuild(guildId), t, d);
  }

  private sessionForShard(shardId: number): GatewaySession {
    const sessions = this.gateway.liveSessions().filter((session) => session.shard[0] === shardId);
    const session = sessions[sessions.length - 1];
    if (!session) throw new Error(`Stand-in: no live session for shard ${shardId}`);
    return session;
  }

  /** Cuts shard `n`'s connection (close 1006 unless `code` is given); discord.js then RESUMEs. */
  disconnectShard(shardId: number, code?: number): GatewaySession {
    const session = this.sessionForShard(shardId);
    this.gateway.disconnect(session, code);
    return session;
  }

  /** op 7 Reconnect on shard `n`. */
  requestReconnect(shardId: number): GatewaySession {
    const session = this.sessionForShard(shardId);
    this.gateway.requestReconnect(session);
    return session;
  }

  /** op 9 Invalid Session on shard `n`. */
  invalidateSession(shardId: number, resumable: boolean): GatewaySession {
    const session = this.sessionForShard(shardId);
    this.gateway.invalidateSession(session, resumable);
    return session;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private route(method: string, template: string, handler: Handler): void {
    this.routes.push({ method, segments: template.split('/').filter(Boolean), template, handler });
  }

  private async handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const at = now();
    const url = new URL(request.url ?? '/', 'http://standin');
    const method = (request.method ?? 'GET').toUpperCase();
    const apiPath = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    this.requestCounter += 1;
    const record: RecordedRequest = {
      seq: this.requestCounter,
      method,
      path: apiPath,
      route: `${method} ${apiPath}`,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      at,
      status: 0,
      response: undefined,
      authorized: request.headers.authorization === `Bot ${this.options.botToken}`,
      messageBearing: false,
    };

    let result: RouteResult;
    const parsed = await parseBody(raw, request.headers['content-type']);
    if (parsed === INVALID_JSON) {
      result = error(400, 50109, 'The request body contains invalid JSON.');
    } else {
      record.body = parsed;
      result = this.dispatchRoute(method, apiPath, url.searchParams, parsed, record);
    }
    record.status = result.status;
    record.response = result.body;
    if (isObject(result.body) && result.status >= 400 && typeof result.body.code === 'number') {
      record.errorCode = result.body.code;
    }
    if (!this.recordBodies) {
      record.body = undefined;
      record.response = undefined;
    }
    this.requests.push(record);
    if (record.interactionId) this.interactions.get(record.interactionId)?.requests.push(record);
    if (result.body === undefined) {
      response.writeHead(result.status);
      response.end();
    } else {
      const text = JSON.stringify(result.body);
      response.writeHead(result.status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      response.end(text);
    }
    this.changed();
  }

  private dispatchRoute(
    method: string,
    apiPath: string,
    query: URLSearchParams,
    body: Json | undefined,
    record: RecordedRequest,
  ): RouteResult {
    const versioned = /^\/v(\d+)(\/.*)$/.exec(apiPath);
    if (!versioned) return error(404, 0, '404: Not Found');
    if (versioned[1] !== '10') return error(400, 50041, 'Invalid API version provided.');
    const segments = (versioned[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.segments.every((segment, index) => {
        const actual = segments[index] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = actual;
          return true;
        }
        return segment === actual;
      });
      if (!matches) continue;
      record.route = `${method} ${route.template}`;
      return route.handler({ method, params, query, body, authorized: record.authorized, record });
    }
    const knownPath = this.routes.some(
      (route) =>
        route.segments.length === segments.length &&
        route.segments.every((segment, index) => segment.startsWith(':') || segment === segments[index]),
    );
    return knownPath ? error(405, 0, '405: Method Not Allowed') : error(404, 0, '404: Not Found');
  }

  private defineRoutes(): void {
    const authed =
      (handler: Handler): Handler =>
      (context) =>
        context.authorized ? handler(context) : unauthorized();

    this.route(
      'GET',
      '/gateway/bot',
      authed(() => ({
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: this.options.shardCount,
          session_start_limit: {
            total: 1000,
            remaining: this.gateway.sessionStartsRemaining,
            reset_after: 14_400_000,
            max_concurrency: Math.max(16, this.options.shardCount),
          },
        },
      })),
    );
    this.route('GET', '/gateway', () => ({ status: 200, body: { url: this.gatewayUrl } }));
    this.route(
      'GET',
      '/users/@me',
      authed(() => ({ status: 200, body: this.botUser })),
    );
    this.route(
      'GET',
      '/applications/@me',
      authed(() => ({ status: 200, body: this.applicationPayload() })),
    );

    this.route(
      'PUT',
      '/applications/:app/commands',
      authed((c) => this.overwriteCommands(c, undefined)),
    );
    this.route(
      'GET',
      '/applications/:app/commands',
      authed((c) => this.listCommands(c, undefined)),
    );
    this.route(
      'PUT',
      '/applications/:app/guilds/:guild/commands',
      authed((c) => this.overwriteCommands(c, c.params.guild)),
    );
    this.route(
      'GET',
      '/applications/:app/guilds/:guild/commands',
      authed((c) => this.listCommands(c, c.params.guild)),
    );

    this.route('POST', '/interactions/:id/:token/callback', (c) => this.interactionCallback(c));
    this.route('GET', '/webhooks/:app/:token/messages/:message', (c) => this.webhookMessage(c));
    this.route('PATCH', '/webhooks/:app/:token/messages/:message', (c) => this.webhookMessage(c));
    this.route('DELETE', '/webhooks/:app/:token/messages/:message', (c) => this.webhookMessage(c));
    this.route('POST', '/webhooks/:app/:token', (c) => this.followUp(c));

    this.route(
      'GET',
      '/channels/:channel',
      authed((c) => this.getChannel(c)),
    );
    this.route(
      'GET',
      '/channels/:channel/messages',
      authed((c) => this.listChannelMessages(c)),
    );
    this.route(
      'POST',
      '/channels/:channel/messages',
      authed((c) => this.createChannelMessage(c)),
    );
    this.route(
      'GET',
      '/channels/:channel/messages/:message',
      authed((c) => this.channelMessage(c)),
    );
    this.route(
      'PATCH',
      '/channels/:channel/messages/:message',
      authed((c) => this.channelMessage(c)),
    );
    this.route(
      'DELETE',
      '/channels/:channel/messages/:message',
      authed((c) => this.channelMessage(c)),
    );

    this.route(
      'GET',
      '/guilds/:guild',
      authed((c) => this.withGuild(c, (guild) => this.guildPayload(guild))),
    );
    this.route(
      'GET',
      '/guilds/:guild/channels',
      authed((c) =>
        this.withGuild(c, (guild) =>
          guild.channels
            .filter((channel) => !isThread(channel))
            .map((channel) => this.channelPayload(guild, channel.id)),
        ),
      ),
    );
    this.route(
      'GET',
      '/guilds/:guild/roles',
      authed((c) =>
        this.withGuild(c, (guild) =>
          rolesOf(this.guildWithBotRole(guild)).map((role) => this.rolePayload(guild, role.id)),
        ),
      ),
    );
    this.route(
      'GET',
      '/guilds/:guild/members/:user',
      authed((c) => {
        const guild = this.guilds.get(c.params.guild ?? '');
        if (!guild) return error(404, 10004, 'Unknown Guild');
        const userId = c.params.user === '@me' ? this.applicationId : (c.params.user ?? '');
        const member = [...guild.members, this.member(guild, this.applicationId)].find(
          (m) => m.userId === userId,
        );
        if (!member) return error(404, 10007, 'Unknown Member');
        const payload = memberPayload(this, guild, member, undefined);
        if (userId === this.applicationId) payload.user = this.botUser;
        return { status: 200, body: payload };
      }),
    );
  }

  private applicationPayload(): JsonObject {
    return {
      id: this.applicationId,
      name: String(this.botUser.username),
      icon: null,
      description: 'ficbot (stand-in)',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: randomToken(16),
      flags: 0,
      owner: { id: fixtureId(), username: 'owner', discriminator: '0', global_name: null, avatar: null },
      team: null,
      bot: this.botUser,
      tags: [],
      install_params: {
        scopes: ['bot', 'applications.commands'],
        permissions: BOT_ROLE_PERMISSIONS.toString(),
      },
      integration_types_config: { '0': {} },
      approximate_guild_count: this.guilds.size,
    };
  }

  private withGuild(context: RequestContext, build: (guild: GuildFixture) => Json): RouteResult {
    const guild = this.guilds.get(context.params.guild ?? '');
    return guild ? { status: 200, body: build(guild) } : error(404, 10004, 'Unknown Guild');
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  private overwriteCommands(context: RequestContext, guildId: string | undefined): RouteResult {
    if (context.params.app !== this.applicationId) return error(403, 50001, 'Missing Access');
    if (guildId !== undefined && !this.guilds.has(guildId)) return error(404, 10004, 'Unknown Guild');
    const errors = new FormErrors();
    validateCommandList(errors, context.body);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    const previous = guildId === undefined ? this.globalCommands : (this.guildCommands.get(guildId) ?? []);
    const scope = guildId ?? 'global';
    const stored = (context.body as JsonObject[]).map((command): StoredCommand => {
      const type = typeof command.type === 'number' ? command.type : 1;
      const name = String(command.name);
      const existing = previous.find((candidate) => candidate.name === name && candidate.type === type);
      if (!existing) this.commandCreates.set(scope, (this.commandCreates.get(scope) ?? 0) + 1);
      return {
        ...command,
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        type,
        name,
        description: typeof command.description === 'string' ? command.description : '',
        default_member_permissions: command.default_member_permissions ?? null,
        nsfw: command.nsfw === true,
        ...(guildId === undefined
          ? {
              contexts: command.contexts ?? null,
              integration_types: command.integration_types ?? [0],
            }
          : { guild_id: guildId }),
      };
    });
    if (guildId === undefined) {
      this.globalCommands.splice(0, this.globalCommands.length, ...stored);
    } else {
      this.guildCommands.set(guildId, stored);
    }
    return { status: 200, body: stored };
  }

  private listCommands(context: RequestContext, guildId: string | undefined): RouteResult {
    if (context.params.app !== this.applicationId) return error(403, 50001, 'Missing Access');
    if (guildId !== undefined && !this.guilds.has(guildId)) return error(404, 10004, 'Unknown Guild');
    return {
      status: 200,
      body: guildId === undefined ? this.globalCommands : (this.guildCommands.get(guildId) ?? []),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Interactions

  private markMessage(
    record: RecordedRequest,
    body: JsonObject,
    defaultParse: readonly MentionKind[],
  ): Pings {
    record.messageBearing = true;
    record.mentionsDisabled = mentionsDisabled(body.allowed_mentions);
    record.pings = pingsOf(
      typeof body.content === 'string' ? body.content : '',
      body.allowed_mentions,
      defaultParse,
    );
    return record.pings;
  }

  private createMessage(
    fields: {
      channelId: string;
      guildId: string | undefined;
      body: JsonObject;
      origin: StoredMessage['origin'];
      flags: number;
      type: number;
      interactionId?: string;
      ephemeralFor?: string;
    },
    pings: Pings,
  ): StoredMessage {
    const createdAt = Date.now();
    const message: StoredMessage = {
      id: snowflake(createdAt),
      channelId: fields.channelId,
      guildId: fields.guildId,
      content: typeof fields.body.content === 'string' ? fields.body.content : '',
      embeds: Array.isArray(fields.body.embeds) ? fields.body.embeds : [],
      components: Array.isArray(fields.body.components) ? fields.body.components : [],
      flags: fields.flags,
      type: fields.type,
      createdAt,
      editedAt: undefined,
      deleted: false,
      ephemeralFor: fields.ephemeralFor,
      interactionId: fields.interactionId,
      origin: fields.origin,
      pings,
      history: [],
    };
    this.messages.set(message.id, message);
    return message;
  }

  private editMessage(message: StoredMessage, body: JsonObject, pings: Pings | undefined): void {
    message.history.push({
      at: Date.now(),
      content: message.content,
      embeds: message.embeds,
      components: message.components,
    });
    if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) message.embeds = Array.isArray(body.embeds) ? body.embeds : [];
    if ('components' in body) message.components = Array.isArray(body.components) ? body.components : [];
    if (typeof body.flags === 'number') {
      const keep = message.flags & (MESSAGE_FLAGS.ephemeral | MESSAGE_FLAGS.isComponentsV2);
      message.flags =
        keep | (body.flags & MESSAGE_FLAGS.suppressEmbeds) | (body.flags & MESSAGE_FLAGS.isComponentsV2);
    }
    message.flags &= ~MESSAGE_FLAGS.loading;
    if (pings && 'content' in body) message.pings = pings;
    message.editedAt = Date.now();
  }

  private interactionCallback(context: RequestContext): RouteResult {
    const { record } = context;
    const state = this.interactions.get(context.params.id ?? '');
    if (!state || state.token !== context.params.token) return unknownInteraction();
    record.interactionId = state.id;
    if (state.acknowledgedWith !== undefined) {
      return error(400, 40060, 'Interaction has already been acknowledged.');
    }
    if (record.at - state.sentAt > this.options.responseWindowMs) return unknownInteraction();
    const body = isObject(context.body) ? context.body : {};
    const type = body.type;
    const allowed: Record<number, number[]> = {
      [InteractionType.command]: [4, 5, 9],
      [InteractionType.component]: [4, 5, 6, 7, 9],
      [InteractionType.autocomplete]: [8],
    };
    if (typeof type !== 'number' || !(allowed[state.type] ?? []).includes(type)) {
      const errors = new FormErrors();
      errors.add(
        ['type'],
        'INTERACTION_RESPONSE_TYPE_INVALID',
        'Interaction response type is not valid here',
      );
      return { status: 400, body: errors.body() };
    }
    const data = isObject(body.data) ? body.data : {};
    const errors = new FormErrors();
    if (type === 4 || type === 7) validateMessageBody(errors, ['data'], data);
    if (type === 8) validateAutocompleteResult(errors, body.data);
    if (type === 9) {
      if (typeof data.custom_id !== 'string' || data.custom_id.length < 1 || data.custom_id.length > 100) {
        errors.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (typeof data.title !== 'string' || data.title.length < 1 || data.title.length > 45) {
        errors.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
      }
    }
    if (type === 4 || type === 7) this.markMessage(record, data, INTERACTION_DEFAULT_PARSE);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    if (type === 4 && isEmptyMessage(data)) return emptyMessage();

    const flags = typeof data.flags === 'number' ? data.flags : 0;
    const ephemeral = (flags & MESSAGE_FLAGS.ephemeral) !== 0;
    let message: StoredMessage | undefined;
    if (type === 4 || type === 5) {
      const pings = type === 4 ? (record.pings ?? pingsOf('', undefined, [])) : pingsOf('', undefined, []);
      message = this.createMessage(
        {
          channelId: state.channelId,
          guildId: state.guildId,
          body: type === 4 ? data : {},
          origin: 'interaction-response',
          flags:
            type === 5
              ? MESSAGE_FLAGS.loading | (flags & MESSAGE_FLAGS.ephemeral)
              : flags & ~MESSAGE_FLAGS.suppressNotifications,
          type: state.type === InteractionType.command ? 20 : 19,
          interactionId: state.id,
          ...(ephemeral ? { ephemeralFor: state.userId } : {}),
        },
        pings,
      );
      state.originalMessageId = message.id;
      state.loading = type === 5;
    }
    if (type === 6 || type === 7) {
      message = state.componentMessageId ? this.messages.get(state.componentMessageId) : undefined;
      state.originalMessageId = state.componentMessageId;
      if (type === 7 && message) this.editMessage(message, data, record.pings);
    }
    state.acknowledgedWith = type;
    state.acknowledgedAt = record.at;

    if (context.query.get('with_response') !== 'true') return { status: 204 };
    const interaction: JsonObject = { id: state.id, type: state.type };
    if (message && (type === 4 || type === 5 || type === 7)) {
      interaction.response_message_id = message.id;
      interaction.response_message_loading = type === 5;
      interaction.response_message_ephemeral = (message.flags & MESSAGE_FLAGS.ephemeral) !== 0;
    }
    const resource: JsonObject = { type };
    if (message && (type === 4 || type === 7)) resource.message = this.messagePayload(message);
    return { status: 200, body: { interaction, resource } };
  }

  private webhookState(context: RequestContext): InteractionState | RouteResult {
    if (context.params.app !== this.applicationId) return unknownWebhook();
    const state = this.interactionsByToken.get(context.params.token ?? '');
    if (!state) return invalidWebhookToken();
    context.record.interactionId = state.id;
    if (context.record.at - state.sentAt > this.options.tokenLifetimeMs) return invalidWebhookToken();
    if (state.acknowledgedWith === undefined || state.acknowledgedWith === 8) return unknownWebhook();
    return state;
  }

  private followUp(context: RequestContext): RouteResult {
    const found = this.webhookState(context);
    if (!('token' in found)) return found;
    const state = found;
    const body = isObject(context.body) ? context.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body);
    const pings = this.markMessage(context.record, body, INTERACTION_DEFAULT_PARSE);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    if (isEmptyMessage(body)) return emptyMessage();
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    let message: StoredMessage;
    const original = state.originalMessageId ? this.messages.get(state.originalMessageId) : undefined;
    if (state.loading && original && !original.deleted) {
      // Discord's documented (deprecated) behaviour: the first follow-up after a defer edits the loading message.
      this.editMessage(original, body, pings);
      state.loading = false;
      message = original;
    } else {
      const ephemeral = (flags & MESSAGE_FLAGS.ephemeral) !== 0;
      message = this.createMessage(
        {
          channelId: state.channelId,
          guildId: state.guildId,
          body,
          origin: 'follow-up',
          flags: flags & ~MESSAGE_FLAGS.suppressNotifications,
          type: state.type === InteractionType.command ? 20 : 0,
          interactionId: state.id,
          ...(ephemeral ? { ephemeralFor: state.userId } : {}),
        },
        pings,
      );
      state.followUpIds.push(message.id);
    }
    if (context.query.get('wait') !== 'true') return { status: 204 };
    return { status: 200, body: this.messagePayload(message) };
  }

  private webhookMessage(context: RequestContext): RouteResult {
    const found = this.webhookState(context);
    if (!('token' in found)) return found;
    const state = found;
    const target = context.params.message === '@original' ? state.originalMessageId : context.params.message;
    const belongs =
      target !== undefined && (target === state.originalMessageId || state.followUpIds.includes(target));
    const message = belongs ? this.messages.get(target) : undefined;
    if (!message || message.deleted) return unknownMessage();
    if (context.method === 'GET') return { status: 200, body: this.messagePayload(message) };
    if (context.method === 'DELETE') {
      message.deleted = true;
      return { status: 204 };
    }
    const body = isObject(context.body) ? context.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body);
    const pings = this.markMessage(context.record, body, INTERACTION_DEFAULT_PARSE);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    if (message.id === state.originalMessageId) state.loading = false;
    this.editMessage(message, body, pings);
    return { status: 200, body: this.messagePayload(message) };
  }

  // -------------------------------------------------------------------------------------------
  // Channels

  private findChannel(channelId: string) {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.find((candidate) => candidate.id === channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  private getChannel(context: RequestContext): RouteResult {
    const found = this.findChannel(context.params.channel ?? '');
    if (!found) return unknownChannel();
    if ((this.appPermissions(found.guild, found.channel.id) & PERMISSION_VIEW_CHANNEL) === 0n) {
      return error(403, 50001, 'Missing Access');
    }
    return { status: 200, body: this.channelPayload(found.guild, found.channel.id) };
  }

  private listChannelMessages(context: RequestContext): RouteResult {
    const found = this.findChannel(context.params.channel ?? '');
    if (!found) return unknownChannel();
    const limit = Math.min(100, Math.max(1, Number(context.query.get('limit') ?? 50)));
    const messages = this.messagesIn(found.channel.id)
      .filter((message) => message.ephemeralFor === undefined)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit);
    return { status: 200, body: messages.map((message) => this.messagePayload(message)) };
  }

  private createChannelMessage(context: RequestContext): RouteResult {
    const found = this.findChannel(context.params.channel ?? '');
    if (!found) return unknownChannel();
    const { guild, channel } = found;
    if (!isTextBased(channel)) return error(400, 50008, 'Cannot send messages in a non-text channel');
    const permissions = this.appPermissions(guild, channel.id);
    const send = isThread(channel) ? PERMISSION_SEND_IN_THREADS : PERMISSION_SEND_MESSAGES;
    if ((permissions & PERMISSION_VIEW_CHANNEL) === 0n) return error(403, 50001, 'Missing Access');
    if ((permissions & send) === 0n) return missingPermissions();
    const body = isObject(context.body) ? context.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body);
    const pings = this.markMessage(context.record, body, CHANNEL_DEFAULT_PARSE);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    if (isEmptyMessage(body)) return emptyMessage();
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    if ((flags & MESSAGE_FLAGS.ephemeral) !== 0) {
      const flagErrors = new FormErrors();
      flagErrors.add(['flags'], 'MESSAGE_FLAGS_INVALID', 'Channel messages cannot be ephemeral.');
      return { status: 400, body: flagErrors.body() };
    }
    const message = this.createMessage(
      {
        channelId: channel.id,
        guildId: guild.id,
        body,
        origin: 'channel',
        flags: flags & ~MESSAGE_FLAGS.suppressNotifications,
        type: 0,
      },
      pings,
    );
    return { status: 200, body: this.messagePayload(message) };
  }

  private channelMessage(context: RequestContext): RouteResult {
    const found = this.findChannel(context.params.channel ?? '');
    if (!found) return unknownChannel();
    const message = this.messages.get(context.params.message ?? '');
    if (
      !message ||
      message.deleted ||
      message.channelId !== found.channel.id ||
      message.ephemeralFor !== undefined
    ) {
      return unknownMessage();
    }
    if (context.method === 'GET') return { status: 200, body: this.messagePayload(message) };
    if (context.method === 'DELETE') {
      // Every stored message is the bot's own, which it may always delete.
      message.deleted = true;
      return { status: 204 };
    }
    const body = isObject(context.body) ? context.body : {};
    const errors = new FormErrors();
    validateMessageBody(errors, [], body);
    const pings = this.markMessage(context.record, body, CHANNEL_DEFAULT_PARSE);
    if (!errors.isEmpty) return { status: 400, body: errors.body() };
    this.editMessage(message, body, pings);
    return { status: 200, body: this.messagePayload(message) };
  }
}

const INVALID_JSON = Symbol('invalid JSON');

async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<Json | undefined | typeof INVALID_JSON> {
  if (raw.length === 0) return undefined;
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const payload = form.get('payload_json');
    const files = [...form.keys()].filter((key) => key !== 'payload_json');
    try {
      const body = typeof payload === 'string' ? (JSON.parse(payload) as Json) : {};
      return isObject(body) ? { ...body, _files: files } : body;
    } catch {
      return INVALID_JSON;
    }
  }
  try {
    return JSON.parse(raw.toString('utf8')) as Json;
  } catch {
    return INVALID_JSON;
  }
}

/** Starts a stand-in on 127.0.0.1 with an ephemeral port. */
export async function startStandin(options: StandinOptions): Promise<DiscordStandin> {
  const standin = new DiscordStandin(options);
  await standin.listen();
  return standin;
}

/** The buttons of a recorded message, across its action rows. */
export function buttonsOf(message: StoredMessage | undefined): JsonObject[] {
  const rows = (message?.components ?? []) as JsonObject[];
  return rows.flatMap((row) => (Array.isArray(row.components) ? (row.components as JsonObject[]) : []));
}
