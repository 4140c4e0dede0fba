/**
 * The real bot process (`src/index.ts`) against the Discord stand-in, for the reliability tests:
 * a private data folder, commands registered the way `npm run deploy` does, a store of the
 * test's choosing (SQLite file or a private redis-server it can stop and start), and helpers to
 * read answers, logs and the process's memory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { commands } from '../../../commands/index.ts';
import { PROJECT_ROOT, type RunningBot, startBot } from '../../support/bot-process.ts';
import {
  buttonsOf,
  type DiscordStandin,
  type InteractionHandle,
  type JsonObject,
  type StoredMessage,
  startStandin,
} from '../../support/discord-standin.ts';
import { buildFicWorld, type FicWorld, fixtureId } from '../../support/standin-fixtures.ts';
import type { SlashCommandInput } from '../../support/standin-interactions.ts';

export { PROJECT_ROOT, type RunningBot };
export const E2E_STORIES = join(PROJECT_ROOT, 'tests', 'e2e', 'stories');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/**
 * A private redis-server on its own port and folder, with an fsync'd append-only file: a write
 * Redis acknowledged survives `kill -9`, as in a production setup that promises durability.
 */
export class PrivateRedis implements StoreServer {
  readonly backend = 'redis' as const;
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async create(dir: string): Promise<PrivateRedis> {
    await mkdir(dir, { recursive: true });
    return new PrivateRedis(await freePort(), dir);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        // Tests stall the server on purpose with DEBUG SLEEP (local connections only).
        '--enable-debug-command',
        'local',
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) break;
      if (await portAnswers(this.port)) {
        this.child = child;
        return;
      }
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Stops the server the hard way (kill -9): only what was fsync'd survives. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async remove(): Promise<void> {
    await this.kill();
  }
}

/** A store server a test can crash and bring back: the private Redis, or a private PostgreSQL cluster. */
export interface StoreServer {
  readonly backend: 'redis' | 'postgres';
  readonly url: string;
  start(): Promise<void>;
  /** Dies without a clean shutdown, like a crash. */
  kill(): Promise<void>;
  /** Stops it and removes its files. */
  remove(): Promise<void>;
}

/**
 * A throw-away PostgreSQL cluster in `dir`, run as the `postgres` user when the tests run as root
 * (PostgreSQL refuses to run as root). fsync stays on: what it acknowledged survives a crash.
 */
export class PrivatePostgres implements StoreServer {
  readonly backend = 'postgres' as const;
  private initialised = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async create(dir: string): Promise<PrivatePostgres> {
    await mkdir(dir, { recursive: true });
    if (process.getuid?.() === 0) {
      // The postgres user must reach the folder: mkdtemp parents are 0700.
      await chmod(dirname(dir), 0o755);
      await chmod(dir, 0o755);
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      await chown(dir, uid, gid);
    }
    return new PrivatePostgres(await freePort(), dir);
  }

  /** Whether PostgreSQL's server programs are installed. */
  static available(): boolean {
    try {
      execFileSync('pg_ctl', ['--version'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(command: string, args: string[]): void {
    if (process.getuid?.() === 0)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  }

  async start(): Promise<void> {
    const data = join(this.dir, 'data');
    if (!this.initialised) {
      this.run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
      this.initialised = true;
    }
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`;
    this.run('pg_ctl', ['-D', data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  async kill(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async remove(): Promise<void> {
    await this.kill().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface BotOptions {
  readonly storeUrl: string;
  readonly dataDir: string;
  readonly standin: DiscordStandin;
  readonly world: FicWorld;
  /** Extra `node` arguments, e.g. `--import <preload>` to inject faults. */
  readonly nodeArgs?: readonly string[];
  readonly logLevel?: string;
}

/** `npm start` (tsx src/index.ts) with a deployment's environment and nothing inherited. */
export function spawnBot(options: BotOptions): RunningBot {
  return startBot(
    {
      DISCORD_TOKEN: options.world.botToken,
      DISCORD_CLIENT_ID: options.world.applicationId,
      DISCORD_API_URL: options.standin.apiUrl,
      STORE_URL: options.storeUrl,
      DATA_DIR: options.dataDir,
      LOG_LEVEL: options.logLevel ?? 'info',
    },
    'src/index.ts',
    options.nodeArgs,
  );
}

export interface World {
  readonly world: FicWorld;
  readonly standin: DiscordStandin;
  readonly dir: string;
  readonly dataDir: string;
  /** Writes a story file into the data folder (creating folders). */
  putStory(name: string, content: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in with the two-server fixture world, commands registered for both servers (as
 * `npm run deploy` would), and a data folder holding the e2e stories plus `extraStories`.
 */
export async function createWorld(
  extraStories: Record<string, string> = {},
  options: { recordBodies?: boolean; extraMembers?: number; heartbeatIntervalMs?: number } = {},
): Promise<World & { members: string[] }> {
  const world = buildFicWorld();
  // Extra readers of the main server (crowds pressing quiz buttons).
  const members = Array.from({ length: options.extraMembers ?? 0 }, (_, n) => ({
    id: fixtureId(),
    username: `reader${n}`,
    globalName: `Reader ${n}`,
  }));
  for (const member of members) {
    world.allUsers.push(member);
    world.main.fixture.members.push({ userId: member.id, roleIds: [world.main.roles.reader] });
  }
  const standin = await startStandin({
    applicationId: world.applicationId,
    botToken: world.botToken,
    guilds: world.guilds,
    users: world.allUsers,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 2_000,
    ...(options.recordBodies === undefined ? {} : { recordBodies: options.recordBodies }),
  });
  const dir = await mkdtemp(join(tmpdir(), 'ficbot-reliability-'));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  for (const file of ['harbour-lights.txt', 'midnight-oath.txt', 'everyone-is-here.txt'])
    await copyFile(join(E2E_STORIES, file), join(dataDir, file));
  const putStory = async (name: string, content: string | Uint8Array) => {
    await mkdir(dirname(join(dataDir, name)), { recursive: true });
    await writeFile(join(dataDir, name), content);
  };
  for (const [name, content] of Object.entries(extraStories)) await putStory(name, content);
  const rest = new REST({ api: standin.apiUrl }).setToken(world.botToken);
  for (const guild of [world.main, world.other]) {
    await rest.put(Routes.applicationGuildCommands(world.applicationId, guild.id), {
      body: commands.map((command) => command.data),
    });
  }
  return {
    world,
    standin,
    dir,
    dataDir,
    members: members.map((member) => member.id),
    putStory,
    async close() {
      await standin.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the bot and waits until it has connected and received both servers. */
export async function startConnectedBot(options: BotOptions): Promise<RunningBot> {
  const bot = spawnBot(options);
  await bot.waitForLog((line) => line.msg === 'connected to Discord', 30_000);
  await options.standin.waitForShards(1);
  return bot;
}

export { buttonsOf };
export const EPHEMERAL = 64;

/** The message the interaction's answer shows once answered (reply, or defer then edit). */
export async function answerOf(
  standin: DiscordStandin,
  handle: InteractionHandle,
  timeoutMs = 8_000,
): Promise<StoredMessage> {
  const first = await handle.response(timeoutMs);
  if (first.status >= 300)
    throw new Error(`callback refused: ${first.status} ${JSON.stringify(first.response)}`);
  return standin.waitFor(
    () => {
      const followUp = handle.followUpMessages().at(-1);
      if (followUp) return followUp;
      // The interaction's own reply (for a button, not the message carrying the button); a
      // deferred answer shows "thinking" (flag 128) until it is edited.
      const message = handle.message();
      return message && message.interactionId === handle.id && (message.flags & 128) === 0
        ? message
        : undefined;
    },
    timeoutMs,
    `the answer to interaction ${handle.id}`,
  );
}

export function embedsOf(message: StoredMessage | undefined): JsonObject[] {
  return ((message?.embeds ?? []) as JsonObject[]).filter(
    (embed) => typeof embed === 'object' && embed !== null,
  );
}

/**
 * The parts of a message Discord renders as markdown (content, embed title, description, field
 * names and values). Embed footers and author names are plain text: nothing in them renders or pings.
 */
export function markdownText(message: StoredMessage | undefined): string {
  if (!message) return '';
  const parts: string[] = [message.content];
  for (const embed of embedsOf(message)) {
    const fields = Array.isArray(embed.fields) ? (embed.fields as JsonObject[]) : [];
    parts.push(
      String(embed.title ?? ''),
      String(embed.description ?? ''),
      ...fields.flatMap((field) => [String(field.name), String(field.value)]),
    );
  }
  return parts.join('\n');
}

/** Everything a user reads in a message: content and every embed's text. */
export function visibleText(message: StoredMessage | undefined): string {
  if (!message) return '';
  const parts: string[] = [message.content];
  for (const embed of embedsOf(message)) {
    const fields = Array.isArray(embed.fields) ? (embed.fields as JsonObject[]) : [];
    const footer = embed.footer as JsonObject | undefined;
    const author = embed.author as JsonObject | undefined;
    parts.push(
      String(embed.title ?? ''),
      String(embed.description ?? ''),
      ...fields.flatMap((field) => [String(field.name), String(field.value)]),
      String(footer?.text ?? ''),
      String(author?.name ?? ''),
    );
  }
  return parts.join('\n');
}

/** A slash command in a server channel as a member; defaults: main server, #general, the reader. */
export function commandIn(
  standin: DiscordStandin,
  world: FicWorld,
  input: Partial<SlashCommandInput> & { name: string },
): InteractionHandle {
  return standin.slashCommand({
    guildId: world.main.id,
    channelId: world.main.channels.general,
    userId: world.users.reader.id,
    ...input,
  });
}

/** Waits for the next quiz round posted in `channelId` after `after` (epoch ms). */
export function nextRound(
  standin: DiscordStandin,
  channelId: string,
  after: number,
  timeoutMs = 20_000,
): Promise<StoredMessage> {
  return standin.waitForMessage(
    (message) =>
      message.origin === 'channel' &&
      message.channelId === channelId &&
      message.createdAt >= after &&
      buttonsOf(message).some(
        (button) => String(button.custom_id).startsWith('quiz:guess:') && button.disabled !== true,
      ),
    timeoutMs,
  );
}

const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

/** The right and a wrong button of a round, found from the library's own attribution of the quote shown. */
export function answerButtons(
  round: StoredMessage,
  quotes: readonly { text: string; speaker: string | null; eligible: boolean }[],
): { right: JsonObject; wrong: JsonObject } {
  const shown = letters(String(embedsOf(round)[0]?.description ?? ''));
  const quote = quotes
    .filter(
      (candidate) =>
        candidate.eligible && candidate.speaker !== null && shown.includes(letters(candidate.text)),
    )
    .sort((a, b) => b.text.length - a.text.length)[0];
  const buttons = buttonsOf(round);
  const right = buttons.find((button) => button.label === quote?.speaker);
  const wrong = buttons.find((button) => button.label !== quote?.speaker);
  if (!right || !wrong) throw new Error(`cannot tell the answer of round ${round.id}: ${shown.slice(0, 80)}`);
  return { right, wrong };
}
