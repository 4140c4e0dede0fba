/**
 * Property-based fuzzing of the story library (parseStory, loadStoryFile) and, through them, the
 * dialogue analyser: random bytes, text built from parser-relevant fragments, and the project's
 * real story files mutated byte-wise. Each case must give a well-formed Story (every paragraph,
 * scene and quote offset inside `story.text`) or a StoryFileError with a readable reason, within
 * a per-case budget. Jobs run in child processes watched from here, so a hang fails the test.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed in the failure> npx vitest run tests/reliability/library-fuzz.test.ts
 */

import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { FuzzJob, FuzzMessage } from './support/fuzz-worker.ts';

const SEED = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED);
/** No word from the worker for this long means a case is stuck: the worker is stopped. */
const HANG_MS = 15_000;
/** The slowest single case allowed (inputs are at most a few hundred KiB). */
const CASE_BUDGET_MS = 5_000;

interface JobResult {
  readonly runs: number;
  readonly stories: number;
  readonly problems: number;
  readonly quotes: number;
  readonly slowestMs: number;
  readonly reasons: readonly string[];
}

function runJob(job: Omit<FuzzJob, 'seed' | 'caseBudgetMs'>): Promise<JobResult> {
  const worker = fork(new URL('./support/fuzz-worker.ts', import.meta.url).pathname, [], {
    env: {
      ...process.env,
      FICBOT_FUZZ_JOB: JSON.stringify({ ...job, seed: SEED, caseBudgetMs: CASE_BUDGET_MS } satisfies FuzzJob),
    },
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () => {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    let last: Extract<FuzzMessage, { type: 'case' }> | undefined;
    let watchdog = setTimeout(hung, HANG_MS * 2);
    function hung() {
      stop();
      let saved = '';
      if (last) {
        saved = join(
          tmpdir(),
          `ficbot-fuzz-hang-${SEED}-${last.index}${last.file.replace(/.*(\.[^./]*)$/, '$1')}`,
        );
        writeFileSync(saved, last.bytes);
      }
      reject(
        new Error(
          `the library did not finish a case within ${HANG_MS} ms (seed ${SEED}, case ${last?.index}: ${last?.origin}); input saved to ${saved}`,
        ),
      );
    }
    worker.on('message', (message: FuzzMessage) => {
      clearTimeout(watchdog);
      if (message.type === 'case') {
        last = message;
        watchdog = setTimeout(hung, HANG_MS);
      } else if (message.type === 'done') {
        stop();
        resolve(message);
      } else {
        stop();
        reject(new Error(`seed ${SEED}: ${message.message}`));
      }
    });
    worker.on('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
    worker.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      // After 'done' or 'failed' this is a no-op; otherwise the child died mid-case.
      reject(
        new Error(
          `the fuzzing process exited (${code ?? signal}) during case ${last?.index}: ${last?.origin}`,
        ),
      );
    });
  });
}

/** Figures from the last run, printed for docs/reliability.md. */
function report(name: string, result: JobResult): void {
  process.stdout.write(
    `[fuzz] ${name}: ${result.runs} cases, ${result.stories} stories (${result.quotes} quotes), ${result.problems} problems, slowest ${Math.round(result.slowestMs)} ms, seed ${SEED}\n`,
  );
}

describe('the library never throws, hangs or returns a malformed story', () => {
  test('random bytes through parseStory: a story or a clear problem', async () => {
    const result = await runJob({ inputs: 'random-bytes', through: 'parseStory', numRuns: 3000 });
    report('random bytes → parseStory', result);
    expect(result.runs).toBe(3000);
    expect(result.problems).toBeGreaterThan(0);
  }, 120_000);

  test('text built from quotes, dividers, headers, HTML and odd Unicode through parseStory', async () => {
    const result = await runJob({ inputs: 'fragments', through: 'parseStory', numRuns: 1500 });
    report('fragments → parseStory', result);
    expect(result.runs).toBe(1500);
    // The generator must reach the dialogue analyser, or the quote invariants test nothing.
    expect(result.stories).toBeGreaterThan(500);
    expect(result.quotes).toBeGreaterThan(500);
  }, 120_000);

  test('real story files mutated byte-wise through parseStory', async () => {
    const result = await runJob({ inputs: 'mutated-seeds', through: 'parseStory', numRuns: 600 });
    report('mutated seeds → parseStory', result);
    expect(result.runs).toBe(600);
    expect(result.stories).toBeGreaterThan(300);
    expect(result.quotes).toBeGreaterThan(5000);
  }, 180_000);

  test('mutated files written to disk through loadStoryFile', async () => {
    const result = await runJob({ inputs: 'mutated-seeds', through: 'loadStoryFile', numRuns: 200 });
    report('mutated seeds → loadStoryFile', result);
    expect(result.runs).toBe(200);
  }, 180_000);
});
