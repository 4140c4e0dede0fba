/**
 * ficbot's one storage module: keyv over a SQLite file, Redis or PostgreSQL (chosen by
 * STORE_URL), with one namespace per server.
 *
 * Keys are laid out as `<prefix>:<guildId>:<key>` (locks as `<prefix>-lock:<guildId>:<key>`).
 * A guild id may only contain letters, digits, `_` and `-` (Discord's are digits), so the text
 * before the second `:` always names exactly one server: no key string can reach another
 * server's data.
 *
 * Every operation is bounded in time; when the backend cannot be reached it rejects with
 * `StoreUnavailableError` and works again by itself once the backend is back.
 */
import { randomUUID } from 'node:crypto';
import { parseStoreTarget, type StoreTarget } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type Backend, type Envelope, openBackend } from './backends.ts';
import { type GuildStore, type Store, StoreUnavailableError } from './types.ts';

export type { GuildStore, Store } from './types.ts';
export { StoreUnavailableError } from './types.ts';

export interface OpenStoreOptions {
  readonly logger: Logger;
  /** Bound on connecting and on each round trip to the backend, in ms. Default 3000. */
  readonly timeoutMs?: number;
  /** Separates ficbot's keys from anything else on the server (and test runs from each other). Default `ficbot`. */
  readonly prefix?: string;
  /** How long an update lock survives a holder that died, in ms. Default 10000. */
  readonly lockTtlMs?: number;
}

const GUILD_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const PREFIX = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** PostgreSQL's key column holds 255 characters; leave room for the prefix and guild id. */
export const MAX_KEY_LENGTH = 150;
/** How often expired rows are removed from SQLite/PostgreSQL. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * The values last read or written, by key, with the exact text stored for them. A read whose text
 * is the same gets the value without parsing it again: a quiz game is tens of kilobytes, read by
 * every answer and written back after it. Every read still asks the backend (nothing is served
 * that the store does not hold at that moment, and an outage fails as before); only the parse is
 * saved. Values are treated as immutable, as all of ficbot's state is (plain JSON data, changed by
 * making new objects). Texts under MIN_TEXT are not kept: a claim or a press (~130 characters)
 * parses in no time, while even a one-round game (~800) took ~15 µs in a running bot, whose caches
 * have gone cold between two answers.
 */
class ParsedValues {
  static readonly MIN_TEXT = 256;
  private readonly entries = new Map<string, { text: string; envelope: Envelope<unknown> }>();

  constructor(private readonly limit: number) {}

  get<T>(key: string, text: string): Envelope<T> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.text !== text) return undefined;
    // Most recently used last: the first entry is the one to drop.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.envelope as Envelope<T>;
  }

  remember(key: string, text: string, envelope: Envelope<unknown>): void {
    this.entries.delete(key);
    if (text.length < ParsedValues.MIN_TEXT) return;
    this.entries.set(key, { text, envelope });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** Serialises async work per key within this process. */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** A positive whole number of milliseconds (Redis refuses fractions), or undefined for no expiry. */
function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${ttlMs})`);
  }
  return Math.ceil(ttlMs);
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || CONTROL.test(key)) {
    throw new RangeError(
      `store keys must be 1–${MAX_KEY_LENGTH} characters without control characters (got ${JSON.stringify(key)})`,
    );
  }
}

/**
 * One server's keys: `<prefix>:<guildId>:<key>`, its locks `<prefix>-lock:<guildId>:<key>`. A
 * class, made for every use of `Store.guild` (each press of a quiz button, each settings read):
 * as an object of arrow functions it cost seven functions each time, each named by tsx's
 * transform with a defineProperty.
 */
class GuildNamespace implements GuildStore {
  constructor(
    private readonly store: KeyvStore,
    private readonly prefix: string,
    readonly guildId: string,
  ) {}

  get<T>(key: string): Promise<T | undefined> {
    return this.store.getValue<T>(this.keyOf(key));
  }

  set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    return this.store.setValue(this.keyOf(key), value, ttlMs);
  }

  delete(key: string): Promise<boolean> {
    return this.store.deleteValue(this.keyOf(key));
  }

  setIfAbsent<T>(key: string, value: T, ttlMs?: number): Promise<boolean> {
    return this.store.setValueIfAbsent(this.keyOf(key), value, ttlMs);
  }

  update<T>(key: string, change: (current: T | undefined) => T, ttlMs?: number): Promise<T> {
    return this.store.updateValue(
      this.keyOf(key),
      `${this.prefix}-lock:${this.guildId}:${key}`,
      change,
      ttlMs,
    );
  }

  private keyOf(key: string): string {
    checkKey(key);
    return `${this.prefix}:${this.guildId}:${key}`;
  }
}

class KeyvStore implements Store {
  readonly backend: Store['backend'];
  readonly location: string;
  private readonly mutex = new KeyedMutex();
  private readonly parsed = new ParsedValues(16);
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly instanceId = randomUUID();
  private lockCounter = 0;
  private closing: Promise<void> | undefined;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    target: StoreTarget,
    private readonly engine: Backend,
    private readonly logger: Logger,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    private readonly lockTtlMs: number,
  ) {
    this.backend = target.backend;
    this.location = target.location;
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  guild(guildId: string): GuildStore {
    if (typeof guildId !== 'string' || !GUILD_ID.test(guildId)) {
      throw new RangeError(
        `guild ids are 1–64 letters, digits, "_" or "-" (Discord ids are digits); got ${JSON.stringify(guildId)}`,
      );
    }
    return new GuildNamespace(this, this.prefix, guildId);
  }

  /** `GuildStore.get` of a full key (see GuildNamespace). */
  getValue<T>(full: string): Promise<T | undefined> {
    return this.operation(() => this.read<T>(full).then((envelope) => envelope?.value));
  }

  setValue<T>(full: string, value: T, ttlMs: number | undefined): Promise<void> {
    const ttl = checkTtl(ttlMs);
    return this.operation(() => this.write(full, value, ttl));
  }

  deleteValue(full: string): Promise<boolean> {
    this.parsed.forget(full);
    return this.operation(() => this.call(() => this.engine.keyv.delete(full)));
  }

  setValueIfAbsent<T>(full: string, value: T, ttlMs: number | undefined): Promise<boolean> {
    const ttl = checkTtl(ttlMs);
    return this.operation(() => this.insertIfAbsent(full, value, ttl));
  }

  updateValue<T>(
    full: string,
    lock: string,
    change: (current: T | undefined) => T,
    ttlMs: number | undefined,
  ): Promise<T> {
    const ttl = checkTtl(ttlMs);
    return this.operation(() =>
      this.mutex.run(full, () => this.withLock(lock, () => this.change(full, change, ttl))),
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.sweeper);
      await Promise.allSettled([...this.inFlight]);
      try {
        await this.engine.close();
      } catch (error) {
        this.logger.warn({ err: error }, 'store did not close cleanly');
      }
      this.logger.info({ backend: this.backend, location: this.location }, 'store closed');
    })();
    return this.closing;
  }

  /** A public operation: refused once closing, and awaited by close(). */
  private operation<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) {
      return Promise.reject(new StoreUnavailableError(`the ${this.backend} store is closed`));
    }
    const running = work();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * One round trip to the backend, bounded in time; any failure becomes StoreUnavailableError.
   * A backend that answers in place has finished before a timer could fire, so it gets none.
   */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    if (this.engine.inPlace !== undefined) {
      try {
        return await request();
      } catch (error) {
        throw this.failure(error);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StoreUnavailableError(
              `the ${this.backend} store at ${this.location} did not answer within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([request(), timeout]);
    } catch (error) {
      throw this.failure(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private failure(error: unknown): StoreUnavailableError {
    if (error instanceof StoreUnavailableError) return error;
    return new StoreUnavailableError(
      `the ${this.backend} store at ${this.location} failed: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }

  /**
   * The stored envelope, or undefined when absent or expired. Unlike `keyv.get`, an expired
   * value is not deleted here: that delete could remove a value another process has just
   * claimed with setIfAbsent. Expired rows are overwritten by writes and swept periodically.
   */
  private async read<T>(full: string): Promise<Envelope<T> | undefined> {
    const inPlace = this.engine.inPlace;
    if (inPlace !== undefined) {
      try {
        return this.envelopeOf<T>(full, inPlace.get(full));
      } catch (error) {
        throw this.failure(error);
      }
    }
    return this.call(async () => this.envelopeOf<T>(full, await this.engine.keyv.store.get(full)));
  }

  /** The live envelope stored as `raw`, parsed again only when its text is not the one last seen. */
  private envelopeOf<T>(full: string, raw: unknown): Envelope<T> | undefined {
    if (typeof raw !== 'string') return undefined;
    let envelope = this.parsed.get<T>(full, raw);
    if (envelope === undefined) {
      envelope = this.engine.decode(raw) as Envelope<T> | undefined;
      if (envelope === undefined || envelope === null) return undefined;
      this.parsed.remember(full, raw, envelope);
    }
    if (typeof envelope.expires === 'number' && envelope.expires <= Date.now()) return undefined;
    return envelope;
  }

  /** Remove expired rows of this store's prefix (SQL backends); failures only log. */
  async sweep(): Promise<void> {
    if (this.closing !== undefined) return;
    try {
      const removed = await this.operation(() =>
        Promise.all(
          [`${this.prefix}:`, `${this.prefix}-lock:`].map((p) =>
            this.call(() => this.engine.sweepExpired(p)),
          ),
        ),
      );
      const total = removed.reduce((sum, n) => sum + n, 0);
      if (total > 0) this.logger.debug({ removed: total }, 'swept expired store entries');
    } catch (error) {
      this.logger.debug({ err: error }, 'could not sweep expired store entries');
    }
  }

  /** What `keyv.set` does (keyv's envelope, the time to live to the backend), keeping the text. */
  private async write<T>(full: string, value: T, ttlMs: number | undefined): Promise<void> {
    if (value === undefined) throw new TypeError('store values cannot be undefined; use delete()');
    const envelope: Envelope<T> = { value, expires: ttlMs === undefined ? undefined : Date.now() + ttlMs };
    const serialized = this.engine.encode(envelope);
    this.parsed.forget(full);
    await this.call(() => this.engine.keyv.store.set(full, serialized, ttlMs));
    this.parsed.remember(full, serialized, envelope);
  }

  private async insertIfAbsent<T>(full: string, value: T, ttlMs: number | undefined): Promise<boolean> {
    if (value === undefined) throw new TypeError('store values cannot be undefined');
    const expires = ttlMs === undefined ? undefined : Date.now() + ttlMs;
    const serialized = this.engine.encode({ value, expires });
    const inPlace = this.engine.inPlace;
    if (inPlace !== undefined) {
      try {
        return inPlace.insertIfAbsent(full, serialized);
      } catch (error) {
        throw this.failure(error);
      }
    }
    return this.call(() => this.engine.insertIfAbsent(full, serialized, expires));
  }

  /** Read, apply `change`, write back, keeping the key's remaining time to live (`ttlMs` when new). */
  private async change<T>(
    full: string,
    change: (current: T | undefined) => T,
    ttlMs: number | undefined,
  ): Promise<T> {
    const current = await this.read<T>(full);
    const next = change(current?.value);
    if (next === undefined) {
      await this.call(() => this.engine.keyv.delete(full));
      return next;
    }
    const remaining =
      current === undefined
        ? ttlMs
        : current.expires == null
          ? undefined
          : Math.max(1, Math.ceil(current.expires - Date.now()));
    await this.write(full, next, remaining);
    return next;
  }

  /**
   * Run `work` holding a lock that every process sharing the backend respects: the lock is
   * a key stored with setIfAbsent and a time to live (so a holder that dies cannot block
   * others for long), retried with backoff, and released in `finally` only if still ours.
   */
  private async withLock<T>(lockKey: string, work: () => Promise<T>): Promise<T> {
    const owner = `${this.instanceId}:${++this.lockCounter}`;
    const deadline = Date.now() + this.lockTtlMs + this.timeoutMs;
    let backoff = 2;
    let held: string | undefined;
    while (held === undefined) {
      const expires = Date.now() + this.lockTtlMs;
      const token = this.engine.encode({ value: owner, expires });
      if (await this.call(() => this.engine.insertIfAbsent(lockKey, token, expires))) {
        held = token;
        break;
      }
      if (Date.now() > deadline) {
        throw new StoreUnavailableError(`the ${this.backend} store stayed locked for ${lockKey}; try again`);
      }
      await sleep(backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 50);
    }
    try {
      return await work();
    } finally {
      const token = held;
      await this.call(() => this.engine.deleteIfEquals(lockKey, token)).catch((error: unknown) =>
        this.logger.warn({ err: error, lockKey }, 'could not release a store lock; it expires by itself'),
      );
    }
  }
}

/**
 * Open the store STORE_URL names (`sqlite://file`, `redis://…`, `rediss://…`, `postgres://…`,
 * or undefined for the default SQLite file). A Redis or PostgreSQL server that is down does not
 * stop this from resolving: operations fail with StoreUnavailableError until it comes up.
 * A malformed URL throws ConfigError; an unopenable SQLite file throws StoreUnavailableError.
 */
export async function openStore(
  url: string | StoreTarget | undefined,
  options: OpenStoreOptions,
): Promise<Store> {
  const target = typeof url === 'object' ? url : parseStoreTarget(url);
  const prefix = options.prefix ?? 'ficbot';
  if (!PREFIX.test(prefix))
    throw new RangeError(`store prefix must be lower-case letters, digits, "_" or "-"`);
  const timeoutMs = options.timeoutMs ?? 3_000;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const logger = options.logger.child({ store: target.backend });
  let engine: Backend;
  try {
    engine = await openBackend(target, { logger, timeoutMs });
  } catch (error) {
    throw new StoreUnavailableError(
      `cannot open the ${target.backend} store at ${target.location}: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
  const store = new KeyvStore(target, engine, logger, prefix, timeoutMs, lockTtlMs);
  let reachable = true;
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      engine.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    reachable = false;
    logger.warn(
      { backend: target.backend, location: target.location, err: error },
      'store opened but not reachable yet; state commands fail until it is',
    );
  }
  if (reachable) {
    logger.info({ backend: target.backend, location: target.location }, 'store opened');
    void store.sweep();
  }
  return store;
}
