/**
 * Trains the dialogue layer's attribution model (src/library/dialogue/model.ts) on the PDNC novels.
 *
 *   npx tsx scripts/train-confidence.ts [--pdnc DIR] [--target 0.972] [--l2 0.05] [--write]
 *     [--trees 50] [--depth 5] [--shrinkage 0.1] [--lambda 1] [--min-leaf 50] [--folds 20]
 *     [--ranker-only] [--linear] [--tune] [--weights]
 *
 * For every novel: ingest it, run the attribution with its feature trace, and label each
 * attributed quote right or wrong against the gold speaker (the official scorer's alias matching,
 * first overlapping prediction per gold quote). Stage 1, the ranker (a logistic regression, L2,
 * Newton steps), decides every quote of a novel with a model trained on the other novels. Stage 2,
 * the confidence, is a logistic regression over the choice and its neighbours' choices plus
 * oblivious boosted trees (scripts/boost.ts) fitted from its log-odds (--linear: no trees); it
 * is evaluated held out by novel too (--folds groups of novels, one per novel by default). The
 * precision curve and eligibility cut come from those held-out scores: eligible where the pooled
 * held-out precision of playable quotes stays at or above --target. Prints held-out precision and
 * coverage (overall and per novel); --write stores the models trained on all novels, the curve and
 * the cut in model-weights.ts.
 *
 * --tune compares a few tree settings on half the novels only (even positions, 5 groups), so the
 * settings are not picked on the figures reported for all twenty. TRAIN_CONFIDENCE_CACHE=FILE
 * keeps stage 1's output (the ranker's held-out and deployed probabilities, every candidate's
 * base features) between runs: delete it whenever the features or the ranker change.
 * --ranker-only stops after printing the held-out ranker accuracy (~20 s with the cache).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { WEAK_ALONE } from '../src/library/dialogue/attribute.ts';
import { ELIGIBLE_CONFIDENCE, playableLength } from '../src/library/dialogue/confidence.ts';
import { type CandidateFeatures, FEATURE_COUNT, FEATURE_NAMES } from '../src/library/dialogue/features.ts';
import { analyzeDialogueTraced, type TracedCandidates } from '../src/library/dialogue/index.ts';
import {
  CONFIDENCE_INPUT_NAMES,
  type FirstPass,
  firstPass,
  probability,
  STAGE_TWO_COUNT,
  STAGE_TWO_NAMES,
  stageTwoInputs,
  stageTwoProbability,
} from '../src/library/dialogue/model.ts';
import type { Forest } from '../src/library/dialogue/trees.ts';
import { parseStoryWithoutDialogue } from '../src/library/parse.ts';
import type { Dialogue } from '../src/library/types.ts';
import { type BinnedRows, binEdges, binRows, boost } from './boost.ts';
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
  'usage: npx tsx scripts/train-confidence.ts [--pdnc DIR] [--target 0.972] [--l2 0.05] [--write] [--trees N] [--depth N] [--shrinkage X] [--lambda X] [--min-leaf N] [--folds N] [--ranker-only] [--linear] [--tune] [--weights]';
for (let i = 0; i < args.length; i++) {
  const flag = args[i]!;
  if (flag === '--write') continue;
  if (['--linear', '--tune', '--weights', '--ranker-only'].includes(flag)) continue;
  if (
    [
      '--pdnc',
      '--target',
      '--l2',
      '--trees',
      '--depth',
      '--shrinkage',
      '--lambda',
      '--min-leaf',
      '--folds',
    ].includes(flag) &&
    args[i + 1] !== undefined
  ) {
    i++;
    continue;
  }
  process.stderr.write(`train-confidence: unknown or incomplete option ${flag}\n${USAGE}\n`);
  process.exit(2);
}

/** All quotes of one novel in output order: their candidates' names (as numbers) and features. */
interface NovelQuotes {
  readonly ids: readonly (readonly number[])[];
  readonly xs: readonly (readonly Float64Array[])[];
  /** Per quote: index of the sieves' own choice among the candidates, or -1. */
  readonly sieveChoice: readonly number[];
}

/** One gold quote's first overlapping prediction (a quote of its novel), its candidates labelled. */
interface Row {
  readonly novel: number;
  readonly quote: number;
  /** Per candidate: is it the gold speaker? */
  readonly oks: readonly boolean[];
  /** Per candidate: could the quote be eligible with this speaker (playable, not naming them)? */
  readonly playable: readonly boolean[];
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
const weakAlone = (base: Float64Array): boolean => WEAK_SIEVES.some((i) => base[i] === 1);

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
      quote: first.i,
      oks: c.names.map((name) => resolveName(name) === goldName),
      playable: c.names.map((name, k) => fits && name !== '' && !c.named[k]),
    });
  }
  return { rows, gold: n };
}

/** A novel's quotes with each candidate name turned into a number (equal names, equal numbers). */
function novelQuotes(candidates: readonly TracedCandidates[]): NovelQuotes {
  const numbers = new Map<string, number>();
  const idOf = (name: string): number => {
    let id = numbers.get(name);
    if (id === undefined) {
      id = numbers.size;
      numbers.set(name, id);
    }
    return id;
  };
  return {
    ids: candidates.map((c) => c.names.map(idOf)),
    xs: candidates.map((c) => c.features),
    sieveChoice: candidates.map((c) => c.features.findIndex((x) => x[CHOSEN] === 1)),
  };
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

/** A ranker's decision on a labelled quote, as stage 2 sees it. */
interface Decision {
  readonly novel: number;
  /** The linear stage 2's inputs (stageTwo). */
  readonly z: Float64Array;
  /** The trees' inputs (confidenceInputs). */
  readonly inputs: Float64Array;
  readonly ok: boolean;
  readonly playable: boolean;
}

/** What stage 1 leaves of one novel: per quote its candidates, their probabilities and base features. */
interface NovelPasses {
  readonly ids: readonly (readonly number[])[];
  /** Per quote, per candidate: the ranker's probability, trained without this novel. */
  readonly held: readonly (readonly number[])[];
  /** The same under the ranker trained on every novel (as deployed). */
  readonly final: readonly (readonly number[])[];
  readonly sieveChoice: readonly number[];
  /** Per quote: its candidates' base features, one after another (BASE_COUNT each). */
  readonly base: readonly Float64Array[];
  /** Per quote, per candidate: its evidence block. */
  readonly block: readonly (readonly number[])[];
}
interface StageOne {
  readonly goldCount: number[];
  readonly rows: Row[];
  readonly novels: NovelPasses[];
  readonly final: Float64Array;
  readonly sieveRight: number;
  readonly candidateCeiling: number;
}

const BASE_COUNT = FEATURE_COUNT / 3;
/** The evidence block a full feature vector repeats its base features in (the bias marks it). */
const blockOf = (x: Float64Array): number => (x[BASE_COUNT] === 1 ? 1 : x[2 * BASE_COUNT] === 1 ? 2 : 0);

/** Candidate c of quote i of a novel, as the model reads it. */
const candidateOf = (n: NovelPasses, i: number, c: number): CandidateFeatures => ({
  base: n.base[i]!.subarray(c * BASE_COUNT, (c + 1) * BASE_COUNT),
  block: n.block[i]![c]!,
});

/** A novel's passes from per-quote probabilities. */
const passesOf = (n: NovelPasses, ps: readonly (readonly number[])[]): FirstPass[] =>
  ps.map((p, i) => firstPass(n.ids[i]!, p));

/** Stage 2's view of the labelled rows of one novel, given its (re-ranked) passes. */
function decide(rows: readonly Row[], n: NovelPasses, passes: readonly FirstPass[]): Decision[] {
  return rows.map((r) => {
    const { best } = passes[r.quote]!;
    const chosen = candidateOf(n, r.quote, best);
    const { linear, trees } = stageTwoInputs(passes, r.quote, chosen, best === n.sieveChoice[r.quote]);
    return {
      novel: r.novel,
      z: linear,
      inputs: trees,
      ok: r.oks[best]!,
      playable: r.playable[best]! && !weakAlone(chosen.base),
    };
  });
}

/** Ingests and labels every novel, then runs the ranker (held out by novel, and as deployed). */
function stageOne(): StageOne {
  const all: Row[] = [];
  const goldCount: number[] = [];
  const quotes: NovelQuotes[] = [];
  for (let k = 0; k < novels.length; k++) {
    const dir = join(root, novels[k]!);
    const story = parseStoryWithoutDialogue(readFileSync(join(dir, 'novel_text.txt')), 'novel_text.txt');
    const traced = analyzeDialogueTraced(story.text, story.scenes, { pov: story.pov });
    const { rows, gold } = label(dir, traced.dialogue, traced.candidates ?? [], k);
    all.push(...rows);
    goldCount.push(gold);
    quotes.push(novelQuotes(traced.candidates ?? []));
  }
  const sparseOf = all.map((r) => quotes[r.novel]!.xs[r.quote]!.map((x, c) => sparse(x, r.oks[c]!)));
  const fitRanker = (keep: (novel: number) => boolean): Float64Array =>
    train(all.flatMap((r, i) => (keep(r.novel) ? sparseOf[i]! : [])));
  const probabilities = (q: NovelQuotes, w: Float64Array): number[][] =>
    q.xs.map((xs) => xs.map((x) => probability(x, w)));
  // The ranker, left one novel out: every novel decided by a model trained on the other nineteen.
  const held = novels.map((_, k) =>
    probabilities(
      quotes[k]!,
      fitRanker((n) => n !== k),
    ),
  );
  const final = fitRanker(() => true);
  let sieveRight = 0;
  for (const r of all) {
    const s = quotes[r.novel]!.sieveChoice[r.quote]!;
    if (s >= 0 && r.oks[s]) sieveRight++;
  }
  const passes: NovelPasses[] = quotes.map((q, k) => ({
    ids: q.ids,
    held: held[k]!,
    final: probabilities(q, final),
    sieveChoice: q.sieveChoice,
    base: q.xs.map((xs) => {
      const b = new Float64Array(xs.length * BASE_COUNT);
      for (let c = 0; c < xs.length; c++) b.set(xs[c]!.subarray(0, BASE_COUNT), c * BASE_COUNT);
      return b;
    }),
    block: q.xs.map((xs) => xs.map(blockOf)),
  }));
  return {
    goldCount,
    rows: all,
    novels: passes,
    final,
    sieveRight,
    candidateCeiling: all.filter((r) => r.oks.some(Boolean)).length,
  };
}

// A development cache of stage 1 (TRAIN_CONFIDENCE_CACHE=file), for trying later stages' settings.
const cacheFile = process.env.TRAIN_CONFIDENCE_CACHE;
const one: StageOne =
  cacheFile && existsSync(cacheFile) ? (deserialize(readFileSync(cacheFile)) as StageOne) : stageOne();
if (cacheFile && !existsSync(cacheFile)) writeFileSync(cacheFile, serialize(one));
const { goldCount, rows: allRows, final } = one;
const totalGold = goldCount.reduce((a, b) => a + b, 0);

/** Share of gold quotes whose labelled prediction the passes decide right. */
function accuracyOf(passes: readonly (readonly FirstPass[])[]): number {
  let right = 0;
  for (const r of allRows) if (r.oks[passes[r.novel]![r.quote]!.best]) right++;
  return right / totalGold;
}

const heldPasses = one.novels.map((n) => passesOf(n, n.held));
const finalPasses = one.novels.map((n) => passesOf(n, n.final));
console.log(
  `speaker accuracy over gold quotes: sieves ${(one.sieveRight / totalGold).toFixed(3)}, ranker held out ${accuracyOf(heldPasses).toFixed(4)}; deployed ${accuracyOf(finalPasses).toFixed(3)}; candidate ceiling ${(one.candidateCeiling / totalGold).toFixed(3)}`,
);
if (args.includes('--ranker-only')) process.exit(0);
const rowsOf = (k: number): Row[] => allRows.filter((r) => r.novel === k);
const decisions = novels.flatMap((_, k) => decide(rowsOf(k), one.novels[k]!, heldPasses[k]!));
// Stage 2 is fitted to the deployed ranker's own outputs, so that its scores mean the same on
// the scored novels as they will on new ones (the held-out figures measure both stages).
const finalDecisions = novels.flatMap((_, k) => decide(rowsOf(k), one.novels[k]!, finalPasses[k]!));

const settings = {
  trees: Number(opt('--trees') ?? '50'),
  depth: Number(opt('--depth') ?? '5'),
  shrinkage: Number(opt('--shrinkage') ?? '0.1'),
  lambda: Number(opt('--lambda') ?? '1'),
  minLeaf: Number(opt('--min-leaf') ?? '50'),
};
const linear = args.includes('--linear');

const started = performance.now();
/** Held-out probabilities of the playable decisions, each novel scored by a stage 2 that never saw it. */
type Scored = { novel: number; p: number; ok: boolean };
// Bin edges are read from every decision's inputs (no labels): the same bins in every fold.
const edges = binEdges(
  decisions.map((d) => d.inputs),
  CONFIDENCE_INPUT_NAMES.length,
);
const binned: BinnedRows = binRows(
  decisions.map((d) => d.inputs),
  edges,
);
/**
 * Stage 2 fitted to the decisions `keep` selects: the logistic regression, then (unless --linear)
 * the trees boosted from its log-odds, fitting what it misses.
 */
function fitStageTwo(
  ds: readonly Decision[],
  bins: BinnedRows,
  keep: (d: Decision) => boolean,
): { w2: Float64Array; forest: Forest | null } {
  const w2 = train(
    ds.filter(keep).map((d) => sparse(d.z, d.ok)),
    STAGE_TWO_COUNT,
  );
  if (linear) return { w2, forest: null };
  const init = ds.map((d) => {
    let z = 0;
    for (let i = 0; i < d.z.length; i++) z += w2[i]! * d.z[i]!;
    return z;
  });
  const use = Int32Array.from(ds.flatMap((d, i) => (keep(d) ? [i] : [])));
  const forest = boost(
    bins,
    Float64Array.from(ds, (d) => (d.ok ? 1 : 0)),
    use,
    settings,
    init,
  );
  return { w2, forest };
}
function heldOutOf(novelSet: readonly number[], folds: number): Scored[] {
  const held: Scored[] = [];
  const foldOf = (novel: number): number => novelSet.indexOf(novel) % folds;
  for (let f = 0; f < folds; f++) {
    const inTrain = (d: Decision): boolean => novelSet.includes(d.novel) && foldOf(d.novel) !== f;
    const inTest = (d: Decision): boolean => novelSet.includes(d.novel) && foldOf(d.novel) === f;
    const { w2, forest } = fitStageTwo(decisions, binned, inTrain);
    for (const d of decisions)
      if (inTest(d) && d.playable)
        held.push({ novel: d.novel, p: stageTwoProbability(d.z, d.inputs, w2, forest), ok: d.ok });
  }
  return held;
}
// Confidence of a quote = the held-out precision of all quotes at least as sure (running minimum
// from the top, so it never rises as the probability falls); eligible where it reaches the target.
const GRID = 200;
function curveOf(held: readonly Scored[]): number[] {
  const sortedHeld = [...held].sort((a, b) => b.p - a.p);
  const curve: number[] = new Array(GRID + 1).fill(0);
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
  return curve;
}
/** The curve's value at a probability (interpolated, as model.ts reads it). */
function atCurve(curve: readonly number[], p: number): number {
  const x = Math.min(1, Math.max(0, p)) * GRID;
  const lo = Math.min(GRID - 1, Math.floor(x));
  return curve[lo]! + (curve[lo + 1]! - curve[lo]!) * (x - lo);
}
/** Eligible held-out quotes under a curve: how many, precision, and right ones. */
function eligibleUnder(curve: readonly number[], held: readonly Scored[]) {
  const pick = held.filter((h) => atCurve(curve, h.p) >= target);
  const right = pick.filter((h) => h.ok).length;
  return { pick, right, precision: pick.length ? right / pick.length : 0 };
}

if (args.includes('--tune')) {
  // Settings are chosen on half the novels (even positions, grouped 5-fold among themselves), so
  // that the figures reported for all twenty are not the ones the settings were picked on.
  const tuning = novels.map((_, k) => k).filter((k) => k % 2 === 0);
  const tuningGold = tuning.reduce((a, k) => a + goldCount[k]!, 0);
  const grid = [
    { depth: 3, trees: 0, shrinkage: 0.1, minLeaf: 20 },
    { depth: 3, trees: 100, shrinkage: 0.05, minLeaf: 50 },
    { depth: 4, trees: 50, shrinkage: 0.1, minLeaf: 20 },
    { depth: 4, trees: 100, shrinkage: 0.05, minLeaf: 50 },
    { depth: 5, trees: 50, shrinkage: 0.1, minLeaf: 50 },
    { depth: 5, trees: 25, shrinkage: 0.2, minLeaf: 50 },
    { depth: 5, trees: 100, shrinkage: 0.05, minLeaf: 50 },
    { depth: 6, trees: 50, shrinkage: 0.1, minLeaf: 50 },
  ];
  for (const g of grid) {
    Object.assign(settings, g);
    const t0 = performance.now();
    const held = heldOutOf(tuning, 5);
    const r = eligibleUnder(curveOf(held), held);
    console.log(
      `${JSON.stringify(g)}: precision ${r.precision.toFixed(3)}, coverage ${(r.right / tuningGold).toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  process.exit(0);
}

const folds = Number(opt('--folds') ?? String(novels.length));
const heldOut = heldOutOf(
  novels.map((_, k) => k),
  folds,
);
console.log(
  `stage 2 (${linear ? 'linear' : `trees ${JSON.stringify(settings)}`}): ${folds} folds by novel in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
const curve = curveOf(heldOut);
const cutIndex = curve.findIndex((c) => c >= target);
let finalHeld = { precision: 0, coverage: 0 };
const cut = cutIndex >= 0 ? cutIndex / GRID : 1;
{
  const { pick, right, precision } = eligibleUnder(curve, heldOut);
  console.log(
    `target precision ${target}; held-out cut ${cut.toFixed(4)} (best single cut ${chooseCut(heldOut).toFixed(4)})`,
  );
  console.log(
    `held-out (by novel): eligible ${pick.length}, precision ${precision.toFixed(3)}, coverage ${(right / totalGold).toFixed(3)}`,
  );
  console.log(`${'novel'.padEnd(30)} gold  elig  prec   cover`);
  for (let k = 0; k < novels.length; k++) {
    const mine = pick.filter((h) => h.novel === k);
    const ok = mine.filter((h) => h.ok).length;
    console.log(
      `${novels[k]!.padEnd(30)} ${String(goldCount[k]).padStart(5)} ${String(mine.length).padStart(5)}  ${(mine.length ? ok / mine.length : 0).toFixed(3)}  ${(ok / goldCount[k]!).toFixed(3)}`,
    );
  }
}
const { w2: finalTwo, forest: finalForest } = fitStageTwo(
  finalDecisions,
  binRows(
    finalDecisions.map((d) => d.inputs),
    edges,
  ),
  () => true,
);
const finalProbability = (d: Decision): number => stageTwoProbability(d.z, d.inputs, finalTwo, finalForest);
// Guard: a quote is eligible only where the precision reaches the target both held out (the curve)
// and on the training novels under the deployed models; below the training-set cut the curve is
// capped just under the target.
{
  const inSample = finalDecisions
    .filter((d) => d.playable)
    .map((d) => ({ p: finalProbability(d), ok: d.ok }))
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
  const { pick, right, precision } = eligibleUnder(curve, heldOut);
  console.log(
    `training-set cut ${inCut.toFixed(4)}; after the guard, held out: eligible ${pick.length}, precision ${precision.toFixed(3)}, coverage ${(right / totalGold).toFixed(3)}`,
  );
  finalHeld = { precision, coverage: right / totalGold };
}
const ranked = FEATURE_NAMES.map((n, i) => [n, final[i]!] as const);
const confident = STAGE_TWO_NAMES.map((n, i) => [n, finalTwo[i]!] as const);
if (args.includes('--weights')) for (const [n, v] of ranked) console.log(`  ${n.padEnd(28)} ${v.toFixed(3)}`);
if (args.includes('--write')) {
  const body = ranked.map(([n, v]) => `  '${n}': ${v.toFixed(4)},`).join('\n');
  const bodyTwo = confident.map(([n, v]) => `  '${n}': ${v.toFixed(4)},`).join('\n');

  const f = finalForest;
  const forestText = f
    ? `{\n  names: ${JSON.stringify(CONFIDENCE_INPUT_NAMES)},\n  depth: ${f.depth},\n  base: ${f.base.toFixed(6)},\n  feature: [${[...f.feature].join(', ')}],\n  threshold: [${[...f.threshold].map((t) => (Number.isFinite(t) ? String(t) : '1e300')).join(', ')}],\n  leaf: [${[...f.leaf].map((v) => v.toFixed(5)).join(', ')}],\n}`
    : `{ names: [], depth: 0, base: 0, feature: [], threshold: [], leaf: [] }`;
  const weightsFile = join(import.meta.dirname, '..', 'src', 'library', 'dialogue', 'model-weights.ts');
  writeFileSync(
    weightsFile,
    `// biome-ignore-all lint/suspicious/noApproximativeNumericConstant: measured precisions, not constants\n/**\n * Generated by scripts/train-confidence.ts (a logistic regression ranker over features.ts and ${f ? 'boosted trees' : 'a logistic regression'} for the\n * confidence, trained on the 20 PDNC novels): do not edit by hand. Held out by novel: precision ${finalHeld.precision.toFixed(3)}, coverage ${finalHeld.coverage.toFixed(3)}\n * at the cut below.\n */\n/** The ranker: probability that a candidate is the speaker. */\nexport const MODEL_WEIGHTS: Readonly<Record<string, number>> = {\n${body}\n};\n\n/** The linear confidence stage (when no trees): probability that the ranker's choice is right. */\nexport const CONFIDENCE_WEIGHTS: Readonly<Record<string, number>> = {\n${bodyTwo}\n};\n\n/** The confidence trees (trees.ts): split features index \`names\` (model.ts's CONFIDENCE_INPUT_NAMES). */\nexport const CONFIDENCE_FOREST: {\n  readonly names: readonly string[];\n  readonly depth: number;\n  readonly base: number;\n  readonly feature: readonly number[];\n  readonly threshold: readonly number[];\n  readonly leaf: readonly number[];\n} = ${forestText};\n\n/** The probability at which quotes become eligible (held-out precision ${target}). */\nexport const MODEL_CUT = ${cut.toFixed(4)};\n\n/**\n * Held-out precision of the quotes whose probability is at least i / ${GRID} (running minimum from\n * the top): a quote's confidence.\n */\nexport const PRECISION_CURVE: readonly number[] = [${curve.join(', ')}];\n`,
  );
  // Written in the project's format, so a retrain's diff shows only the numbers that moved.
  execFileSync('npx', ['biome', 'format', '--write', weightsFile], { stdio: 'ignore' });
  console.log('wrote model-weights.ts');
}
