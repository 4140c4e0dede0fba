import { describe, expect, test } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { createLogger, type LogDestination, loggerFromConfig, REDACTED, withContext } from '../src/logger.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789';
const STORE_PASSWORD = 'correct-horse-battery';

function capture(): LogDestination & {
  lines: string[];
  text(): string;
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const config = parseConfig({
  DISCORD_TOKEN: TOKEN,
  DISCORD_CLIENT_ID: '123456789012345678',
  STORE_URL: `redis://:${STORE_PASSWORD}@127.0.0.1:6379/0`,
  LOG_LEVEL: 'debug',
});

describe('the logger never prints the token', () => {
  test('logging the config object, its token field, or the raw environment', () => {
    const out = capture();
    const logger = loggerFromConfig(config, out);
    logger.info({ config }, 'config');
    logger.info({ token: config.discordToken, DISCORD_TOKEN: config.discordToken }, 'fields');
    logger.info(
      { env: { DISCORD_TOKEN: TOKEN }, request: { headers: { authorization: `Bot ${TOKEN}` } } },
      'nested',
    );
    logger.info({ headers: { Authorization: `Bot ${TOKEN}` } }, 'headers');
    expect(out.lines).toHaveLength(4);
    expect(out.text()).not.toContain(TOKEN);
    const [, fields, nested, headers] = out.records();
    expect(fields).toMatchObject({ token: REDACTED, DISCORD_TOKEN: REDACTED });
    expect(nested).toMatchObject({
      env: { DISCORD_TOKEN: REDACTED },
      request: { headers: { authorization: REDACTED } },
    });
    expect(headers).toMatchObject({ headers: { Authorization: REDACTED } });
  });

  test('an error whose message and stack contain the token', () => {
    const out = capture();
    const logger = loggerFromConfig(config, out);
    const error = new Error(`401 Unauthorized for token ${TOKEN}`);
    logger.error({ err: error }, 'login failed');
    logger.error({ error }, 'login failed again');
    logger.error(error);
    logger.warn(`interpolated %s into the message`, TOKEN);
    expect(out.lines).toHaveLength(4);
    expect(out.text()).not.toContain(TOKEN);
    const [first] = out.records();
    expect(first?.err).toMatchObject({ message: `401 Unauthorized for token ${REDACTED}` });
  });

  test('the store password in a URL is scrubbed too', () => {
    const out = capture();
    loggerFromConfig(config, out).info({ url: config.store.url }, 'connecting to %s', config.store.url);
    expect(out.text()).not.toContain(STORE_PASSWORD);
    expect(out.text()).toContain('127.0.0.1:6379');
  });
});

describe('levels and context', () => {
  test('lines below the configured level are dropped', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', destination: out });
    logger.info('quiet');
    logger.warn('loud');
    expect(out.records().map((record) => record.msg)).toEqual(['loud']);
  });

  test('child loggers carry guild, user and command on every line', () => {
    const out = capture();
    const logger = withContext(createLogger({ level: 'info', destination: out }), {
      guildId: '111111111111111111',
      userId: '222222222222222222',
      command: 'excerpt',
    });
    logger.info('served');
    logger.error({ err: new Error('boom') }, 'failed');
    for (const record of out.records()) {
      expect(record).toMatchObject({
        guildId: '111111111111111111',
        userId: '222222222222222222',
        command: 'excerpt',
      });
    }
  });

  test('by default lines go to stderr, never stdout', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `import { createLogger } from './src/logger.ts'; createLogger({ level: 'info' }).info('to-stderr');`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"msg":"to-stderr"');
  });
});
