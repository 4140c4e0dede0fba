/**
 * The three keyv backends ficbot can use, each with the few raw operations keyv does not
 * offer and the store needs: an atomic "insert when absent or expired" and a
 * "delete when it still holds this value" (for releasing locks safely).
 *
 * Values are written in keyv's own envelope (`{"value":…,"expires":…}` as produced by
 * `keyv.serializeData`), so `keyv.get` reads what the raw operations write and vice versa.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvPostgres from '@keyv/postgres';
import KeyvRedis, { createClient } from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import pg from 'pg';
import type { StoreTarget } from '../config.ts';
import type { Logger } from '../logger.ts';
import { deserializeValue, serializeValue } from './serialize.ts';

/** keyv's envelope: what `keyv.serializeData` writes and `keyv.deserializeData` reads. */
export interface Envelope<T = unknown> {
  value: T;
  expires?: number | undefined;
}

/**
 * A point read and a claim answered on the calling thread (SQLite, run in place by
 * better-sqlite3). The store reads and claims through these rather than keyv's adapter, whose
 * layers of promises cost more than the query; a timeout could never cut one short, so the store
 * sets none for any query of such a backend.
 */
export interface InPlaceQueries {
  /** The text stored under `key`, expired or not; undefined when there is none. */
  get(key: string): string | undefined;
  /** `Backend.insertIfAbsent`, answered now. */
  insertIfAbsent(key: string, serialized: string): boolean;
}

export interface Backend {
  readonly keyv: Keyv;
  /** keyv's serialisation of an envelope (the text `keyv.serializeData` gives), without its promise. */
  encode(envelope: Envelope): string;
  /** keyv's parse of a stored text (what `keyv.deserializeData` gives), without its promise. */
  decode(text: string): Envelope | undefined;
  /** Set for a backend whose queries run in place (SQLite). */
  readonly inPlace?: InPlaceQueries;
  /**
   * Store `serialized` under `key` only when the key holds nothing or an expired value.
   * True when this call stored it. Atomic across every client of the same server or file.
   */
  insertIfAbsent(key: string, serialized: string, expiresAt: number | undefined): Promise<boolean>;
  /** Delete `key` only while it still holds exactly `serialized`. True when deleted. */
  deleteIfEquals(key: string, serialized: string): Promise<boolean>;
  /**
   * Delete rows under `prefix` whose keyv envelope has expired (SQL backends keep expired rows
   * until read; Redis expires keys itself). Each row is re-checked as it is deleted, so a value
   * written a moment ago is never removed. Returns how many rows went.
   */
  sweepExpired(prefix: string): Promise<number>;
  /** A cheap round trip that proves the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BackendOptions {
  readonly logger: Logger;
  /** Upper bound for connecting and for one query, in milliseconds. */
  readonly timeoutMs: number;
}

/** Logs the first error of an outage as a warning, repeats at debug, and the recovery at info. */
function outageReporter(logger: Logger) {
  let down = false;
  return {
    failed(error: unknown) {
      if (down) {
        logger.debug({ err: error }, 'store still unreachable');
      } else {
        down = true;
        logger.warn({ err: error }, 'store unreachable; operations fail until it returns');
      }
    },
    recovered() {
      if (down) {
        down = false;
        logger.info('store reachable again');
      }
    },
  };
}

/** A keyv over `store`, and its format as the synchronous functions a Backend offers. */
function newKeyv(store: Keyv['store'], logger: Logger): Pick<Backend, 'keyv' | 'encode' | 'decode'> {
  // Prefixing is the store's job (see store.ts), so keyv gets no namespace of its own and
  // passes keys through unchanged; errors are thrown, never swallowed into `undefined`.
  const keyv = new Keyv({ store, namespace: undefined, useKeyPrefix: false, throwOnErrors: true });
  keyv.on('error', (error: unknown) => logger.debug({ err: error }, 'keyv reported an error'));
  // keyv's format at native JSON speed; keyv's own functions (synchronous, though typed as maybe
  // not) only for the values that need them.
  const { serialize, deserialize } = keyv;
  if (serialize === undefined || deserialize === undefined) throw new Error('keyv has no serializer');
  const encode = (envelope: Envelope): string => {
    const text = serializeValue(envelope, serialize);
    if (typeof text !== 'string') throw new TypeError('keyv returned a non-string serialisation');
    return text;
  };
  const decode = (text: string): Envelope | undefined => {
    const envelope = deserializeValue(text, (slow) => deserialize(slow));
    if (envelope instanceof Promise) throw new TypeError('keyv parsed a value asynchronously');
    return envelope as Envelope | undefined;
  };
  keyv.serialize = (data) => encode(data as Envelope);
  keyv.deserialize = <Value>(text: string) => decode(text) as { value?: Value; expires?: number } | undefined;
  return { keyv, encode, decode };
}

// ---------------------------------------------------------------------------------------------
// SQLite: one file, one process. Atomicity comes from SQLite's single writer.

/**
 * The connection every query goes through, the adapter's and ours: better-sqlite3, which runs a
 * query on the calling thread. @keyv/sqlite's own driver (sqlite3) sends each query to Node's
 * thread pool and back, two thread wake-ups that cost about 80 µs per query in an idle bot
 * against about 30 µs here, and every interaction that reads settings pays them. The queries are
 * point reads and writes of one row, so running them in place never holds the event loop for
 * long. The exception is a lock held by another process on the same file (SQLite is a
 * one-process store; Redis or PostgreSQL serve several): SQLite then waits up to
 * `busyTimeoutMs`, and the bot with it. Statements are prepared once per SQL text (the adapter's
 * and ours, a fixed few).
 */
function preparedConnection(path: string, busyTimeoutMs: number) {
  const database = new Database(path, { timeout: busyTimeoutMs });
  const statements = new Map<string, Database.Statement<unknown[]>>();
  const run = (sql: string, parameters: unknown[]): unknown[] => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    // The adapter's iterator passes its parameters as one array.
    const bound = parameters.length === 1 && Array.isArray(parameters[0]) ? parameters[0] : parameters;
    if (statement.reader) return statement.all(...bound);
    statement.run(...bound);
    return [];
  };
  return {
    /** Runs at once and answers now (an error throws). */
    run,
    /** Runs at once; the promise is the adapter's interface (an error rejects it, never throws). */
    query(sql: string, ...parameters: unknown[]): Promise<unknown[]> {
      try {
        return Promise.resolve(run(sql, parameters));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async close(): Promise<void> {
      statements.clear();
      database.close();
    },
  };
}

async function openSqlite(path: string, options: BackendOptions): Promise<Backend> {
  mkdirSync(dirname(path), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: options.timeoutMs });
  adapter.on('error', (error: unknown) => options.logger.error({ err: error }, 'sqlite store error'));
  const table = adapter.opts.table ?? 'keyv';
  // The adapter's own connection creates the table; every query after that, the adapter's and
  // ours, goes through the prepared connection.
  await adapter.query('SELECT 1');
  const connection = preparedConnection(path, options.timeoutMs);
  adapter.query = connection.query;
  // WAL lets readers proceed while one connection writes; with WAL, synchronous=NORMAL keeps every
  // committed write across a crash of the bot (only a power loss can drop the last commits) and
  // takes a quiz press from milliseconds to a tenth of one.
  await adapter.query('PRAGMA journal_mode = WAL');
  await adapter.query('PRAGMA synchronous = NORMAL');
  // Written once: the prepared statements are found by their text, and these two run on every
  // quiz press.
  const selectValue = `SELECT value FROM ${table} WHERE key = ?`;
  const insertUnlessLive = `INSERT INTO ${table} (key, value) VALUES (?, ?)
    ON CONFLICT(key) DO UPDATE SET value = excluded.value
    WHERE json_valid(${table}.value)
      AND json_extract(${table}.value, '$.expires') IS NOT NULL
      AND json_extract(${table}.value, '$.expires') <= ?
    RETURNING key`;
  const inPlace: InPlaceQueries = {
    get(key) {
      const row = connection.run(selectValue, [key])[0] as { value: unknown } | undefined;
      return typeof row?.value === 'string' ? row.value : undefined;
    },
    insertIfAbsent(key, serialized) {
      return connection.run(insertUnlessLive, [key, serialized, Date.now()]).length === 1;
    },
  };
  return {
    ...newKeyv(adapter, options.logger),
    inPlace,
    async insertIfAbsent(key, serialized, _expiresAt) {
      return inPlace.insertIfAbsent(key, serialized);
    },
    async deleteIfEquals(key, serialized) {
      const rows: unknown[] = await adapter.query(
        `DELETE FROM ${table} WHERE key = ? AND value = ? RETURNING key`,
        key,
        serialized,
      );
      return rows.length === 1;
    },
    async sweepExpired(prefix) {
      const rows: unknown[] = await adapter.query(
        `DELETE FROM ${table}
         WHERE substr(key, 1, length(?)) = ?
           AND json_valid(value)
           AND json_extract(value, '$.expires') <= ?
         RETURNING key`,
        prefix,
        prefix,
        Date.now(),
      );
      return rows.length;
    },
    async ping() {
      await adapter.query('SELECT 1');
    },
    async close() {
      await connection.close();
      await adapter.disconnect();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Redis: SET NX PX for insertion, a Lua compare-and-delete for release.

const DELETE_IF_EQUALS_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

async function openRedis(url: string, options: BackendOptions): Promise<Backend> {
  const outage = outageReporter(options.logger);
  const client = createClient({
    url,
    // Commands issued while disconnected reject at once instead of queueing until the server
    // returns: the caller gets StoreUnavailableError and the bot answers.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.timeoutMs,
      // Keep reconnecting for ever, backing off to one attempt every two seconds.
      reconnectStrategy: (retries: number) =>
        Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100),
    },
  });
  client.on('error', (error: unknown) => outage.failed(error));
  client.on('ready', () => outage.recovered());
  // Resolves once connected; with the strategy above it retries rather than rejecting, so a
  // store opened while Redis is down starts working when Redis comes up.
  const connecting = client.connect().catch((error: unknown) => outage.failed(error));
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, options.timeoutMs).unref())]);

  const adapter = new KeyvRedis(client, { throwOnErrors: true, throwOnConnectError: true, useUnlink: false });
  adapter.on('error', (error: unknown) => options.logger.debug({ err: error }, 'redis adapter error'));
  return {
    ...newKeyv(adapter, options.logger),
    async insertIfAbsent(key, serialized, expiresAt) {
      const ttlMs = expiresAt === undefined ? undefined : Math.max(1, Math.ceil(expiresAt - Date.now()));
      const reply = await client.set(
        key,
        serialized,
        ttlMs === undefined
          ? { condition: 'NX' }
          : { condition: 'NX', expiration: { type: 'PX', value: ttlMs } },
      );
      return reply === 'OK';
    },
    async deleteIfEquals(key, serialized) {
      const deleted = await client.eval(DELETE_IF_EQUALS_SCRIPT, { keys: [key], arguments: [serialized] });
      return deleted === 1;
    },
    async sweepExpired() {
      return 0;
    },
    async ping() {
      await client.ping();
    },
    async close() {
      if (client.isReady) {
        await client.close();
      } else {
        client.destroy();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: INSERT … ON CONFLICT for insertion. @keyv/postgres keeps one global pool per URL
// (closing one store would end another's pool, and an idle client's error on that pool would
// crash the process), so each store brings its own pool with an error handler.

/**
 * The envelope's expiry time as SQL, NULL when it has none. keyv writes `{"value":…,"expires":N}`
 * with `expires` last; a quote inside a JSON string is always escaped, so `,"expires":N}` at the
 * very end can only be the envelope's own field. (Casting to json/jsonb instead would fail on
 * any value holding `\u0000`, which PostgreSQL's JSON types refuse.)
 */
const expiresOf = (column: string) =>
  `substring(${column} from ',"expires":([0-9]+(?:\\.[0-9]+)?)\\}$')::numeric`;

/**
 * What a CREATE TABLE IF NOT EXISTS racing another creation of the same table (the adapter's own,
 * another process's) may answer: a unique violation in the catalogue, duplicate table, or
 * duplicate object (the table's row type).
 */
const TABLE_EXISTS_CODES = new Set(['23505', '42P07', '42710']);

/** An error the server answered with (SQLSTATE), as opposed to not answering; connection classes excluded. */
function isSqlError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57)/.test(code);
}

async function openPostgres(url: string, options: BackendOptions): Promise<Backend> {
  const outage = outageReporter(options.logger);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: options.timeoutMs,
    query_timeout: options.timeoutMs,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
  });
  pool.on('error', (error: Error) => outage.failed(error));

  const run = async (sql: string, values?: unknown[]) => {
    try {
      const result = await pool.query(sql, values);
      outage.recovered();
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      if (!isSqlError(error)) outage.failed(error);
      throw error;
    }
  };

  class PooledKeyvPostgres extends KeyvPostgres {
    override async connect() {
      return run;
    }
    override async disconnect() {
      await pool.end();
    }
  }
  const adapter = new PooledKeyvPostgres({ uri: url });
  adapter.on('error', (error: unknown) => options.logger.debug({ err: error }, 'postgres adapter error'));
  const table = `${adapter.opts.schema ?? 'public'}.${adapter.opts.table ?? 'keyv'}`;

  // The adapter creates its table once at construction and never again: if the server was
  // down then, every later query would fail. Create it on demand until it has worked once.
  let tableReady: Promise<void> | undefined;
  const ensureTable = () => {
    tableReady ??= run(
      `CREATE TABLE IF NOT EXISTS ${table} (key VARCHAR(${Number(adapter.opts.keySize ?? 255)}) PRIMARY KEY, value TEXT)`,
    ).then(
      () => undefined,
      (error: unknown) => {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && TABLE_EXISTS_CODES.has(code)) return;
        tableReady = undefined;
        throw error;
      },
    );
    return tableReady;
  };
  const query = async (sql: string, values?: unknown[]) => {
    await ensureTable();
    return run(sql, values);
  };
  adapter.query = query;

  return {
    ...newKeyv(adapter, options.logger),
    async insertIfAbsent(key, serialized, _expiresAt) {
      const rows = await query(
        `INSERT INTO ${table} (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
         WHERE ${expiresOf(`${table}.value`)} <= $3
         RETURNING key`,
        [key, serialized, Date.now()],
      );
      return rows.length === 1;
    },
    async deleteIfEquals(key, serialized) {
      const rows = await query(`DELETE FROM ${table} WHERE key = $1 AND value = $2 RETURNING key`, [
        key,
        serialized,
      ]);
      return rows.length === 1;
    },
    async sweepExpired(prefix) {
      const rows = await query(
        `DELETE FROM ${table}
         WHERE substr(key, 1, length($1)) = $1
           AND ${expiresOf('value')} <= $2
         RETURNING key`,
        [prefix, Date.now()],
      );
      return rows.length;
    },
    async ping() {
      await run('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

export function openBackend(target: StoreTarget, options: BackendOptions): Promise<Backend> {
  switch (target.backend) {
    case 'sqlite':
      return openSqlite(target.sqlitePath ?? target.url.replace(/^sqlite:\/\//, ''), options);
    case 'redis':
      return openRedis(target.url, options);
    case 'postgres':
      return openPostgres(target.url, options);
  }
}
