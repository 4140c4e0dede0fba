/**
 * ficbot's environment, read and validated once. Nothing else in the code base reads
 * `process.env` (discord.js itself reads the sharding variables SHARDS / SHARD_COUNT).
 *
 * `parseConfig` is pure: give it an environment, get a frozen `Config` or a `ConfigError`
 * that lists every bad variable and how to fix it. `loadConfig` applies `.env` (dotenv,
 * silently) over `process.env` and memoises the result.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

/** The folder holding package.json; defaults are resolved against it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the store lives when STORE_URL is unset: a SQLite file, its folder created on demand. */
export const DEFAULT_SQLITE_PATH = resolve(PROJECT_ROOT, 'state', 'ficbot.sqlite');

/** Where the story library is read from when DATA_DIR is unset. */
export const DEFAULT_DATA_DIR = resolve(PROJECT_ROOT, 'data');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type StoreBackend = 'sqlite' | 'redis' | 'postgres';

/** Which storage backend STORE_URL selects. `url` may hold credentials: never log it, log `location`. */
export interface StoreTarget {
  readonly backend: StoreBackend;
  /** What keyv's adapter is given: `sqlite://<absolute path>`, or the redis/postgres URL as written. */
  readonly url: string;
  /** Human-readable location without credentials: the file path, or the URL minus user and password. */
  readonly location: string;
  /** For SQLite, the absolute file path (its folder is created when the store opens). */
  readonly sqlitePath?: string;
}

export interface Config {
  /** Bot token; undefined → `npm start` runs the terminal shell. Non-enumerable: never printed by accident. */
  readonly discordToken: string | undefined;
  /** Application (client) id; required whenever a token is given (bot, deploy). */
  readonly discordClientId: string | undefined;
  /** Development guild that `npm run deploy` registers to; global registration when undefined. */
  readonly discordGuildId: string | undefined;
  readonly store: StoreTarget;
  /** Absolute path of the story library. */
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** Whether LOG_LEVEL was set: the terminal shell keeps to warnings unless someone asked for more. */
  readonly logLevelSet: boolean;
  /** Base URL for the REST client (e.g. `http://127.0.0.1:3000/api`); discord.com when undefined. */
  readonly discordApiUrl: string | undefined;
  /** `npm run start:shards`: total shards (undefined → Discord's recommendation) and this machine's share. */
  readonly shards: ShardPlan;
}

export interface ShardPlan {
  /** SHARD_COUNT: shards across every machine; undefined → as many as Discord's /gateway/bot recommends. */
  readonly count: number | undefined;
  /** SHARD_LIST: the shard ids this machine runs; undefined → all of them. */
  readonly list: readonly number[] | undefined;
}

/** Every problem found in the environment, one line each, naming the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration (environment or .env):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const SNOWFLAKE = /^\d{17,20}$/;

/** True for a Discord id: 17 to 20 decimal digits. */
export function isSnowflake(value: string): boolean {
  return SNOWFLAKE.test(value);
}

type Env = Readonly<Record<string, string | undefined>>;

/** An unset or blank variable (as a copied .env.example leaves it) counts as absent. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** A URL without its user name and password, for logs and banners. */
export function stripCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function parseStoreUrl(raw: string | undefined, cwd: string, problems: string[]): StoreTarget | undefined {
  if (raw === undefined) {
    return {
      backend: 'sqlite',
      url: `sqlite://${DEFAULT_SQLITE_PATH}`,
      location: DEFAULT_SQLITE_PATH,
      sqlitePath: DEFAULT_SQLITE_PATH,
    };
  }
  const formats =
    'use sqlite://<file path>, redis://[user:password@]host[:port][/db], rediss://..., ' +
    'postgres://[user[:password]@]host[:port]/database (or postgresql://), or leave it unset for the SQLite file';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '' || path === ':memory:') {
      problems.push(`STORE_URL "${raw}" names no file: ${formats}.`);
      return undefined;
    }
    const sqlitePath = resolvePath(path, cwd);
    return { backend: 'sqlite', url: `sqlite://${sqlitePath}`, location: sqlitePath, sqlitePath };
  }
  const backend =
    scheme === 'redis' || scheme === 'rediss'
      ? 'redis'
      : scheme === 'postgres' || scheme === 'postgresql'
        ? 'postgres'
        : undefined;
  if (backend === undefined) {
    problems.push(`STORE_URL has an unsupported scheme${scheme ? ` "${scheme}:"` : ''}: ${formats}.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`STORE_URL is not a valid ${backend} URL: ${formats}.`);
    return undefined;
  }
  if (url.hostname === '') {
    problems.push(`STORE_URL (${backend}) has no host name: ${formats}.`);
    return undefined;
  }
  if (backend === 'postgres' && url.pathname.replace(/^\//, '') === '') {
    problems.push(
      `STORE_URL (postgres) names no database: add it as the path, e.g. postgres://user@host:5432/ficbot.`,
    );
    return undefined;
  }
  return { backend, url: raw, location: stripCredentials(url) };
}

function parseApiUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(
      `DISCORD_API_URL "${raw}" is not a URL: give a base such as http://127.0.0.1:3000/api, or unset it for discord.com.`,
    );
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`DISCORD_API_URL must be an http:// or https:// URL (got "${url.protocol}").`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('DISCORD_API_URL must not carry a user name or password.');
    return undefined;
  }
  return raw.replace(/\/+$/, '');
}

export interface ParseConfigOptions {
  /** Relative DATA_DIR and sqlite:// paths are resolved against this; defaults to the current directory. */
  readonly cwd?: string;
}

/**
 * What a STORE_URL value (or undefined, for the default SQLite file) selects; a ConfigError
 * naming STORE_URL when it is malformed. Relative sqlite paths resolve against `cwd`.
 */
export function parseStoreTarget(raw: string | undefined, cwd: string = process.cwd()): StoreTarget {
  const problems: string[] = [];
  const target = parseStoreUrl(
    raw === undefined || raw.trim() === '' ? undefined : raw.trim(),
    cwd,
    problems,
  );
  if (target === undefined) throw new ConfigError(problems);
  return target;
}

/** Validate an environment. Collects every problem before throwing one `ConfigError`. */
export function parseConfig(env: Env, options: ParseConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  const discordToken = read(env, 'DISCORD_TOKEN');
  if (discordToken !== undefined) {
    if (/^bot\s/i.test(discordToken)) {
      problems.push('DISCORD_TOKEN starts with "Bot ": give the token alone, without the "Bot " prefix.');
    } else if (/\s/.test(discordToken)) {
      problems.push(
        'DISCORD_TOKEN contains white space: copy the token again from the Developer Portal (Bot → Reset Token).',
      );
    }
  }

  const discordClientId = read(env, 'DISCORD_CLIENT_ID');
  if (discordClientId !== undefined && !isSnowflake(discordClientId)) {
    problems.push(
      'DISCORD_CLIENT_ID must be the application id, 17–20 digits (Developer Portal → General Information → Application ID).',
    );
  } else if (discordClientId === undefined && discordToken !== undefined) {
    problems.push(
      'DISCORD_CLIENT_ID is missing but DISCORD_TOKEN is set: add the application id (Developer Portal → General Information), or remove DISCORD_TOKEN to use the terminal shell.',
    );
  }

  const discordGuildId = read(env, 'DISCORD_GUILD_ID');
  if (discordGuildId !== undefined && !isSnowflake(discordGuildId)) {
    problems.push(
      'DISCORD_GUILD_ID must be a server id, 17–20 digits (enable Developer Mode, right-click the server → Copy Server ID), or unset it to deploy globally.',
    );
  }

  const store = parseStoreUrl(read(env, 'STORE_URL'), cwd, problems);

  const dataDirRaw = read(env, 'DATA_DIR');
  const dataDir = dataDirRaw === undefined ? DEFAULT_DATA_DIR : resolvePath(dataDirRaw, cwd);

  const logLevelSet = read(env, 'LOG_LEVEL') !== undefined;
  const logLevelRaw = read(env, 'LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelRaw)
    ? (logLevelRaw as LogLevel)
    : 'info';
  if (logLevel !== logLevelRaw) {
    problems.push(`LOG_LEVEL "${logLevelRaw}" is not a level: use one of ${LOG_LEVELS.join(', ')}.`);
  }

  const discordApiUrl = parseApiUrl(read(env, 'DISCORD_API_URL'), problems);
  const shards = parseShardPlan(read(env, 'SHARD_COUNT'), read(env, 'SHARD_LIST'), problems);

  if (problems.length > 0 || store === undefined) throw new ConfigError(problems);

  const config = {
    discordClientId,
    discordGuildId,
    store: Object.freeze(store),
    dataDir,
    logLevel,
    logLevelSet,
    discordApiUrl,
    shards,
  } as Config;
  // The token is readable but not enumerable, so logging, spreading or printing the config
  // cannot carry it along.
  Object.defineProperty(config, 'discordToken', { value: discordToken, enumerable: false });
  return Object.freeze(config);
}

const SHARD_ID = /^\d{1,5}$/;

function parseShardPlan(
  countRaw: string | undefined,
  listRaw: string | undefined,
  problems: string[],
): ShardPlan {
  let count: number | undefined;
  if (countRaw !== undefined) {
    count = SHARD_ID.test(countRaw) ? Number(countRaw) : Number.NaN;
    if (!(count >= 1)) {
      problems.push(`SHARD_COUNT "${countRaw}" must be a whole number of shards, 1 or more (or unset it).`);
      count = undefined;
    }
  }
  let list: number[] | undefined;
  if (listRaw !== undefined) {
    const ids = listRaw.split(',').map((id) => id.trim());
    if (!ids.every((id) => SHARD_ID.test(id))) {
      problems.push(`SHARD_LIST "${listRaw}" must be shard ids separated by commas, like 0,1,2.`);
    } else if (count === undefined) {
      problems.push('SHARD_LIST needs SHARD_COUNT: the total number of shards across all machines.');
    } else {
      list = [...new Set(ids.map(Number))].sort((a, b) => a - b);
      const outside = list.filter((id) => id >= (count as number));
      if (outside.length > 0) {
        problems.push(
          `SHARD_LIST has ${outside.join(', ')}: shard ids run from 0 to SHARD_COUNT − 1 (${count - 1}).`,
        );
      }
    }
  }
  return Object.freeze({ count, list: list === undefined ? undefined : Object.freeze(list) });
}

/** The config as it may be logged or shown: the token reduced to whether it is set. */
export function redactConfig(config: Config) {
  return {
    discordToken: config.discordToken === undefined ? 'unset' : '[redacted]',
    discordClientId: config.discordClientId ?? 'unset',
    discordGuildId: config.discordGuildId ?? 'unset',
    store: { backend: config.store.backend, location: config.store.location },
    dataDir: config.dataDir,
    logLevel: config.logLevel,
    discordApiUrl: config.discordApiUrl ?? 'https://discord.com/api',
    shards: { count: config.shards.count ?? 'recommended', list: config.shards.list ?? 'all' },
  };
}

/** Token and client id together, as the bot and `npm run deploy` need them; a ConfigError otherwise. */
export function requireDiscordCredentials(config: Config): { token: string; clientId: string } {
  const problems: string[] = [];
  if (config.discordToken === undefined) {
    problems.push(
      'DISCORD_TOKEN is missing: add the bot token (Developer Portal → Bot → Reset Token) to .env.',
    );
  }
  if (config.discordClientId === undefined) {
    problems.push(
      'DISCORD_CLIENT_ID is missing: add the application id (Developer Portal → General Information).',
    );
  }
  if (config.discordToken === undefined || config.discordClientId === undefined)
    throw new ConfigError(problems);
  return { token: config.discordToken, clientId: config.discordClientId };
}

let loaded: Config | undefined;

/**
 * Apply `.env` from the project root (never overriding variables already set, printing
 * nothing), then validate `process.env`. Read once: later calls return the same object.
 */
export function loadConfig(): Config {
  if (loaded === undefined) {
    dotenv.config({ path: resolve(PROJECT_ROOT, '.env'), quiet: true });
    loaded = parseConfig(process.env);
  }
  return loaded;
}
