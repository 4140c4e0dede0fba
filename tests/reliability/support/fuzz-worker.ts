/**
 * Runs one fuzzing job in a child process (forked with IPC) so the test can stop it from
 * outside: the child reports every case before running it, and the test kills the child (and
 * saves that case) when no progress arrives in time. A synchronous hang in the parser therefore
 * fails the test instead of hanging the suite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { loadStoryFile, parseStory } from '../../../src/library/index.ts';
import {
  type FuzzCase,
  fragmentTextCase,
  mutatedSeedCase,
  randomBytesCase,
  seedFiles,
} from './fuzz-inputs.ts';
import { classify } from './story-invariants.ts';

export interface FuzzJob {
  readonly inputs: 'random-bytes' | 'fragments' | 'mutated-seeds';
  /** parseStory on the bytes, or loadStoryFile on the bytes written to a temp folder. */
  readonly through: 'parseStory' | 'loadStoryFile';
  readonly numRuns: number;
  readonly seed: number;
  /** A single case slower than this fails the job (a hang in all but name). */
  readonly caseBudgetMs: number;
}

export type FuzzMessage =
  | {
      readonly type: 'case';
      readonly index: number;
      readonly file: string;
      readonly origin: string;
      readonly bytes: Uint8Array;
    }
  | {
      readonly type: 'done';
      readonly runs: number;
      readonly stories: number;
      readonly problems: number;
      readonly quotes: number;
      readonly slowestMs: number;
      readonly reasons: readonly string[];
    }
  | { readonly type: 'failed'; readonly message: string };

const job = JSON.parse(process.env.FICBOT_FUZZ_JOB ?? '{}') as FuzzJob;
const port = {
  postMessage: (message: FuzzMessage) =>
    new Promise<void>((resolve) => {
      process.send?.(message, undefined, {}, () => resolve());
    }),
};

function arbitrary(): fc.Arbitrary<FuzzCase> {
  switch (job.inputs) {
    case 'random-bytes':
      return randomBytesCase;
    case 'fragments':
      return fragmentTextCase;
    case 'mutated-seeds':
      return mutatedSeedCase(seedFiles());
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ficbot-fuzz-'));
  let index = 0;
  let stories = 0;
  let problems = 0;
  let quotes = 0;
  let slowestMs = 0;
  const reasons = new Set<string>();
  let outcome: FuzzMessage;
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary(), async (input) => {
        index += 1;
        await port.postMessage({
          type: 'case',
          index,
          file: input.file,
          origin: input.origin,
          bytes: input.bytes,
        });
        const started = performance.now();
        const outcome = await classify(() => {
          if (job.through === 'parseStory') return parseStory(input.bytes, input.file);
          const path = join(dir, String(index), input.file);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, input.bytes);
          return loadStoryFile(path, { root: join(dir, String(index)) });
        });
        const ms = performance.now() - started;
        slowestMs = Math.max(slowestMs, ms);
        if (ms > job.caseBudgetMs) {
          throw new Error(
            `one case took ${Math.round(ms)} ms (budget ${job.caseBudgetMs} ms): ${input.origin}`,
          );
        }
        if (outcome.kind === 'story') {
          stories += 1;
          quotes += outcome.story.dialogue.quotes.length;
          if (job.through === 'loadStoryFile' && outcome.story.file !== input.file) {
            throw new Error(`story.file is ${outcome.story.file}, expected ${input.file}`);
          }
        } else {
          problems += 1;
          reasons.add(outcome.reason.replace(/\d+(\.\d+)? ?(bytes|KiB|MiB)/g, 'N').slice(0, 80));
        }
      }),
      { numRuns: job.numRuns, seed: job.seed, endOnFailure: true },
    );
    outcome = {
      type: 'done',
      runs: index,
      stories,
      problems,
      quotes,
      slowestMs,
      reasons: [...reasons].sort(),
    };
  } catch (error) {
    outcome = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  // Clean up before reporting: the test may stop this process as soon as it has the result.
  rmSync(dir, { recursive: true, force: true });
  await port.postMessage(outcome);
}

void main().finally(() => process.disconnect?.());
