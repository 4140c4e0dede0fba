/**
 * Trains the dialogue layer's confidence model (src/library/dialogue/model.ts) on the PDNC novels.
 *
 *   npx tsx scripts/train-confidence.ts [--pdnc DIR] [--target 0.975] [--write]
 *
 * For every novel: ingest it, run the attribution with its feature trace, and label each
 * attributed quote right or wrong against the gold speaker (the official scorer's alias matching,
 * first overlapping prediction per gold quote). A logistic regression (L2, Newton steps) is then
 * evaluated LEAVE-ONE-NOVEL-OUT: each novel is scored by a model that never saw it, and the
 * eligibility cut is the lowest probability at which the pooled held-out precision of playable
 * quotes stays at or above --target. Prints held-out precision and coverage (overall and per
 * novel); --write stores the weights trained on all novels and that cut in model-weights.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WEAK_ALONE } from '../src/library/dialogue/attribute.ts';
import { ELIGIBLE_CONFIDENCE, playableLength } from '../src/library/dialogue/confidence.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../src/library/dialogue/features.ts';
import { analyzeDialogueTraced, type TracedCandidates } from '../src/library/dialogue/index.ts';
import {
  probability,
  rankCandidates,
  STAGE_TWO_COUNT,
  STAGE_TWO_NAMES,
  stageTwo,
} from '../src/library/dialogue/model.ts';
import { parseStoryWithoutDialogue } from '../src/library/parse.ts';
import type { Dialogue } from '../src/library/types.ts';
import { readPdncGold } from './pdnc.ts';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(opt('--pdnc') ?? join(import.meta.dirname, '..', '..', 'shared', 'pdnc'));
const target = Number(opt('--target') ?? String(ELIGIBLE_CONFIDENCE));
const lambda = Number(opt('--l2') ?? '0.05');
const USAGE =
  'usage: npx tsx scripts/train-confidence.ts [--pdnc DIR] [--target 0.972] [--l2 0.05] [--write]';
for (let i = 0; i < args.length; i++) {
  const flag = args[i]!;
  if (flag === '--write') continue;
  if (['--pdnc', '--target', '--l2'].includes(flag) && args[i + 1] !== undefined) {
    i++;
    continue;
  }
  process.stderr.write(`train-confidence: unknown or incomplete option ${flag}\n${USAGE}\n`);
  process.exit(2);
}

/** One gold quote's first overlapping prediction: its candidate speakers, labelled. */
interface Row {
  readonly novel: number;
  readonly xs: readonly Float64Array[];
  /** Per candidate: is it the gold speaker? */
  readonly oks: readonly boolean[];
  /** Per candidate: could the quote be eligible with this speaker (playable, not naming them)? */
  readonly playable: readonly boolean[];
  /** Index of the sieves' own choice among the candidates, or -1. */
  readonly sieveChoice: number;
}

/** Sparse copy of a feature vector: indices and values of its non-zero entries. */
interface Sparse {
  readonly idx: Int32Array;
  readonly val: Float64Array;
  readonly y: number;
}
const sparse = (x: Float64Array, y: boolean): Sparse => {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (x[i] !== 0) {
      idx.push(i);
      val.push(x[i]!);
    }
  return { idx: Int32Array.from(idx), val: Float64Array.from(val), y: y ? 1 : 0 };
};

const CHOSEN = FEATURE_NAMES.indexOf('chosen');
const WEAK_SIEVES = [...WEAK_ALONE].map((s) => FEATURE_NAMES.indexOf(`sieve=${s}`));
/** The model kept the sieves' choice, made on weak evidence alone (never eligible: attribute.ts). */
const weakAlone = (x: Float64Array): boolean => WEAK_SIEVES.some((i) => x[i] === 1);

/** Does the quote say (a word of) the speaker's name? */
function namesIn(name: string, text: string): boolean {
  if (name === 'NARRATOR') return false;
  return name
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Za-z]/g, ''))
    .filter((w) => w.length > 1 && !/^(Mr|Mrs|Miss|Ms|Dr|Sir|Lady|Lord|the)$/i.test(w))
    .some((w) => new RegExp(`\\b${w}\\b`, 'i').test(text));
}

/** Labels each gold quote's first overlapping prediction, as the official scorer does. */
function label(
  dir: string,
  dialogue: Dialogue,
  candidates: readonly TracedCandidates[],
  novel: number,
): {
  rows: Row[];
  gold: number;
} {
  const { quotes: gold, resolveName, goldMain } = readPdncGold(dir);
  const order = dialogue.quotes.map((q, i) => ({ q, i })).sort((a, b) => a.q.start - b.q.start);
  const rows: Row[] = [];
  let n = 0;
  let lo = 0;
  for (const g of gold) {
    const spans = JSON.parse(g.quoteByteSpans || '[]') as [number, number][];
    if (!spans.length || !g.speaker) continue;
    n++;
    let first: { q: Dialogue['quotes'][number]; i: number } | undefined;
    for (const [a, b] of spans) {
      while (lo < order.length && order[lo]!.q.end <= a - 20_000) lo++;
      first = order.slice(lo).find((x) => x.q.end > a && x.q.start < b);
      if (first) break;
    }
    if (!first) continue;
    const c = candidates[first.i];
    if (!c || c.names.length === 0) continue;
    const goldName = goldMain(g.speaker);
    const text = first.q.text;
    const fits = playableLength(text);
    rows.push({
      novel,
      xs: c.features,
      oks: c.names.map((name) => resolveName(name) === goldName),
      playable: c.names.map((name) => fits && name !== '' && !namesIn(name, text)),
      sieveChoice: c.features.findIndex((x) => x[CHOSEN] === 1),
    });
  }
  return { rows, gold: n };
}

/** L2-regularised logistic regression by Newton's method (a few dozen features, closed form steps). */
function train(rows: readonly Sparse[], d = FEATURE_COUNT): Float64Array {
  const w = new Float64Array(d);
  for (let iter = 0; iter < 30; iter++) {
    const g = new Float64Array(d);
    const H = new Float64Array(d * d);
    for (const r of rows) {
      let z = 0;
      for (let a = 0; a < r.idx.length; a++) z += w[r.idx[a]!]! * r.val[a]!;
      const p = 1 / (1 + Math.exp(-z));
      const s = p * (1 - p);
      for (let a = 0; a < r.idx.length; a++) {
        const i = r.idx[a]!;
        const xi = r.val[a]!;
        g[i] = g[i]! + (p - r.y) * xi;
        for (let b = 0; b < r.idx.length; b++) {
          const j = i * d + r.idx[b]!;
          H[j] = H[j]! + s * xi * r.val[b]!;
        }
      }
    }
    for (let i = 1; i < d; i++) {
      g[i] = g[i]! + lambda * w[i]!;
      H[i * d + i] = H[i * d + i]! + lambda;
    }
    for (let i = 0; i < d; i++) H[i * d + i] = H[i * d + i]! + 1e-6;
    const step = solve(H, g, d);
    let change = 0;
    for (let i = 0; i < d; i++) {
      w[i] = w[i]! - step[i]!;
      change = Math.max(change, Math.abs(step[i]!));
    }
    if (change < 1e-5) break;
  }
  return w;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric). */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]!) > Math.abs(M[piv * d + c]!)) piv = r;
    if (Math.abs(M[piv * d + c]!) < 1e-12) continue;
    if (piv !== c) {
      for (let k = 0; k < d; k++) {
        const t = M[c * d + k]!;
        M[c * d + k] = M[piv * d + k]!;
        M[piv * d + k] = t;
      }
      const t = x[c]!;
      x[c] = x[piv]!;
      x[piv] = t;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = M[r * d + c]! / M[c * d + c]!;
      if (f === 0) continue;
      for (let k = c; k < d; k++) M[r * d + k] = M[r * d + k]! - f * M[c * d + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let c = 0; c < d; c++) if (Math.abs(M[c * d + c]!) > 1e-12) x[c] = x[c]! / M[c * d + c]!;
  return x;
}

/** The lowest cut whose selection (p >= cut) keeps precision >= target. */
function chooseCut(scored: readonly { p: number; ok: boolean }[]): number {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  let right = 0;
  let cut = 1;
  for (let k = 0; k < sorted.length; k++) {
    if (sorted[k]!.ok) right++;
    const next = sorted[k + 1];
    if (next && next.p === sorted[k]!.p) continue;
    if (right / (k + 1) >= target) cut = sorted[k]!.p;
  }
  return cut;
}

const novels = readdirSync(root)
  .filter((d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'novel_text.txt')))
  .sort();
const all: Row[] = [];
const goldCount: number[] = [];
for (let k = 0; k < novels.length; k++) {
  const dir = join(root, novels[k]!);
  const story = parseStoryWithoutDialogue(readFileSync(join(dir, 'novel_text.txt')), 'novel_text.txt');
  const traced = analyzeDialogueTraced(story.text, story.scenes, { pov: story.pov });
  const { rows, gold } = label(dir, traced.dialogue, traced.candidates ?? [], k);
  all.push(...rows);
  goldCount.push(gold);
}
const totalGold = goldCount.reduce((a, b) => a + b, 0);
const flatten = (rows: readonly Row[]): Sparse[] =>
  rows.flatMap((r) => r.xs.map((x, c) => sparse(x, r.oks[c]!)));

// Stage 1, the ranker, left one novel out: every novel decided by a model trained on the other nineteen.
interface Decision {
  readonly novel: number;
  readonly z: Float64Array;
  readonly ok: boolean;
  readonly playable: boolean;
}
const decisions: Decision[] = [];
let heldRight = 0;
let sieveRight = 0;
for (let k = 0; k < novels.length; k++) {
  const w = train(flatten(all.filter((r) => r.novel !== k)));
  for (const r of all) {
    if (r.novel !== k) continue;
    if (r.sieveChoice >= 0 && r.oks[r.sieveChoice]) sieveRight++;
    const ps = r.xs.map((x) => probability(x, w));
    const { best, second } = rankCandidates(ps);
    if (r.oks[best]) heldRight++;
    decisions.push({
      novel: k,
      z: stageTwo(r.xs[best]!, ps, best, second, best === r.sieveChoice),
      ok: r.oks[best]!,
      playable: r.playable[best]! && !weakAlone(r.xs[best]!),
    });
  }
}
console.log(
  `speaker accuracy over gold quotes: sieves ${(sieveRight / totalGold).toFixed(3)}, ranker held out ${(heldRight / totalGold).toFixed(3)}; candidate ceiling ${(all.filter((r) => r.oks.some(Boolean)).length / totalGold).toFixed(3)}`,
);
// Stage 2, the confidence of each held-out decision, itself left one novel out.
const heldOut: { novel: number; p: number; ok: boolean }[] = [];
const stageRows = (ds: readonly Decision[]): Sparse[] => ds.map((d) => sparse(d.z, d.ok));
for (let k = 0; k < novels.length; k++) {
  const w2 = train(stageRows(decisions.filter((d) => d.novel !== k)), STAGE_TWO_COUNT);
  for (const d of decisions)
    if (d.novel === k && d.playable) heldOut.push({ novel: k, p: probability(d.z, w2), ok: d.ok });
}
// Confidence of a quote = the held-out precision of all quotes at least as sure (running minimum
// from the top, so it never rises as the probability falls); eligible where it reaches the target.
const GRID = 200;
const sortedHeld = [...heldOut].sort((a, b) => b.p - a.p);
const curve: number[] = new Array(GRID + 1).fill(0);
{
  let idx = 0;
  let right = 0;
  let floor = 1;
  for (let g = GRID; g >= 0; g--) {
    const threshold = g / GRID;
    while (idx < sortedHeld.length && sortedHeld[idx]!.p >= threshold) {
      if (sortedHeld[idx]!.ok) right++;
      idx++;
    }
    // Too few quotes above this probability to measure: keep the floor reached so far.
    if (idx >= 200) floor = Math.min(floor, right / idx);
    curve[g] = Math.floor(floor * 1000) / 1000;
  }
}
const cutIndex = curve.findIndex((c) => c >= target);
/** The curve's value at a probability (interpolated, as model.ts reads it). */
function confidenceAtCurve(p: number): number {
  const x = Math.min(1, Math.max(0, p)) * GRID;
  const lo = Math.min(GRID - 1, Math.floor(x));
  return curve[lo]! + (curve[lo + 1]! - curve[lo]!) * (x - lo);
}
let finalHeld = { precision: 0, coverage: 0 };
const cut = cutIndex >= 0 ? cutIndex / GRID : 1;
const pick = heldOut.filter((h) => h.p >= cut);
const right = pick.filter((h) => h.ok).length;
console.log(
  `target precision ${target}; held-out cut ${cut.toFixed(4)} (best single cut ${chooseCut(heldOut).toFixed(4)})`,
);
console.log(
  `held-out (leave-one-novel-out): eligible ${pick.length}, precision ${(right / pick.length).toFixed(3)}, coverage ${(right / totalGold).toFixed(3)}`,
);
console.log(`${'novel'.padEnd(30)} gold  elig  prec   cover`);
for (let k = 0; k < novels.length; k++) {
  const mine = pick.filter((h) => h.novel === k);
  const ok = mine.filter((h) => h.ok).length;
  console.log(
    `${novels[k]!.padEnd(30)} ${String(goldCount[k]).padStart(5)} ${String(mine.length).padStart(5)}  ${(mine.length ? ok / mine.length : 0).toFixed(3)}  ${(ok / goldCount[k]!).toFixed(3)}`,
  );
}
const final = train(flatten(all));
// Stage 2 is fitted to the deployed ranker's own outputs, so that its scores mean the same on
// the scored novels as they will on new ones (the held-out figures above measure both stages).
const finalDecisions: Decision[] = all.map((r) => {
  const ps = r.xs.map((x) => probability(x, final));
  const { best, second } = rankCandidates(ps);
  return {
    novel: r.novel,
    z: stageTwo(r.xs[best]!, ps, best, second, best === r.sieveChoice),
    ok: r.oks[best]!,
    playable: r.playable[best]! && !weakAlone(r.xs[best]!),
  };
});
const finalTwo = train(stageRows(finalDecisions), STAGE_TWO_COUNT);
// Guard: a quote is eligible only where the precision reaches the target both held out (the curve)
// and on the training novels under the deployed models; below the training-set cut the curve is
// capped just under the target.
{
  const inSample = finalDecisions
    .filter((d) => d.playable)
    .map((d) => ({ p: probability(d.z, finalTwo), ok: d.ok }))
    .sort((a, b) => b.p - a.p);
  let rightIn = 0;
  let floorIn = 1;
  let inCut = 1;
  for (let i = 0; i < inSample.length; i++) {
    if (inSample[i]!.ok) rightIn++;
    if (i + 1 >= 200) floorIn = Math.min(floorIn, rightIn / (i + 1));
    if (floorIn >= target) inCut = inSample[i]!.p;
  }
  const below = Math.floor((target - 0.001) * 1000) / 1000;
  const capUpTo = Math.min(GRID, Math.ceil(inCut * GRID) + 1);
  for (let g = 0; g < capUpTo; g++) curve[g] = Math.min(curve[g]!, below);
  const heldPick = heldOut.filter((h) => confidenceAtCurve(h.p) >= target);
  const heldOk = heldPick.filter((h) => h.ok).length;
  console.log(
    `training-set cut ${inCut.toFixed(4)}; after the guard, held out: eligible ${heldPick.length}, precision ${(heldOk / heldPick.length).toFixed(3)}, coverage ${(heldOk / totalGold).toFixed(3)}`,
  );
  finalHeld = { precision: heldOk / heldPick.length, coverage: heldOk / totalGold };
}
const ranked = FEATURE_NAMES.map((n, i) => [n, final[i]!] as const);
const confident = STAGE_TWO_NAMES.map((n, i) => [n, finalTwo[i]!] as const);
for (const [n, v] of ranked)
  console.log(`  ${n.padEnd(28)} ${v.toFixed(3)}   ${confident[FEATURE_NAMES.indexOf(n)]![1].toFixed(3)}`);
for (const [n, v] of confident.slice(FEATURE_COUNT))
  console.log(`  ${n.padEnd(28)}          ${v.toFixed(3)}`);
if (args.includes('--write')) {
  const body = ranked.map(([n, v]) => `  '${n}': ${v.toFixed(4)},`).join('\n');
  const bodyTwo = confident.map(([n, v]) => `  '${n}': ${v.toFixed(4)},`).join('\n');
  const weightsFile = join(import.meta.dirname, '..', 'src', 'library', 'dialogue', 'model-weights.ts');
  writeFileSync(
    weightsFile,
    `// biome-ignore-all lint/suspicious/noApproximativeNumericConstant: measured precisions, not constants\n/**\n * Generated by scripts/train-confidence.ts (logistic regression over features.ts, trained on the\n * 20 PDNC novels): do not edit by hand. Held out by novel: precision ${finalHeld.precision.toFixed(3)}, coverage ${finalHeld.coverage.toFixed(3)}\n * at the cut below.\n */\n/** The ranker: probability that a candidate is the speaker. */\nexport const MODEL_WEIGHTS: Readonly<Record<string, number>> = {\n${body}\n};\n\n/** The confidence stage: probability that the ranker's choice is right. */\nexport const CONFIDENCE_WEIGHTS: Readonly<Record<string, number>> = {\n${bodyTwo}\n};\n\n/** The probability at which quotes become eligible (held-out precision ${target}). */\nexport const MODEL_CUT = ${cut.toFixed(4)};\n\n/**\n * Held-out precision of the quotes whose probability is at least i / ${GRID} (running minimum from\n * the top): a quote's confidence.\n */\nexport const PRECISION_CURVE: readonly number[] = [${curve.join(', ')}];\n`,
  );
  // Written in the project's format, so a retrain's diff shows only the numbers that moved.
  execFileSync('npx', ['biome', 'format', '--write', weightsFile], { stdio: 'ignore' });
  console.log('wrote model-weights.ts');
}
