/**
 * Child processes of `npm run bench`: each one is tracked so that an error, Ctrl-C or the end of
 * the run kills it (the bench never leaves a bot running).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { watchOutput } from '../../tests/support/process-output.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`[bench] ${signal}: stopping child processes\n`);
    killAll();
    process.exit(130);
  });
}

export interface Child {
  readonly process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** JSON lines (pino logs, diagnostics) written so far. */
  jsonLines(): Record<string, unknown>[];
  waitForJson(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(args: string[], env: NodeJS.ProcessEnv, cwd: string = ROOT): Child {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const output = watchOutput(child);
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return {
    process: child,
    output: output.text,
    jsonLines: output.jsonLines,
    exited,
    waitForJson: (predicate, timeoutMs, what) => output.waitForJson(predicate, timeoutMs, what, 5),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await exited;
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a node script to completion; rejects with its output when it fails or takes too long. */
export async function runNode(
  args: string[],
  timeoutMs: number,
  cwd: string = ROOT,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const child = startChild(args, env, cwd);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  child.process.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) {
    const reason =
      child.process.signalCode === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited ${code}`;
    throw new Error(`node ${args.join(' ')} ${reason}:\n${child.output().slice(-3000)}`);
  }
  return stdout;
}

/** The process's resident memory from /proc (Linux), in MB; undefined elsewhere. */
export function residentMb(
  pid: number | undefined,
  field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile' = 'VmRSS',
): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return Number.isFinite(kb) ? (kb * 1024) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
