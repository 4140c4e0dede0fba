/**
 * Ingest benchmark, run by `npm run bench` in its own process:
 *   node --import tsx scripts/bench/ingest.ts --repeat N [--pdnc DIR]
 * Prints one JSON object: every PDNC novel_text.txt (read in place) through parseStory, which
 * includes the dialogue analysis, best of N runs; then pathological files built in memory (a
 * multi-megabyte single paragraph, an unclosed quote at the very start, thousands of tiny
 * scenes), each at two sizes so that cost growing faster than the text shows up.
 */
import { readFileSync } from 'node:fs';
import { parseStory, type Story } from '../../src/library/index.ts';
import { pdncNovels } from './corpus.ts';

const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Math.max(1, Number(process.argv[repeatAt + 1]) || 1) : 3;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const pdncAt = process.argv.indexOf('--pdnc');
const novels = pdncNovels(pdncAt >= 0 ? process.argv[pdncAt + 1] : undefined);
let best = Number.POSITIVE_INFINITY;
let bytes = 0;
let quotes = 0;
const runs: number[] = [];
for (let run = 1; run <= repeat; run++) {
  const started = performance.now();
  bytes = 0;
  quotes = 0;
  for (const novel of novels) {
    const data = readFileSync(novel.path);
    bytes += data.length;
    quotes += parseStory(data, `${novel.folder}.txt`).dialogue.quotes.length;
  }
  const ms = performance.now() - started;
  runs.push(round(ms));
  best = Math.min(best, ms);
  log(`ingest run ${run}/${repeat}: ${round(ms)} ms`);
}
const normalMbPerS = bytes / 1e6 / (best / 1000);

// The same files without the dialogue analysis (when the library exposes that step), to show
// which part of the ingest the time goes to.
const parseModule = (await import('../../src/library/parse.ts')) as {
  parseStoryWithoutDialogue?: (data: Uint8Array, file: string) => unknown;
};
let withoutDialogueMs: number | null = null;
const withoutDialogue = parseModule.parseStoryWithoutDialogue;
if (withoutDialogue) {
  let bestWithout = Number.POSITIVE_INFINITY;
  for (let run = 1; run <= repeat; run++) {
    const started = performance.now();
    for (const novel of novels) withoutDialogue(readFileSync(novel.path), `${novel.folder}.txt`);
    bestWithout = Math.min(bestWithout, performance.now() - started);
  }
  withoutDialogueMs = round(bestWithout);
  log(`ingest without the dialogue analysis: ${withoutDialogueMs} ms`);
}

// Pathological files, from real prose (Emma) so the dialogue code sees real sentences.
const emma = readFileSync(
  novels.find((novel) => novel.folder === 'Emma')?.path ?? novels[0]?.path ?? '',
  'utf8',
);
const paragraphs = emma
  .split(/\n\s*\n/)
  .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
  .filter((paragraph) => paragraph.length > 0);
function prose(targetBytes: number, separator: string): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const paragraph = paragraphs[i % paragraphs.length] ?? '';
    out.push(paragraph);
    size += paragraph.length + separator.length;
  }
  return out.join(separator);
}
const tinyScenes = (count: number) =>
  Array.from({ length: count }, (_, i) => `"Scene ${i + 1}," Emma said. "Go on."`).join('\n\n* * *\n\n');

const shapes: Record<string, (scale: number) => string> = {
  /** One paragraph of `scale` MB: no line break at all. */
  singleParagraph: (scale) => `Title: One Paragraph\n\n${prose(scale * 1e6, ' ')}\n`,
  /** A quotation mark that is never closed, right at the start of `scale` MB of prose. */
  unclosedQuote: (scale) => `Title: Unclosed\n\n"${prose(scale * 1e6, '\n\n')}\n`,
  /** 2,500 × `scale` scenes of one line each. */
  tinyScenes: (scale) => `Title: Tiny Scenes\n\n${tinyScenes(2500 * scale)}\n`,
  /** All three in one file. */
  combined: (scale) =>
    `Title: Everything Wrong\n\n"${prose(scale * 1e6, ' ')}\n\n${tinyScenes(2500 * scale)}\n\n${prose(scale * 1e6, '\n\n')}\n`,
};

/** Best of two parses (one slow run on a busy machine must not look like non-linear cost). */
function timeParse(name: string, text: string) {
  const data = new TextEncoder().encode(text);
  let ms = Number.POSITIVE_INFINITY;
  let story: Story | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = performance.now();
    story = parseStory(data, `${name}.txt`);
    ms = Math.min(ms, performance.now() - started);
    if (ms > 3_000) break; // slow enough that noise does not matter; keep the bench short
  }
  return {
    mb: round(data.length / 1e6, 2),
    ms: round(ms),
    mbPerS: round(data.length / 1e6 / (ms / 1000), 2),
    scenes: story?.scenes.length ?? 0,
    quotes: story?.dialogue.quotes.length ?? 0,
  };
}

const pathological: Record<string, unknown> = {};
for (const [name, shape] of Object.entries(shapes)) {
  const small = timeParse(name, shape(1));
  if (small.ms > 15_000) {
    // Already far off the normal rate at one size: the 3× file could take minutes.
    pathological[name] = { ...small, perMbCostGrowthAt3x: null, note: '3× size skipped: over 15 s at 1×' };
    log(`pathological ${name}: ${small.mb} MB in ${small.ms} ms; 3× size skipped`);
    continue;
  }
  const large = timeParse(name, shape(3));
  // 1.0 = linear; 3.0 would mean the cost grows with the square of the size.
  const growth = round(large.ms / 3 / Math.max(small.ms, 0.001), 2);
  pathological[name] = { ...large, atOneThird: small, perMbCostGrowthAt3x: growth };
  log(
    `pathological ${name}: ${large.mb} MB in ${large.ms} ms (${large.mbPerS} MB/s), 1 → 3× size cost ${growth}× per MB`,
  );
}

process.stdout.write(
  `${JSON.stringify({
    files: novels.length,
    bytes,
    ms: round(best),
    runs,
    quotes,
    mbPerS: round(normalMbPerS, 2),
    withoutDialogueMs,
    pathological,
  })}\n`,
);
