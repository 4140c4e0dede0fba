// Runs ficbot's real entry points (src/index.ts, src/shards.ts, scripts/deploy-commands.ts) as
// child processes against a Discord stand-in, with the environment a deployment would give them:
// the one way the end-to-end and reliability tests start the bot.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { watchOutput } from './process-output.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BotEnvironment {
  DISCORD_TOKEN: string;
  DISCORD_CLIENT_ID: string;
  DISCORD_GUILD_ID?: string;
  DISCORD_API_URL: string;
  STORE_URL: string;
  DATA_DIR: string;
  LOG_LEVEL?: string;
  SHARD_COUNT?: string;
  SHARD_LIST?: string;
}

/** Only what a server would set: no inherited DISCORD_* or STORE_URL from the developer's shell. */
function childEnvironment(env: BotEnvironment): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LOG_LEVEL: 'info',
    ...env,
  };
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** `npm run deploy` (tsx scripts/deploy-commands.ts) with the given environment. */
export function runDeploy(env: BotEnvironment): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/deploy-commands.ts'], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

export interface RunningBot {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far (pino writes JSON lines to stderr). */
  output(): string;
  /** Parsed JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit result. */
  stop(signal?: NodeJS.Signals): Promise<ProcessResult>;
  readonly exited: Promise<ProcessResult>;
  /** Resident set size from /proc/<pid>/status, in bytes. */
  rssBytes(): number;
  /** CPU time used so far (user + system) from /proc/<pid>/stat, in seconds. */
  cpuSeconds(): number;
}

/** USER_HZ: Linux reports process CPU times in 1/100 s on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * `npm start` (tsx src/index.ts), or another entry point such as `npm run start:shards`
 * (src/shards.ts); `nodeArgs` go to node before the entry (e.g. `--import <preload>` to inject faults).
 */
export function startBot(
  env: BotEnvironment,
  entry = 'src/index.ts',
  nodeArgs: readonly string[] = [],
): RunningBot {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, entry], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = watchOutput(child);
  const exited = collect(child);
  return {
    child,
    pid: child.pid ?? -1,
    output: output.text,
    logLines: output.jsonLines,
    exited,
    waitForLog: (predicate, timeoutMs = 20_000) => output.waitForJson(predicate, timeoutMs, 'bot log line'),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
      if (!Number.isFinite(kb)) throw new Error(`no VmRSS for ${child.pid}`);
      return kb * 1024;
    },
    cpuSeconds() {
      // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
  };
}
