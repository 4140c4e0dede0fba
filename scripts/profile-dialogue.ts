/**
 * Times the dialogue layer alone (analyzeDialogue) on the PDNC novels, beside bare-scan.mjs run in
 * the same process tree, and optionally dumps every novel's dialogue output for before/after diffs.
 *
 *   npx tsx scripts/profile-dialogue.ts [--repeat N] [--dump DIR] [--only Novel,...] [--whole]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/profile-dialogue.ts
 *
 * - Each novel is parsed once without dialogue (outside the timing); the timing covers
 *   analyzeDialogue over all of them, best of `repeat` runs.
 * - `--whole` also times the full parseStory (file read included) like `npm run bench`.
 * - `--dump DIR` writes DIR/<novel>.json (speaker, type, confidence, eligible per quote, plus the
 *   cast) so two versions of the library can be compared with `diff -r`.
 * - Prints one JSON object on stdout; progress on stderr.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDialogue } from '../src/library/dialogue/index.ts';
import { parseStory, parseStoryWithoutDialogue } from '../src/library/parse.ts';
import { pdncNovels } from './bench/corpus.ts';
import { ROOT } from './bench/processes.ts';

const BARE_SCAN = resolve(ROOT, '..', 'shared', 'tools', 'bare-scan.mjs');
const PDNC_DIR = resolve(ROOT, '..', 'shared', 'pdnc');

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const repeat = Math.max(1, Number(option('--repeat')) || 5);
const dumpDir = option('--dump');
const only = option('--only')?.split(',');
const whole = args.includes('--whole');
const log = (line: string) => process.stderr.write(`[profile-dialogue] ${line}\n`);
const round = (value: number) => Math.round(value * 10) / 10;

const novels = pdncNovels().filter((novel) => !only || only.includes(novel.folder));
const parsed = novels.map((novel) => ({
  folder: novel.folder,
  path: novel.path,
  story: parseStoryWithoutDialogue(readFileSync(novel.path), `${novel.folder}.txt`),
}));

function bareScanMs(): number {
  const output = execFileSync(process.execPath, [BARE_SCAN, PDNC_DIR, '--repeat', String(repeat)], {
    encoding: 'utf8',
  });
  return (JSON.parse(output) as { ms: number }).ms;
}

/** CPU time (user + system) of the best run, kept beside the wall time: steadier on a busy machine. */
const bestCpuMs = new Map<string, number>();

function bestOf(label: string, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let attempt = 1; attempt <= repeat; attempt++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    run();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ms);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
    log(`${label} run ${attempt}/${repeat}: ${round(ms)} ms`);
  }
  bestCpuMs.set(label, round(bestCpu));
  return round(best);
}

if (dumpDir) {
  mkdirSync(dumpDir, { recursive: true });
  for (const { folder, story } of parsed) {
    const dialogue = analyzeDialogue(story.text, story.scenes, { pov: story.pov });
    const quotes = dialogue.quotes.map((q) => ({
      start: q.start,
      end: q.end,
      parts: q.parts,
      text: q.text,
      speaker: q.speaker,
      type: q.type,
      confidence: q.confidence,
      eligible: q.eligible,
      scene: q.scene,
    }));
    const body = { narrator: dialogue.narrator, characters: dialogue.characters, quotes };
    writeFileSync(
      join(dumpDir, `${folder}.json`),
      `${JSON.stringify(body, null, 0).replace(/\},\{/g, '},\n{')}\n`,
    );
  }
  log(`dumped ${parsed.length} novels to ${dumpDir}`);
}

const bytes = novels.reduce((sum, novel) => sum + statSync(novel.path).size, 0);
const bareScan = only ? null : bareScanMs();
const dialogueMs = bestOf('analyzeDialogue', () => {
  for (const { story } of parsed) analyzeDialogue(story.text, story.scenes, { pov: story.pov });
});
const parseStoryMs = whole
  ? bestOf('parseStory', () => {
      for (const novel of novels) parseStory(readFileSync(novel.path), `${novel.folder}.txt`);
    })
  : null;
process.stdout.write(
  `${JSON.stringify({
    files: novels.length,
    mb: round(bytes / 1e6),
    repeat,
    bareScanMs: bareScan,
    dialogueMs,
    dialogueCpuMs: bestCpuMs.get('analyzeDialogue'),
    ...(bareScan ? { dialogueRatio: round(dialogueMs / bareScan) } : {}),
    ...(parseStoryMs === null
      ? {}
      : { parseStoryMs, ...(bareScan ? { parseStoryRatio: round(parseStoryMs / bareScan) } : {}) }),
  })}\n`,
);
