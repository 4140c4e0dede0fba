import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openStore } from '../../src/state/store.ts';
import { StoreUnavailableError } from '../../src/state/types.ts';
import { freePort, memoryLogger, randomGuildId, runPrefix, sleep } from './helpers.ts';

// Private servers run on spare ports picked at start-up, so stopping them disturbs nobody else
// and parallel runs never share one.
/** A private Redis. */
const PRIVATE_REDIS_PORT = await freePort();
/** A second private Redis, started only after a store was opened against it. */
const LATE_REDIS_PORT = await freePort();
/** A port with nothing listening, standing in for a PostgreSQL server that is down. */
const DEAD_POSTGRES_PORT = await freePort();
/** A private PostgreSQL cluster in a temporary folder. */
const PRIVATE_POSTGRES_PORT = await freePort();

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    if (await portAnswers(port)) {
      await sleep(20);
      // A server that lost the race for the port exits; never talk to someone else's.
      if (child.exitCode === null) return child;
      break;
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** How long `operation` took to reject, and with what. */
async function timeRejection(operation: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await operation();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the operation to fail');
}

async function eventually<T>(operation: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

describe('a Redis outage', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) await stopRedis(child);
  });

  test('fails fast with StoreUnavailableError, never crashes, and recovers without reopening', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      children.push(await startRedis(PRIVATE_REDIS_PORT));
      const logger = memoryLogger();
      const store = await openStore(`redis://127.0.0.1:${PRIVATE_REDIS_PORT}`, {
        logger,
        prefix: runPrefix(),
      });
      const guild = store.guild(randomGuildId());
      await guild.set('score', { points: 7 });
      expect(
        await guild.update<{ points: number }>('score', (s) => ({ points: (s?.points ?? 0) + 1 })),
      ).toEqual({
        points: 8,
      });

      await stopRedis(children.pop()!);

      for (const operation of [
        () => guild.get('score'),
        () => guild.set('score', { points: 0 }),
        () => guild.delete('score'),
        () => guild.setIfAbsent('winner', 'alice', 5_000),
        () => guild.update<number>('n', (n) => (n ?? 0) + 1),
      ]) {
        const { error, ms } = await timeRejection(operation);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(3_500);
      }
      // While it stays down, every attempt keeps failing the same clear way.
      await sleep(1_500);
      await expect(guild.get('score')).rejects.toBeInstanceOf(StoreUnavailableError);

      children.push(await startRedis(PRIVATE_REDIS_PORT));
      // A fresh server (no persistence) has lost the data, but the same store object works again.
      await eventually(() => guild.set('score', { points: 1 }), 10_000);
      expect(await guild.get('score')).toEqual({ points: 1 });
      expect(await guild.setIfAbsent('winner', 'bob', 5_000)).toBe(true);
      expect(await guild.update<number>('n', (n) => (n ?? 0) + 1)).toBe(1);

      const records = logger.lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(records.some((r) => r.level === 40 && r.msg.startsWith('store unreachable'))).toBe(true);
      expect(records.some((r) => r.msg === 'store reachable again')).toBe(true);
      await store.close();
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  test('a store opened while Redis is down starts working when it comes up', async () => {
    const logger = memoryLogger();
    const started = Date.now();
    const store = await openStore(`redis://127.0.0.1:${LATE_REDIS_PORT}`, {
      logger,
      prefix: runPrefix(),
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    const guild = store.guild(randomGuildId());
    const { error, ms } = await timeRejection(() => guild.get('settings'));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(3_500);

    children.push(await startRedis(LATE_REDIS_PORT));
    await eventually(() => guild.set('settings', { display: 'plain' }), 10_000);
    expect(await guild.get('settings')).toEqual({ display: 'plain' });
    await store.close();
  });
});

describe('a PostgreSQL server that is down', () => {
  test('operations reject quickly with StoreUnavailableError naming the location, without credentials', async () => {
    const logger = memoryLogger();
    const store = await openStore(`postgres://ficbot:hunter22@127.0.0.1:${DEAD_POSTGRES_PORT}/ficbot`, {
      logger,
      prefix: runPrefix(),
    });
    expect(store.location).toBe(`postgres://127.0.0.1:${DEAD_POSTGRES_PORT}/ficbot`);
    const guild = store.guild(randomGuildId());
    for (const operation of [
      () => guild.get('settings'),
      () => guild.setIfAbsent('winner', 1),
      () => guild.update<number>('n', (n) => (n ?? 0) + 1),
    ]) {
      const { error, ms } = await timeRejection(operation);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toContain(`postgres://127.0.0.1:${DEAD_POSTGRES_PORT}/ficbot`);
      expect((error as Error).message).not.toContain('hunter22');
      expect(ms).toBeLessThan(3_500);
    }
    expect(logger.lines.join('')).not.toContain('hunter22');
    await store.close();
  });
});

/**
 * A throw-away PostgreSQL cluster run with the server binaries on this machine (as the
 * `postgres` user when the tests run as root, since PostgreSQL refuses to run as root).
 */
function privatePostgres() {
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' })
      : execFileSync(command, args, { stdio: 'pipe' });
  try {
    run('pg_ctl', ['--version']);
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ficbot-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const options = `-p ${PRIVATE_POSTGRES_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  return {
    url: `postgres://postgres@127.0.0.1:${PRIVATE_POSTGRES_PORT}/postgres`,
    init: () => run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']),
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']),
    /** Immediate mode: the server dies without a clean shutdown, like a crash. */
    crash: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    remove: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const postgresServer = (() => {
  try {
    return privatePostgres();
  } catch {
    return undefined;
  }
})();

describe.skipIf(postgresServer === undefined)('a PostgreSQL outage (private cluster)', () => {
  afterAll(() => postgresServer?.remove());

  test('fails fast with StoreUnavailableError, never crashes, and recovers without reopening', async () => {
    const server = postgresServer!;
    server.init();
    server.start();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      const logger = memoryLogger();
      const store = await openStore(server.url, { logger, prefix: runPrefix() });
      const guild = store.guild(randomGuildId());
      await guild.set('score', { points: 7 });
      expect(
        await guild.update<{ points: number }>('score', (s) => ({ points: (s?.points ?? 0) + 1 })),
      ).toEqual({
        points: 8,
      });

      server.crash();
      for (const operation of [
        () => guild.get('score'),
        () => guild.set('score', { points: 0 }),
        () => guild.setIfAbsent('winner', 'alice', 5_000),
        () => guild.update<number>('n', (n) => (n ?? 0) + 1),
      ]) {
        const { error, ms } = await timeRejection(operation);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(3_500);
      }

      server.start();
      // The data survived (PostgreSQL persists); the same store object works again.
      expect(await eventually(() => guild.get('score'), 10_000)).toEqual({ points: 8 });
      expect(
        await guild.update<{ points: number }>('score', (s) => ({ points: (s?.points ?? 0) + 1 })),
      ).toEqual({
        points: 9,
      });
      expect(await guild.setIfAbsent('winner', 'bob', 5_000)).toBe(true);
      await store.close();
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
