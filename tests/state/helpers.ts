import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { createLogger, type LogDestination, type Logger } from '../../src/logger.ts';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A Discord-like id (18 digits) that no other test run uses. */
export function randomGuildId(): string {
  return `1${Array.from(randomBytes(17), (byte) => byte % 10).join('')}`;
}

/** A key prefix unique to this test run, so runs sharing Redis/PostgreSQL never collide. */
export function runPrefix(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** A logger that keeps its lines for inspection instead of printing them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const destination: LogDestination = { write: (line: string) => lines.push(line) };
  return Object.assign(createLogger({ level: 'debug', destination }), { lines });
}

export function tempSqliteFile(): { url: string; path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ficbot-store-'));
  const path = join(dir, 'nested', 'state.sqlite');
  return { url: `sqlite://${path}`, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Remove every key a test run wrote under its prefix from the shared servers. */
export async function purgePrefix(backend: 'sqlite' | 'redis' | 'postgres', prefix: string): Promise<void> {
  if (backend === 'redis') {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for (const pattern of [`${prefix}:*`, `${prefix}-lock:*`]) {
      const keys = await client.keys(pattern);
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  } else if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DELETE FROM keyv WHERE key LIKE $1 OR key LIKE $2`, [
      `${prefix}:%`,
      `${prefix}-lock:%`,
    ]);
    await client.end();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the backend itself still holds a row/key, bypassing the store (and its expiry check). */
export async function rawKeyExists(
  backend: 'sqlite' | 'redis' | 'postgres',
  sqlitePath: string,
  key: string,
): Promise<boolean> {
  if (backend === 'redis') {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const exists = await client.exists(key);
    await client.close();
    return exists === 1;
  }
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const result = await client.query('SELECT 1 FROM keyv WHERE key = $1', [key]);
    await client.end();
    return result.rowCount === 1;
  }
  const { default: sqlite3 } = await import('sqlite3');
  const db = new sqlite3.Database(sqlitePath);
  const rows = await new Promise<unknown[]>((resolve, reject) =>
    db.all('SELECT 1 FROM keyv WHERE key = ?', [key], (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );
  await new Promise((resolve) => db.close(resolve));
  return rows.length === 1;
}

/** A TCP port nothing is listening on right now (so parallel test runs never share a server). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
