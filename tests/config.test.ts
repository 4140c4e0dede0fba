import { describe, expect, test } from 'vitest';
import {
  ConfigError,
  DEFAULT_DATA_DIR,
  DEFAULT_SQLITE_PATH,
  PROJECT_ROOT,
  parseConfig,
  redactConfig,
  requireDiscordCredentials,
} from '../src/config.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789';
const CLIENT_ID = '123456789012345678';

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(env, { cwd: '/srv/ficbot' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  test('an empty environment gives the terminal shell with the SQLite file and defaults', () => {
    const config = parseConfig({});
    expect(config.discordToken).toBeUndefined();
    expect(config.discordClientId).toBeUndefined();
    expect(config.store).toEqual({
      backend: 'sqlite',
      url: `sqlite://${DEFAULT_SQLITE_PATH}`,
      location: DEFAULT_SQLITE_PATH,
      sqlitePath: DEFAULT_SQLITE_PATH,
    });
    expect(DEFAULT_SQLITE_PATH).toBe(`${PROJECT_ROOT}state/ficbot.sqlite`);
    expect(config.dataDir).toBe(DEFAULT_DATA_DIR);
    expect(config.logLevel).toBe('info');
    expect(config.discordApiUrl).toBeUndefined();
  });

  test('blank values (a copied .env.example) count as unset', () => {
    const config = parseConfig({ DISCORD_TOKEN: '', DISCORD_CLIENT_ID: ' ', STORE_URL: '', LOG_LEVEL: '' });
    expect(config.discordToken).toBeUndefined();
    expect(config.store.backend).toBe('sqlite');
  });

  test('a full bot environment is read', () => {
    const config = parseConfig(
      {
        DISCORD_TOKEN: TOKEN,
        DISCORD_CLIENT_ID: CLIENT_ID,
        DISCORD_GUILD_ID: '876543210987654321',
        STORE_URL: 'redis://:pw@127.0.0.1:6379/2',
        DATA_DIR: 'stories',
        LOG_LEVEL: 'DEBUG',
        DISCORD_API_URL: 'http://127.0.0.1:3000/api/',
      },
      { cwd: '/srv/ficbot' },
    );
    expect(config.discordToken).toBe(TOKEN);
    expect(config.discordClientId).toBe(CLIENT_ID);
    expect(config.discordGuildId).toBe('876543210987654321');
    expect(config.store).toEqual({
      backend: 'redis',
      url: 'redis://:pw@127.0.0.1:6379/2',
      location: 'redis://127.0.0.1:6379/2',
    });
    expect(config.dataDir).toBe('/srv/ficbot/stories');
    expect(config.logLevel).toBe('debug');
    expect(config.discordApiUrl).toBe('http://127.0.0.1:3000/api');
  });

  test.each([
    ['sqlite://state/bot.sqlite', 'sqlite', '/srv/ficbot/state/bot.sqlite'],
    ['sqlite:///var/lib/ficbot.sqlite', 'sqlite', '/var/lib/ficbot.sqlite'],
    ['redis://127.0.0.1:6379', 'redis', 'redis://127.0.0.1:6379'],
    ['rediss://user:secret@cache.example.com:6380/1', 'redis', 'rediss://cache.example.com:6380/1'],
    ['postgres://postgres@127.0.0.1:5432/test', 'postgres', 'postgres://127.0.0.1:5432/test'],
    ['postgresql://bot:pw@db.internal/ficbot', 'postgres', 'postgresql://db.internal/ficbot'],
  ])('STORE_URL %s selects %s at %s (credentials stripped)', (url, backend, location) => {
    const config = parseConfig({ STORE_URL: url }, { cwd: '/srv/ficbot' });
    expect(config.store.backend).toBe(backend);
    expect(config.store.location).toBe(location);
  });

  test.each([
    ['mysql://localhost/db', /STORE_URL has an unsupported scheme "mysql:"/],
    ['just-a-path.sqlite', /STORE_URL has an unsupported scheme/],
    ['sqlite://', /STORE_URL "sqlite:\/\/" names no file/],
    ['postgres://127.0.0.1:5432', /STORE_URL \(postgres\) names no database/],
    ['redis://', /STORE_URL .*redis/],
  ])('STORE_URL %s is refused with a message naming it', (url, message) => {
    const problems = problemsOf({ STORE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('every bad variable is reported at once, each with how to fix it', () => {
    const problems = problemsOf({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: 'my-server',
      STORE_URL: 'mongodb://x',
      LOG_LEVEL: 'loud',
      DISCORD_API_URL: 'ftp://example.com',
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(
      /^DISCORD_CLIENT_ID is missing but DISCORD_TOKEN is set: add the application id/,
    );
    expect(problems[1]).toMatch(/^DISCORD_GUILD_ID must be a server id, 17–20 digits/);
    expect(problems[2]).toMatch(/^STORE_URL has an unsupported scheme "mongodb:": use sqlite:\/\//);
    expect(problems[3]).toMatch(/^LOG_LEVEL "loud" is not a level: use one of fatal, error/);
    expect(problems[4]).toMatch(/^DISCORD_API_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  test('the ConfigError message lists the problems line by line', () => {
    expect(() => parseConfig({ DISCORD_CLIENT_ID: 'abc', LOG_LEVEL: 'verbose' })).toThrow(
      /Invalid configuration[^\n]*\n {2}- DISCORD_CLIENT_ID must be the application id[^\n]*\n {2}- LOG_LEVEL "verbose"/,
    );
  });

  test.each([
    ['Bot abc.def.ghi', /without the "Bot " prefix/],
    ['abc def', /contains white space/],
  ])('a malformed token %j is refused without echoing it', (token, message) => {
    const problems = problemsOf({ DISCORD_TOKEN: token, DISCORD_CLIENT_ID: CLIENT_ID });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).not.toContain(token);
  });

  test('DISCORD_API_URL must be a URL', () => {
    expect(problemsOf({ DISCORD_API_URL: 'localhost:3000' })[0]).toMatch(/^DISCORD_API_URL/);
    expect(problemsOf({ DISCORD_API_URL: 'not a url' })[0]).toMatch(/is not a URL/);
  });

  test.each([
    [{}, { count: undefined, list: undefined }],
    [{ SHARD_COUNT: '4' }, { count: 4, list: undefined }],
    [
      { SHARD_COUNT: '4', SHARD_LIST: '3, 1,1' },
      { count: 4, list: [1, 3] },
    ],
  ])('shard plan %j', (env, shards) => {
    expect(parseConfig(env).shards).toEqual(shards);
  });

  test.each([
    [{ SHARD_COUNT: '0' }, /^SHARD_COUNT "0" must be a whole number/],
    [{ SHARD_COUNT: 'two' }, /^SHARD_COUNT "two"/],
    [{ SHARD_LIST: '0,1' }, /^SHARD_LIST needs SHARD_COUNT/],
    [{ SHARD_COUNT: '2', SHARD_LIST: '0;1' }, /^SHARD_LIST "0;1" must be shard ids separated by commas/],
    [
      { SHARD_COUNT: '2', SHARD_LIST: '1,2' },
      /^SHARD_LIST has 2: shard ids run from 0 to SHARD_COUNT − 1 \(1\)/,
    ],
  ])('a bad shard plan %j is refused', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('LOG_LEVEL left unset is remembered, so the terminal shell can keep its conversation clean', () => {
    expect(parseConfig({}).logLevelSet).toBe(false);
    expect(parseConfig({ LOG_LEVEL: 'debug' })).toMatchObject({ logLevel: 'debug', logLevelSet: true });
  });

  test('the config is frozen', () => {
    const config = parseConfig({ STORE_URL: 'redis://127.0.0.1' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
    expect(() => {
      (config as { logLevel: string }).logLevel = 'trace';
    }).toThrow(TypeError);
  });
});

describe('keeping the token out of sight', () => {
  const config = parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID });

  test('the token is readable but never serialised, spread or inspected', async () => {
    const { inspect } = await import('node:util');
    expect(config.discordToken).toBe(TOKEN);
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(JSON.stringify({ ...config })).not.toContain(TOKEN);
    expect(inspect(config, { depth: 5 })).not.toContain(TOKEN);
    expect(Object.keys(config)).not.toContain('discordToken');
  });

  test('the redacted view says only whether the token is set', () => {
    const view = redactConfig(config);
    expect(view.discordToken).toBe('[redacted]');
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(redactConfig(parseConfig({})).discordToken).toBe('unset');
  });
});

describe('requireDiscordCredentials', () => {
  test('returns token and client id when both are set', () => {
    expect(
      requireDiscordCredentials(parseConfig({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID })),
    ).toEqual({
      token: TOKEN,
      clientId: CLIENT_ID,
    });
  });

  test('names both missing variables', () => {
    expect(() => requireDiscordCredentials(parseConfig({}))).toThrow(
      /DISCORD_TOKEN is missing[\s\S]*DISCORD_CLIENT_ID is missing/,
    );
  });
});
