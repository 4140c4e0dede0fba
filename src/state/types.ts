/**
 * The contract of ficbot's one storage module. Every per-server value lives under that
 * server's namespace; nothing here can read or write another server's keys.
 * Implemented over keyv by `src/state/store.ts` (SQLite file, Redis or PostgreSQL by STORE_URL).
 */

export interface GuildStore {
  readonly guildId: string;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Atomically stores `value` only when `key` holds nothing; true when this call stored it.
   * Atomic across processes and shards that share the backend (exactly one caller wins).
   */
  setIfAbsent<T>(key: string, value: T, ttlMs?: number): Promise<boolean>;
  /**
   * Read-modify-write under a lock on this guild's key, serialised within this process and
   * across processes sharing the backend. Returns what `change` returned. An existing value keeps
   * its remaining time to live; `ttlMs` is the time to live of a value this call creates.
   */
  update<T>(key: string, change: (current: T | undefined) => T, ttlMs?: number): Promise<T>;
}

export interface Store {
  /** Which backend this is, for logs and the start-up banner: 'sqlite' | 'redis' | 'postgres'. */
  readonly backend: 'sqlite' | 'redis' | 'postgres';
  /** A human-readable location (file path or URL without credentials). */
  readonly location: string;
  guild(guildId: string): GuildStore;
  /** Resolves when in-flight writes have finished and the connection is closed. */
  close(): Promise<void>;
}

/** Thrown (and only this) when the backend cannot be reached; handlers turn it into a clear reply. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
