// Runs ficbot's real entry points (src/index.ts, scripts/deploy-commands.ts) as child processes
// against a Discord stand-in, with the environment a deployment would give them.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
}

/** `npm start` (tsx src/index.ts), or another entry point such as `npm run start:shards` (src/shards.ts). */
export function startBot(env: BotEnvironment, entry = 'src/index.ts'): RunningBot {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = collect(child);
  const logLines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    child,
    output: () => output,
    logLines,
    exited,
    waitForLog(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const found = logLines().find(predicate);
          if (found) {
            clearInterval(timer);
            resolve(found);
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            reject(
              new Error(
                `bot log line not seen (exit code ${child.exitCode}); output:\n${output.slice(-4000)}`,
              ),
            );
          }
        };
        const timer = setInterval(check, 25);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
