/**
 * Drives the real shell (router, command handlers, SQLite store in a temp folder) with
 * injected streams, one line at a time, and captures what it prints and what it logs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { commands as allCommands } from '../../commands/index.ts';
import type { Clock, CommandModule } from '../../src/discord/port.ts';
import { createLibraryHolder } from '../../src/discord/services.ts';
import { loadLibrary } from '../../src/library/index.ts';
import type { Library } from '../../src/library/types.ts';
import { createLogger } from '../../src/logger.ts';
import { createShell, type Shell } from '../../src/shell/shell.ts';
import { openStore } from '../../src/state/store.ts';
import type { Store } from '../../src/state/types.ts';

export const SEED_DATA_DIR = new URL('../../data', import.meta.url).pathname;

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface ShellHarness {
  readonly shell: Shell;
  readonly store: Store;
  readonly logs: LogLine[];
  /** Runs one line and returns what the shell printed for it. */
  send(line: string): Promise<string>;
  /** Everything printed so far (including bot-initiated messages between lines). */
  printed(): string;
  /** Runs several lines; returns everything printed. */
  script(lines: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly library?: Library;
  readonly commands?: readonly CommandModule[];
  readonly autoDeferMs?: number;
  readonly clock?: Clock;
  /** Wrap the store (e.g. to simulate an outage). */
  readonly wrapStore?: (store: Store) => Store;
}

let seedLibrary: Promise<Library> | undefined;

/** The seed stories in data/, loaded once per test file. */
export function loadSeedLibrary(): Promise<Library> {
  seedLibrary ??= loadLibrary(SEED_DATA_DIR);
  return seedLibrary;
}

export async function startShell(options: HarnessOptions = {}): Promise<ShellHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ficbot-shell-'));
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
  });
  const realStore = await openStore(`sqlite://${join(dir, 'store.sqlite')}`, { logger });
  const store = options.wrapStore ? options.wrapStore(realStore) : realStore;
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  const shell = createShell({
    input: new PassThrough(),
    output,
    library: createLibraryHolder(options.library ?? (await loadSeedLibrary())),
    store,
    logger,
    commands: options.commands ?? allCommands,
    ...(options.autoDeferMs === undefined ? {} : { autoDeferMs: options.autoDeferMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  const send = async (line: string) => {
    await flush();
    const before = printed.length;
    await shell.execute(line);
    await flush();
    return printed.slice(before);
  };
  return {
    shell,
    store,
    logs,
    send,
    printed: () => printed,
    async script(lines) {
      let all = '';
      for (const line of lines) all += await send(line);
      return all;
    },
    async close() {
      await realStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
