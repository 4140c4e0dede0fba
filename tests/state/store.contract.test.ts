import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openStore } from '../../src/state/store.ts';
import { type Store, StoreUnavailableError } from '../../src/state/types.ts';
import {
  memoryLogger,
  POSTGRES_URL,
  purgePrefix,
  REDIS_URL,
  randomGuildId,
  rawKeyExists,
  runPrefix,
  sleep,
  tempSqliteFile,
} from './helpers.ts';

const sqliteFile = tempSqliteFile();

const backends = [
  { backend: 'sqlite', url: sqliteFile.url, location: sqliteFile.path },
  { backend: 'redis', url: REDIS_URL, location: 'redis://127.0.0.1:6379' },
  { backend: 'postgres', url: POSTGRES_URL, location: 'postgres://127.0.0.1:5432/test' },
] as const;

afterAll(() => sqliteFile.cleanup());

describe.each(backends)('the $backend store', ({ backend, url, location }) => {
  const prefix = runPrefix();
  const logger = memoryLogger();
  /** Two stores on the same backend, as two shards or processes would open them. */
  let store: Store;
  let otherShard: Store;

  beforeAll(async () => {
    store = await openStore(url, { logger, prefix });
    otherShard = await openStore(url, { logger, prefix });
  });

  afterAll(async () => {
    await store.close();
    await otherShard.close();
    await purgePrefix(backend, prefix);
  });

  test('says which backend it is and where, without credentials, and logs it at open', () => {
    expect(store.backend).toBe(backend);
    expect(store.location).toBe(location);
    const opened = logger.lines
      .map((line) => JSON.parse(line))
      .find((record) => record.msg === 'store opened');
    expect(opened).toMatchObject({ backend, location });
  });

  test('set, get and delete', async () => {
    const guild = store.guild(randomGuildId());
    expect(await guild.get('settings')).toBeUndefined();
    await guild.set('settings', { maxRating: 'teen', display: 'spoiler' });
    expect(await guild.get('settings')).toEqual({ maxRating: 'teen', display: 'spoiler' });
    await guild.set('settings', { maxRating: 'mature' });
    expect(await guild.get('settings')).toEqual({ maxRating: 'mature' });
    expect(await guild.delete('settings')).toBe(true);
    expect(await guild.get('settings')).toBeUndefined();
    expect(await guild.delete('settings')).toBe(false);
  });

  test('a large value is read afresh whenever another shard has changed it', async () => {
    const guildId = randomGuildId();
    const here = store.guild(guildId);
    const there = otherShard.guild(guildId);
    const game = (presses: number) => ({
      presses: Array.from({ length: presses }, (_, index) => ({ userId: `user-${index}`, choice: 1 })),
    });
    await here.set('game', game(100));
    expect(await here.get('game')).toEqual(game(100));
    expect(await there.get('game')).toEqual(game(100));
    await there.update<ReturnType<typeof game>>('game', (current) => ({
      presses: [...(current?.presses ?? []), { userId: 'late', choice: 2 }],
    }));
    expect((await here.get<ReturnType<typeof game>>('game'))?.presses).toHaveLength(101);
    await there.set('game', game(50));
    expect(await here.get('game')).toEqual(game(50));
    await there.delete('game');
    expect(await here.get('game')).toBeUndefined();
    await here.set('game', game(60));
    expect(await there.get('game')).toEqual(game(60));
  });

  test.each([
    [
      'a nested object',
      { scores: { '42': { points: 17, streak: 3 } }, hidden: ['gore', 'death'], active: null },
    ],
    [
      'an array of rounds',
      [
        { id: 'r1', quote: 'He said: "run"' },
        { id: 'r2', quote: '' },
      ],
    ],
    ['unicode and markup', { text: 'Ünïcödé — 🐉 ||spoiler|| @everyone <@&1> \n\t"quoted" \u0000' }],
    ['a string starting with a colon', ':base64:abc'],
    ['numbers and booleans', { zero: 0, negative: -1.5, big: 2 ** 52, yes: true, no: false }],
    ['an empty object', {}],
  ])('round-trips %s exactly', async (_name, value) => {
    const guild = store.guild(randomGuildId());
    await guild.set('value', value);
    expect(await guild.get('value')).toEqual(value);
    expect(await otherShard.guild(guild.guildId).get('value')).toEqual(value);
  });

  test('a value set with a time to live disappears when it runs out', async () => {
    const guild = store.guild(randomGuildId());
    await guild.set('round', { id: 'r1' }, 400);
    await guild.set('forever', { id: 'r0' });
    expect(await guild.get('round')).toEqual({ id: 'r1' });
    await sleep(700);
    expect(await guild.get('round')).toBeUndefined();
    expect(await guild.get('forever')).toEqual({ id: 'r0' });
  });

  test('setIfAbsent can claim a key again once its time to live has run out', async () => {
    const guild = store.guild(randomGuildId());
    // A value with a NUL character and a nested "expires" field must not confuse the expiry check.
    const alice = { by: 'alice\u0000', expires: 1 };
    expect(await guild.setIfAbsent('cooldown', alice, 300.5)).toBe(true);
    expect(await guild.setIfAbsent('cooldown', { by: 'bob' }, 300)).toBe(false);
    expect(await guild.get('cooldown')).toEqual(alice);
    await sleep(600);
    expect(await guild.setIfAbsent('cooldown', { by: 'bob' }, 300)).toBe(true);
    expect(await guild.get('cooldown')).toEqual({ by: 'bob' });
  });

  test('expired entries are swept from the backend, live ones kept', async () => {
    const sweeping = (await openStore(url, { logger, prefix })) as Store & { sweep(): Promise<void> };
    const guild = sweeping.guild(randomGuildId());
    await guild.set('expired', 1, 50);
    await guild.set('alive', 2, 60_000);
    await sleep(100);
    await sweeping.sweep();
    expect(await rawKeyExists(backend, sqliteFile.path, `${prefix}:${guild.guildId}:expired`)).toBe(false);
    expect(await rawKeyExists(backend, sqliteFile.path, `${prefix}:${guild.guildId}:alive`)).toBe(true);
    expect(await guild.get('alive')).toBe(2);
    await sweeping.close();
  });

  test('update keeps the time to live the key already had', async () => {
    const guild = store.guild(randomGuildId());
    await guild.set('round', { presses: 0 }, 500);
    await guild.update<{ presses: number }>('round', (round) => ({ presses: (round?.presses ?? 0) + 1 }));
    expect(await guild.get('round')).toEqual({ presses: 1 });
    await sleep(800);
    expect(await guild.get('round')).toBeUndefined();
  });

  test('a value update creates lives as long as asked; later updates keep that time', async () => {
    const guild = store.guild(randomGuildId());
    const append = (list: string[] | undefined, id: string) => [...(list ?? []), id];
    await guild.update<string[]>('presses', (list) => append(list, 'bob'), 500);
    await guild.update<string[]>('presses', (list) => append(list, 'carol'), 60_000);
    expect(await guild.get('presses')).toEqual(['bob', 'carol']);
    await sleep(800);
    expect(await guild.get('presses')).toBeUndefined();
  });

  describe('isolation between servers', () => {
    test("one server's keys are never visible to another", async () => {
      const a = store.guild(randomGuildId());
      const b = store.guild(randomGuildId());
      await a.set('settings', { owner: 'a' });
      expect(await b.get('settings')).toBeUndefined();
      await b.set('settings', { owner: 'b' });
      expect(await a.get('settings')).toEqual({ owner: 'a' });
      expect(await b.get('settings')).toEqual({ owner: 'b' });
      expect(await b.delete('settings')).toBe(true);
      expect(await a.get('settings')).toEqual({ owner: 'a' });
      expect(await b.setIfAbsent('settings', { owner: 'b2' })).toBe(true);
    });

    test('keys containing separators or another server id cannot reach that server', async () => {
      const victimId = randomGuildId();
      const victim = store.guild(victimId);
      await victim.set('scores', { secret: true });
      const attacker = store.guild(randomGuildId());
      for (const key of [
        `${victimId}:scores`,
        `:${victimId}:scores`,
        `../${victimId}:scores`,
        `${prefix}:${victimId}:scores`,
        `scores/${victimId}`,
        '%',
        '*',
      ]) {
        expect(await attacker.get(key)).toBeUndefined();
        await attacker.set(key, { overwritten: true });
      }
      expect(await victim.get('scores')).toEqual({ secret: true });
    });

    test.each(['', '1:2', '123/456', 'a b', '*', 'x'.repeat(65)])('refuses the guild id %j', (guildId) => {
      expect(() => store.guild(guildId)).toThrow(RangeError);
    });

    test('refuses empty, over-long and control-character keys and non-positive TTLs', async () => {
      const guild = store.guild(randomGuildId());
      expect(() => guild.get('')).toThrow(RangeError);
      expect(() => guild.set('k'.repeat(151), 1)).toThrow(RangeError);
      expect(() => guild.set('k', 1, 0)).toThrow(RangeError);
      expect(() => guild.setIfAbsent('k', 1, -5)).toThrow(RangeError);
      expect(() => guild.update(`k\u0000${guild.guildId}`, () => 1)).toThrow(RangeError);
    });
  });

  describe('setIfAbsent', () => {
    test('exactly one of 50 concurrent callers wins, and its value is the one stored', async () => {
      const guild = store.guild(randomGuildId());
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, caller) => guild.setIfAbsent('winner', { caller }, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await guild.get('winner')).toEqual({ caller: results.indexOf(true) });
    });

    test('exactly one of 50 callers spread over two store instances (two shards) wins', async () => {
      const guildId = randomGuildId();
      const shards = [store.guild(guildId), otherShard.guild(guildId)];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, caller) =>
          shards[caller % 2]!.setIfAbsent('winner', { caller }, 60_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await shards[1]!.get('winner')).toEqual({ caller: results.indexOf(true) });
    });
  });

  describe('update', () => {
    test('100 concurrent increments give exactly 100', async () => {
      const guild = store.guild(randomGuildId());
      const returned = await Promise.all(
        Array.from({ length: 100 }, () => guild.update<number>('presses', (count) => (count ?? 0) + 1)),
      );
      expect(await guild.get('presses')).toBe(100);
      expect(new Set(returned).size).toBe(100);
    });

    test('100 concurrent increments from two store instances (two shards) give exactly 100', async () => {
      const guildId = randomGuildId();
      const shards = [store.guild(guildId), otherShard.guild(guildId)];
      await Promise.all(
        Array.from({ length: 100 }, (_, caller) =>
          shards[caller % 2]!.update<{ points: number }>('score', (score) => ({
            points: (score?.points ?? 0) + 1,
          })),
        ),
      );
      expect(await shards[0]!.get('score')).toEqual({ points: 100 });
    });

    test('updates of different servers do not wait for each other and stay apart', async () => {
      const a = store.guild(randomGuildId());
      const b = otherShard.guild(randomGuildId());
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).update<number>('n', (n) => (n ?? 0) + 1)),
      );
      expect([await a.get('n'), await b.get('n')]).toEqual([10, 10]);
    });

    test('a change that throws leaves the value as it was and releases the lock', async () => {
      const guild = store.guild(randomGuildId());
      await guild.set('score', 5);
      await expect(
        guild.update<number>('score', () => {
          throw new Error('no such player');
        }),
      ).rejects.toThrow('no such player');
      expect(await guild.get('score')).toBe(5);
      const started = Date.now();
      expect(await otherShard.guild(guild.guildId).update<number>('score', (n) => (n ?? 0) + 1)).toBe(6);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    test('returning undefined from the change deletes the key', async () => {
      const guild = store.guild(randomGuildId());
      await guild.set('game', { round: 3 });
      await guild.update('game', () => undefined);
      expect(await guild.get('game')).toBeUndefined();
    });
  });

  test('close() waits for writes in flight, then refuses new operations', async () => {
    const closing = await openStore(url, { logger, prefix });
    const guild = closing.guild(randomGuildId());
    const writes = Array.from({ length: 20 }, (_, i) => guild.set(`k${i}`, { i }));
    const increments = Array.from({ length: 10 }, () => guild.update<number>('n', (n) => (n ?? 0) + 1));
    await closing.close();
    await expect(Promise.all([...writes, ...increments])).resolves.toBeDefined();
    await expect(guild.get('k0')).rejects.toBeInstanceOf(StoreUnavailableError);
    const check = store.guild(guild.guildId);
    expect(await check.get('k19')).toEqual({ i: 19 });
    expect(await check.get('n')).toBe(10);
  });
});
