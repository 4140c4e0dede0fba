import { afterAll, expect, test } from 'vitest';
import { openBackend } from '../../src/state/backends.ts';
import { memoryLogger, tempSqliteFile } from './helpers.ts';

const file = tempSqliteFile();
afterAll(() => file.cleanup());

test('the SQLite backend keeps statements prepared: a bad one rejects, the rest run, it closes', async () => {
  const backend = await openBackend(
    { backend: 'sqlite', url: file.url, location: file.path, sqlitePath: file.path },
    { logger: memoryLogger(), timeoutMs: 3000 },
  );
  const query = (backend.keyv.store as { query(sql: string, ...parameters: unknown[]): Promise<unknown[]> })
    .query;
  await expect(query('SELEC nonsense')).rejects.toThrow(/syntax error/);
  await expect(query('SELEC nonsense')).rejects.toThrow(/syntax error/);
  const sums = await Promise.all([1, 2, 3].map((n) => query('SELECT ? + 1 AS sum', n)));
  expect(sums).toEqual([[{ sum: 2 }], [{ sum: 3 }], [{ sum: 4 }]]);
  await backend.keyv.set('k', { a: 1 });
  expect(await backend.keyv.get('k')).toEqual({ a: 1 });
  await backend.close();
});
