/**
 * Loads a data folder the way the bot does and prints the process's memory once the library is
 * held (after a full GC). Run by `npm run bench` as `node --expose-gc --import tsx <this> <dir>`.
 */
import { loadLibrary } from '../src/library/index.ts';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: bench-library-memory.ts <data folder>\n');
  process.exit(1);
}
const library = await loadLibrary(dir);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
gc?.();
const usage = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    stories: library.stories.length,
    problems: library.problems.length,
    rssMb: usage.rss / 1e6,
    heapMb: usage.heapUsed / 1e6,
    gc: gc !== undefined,
  })}\n`,
);
