/**
 * What a child process writes, read the way the bot's tests and the bench read it: everything on
 * stdout and stderr, and its JSON lines (pino logs, diagnostics), each line parsed once as it
 * arrives (a long run writes thousands).
 */
import type { ChildProcess } from 'node:child_process';

export interface ProcessOutput {
  /** Everything written to stdout and stderr so far. */
  text(): string;
  /** Parsed JSON lines so far. */
  jsonLines(): Record<string, unknown>[];
  /** The first JSON line matching `predicate`; rejects when the process exits or time runs out. */
  waitForJson(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
    what: string,
    pollMs?: number,
  ): Promise<Record<string, unknown>>;
}

export function watchOutput(child: ChildProcess): ProcessOutput {
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let parsedUpTo = 0;
  const parsed: Record<string, unknown>[] = [];
  const jsonLines = () => {
    const end = text.lastIndexOf('\n') + 1;
    if (end > parsedUpTo) {
      for (const line of text.slice(parsedUpTo, end).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          parsed.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not JSON after all: ignore.
        }
      }
      parsedUpTo = end;
    }
    return parsed;
  };
  return {
    text: () => text,
    jsonLines,
    waitForJson(predicate, timeoutMs, what, pollMs = 25) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const found = jsonLines().find(predicate);
          if (found) {
            clearInterval(timer);
            resolve(found);
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            const why = child.exitCode !== null ? `exit code ${child.exitCode}` : `after ${timeoutMs} ms`;
            reject(new Error(`${what} not seen (${why}); output:\n${text.slice(-4000)}`));
          }
        };
        const timer = setInterval(check, pollMs);
        check();
      });
    },
  };
}
