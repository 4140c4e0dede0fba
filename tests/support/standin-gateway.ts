// The stand-in's gateway: HELLO, IDENTIFY (shard [id, count]), heartbeats and ACKs, READY, one
// GUILD_CREATE per guild of the shard, sequence numbers, RESUME with replay, op 7 / op 9 and the
// close codes discord.js reacts to. Events for a disconnected (but resumable) session are buffered.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { randomToken, shardIdForGuild } from './standin-fixtures.ts';
import { isObject, type Json, type JsonObject } from './standin-validation.ts';

export const GatewayOp = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  presenceUpdate: 3,
  voiceStateUpdate: 4,
  resume: 6,
  reconnect: 7,
  requestGuildMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

/** GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT. */
export const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export interface GatewayWorld {
  guildIds(): string[];
  guildCreatePayload(guildId: string): JsonObject;
  membersPayload(
    guildId: string,
    userIds: string[] | undefined,
    query: string | undefined,
    limit: number,
  ): Json[];
}

export interface GatewayOptions {
  botToken: string;
  botUser: JsonObject;
  applicationId: string;
  applicationFlags: number;
  heartbeatIntervalMs: number;
  /** Intents beyond the non-privileged ones that the application is allowed to request. */
  allowedPrivilegedIntents: number;
  /** Events kept per session for RESUME replay. */
  replayBufferSize: number;
  world: GatewayWorld;
  resumeUrl: () => string;
  onChange: () => void;
}

export interface DispatchedEvent {
  s: number;
  t: string;
  d: Json;
  at: number;
}

export interface GatewayConnection {
  id: number;
  path: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  closedBy?: 'client' | 'server';
  sessionId?: string;
  kind?: 'identify' | 'resume';
  heartbeats: number;
  shard?: [number, number];
  intents?: number;
  identifyPayload?: JsonObject;
  presenceUpdates: Json[];
}

export class GatewaySession {
  readonly events: DispatchedEvent[] = [];
  seq = 0;
  socket: WebSocket | null = null;
  connection: GatewayConnection | null = null;
  invalidated = false;
  resumes = 0;
  /** True once READY and every GUILD_CREATE of the shard have been written. */
  guildsSent = false;

  constructor(
    readonly id: string,
    readonly shard: [number, number],
    readonly guildIds: string[],
    readonly identifiedAt: number,
  ) {}

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === this.socket.OPEN;
  }
}

const now = () => performance.timeOrigin + performance.now();

export class StandinGateway {
  readonly connections: GatewayConnection[] = [];
  readonly sessions: GatewaySession[] = [];
  sessionStartsRemaining = 1000;
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private connectionCounter = 0;

  constructor(private readonly options: GatewayOptions) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /** The live (most recently identified, not invalidated) session serving this shard. */
  sessionFor(shardId: number, shardCount: number): GatewaySession | undefined {
    for (let index = this.sessions.length - 1; index >= 0; index -= 1) {
      const session = this.sessions[index];
      if (!session || session.invalidated) continue;
      if (session.shard[0] === shardId && session.shard[1] === shardCount) return session;
    }
    return undefined;
  }

  /** The session Discord would route a guild's events to, whatever shard count the bot chose. */
  sessionForGuild(guildId: string): GatewaySession | undefined {
    for (let index = this.sessions.length - 1; index >= 0; index -= 1) {
      const session = this.sessions[index];
      if (!session || session.invalidated) continue;
      if (shardIdForGuild(guildId, session.shard[1]) === session.shard[0]) return session;
    }
    return undefined;
  }

  liveSessions(): GatewaySession[] {
    return this.sessions.filter((session) => !session.invalidated);
  }

  /** Sends a dispatch (buffered for replay if the session's socket is down). Returns the event. */
  dispatch(session: GatewaySession, t: string, d: Json): DispatchedEvent {
    session.seq += 1;
    const event: DispatchedEvent = { s: session.seq, t, d, at: now() };
    session.events.push(event);
    if (session.events.length > this.options.replayBufferSize) session.events.shift();
    if (session.connected) this.send(session.socket!, { op: GatewayOp.dispatch, d, s: event.s, t });
    return event;
  }

  /** Drops the shard's connection. Without a code the TCP connection is cut (close 1006), which discord.js resumes. */
  disconnect(session: GatewaySession, code?: number): void {
    const socket = session.socket;
    if (!socket) return;
    this.markClosed(session.connection, code ?? 1006, 'server');
    if (code === 1000 || code === 1001) session.invalidated = true;
    session.socket = null;
    if (code === undefined) socket.terminate();
    else socket.close(code);
    this.options.onChange();
  }

  /** op 7: the client should close and RESUME. */
  requestReconnect(session: GatewaySession): void {
    if (session.socket) this.send(session.socket, { op: GatewayOp.reconnect, d: null, s: null, t: null });
  }

  /** op 9 with `d = resumable`. When not resumable the session is gone for good. */
  invalidateSession(session: GatewaySession, resumable: boolean): void {
    if (!resumable) session.invalidated = true;
    if (session.socket)
      this.send(session.socket, { op: GatewayOp.invalidSession, d: resumable, s: null, t: null });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(socket: WebSocket, payload: JsonObject): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }

  private markClosed(connection: GatewayConnection | null, code: number, by: 'client' | 'server'): void {
    if (!connection || connection.closedAt !== undefined) return;
    connection.closedAt = now();
    connection.closeCode = code;
    connection.closedBy = by;
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'ws://standin');
    this.connectionCounter += 1;
    const connection: GatewayConnection = {
      id: this.connectionCounter,
      path: url.pathname,
      openedAt: now(),
      heartbeats: 0,
      presenceUpdates: [],
    };
    this.connections.push(connection);
    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    if (version !== '10') {
      socket.close(4012, 'Invalid API version');
      this.markClosed(connection, 4012, 'server');
      return;
    }
    if (encoding !== 'json') {
      socket.close(4002, 'Only JSON encoding is spoken here');
      this.markClosed(connection, 4002, 'server');
      return;
    }

    let session: GatewaySession | null = null;
    let heartbeatDeadline: NodeJS.Timeout | undefined;
    const sentWindow: number[] = [];
    const armHeartbeatDeadline = () => {
      clearTimeout(heartbeatDeadline);
      heartbeatDeadline = setTimeout(
        () => {
          // Discord ends sessions whose client stopped heartbeating.
          if (session) session.invalidated = true;
          this.markClosed(connection, 4009, 'server');
          socket.close(4009, 'Session timed out');
        },
        this.options.heartbeatIntervalMs * 2 + 1000,
      );
      heartbeatDeadline.unref();
    };

    const fail = (code: number, reason: string) => {
      this.markClosed(connection, code, 'server');
      socket.close(code, reason);
    };

    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const text = Buffer.isBuffer(raw) ? raw : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]);
      if (isBinary || text.length > 4096) {
        fail(4002, 'Error while decoding payload');
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(text.toString('utf8'));
      } catch {
        fail(4002, 'Error while decoding payload');
        return;
      }
      if (!isObject(payload) || typeof payload.op !== 'number') {
        fail(4002, 'Error while decoding payload');
        return;
      }
      const op = payload.op;
      if (op !== GatewayOp.heartbeat) {
        // Discord allows 120 events per 60 s; heartbeats are exempted here because tests shorten the interval.
        const at = Date.now();
        sentWindow.push(at);
        while (sentWindow.length > 0 && (sentWindow[0] ?? 0) < at - 60_000) sentWindow.shift();
        if (sentWindow.length > 120) {
          fail(4008, 'Rate limited');
          return;
        }
      }
      switch (op) {
        case GatewayOp.heartbeat: {
          connection.heartbeats += 1;
          armHeartbeatDeadline();
          this.send(socket, { op: GatewayOp.heartbeatAck, d: null, s: null, t: null });
          this.options.onChange();
          return;
        }
        case GatewayOp.identify: {
          if (session) {
            fail(4005, 'Already authenticated');
            return;
          }
          session = this.identify(socket, connection, payload.d, fail);
          return;
        }
        case GatewayOp.resume: {
          if (session) {
            fail(4005, 'Already authenticated');
            return;
          }
          session = this.resume(socket, connection, payload.d, fail);
          return;
        }
        case GatewayOp.presenceUpdate:
        case GatewayOp.voiceStateUpdate:
        case GatewayOp.requestGuildMembers: {
          if (!session) {
            fail(4003, 'Not authenticated');
            return;
          }
          if (op === GatewayOp.presenceUpdate) connection.presenceUpdates.push(payload.d ?? null);
          if (op === GatewayOp.requestGuildMembers) this.answerMemberRequest(session, payload.d);
          return;
        }
        default:
          fail(4001, 'Unknown opcode');
      }
    });

    socket.on('close', (code: number) => {
      clearTimeout(heartbeatDeadline);
      this.markClosed(connection, code, 'client');
      if (session && session.socket === socket) {
        session.socket = null;
        // A normal close ends the session; anything else (4200 "resuming", 1006) leaves it resumable.
        if (code === 1000 || code === 1001) session.invalidated = true;
      }
      this.options.onChange();
    });
    socket.on('error', () => {
      // The close event follows; nothing else to do.
    });

    this.send(socket, {
      op: GatewayOp.hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["standin-gateway",{}]'] },
      s: null,
      t: null,
    });
    armHeartbeatDeadline();
  }

  private identify(
    socket: WebSocket,
    connection: GatewayConnection,
    d: Json | undefined,
    fail: (code: number, reason: string) => void,
  ): GatewaySession | null {
    if (!isObject(d) || d.token !== this.options.botToken) {
      fail(4004, 'Authentication failed');
      return null;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const [shardId, shardCount] = shard;
    if (
      typeof shardId !== 'number' ||
      typeof shardCount !== 'number' ||
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardCount < 1 ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      fail(4010, 'Invalid shard');
      return null;
    }
    const intents = d.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || intents >= 1 << 26) {
      fail(4013, 'Invalid intent(s)');
      return null;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.options.allowedPrivilegedIntents) !== 0) {
      fail(4014, 'Disallowed intent(s)');
      return null;
    }
    if (this.sessionStartsRemaining <= 0) {
      fail(4004, 'Session start limit reached');
      return null;
    }
    this.sessionStartsRemaining -= 1;
    connection.kind = 'identify';
    connection.shard = [shardId, shardCount];
    connection.intents = intents;
    connection.identifyPayload = { ...d, token: '[redacted]' };
    const guildIds = this.options.world
      .guildIds()
      .filter((guildId) => shardIdForGuild(guildId, shardCount) === shardId);
    const session = new GatewaySession(randomToken(16), [shardId, shardCount], guildIds, now());
    session.socket = socket;
    session.connection = connection;
    connection.sessionId = session.id;
    this.sessions.push(session);
    this.dispatch(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.options.botUser,
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
      relationships: [],
      private_channels: [],
      presences: [],
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['standin'],
      auth: {},
      application: { id: this.options.applicationId, flags: this.options.applicationFlags },
      shard: [shardId, shardCount],
      _trace: ['["standin-gateway",{}]'],
    });
    // Guilds arrive just after READY, as lazy-loaded GUILD_CREATEs do.
    setImmediate(() => {
      for (const guildId of guildIds) {
        this.dispatch(session, 'GUILD_CREATE', this.options.world.guildCreatePayload(guildId));
      }
      session.guildsSent = true;
      this.options.onChange();
    });
    this.options.onChange();
    return session;
  }

  private resume(
    socket: WebSocket,
    connection: GatewayConnection,
    d: Json | undefined,
    fail: (code: number, reason: string) => void,
  ): GatewaySession | null {
    if (!isObject(d) || d.token !== this.options.botToken) {
      fail(4004, 'Authentication failed');
      return null;
    }
    const session = this.sessions.find((candidate) => candidate.id === d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.events[0]?.s ?? 1;
    if (!session || session.invalidated || seq < oldest - 1) {
      // Not resumable: the client must start a new session.
      this.send(socket, { op: GatewayOp.invalidSession, d: false, s: null, t: null });
      return null;
    }
    if (seq > session.seq) {
      fail(4007, 'Invalid seq');
      return null;
    }
    if (session.socket && session.socket !== socket) {
      this.markClosed(session.connection, 4009, 'server');
      session.socket.terminate();
    }
    session.socket = socket;
    session.connection = connection;
    session.resumes += 1;
    connection.kind = 'resume';
    connection.sessionId = session.id;
    connection.shard = session.shard;
    for (const event of session.events) {
      if (event.s > seq) this.send(socket, { op: GatewayOp.dispatch, d: event.d, s: event.s, t: event.t });
    }
    this.dispatch(session, 'RESUMED', { _trace: ['["standin-gateway",{}]'] });
    this.options.onChange();
    return session;
  }

  private answerMemberRequest(session: GatewaySession, d: Json | undefined): void {
    if (!isObject(d) || typeof d.guild_id !== 'string') return;
    const userIds = Array.isArray(d.user_ids)
      ? d.user_ids.filter((id): id is string => typeof id === 'string')
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : undefined;
    const query = typeof d.query === 'string' ? d.query : undefined;
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : 1000;
    const members = this.options.world.membersPayload(d.guild_id, userIds, query, limit);
    const found = new Set(
      members.map((member) => (isObject(member) && isObject(member.user) ? String(member.user.id) : '')),
    );
    this.dispatch(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: d.guild_id,
      members,
      chunk_index: 0,
      chunk_count: 1,
      not_found: (userIds ?? []).filter((id) => !found.has(id)),
      ...(typeof d.nonce === 'string' ? { nonce: d.nonce } : {}),
    });
  }
}
