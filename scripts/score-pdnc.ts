/**
 * Scores the dialogue layer on every PDNC novel with the official scorer.
 *
 *   npx tsx scripts/score-pdnc.ts [--pdnc DIR] [--only Novel,...] [--buckets]
 *
 * For each novel: ingest the text with the library's parseStory (as `npm run cli -- quotes` does), write the quotes JSON to a temp dir, run
 * ../shared/tools/score-attribution.mjs --json on it, and print a per-novel table plus totals
 * (quote recall, spurious, speaker accuracy, eligible precision and coverage, accuracy per quote
 * type). --buckets also prints the precision of each attribution sieve (for calibrating
 * confidence), using the scorer's alias matching. Ingest time is compared with bare-scan.mjs
 * measured in the same run. PDNC data is read in place and never copied into the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeDialogueTraced } from '../src/library/dialogue/index.ts';
import { parseStory } from '../src/library/index.ts';
import type { Dialogue } from '../src/library/types.ts';
import { readPdncGold } from './pdnc.ts';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(opt('--pdnc') ?? join(import.meta.dirname, '..', '..', 'shared', 'pdnc'));
const tools = resolve(join(root, '..', 'tools'));
const only = opt('--only')?.split(',');
const showBuckets = args.includes('--buckets');

interface Summary {
  gold: number;
  found: number;
  spurious: number;
  correct: number;
  eligible: number;
  eligibleCorrect: number;
  accuracy: number;
  recallOfQuotes: number;
  eligiblePrecision: number | null;
  eligibleCoverage: number;
  byType: Record<
    string,
    { gold: number; accuracy: number; eligible: number; eligiblePrecision: number | null }
  >;
}

/** Per-sieve precision with the scorer's alias matching (first overlapping prediction per gold quote). */
function bucketStats(
  dir: string,
  dialogue: Dialogue,
  buckets: Map<string, { n: number; ok: number }>,
  sieves: string[],
): void {
  const { quotes: gold, resolveName, goldMain } = readPdncGold(dir);
  const located = dialogue.quotes.map((q, i) => ({ q, i })).sort((a, b) => a.q.start - b.q.start);
  for (const g of gold) {
    const spans = JSON.parse(g.quoteByteSpans || '[]') as [number, number][];
    if (!spans.length || !g.speaker) continue;
    let first: { q: Dialogue['quotes'][number]; i: number } | undefined;
    for (const [a, b] of spans) {
      first = located.find((x) => x.q.end > a && x.q.start < b);
      if (first) break;
    }
    if (!first) continue;
    const ok = resolveName(first.q.speaker) === goldMain(g.speaker);
    const c = first.q.confidence;
    const keys = [
      `sieve:${sieves[first.i]}`,
      `conf:${(c >= 0.9 ? Math.floor(c * 100) / 100 : Math.floor(c * 20) / 20).toFixed(2)}`,
    ];
    if (first.q.eligible) keys.push(`eligible:${sieves[first.i]}`);
    for (const key of keys) {
      const b = buckets.get(key) ?? { n: 0, ok: 0 };
      b.n++;
      if (ok) b.ok++;
      buckets.set(key, b);
    }
  }
}

const novels = readdirSync(root)
  .filter((d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'novel_text.txt')))
  .filter((d) => !only || only.includes(d))
  .sort();

const tmp = mkdtempSync(join(tmpdir(), 'score-pdnc-'));
const rows: { novel: string; s: Summary; ms: number }[] = [];
const buckets = new Map<string, { n: number; ok: number }>();
let ingestMs = 0;
try {
  const files = novels.map((n) => readFileSync(join(root, n, 'novel_text.txt')));
  // Warm up the JIT on one novel so the timing reflects steady-state ingest.
  if (files[0]) parseStory(files[0], 'novel_text.txt');
  for (let k = 0; k < novels.length; k++) {
    const novel = novels[k]!;
    const t0 = performance.now();
    // The real ingest: parse (format, structure, scenes) and dialogue, as `npm run cli -- quotes` does.
    const story = parseStory(files[k]!, 'novel_text.txt');
    const ms = performance.now() - t0;
    ingestMs += ms;
    const dialogue = story.dialogue;
    const file = join(tmp, `${novel}.json`);
    writeFileSync(file, JSON.stringify(dialogue));
    const out = execFileSync(
      'node',
      [join(tools, 'score-attribution.mjs'), '--gold', join(root, novel), '--pred', file, '--json'],
      {
        encoding: 'utf8',
      },
    );
    rows.push({ novel, s: JSON.parse(out) as Summary, ms });
    if (showBuckets) {
      const { sieves } = analyzeDialogueTraced(story.text, story.scenes, { pov: story.pov });
      bucketStats(join(root, novel), dialogue, buckets, sieves);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const bare = JSON.parse(
  execFileSync('node', [join(tools, 'bare-scan.mjs'), root, '--repeat', '3'], { encoding: 'utf8' }),
) as {
  ms: number;
};

const f3 = (x: number | null): string => (x === null ? '  -  ' : x.toFixed(3));
const pad = (s: string, n: number): string => s.padEnd(n);
console.log(
  `${pad('novel', 30)} ${'gold'.padStart(5)} recall spur  acc    eligP  cover  expl   anaph  impl   ms`,
);
const total = { gold: 0, found: 0, spurious: 0, correct: 0, eligible: 0, eligibleCorrect: 0 };
const types: Record<string, { gold: number; correct: number; eligible: number; eligibleCorrect: number }> =
  {};
for (const { novel, s, ms } of rows) {
  total.gold += s.gold;
  total.found += s.found;
  total.spurious += s.spurious;
  total.correct += s.correct;
  total.eligible += s.eligible;
  total.eligibleCorrect += s.eligibleCorrect;
  for (const [t, v] of Object.entries(s.byType)) {
    types[t] ??= { gold: 0, correct: 0, eligible: 0, eligibleCorrect: 0 };
    const T = types[t]!;
    T.gold += v.gold;
    T.correct += Math.round(v.accuracy * v.gold);
    T.eligible += v.eligible;
    T.eligibleCorrect += Math.round((v.eligiblePrecision ?? 0) * v.eligible);
  }
  const acc = (t: string): number | null => s.byType[t]?.accuracy ?? null;
  console.log(
    `${pad(novel, 30)} ${String(s.gold).padStart(5)} ${f3(s.recallOfQuotes)}  ${String(s.spurious).padStart(4)} ${f3(s.accuracy)}  ${f3(
      s.eligiblePrecision,
    )}  ${f3(s.eligibleCoverage)}  ${f3(acc('explicit'))}  ${f3(acc('anaphoric'))}  ${f3(acc('implicit'))}  ${Math.round(ms)}`,
  );
}
console.log(
  `${pad('TOTAL', 30)} ${String(total.gold).padStart(5)} ${f3(total.found / total.gold)}  ${String(total.spurious).padStart(4)} ${f3(
    total.correct / total.gold,
  )}  ${f3(total.eligible ? total.eligibleCorrect / total.eligible : null)}  ${f3(total.eligibleCorrect / total.gold)}`,
);
for (const [t, v] of Object.entries(types).sort()) {
  console.log(
    `  ${pad(t, 10)} gold ${String(v.gold).padStart(5)}  accuracy ${f3(v.correct / v.gold)}  eligible ${v.eligible}  precision ${f3(
      v.eligible ? v.eligibleCorrect / v.eligible : null,
    )}`,
  );
}
console.log(
  `ingest (parseStory: parse + dialogue) ${Math.round(ingestMs)} ms; bare-scan ${bare.ms} ms; ratio ${(ingestMs / bare.ms).toFixed(1)}x`,
);
if (showBuckets) {
  console.log('\nbucket                          n      precision');
  for (const [k, v] of [...buckets].sort())
    console.log(`${pad(k, 30)} ${String(v.n).padStart(6)}  ${f3(v.ok / v.n)}`);
}
