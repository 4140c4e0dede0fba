/**
 * The attribution model, in two stages trained on the PDNC novels by
 * scripts/train-confidence.ts, each evaluated leave-one-novel-out:
 *  1. a ranker: a logistic regression giving each candidate speaker the probability that they
 *     speak (features.ts); the most probable candidate is chosen (the first pass, every quote);
 *  2. a confidence stage, reading each choice beside its neighbours' first-pass choices: a
 *     logistic regression over the chosen candidate's features, the ranker's scores for it and
 *     its rivals and how it sits among the neighbouring choices, plus boosted trees (trees.ts)
 *     correcting its log-odds where features interact; the result is the probability that the
 *     choice is right.
 * A quote's confidence is the held-out precision of all quotes stage 2 is at least as sure of
 * (PRECISION_CURVE), so "eligible at 0.97" means "in a set measured at 0.97 on novels the model
 * never saw". Linear in the number of candidates.
 */
import {
  type CandidateFeatures,
  dotFeaturesEach,
  expandFeatures,
  FEATURE_COUNT,
  FEATURE_NAMES,
} from './features.ts';
import { CONFIDENCE_FOREST, CONFIDENCE_WEIGHTS, MODEL_WEIGHTS, PRECISION_CURVE } from './model-weights.ts';
import { type Forest, forestLogit } from './trees.ts';

/**
 * How a choice sits among the neighbouring quotes' choices, one and two quotes back and ahead
 * (first pass, output order): is there such a quote with a choice, does it choose the same
 * speaker, how sure is the ranker of it (its log-odds and margin over its runner-up), how likely
 * the ranker finds its speaker for this quote (unless not a candidate here), and is its runner-up
 * this quote's choice. A same speaker twice running, or a neighbour's speaker close behind this
 * choice, makes it less sure; the trees read these together.
 */
const NEIGHBOUR_NAMES: readonly string[] = ['prev', 'next', 'back2', 'fwd2'].flatMap((n) => [
  `${n}:present`,
  `${n}:sameChoice`,
  `${n}:logit`,
  `${n}:margin`,
  `${n}:choiceHere`,
  `${n}:choiceNotHere`,
  `${n}:runnerUpIsMine`,
]);
const NEIGHBOUR_OFFSETS: readonly number[] = [-1, 1, -2, 2];
/** How many quotes ahead stage 2 looks: a quote's confidence waits for that many more first passes. */
export const NEIGHBOUR_REACH = 2;

/** The ranker's view of a choice, then its neighbours' (stage 2's inputs after the candidate's features). */
const VIEW_NAMES: readonly string[] = [
  'rankerLogit',
  'runnerUpLogit',
  'sievesAgree',
  'rivalMassLogit',
  'plausibleRivals',
  ...NEIGHBOUR_NAMES,
];
const VIEW_COUNT = VIEW_NAMES.length;

/** The linear stage 2's inputs: the chosen candidate's features, then the view of the choice. */
export const STAGE_TWO_NAMES: readonly string[] = [...FEATURE_NAMES, ...VIEW_NAMES];
export const STAGE_TWO_COUNT = STAGE_TWO_NAMES.length;

function table(weights: Readonly<Record<string, number>>, names: readonly string[]): Float64Array | null {
  if (Object.keys(weights).length === 0 || PRECISION_CURVE.length < 2) return null;
  return Float64Array.from(names, (n) => weights[n] ?? 0);
}
const ranker = table(MODEL_WEIGHTS, FEATURE_NAMES);
const judge = table(CONFIDENCE_WEIGHTS, STAGE_TWO_NAMES);

/** Whether trained weight tables are present. */
export const modelTrained = ranker !== null && judge !== null;

/** Logistic probability of a feature vector under a weight vector (the ranker's by default). */
export function probability(features: Float64Array, w: Float64Array | null = ranker): number {
  if (!w) return Number.NaN;
  let z = 0;
  for (let i = 0; i < features.length; i++) z += w[i]! * features[i]!;
  return 1 / (1 + Math.exp(-z));
}

// candidateProbabilities' dot products, overwritten on every call (an utterance has at most 12 candidates).
const dotScratch = new Float64Array(16);

/**
 * The ranker's probability that each candidate (of one utterance) speaks, no full vector built:
 * the dot products are taken side by side (dotFeaturesEach).
 */
export function candidateProbabilities(cs: readonly CandidateFeatures[]): number[] {
  if (!ranker) return cs.map(() => Number.NaN);
  const dots = cs.length <= dotScratch.length ? dotScratch : new Float64Array(cs.length);
  dotFeaturesEach(ranker, cs, dots);
  const ps: number[] = [];
  for (let c = 0; c < cs.length; c++) ps.push(1 / (1 + Math.exp(-dots[c]!)));
  return ps;
}

/** The most probable candidate and the runner-up (-1 when there is none). */
export function rankCandidates(ps: readonly number[]): { best: number; second: number } {
  let best = 0;
  let second = -1;
  for (let c = 1; c < ps.length; c++) {
    if (ps[c]! > ps[best]!) {
      second = best;
      best = c;
    } else if (second < 0 || ps[c]! > ps[second]!) second = c;
  }
  return { best, second };
}

const logit = (p: number): number => {
  const q = Math.min(0.999, Math.max(0.001, p));
  return Math.log(q / (1 - q));
};

/**
 * How contested a choice is beyond its runner-up: the share of the candidates' probability held by
 * all the others (as a logit), and how many of them the ranker finds at least half as likely as
 * the choice (capped at three, scaled to one). A crowd of middling rivals makes a choice less
 * sure than one close rival and nobody else.
 */
export function rivalsOf(ps: readonly number[], best: number): { massLogit: number; plausible: number } {
  let total = 0;
  let plausible = 0;
  const top = ps[best] ?? 0;
  for (let c = 0; c < ps.length; c++) {
    total += ps[c]!;
    if (c !== best && ps[c]! >= top / 2) plausible++;
  }
  const others = total - top;
  return { massLogit: total > 0 ? logit(others / total) : -7, plausible: Math.min(3, plausible) / 3 };
}

/** The confidence of a choice stage 2 scores `p`: held-out precision at that score (interpolated). */
export function confidenceAt(p: number): number {
  if (Number.isNaN(p) || PRECISION_CURVE.length < 2) return 0;
  const grid = PRECISION_CURVE.length - 1;
  const x = Math.min(1, Math.max(0, p)) * grid;
  const lo = Math.min(grid - 1, Math.floor(x));
  const a = PRECISION_CURVE[lo]!;
  const b = PRECISION_CURVE[lo + 1]!;
  return a + (b - a) * (x - lo);
}

/** The base features (FEATURE_NAMES' first block, before the pronoun and untagged copies). */
const BASE_NAMES = FEATURE_NAMES.filter((n) => !n.includes(':'));
const BASE_COUNT = BASE_NAMES.length;

/**
 * What the first pass decided for a quote: its candidates (ids), the ranker's probability of
 * each, the choice and runner-up (-1 when none), and the logits of their probabilities (0 when
 * there is no such candidate). A quote without candidates has no choice (-1).
 */
export interface FirstPass {
  readonly ids: readonly number[];
  readonly ps: readonly number[];
  readonly best: number;
  readonly second: number;
  /**
   * logit(ps[best]) and logit(ps[second]), taken once: stage 2 reads each quote's as its own and
   * as its neighbours' (up to five times).
   */
  readonly bestLogit: number;
  readonly secondLogit: number;
}

/** The first pass over a quote's candidates. */
export function firstPass(ids: readonly number[], ps: readonly number[]): FirstPass {
  if (ids.length === 0) return { ids, ps, best: -1, second: -1, bestLogit: 0, secondLogit: 0 };
  const { best, second } = rankCandidates(ps);
  return {
    ids,
    ps,
    best,
    second,
    bestLogit: logit(ps[best]!),
    secondLogit: second >= 0 ? logit(ps[second]!) : 0,
  };
}

/** Writes the view (VIEW_NAMES) of quote i's choice among the first passes into v. */
function viewOf(
  passes: readonly (FirstPass | undefined)[],
  i: number,
  sievesAgree: boolean,
  v: Float64Array,
): Float64Array {
  const me = passes[i]!;
  const { ps, best, second } = me;
  const rivals = rivalsOf(ps, best);
  v[0] = me.bestLogit;
  v[1] = second >= 0 && ps[second]! > 0 ? me.secondLogit : -7;
  v[2] = sievesAgree ? 1 : 0;
  v[3] = rivals.massLogit;
  v[4] = rivals.plausible;
  const mine = me.ids[best]!;
  let at = 5;
  for (const offset of NEIGHBOUR_OFFSETS) {
    // (Bounds checked: a read past either end made V8 give up the optimised code.)
    const o = i + offset >= 0 && i + offset < passes.length ? passes[i + offset] : undefined;
    if (!o || o.best < 0) {
      v.fill(0, at, at + 7);
      at += 7;
      continue;
    }
    const theirs = o.ids[o.best]!;
    const top = o.bestLogit;
    const here = me.ids.indexOf(theirs);
    v[at] = 1;
    v[at + 1] = theirs === mine ? 1 : 0;
    v[at + 2] = top;
    v[at + 3] = o.second >= 0 ? top - o.secondLogit : 7;
    // (The neighbour's choice is often this quote's choice or runner-up: their logits are taken.)
    v[at + 4] =
      here < 0 ? 0 : here === best ? me.bestLogit : here === second ? me.secondLogit : logit(ps[here]!);
    v[at + 5] = here >= 0 ? 0 : 1;
    v[at + 6] = o.second >= 0 && o.ids[o.second] === mine ? 1 : 0;
    at += 7;
  }
  return v;
}

/**
 * The confidence trees' inputs: the chosen candidate's base features and its evidence block
 * (0 named or none, 1 pronoun or epithet tag, 2 untagged), then the view of the choice.
 */
export const CONFIDENCE_INPUT_NAMES: readonly string[] = [...BASE_NAMES, 'block', ...VIEW_NAMES];

/** Stage 2's two input vectors for quote i of the first passes: linear (STAGE_TWO_NAMES) and trees'. */
export function stageTwoInputs(
  passes: readonly FirstPass[],
  i: number,
  chosen: CandidateFeatures,
  sievesAgree: boolean,
): { linear: Float64Array; trees: Float64Array } {
  const view = viewOf(passes, i, sievesAgree, new Float64Array(VIEW_COUNT));
  const linear = new Float64Array(STAGE_TWO_COUNT);
  linear.set(expandFeatures(chosen));
  linear.set(view, FEATURE_COUNT);
  return { linear, trees: treeInputs(chosen, view, new Float64Array(BASE_COUNT + 1 + VIEW_COUNT)) };
}

/** Writes the trees' inputs into x. */
function treeInputs(chosen: CandidateFeatures, view: Float64Array, x: Float64Array): Float64Array {
  x.set(chosen.base);
  x[BASE_COUNT] = chosen.block;
  x.set(view, BASE_COUNT + 1);
  return x;
}

/** The trained forest, its split features mapped from names to CONFIDENCE_INPUT_NAMES (null if any is gone). */
function loadForest(): Forest | null {
  const stored = CONFIDENCE_FOREST;
  if (stored.leaf.length === 0) return null;
  const index = stored.names.map((n) => CONFIDENCE_INPUT_NAMES.indexOf(n));
  if (index.some((i) => i < 0)) return null;
  return {
    depth: stored.depth,
    base: stored.base,
    feature: Int32Array.from(stored.feature, (f) => index[f]!),
    threshold: Float64Array.from(stored.threshold),
    leaf: Float64Array.from(stored.leaf),
  };
}
const forest = loadForest();

/**
 * Stage 2's probability that a choice is right from its two input vectors: the linear stage's
 * log-odds plus the trees' correction to them.
 */
export function stageTwoProbability(
  linear: Float64Array,
  trees: Float64Array,
  w: Float64Array | null = judge,
  f: Forest | null = forest,
): number {
  if (!w) return Number.NaN;
  let z = 0;
  for (let i = 0; i < linear.length; i++) z += w[i]! * linear[i]!;
  if (f) z += forestLogit(f, trees);
  return 1 / (1 + Math.exp(-z));
}

// choiceProbability's working vectors, overwritten on every call (nothing keeps them).
const viewScratch = new Float64Array(VIEW_COUNT);
const treeScratch = new Float64Array(BASE_COUNT + 1 + VIEW_COUNT);

/**
 * Stage 2 for quote i of the first passes whose chosen candidate is `chosen`: the same as
 * stageTwoProbability(stageTwoInputs(...)) without building the full linear vector (the other
 * evidence blocks' zero features add nothing, so the sum is the same to the last bit).
 */
export function choiceProbability(
  passes: readonly (FirstPass | undefined)[],
  i: number,
  chosen: CandidateFeatures,
  sievesAgree: boolean,
): number {
  if (!judge) return Number.NaN;
  const view = viewOf(passes, i, sievesAgree, viewScratch);
  const b = chosen.base;
  let z = 0;
  for (let j = 0; j < b.length; j++) z += judge[j]! * b[j]!;
  const off = chosen.block * b.length;
  if (off > 0) for (let j = 0; j < b.length; j++) z += judge[off + j]! * b[j]!;
  for (let j = 0; j < VIEW_COUNT; j++) z += judge[FEATURE_COUNT + j]! * view[j]!;
  if (forest) z += forestLogit(forest, treeInputs(chosen, view, treeScratch));
  return 1 / (1 + Math.exp(-z));
}
