/**
 * Times the story library's ingest on the PDNC novels (read in place), beside
 * ../shared/tools/bare-scan.mjs run in the same process tree, so library changes can be judged
 * against the same floor `npm run bench` uses.
 *
 *   npx tsx scripts/profile-ingest.ts [--repeat N] [--dialogue] [--digest]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/profile-ingest.ts
 *
 * - By default it times parseStoryWithoutDialogue (decode, format, header, structure, POV, words):
 *   the part of parseStory that is not the dialogue analysis. `--dialogue` also times the whole
 *   parseStory.
 * - On a busy machine the floor moves from one second to the next, so besides bare-scan.mjs in its
 *   own process (what `npm run bench` uses) it runs bare-scan's loop in this process, interleaved
 *   with the library's runs, and reports the ratio to that too.
 * - `--digest` prints a SHA-256 of each parsed story (without dialogue) as JSON, for the novels,
 *   the seed stories in data/ and the bench's pathological shapes: run it before and after a change
 *   to the library and diff the output to show the change kept behaviour.
 * - Prints one JSON object on stdout; progress on stderr.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseStory, parseStoryWithoutDialogue } from '../src/library/parse.ts';
import { pdncNovels } from './bench/corpus.ts';
import { ROOT } from './bench/processes.ts';

const BARE_SCAN = resolve(ROOT, '..', 'shared', 'tools', 'bare-scan.mjs');
const PDNC_DIR = resolve(ROOT, '..', 'shared', 'pdnc');

const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Math.max(1, Number(args[repeatAt + 1]) || 1) : 5;
const withDialogue = args.includes('--dialogue');
const digest = args.includes('--digest');
const log = (line: string) => process.stderr.write(`[profile] ${line}\n`);
const round = (value: number) => Math.round(value * 10) / 10;

const novels = pdncNovels();

/** bare-scan.mjs's loop: read each novel as UTF-8 and find its double-quoted spans. */
function bareScanOnce(): number {
  let quotes = 0;
  for (const novel of novels) {
    const text = readFileSync(novel.path, 'utf8');
    const re = /["\u201C]([^"\u201D]{1,3000}?)["\u201D]/g;
    while (re.exec(text)) quotes++;
  }
  return quotes;
}

/** Milliseconds of CPU this process spent since `start` (unlike the clock, not counting waits). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Best of `repeat` rounds of `parse` over every novel (reading each file inside the timing, like
 * bare-scan), each round right after a round of bare-scan's loop; the best of each, by the clock
 * and by CPU time.
 */
function bestOf(label: string, parse: (bytes: Uint8Array, file: string) => unknown) {
  const best = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
  const bare = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
  for (let run = 1; run <= repeat; run++) {
    let started = performance.now();
    let cpu = process.cpuUsage();
    bareScanOnce();
    bare.ms = Math.min(bare.ms, performance.now() - started);
    bare.cpuMs = Math.min(bare.cpuMs, cpuMsSince(cpu));
    started = performance.now();
    cpu = process.cpuUsage();
    for (const novel of novels) parse(readFileSync(novel.path), `${novel.folder}.txt`);
    const ms = performance.now() - started;
    best.ms = Math.min(best.ms, ms);
    best.cpuMs = Math.min(best.cpuMs, cpuMsSince(cpu));
    log(`${label} run ${run}/${repeat}: ${round(ms)} ms`);
  }
  return {
    ms: round(best.ms),
    inProcess: {
      bareScanMs: round(bare.ms),
      ratio: round(best.ms / bare.ms),
      cpuMs: round(best.cpuMs),
      bareScanCpuMs: round(bare.cpuMs),
      cpuRatio: round(best.cpuMs / bare.cpuMs),
    },
  };
}

function bareScanMs(): number {
  const output = execFileSync(process.execPath, [BARE_SCAN, PDNC_DIR, '--repeat', String(repeat)], {
    encoding: 'utf8',
  });
  return (JSON.parse(output) as { ms: number }).ms;
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** The bench's pathological shapes, small: one long paragraph, an unclosed quote, many tiny scenes. */
function pathologicalShapes(): Record<string, string> {
  const emma = readFileSync(novels.find((novel) => novel.folder === 'Emma')?.path ?? '', 'utf8');
  const prose = emma.slice(0, 300_000);
  const tiny = Array.from({ length: 2000 }, (_, i) => `"Scene ${i + 1}," Emma said.`).join('\n\n* * *\n\n');
  return {
    'single-paragraph.txt': `Title: One Paragraph\n\n${prose.replace(/\s+/g, ' ')}\n`,
    'unclosed-quote.txt': `Title: Unclosed\n\n"${prose}\n`,
    'tiny-scenes.txt': `Title: Tiny Scenes\n\n${tiny}\n`,
    'crlf-bom.txt': `\uFEFF${prose.replace(/\n/g, '\r\n')}`,
  };
}

function storyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? storyFiles(path) : [path];
  });
}

function digests(): Record<string, string> {
  const out: Record<string, string> = {};
  const hash = (name: string, bytes: Uint8Array) => {
    try {
      out[name] = sha256(parseStoryWithoutDialogue(bytes, name));
    } catch (error) {
      out[name] = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  for (const novel of novels) hash(`${novel.folder}.txt`, readFileSync(novel.path));
  for (const path of storyFiles(resolve(ROOT, 'data'))) hash(relative(ROOT, path), readFileSync(path));
  for (const [name, text] of Object.entries(pathologicalShapes())) hash(name, new TextEncoder().encode(text));
  return out;
}

const bytes = novels.reduce((sum, novel) => sum + statSync(novel.path).size, 0);
const bareScan = bareScanMs();
log(`bare-scan: ${bareScan} ms for ${round(bytes / 1e6)} MB`);
const withoutDialogue = bestOf('parse without dialogue', parseStoryWithoutDialogue);
const whole = withDialogue ? bestOf('parseStory', parseStory) : null;
process.stdout.write(
  `${JSON.stringify(
    {
      files: novels.length,
      mb: round(bytes / 1e6),
      repeat,
      bareScanMs: bareScan,
      withoutDialogueMs: withoutDialogue.ms,
      withoutDialogueRatio: round(withoutDialogue.ms / bareScan),
      withoutDialogueInProcess: withoutDialogue.inProcess,
      ...(whole === null
        ? {}
        : {
            parseStoryMs: whole.ms,
            parseStoryRatio: round(whole.ms / bareScan),
            parseStoryInProcess: whole.inProcess,
          }),
      ...(digest ? { digests: digests() } : {}),
    },
    null,
    2,
  )}\n`,
);
