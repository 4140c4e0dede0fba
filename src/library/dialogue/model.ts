/**
 * The attribution model, in two stages trained on the PDNC novels by
 * scripts/train-confidence.ts, each evaluated leave-one-novel-out:
 *  1. a ranker: a logistic regression giving each candidate speaker the probability that they
 *     speak (features.ts); the most probable candidate is chosen;
 *  2. a confidence stage: a logistic regression over the chosen candidate's features and the
 *     ranker's scores for it and its runner-up, giving the probability that the choice is right.
 * A quote's confidence is the held-out precision of all quotes stage 2 is at least as sure of
 * (PRECISION_CURVE), so "eligible at 0.97" means "in a set measured at 0.97 on novels the model
 * never saw". Linear in the number of candidates.
 */
import {
  type CandidateFeatures,
  dotFeatures,
  expandFeatures,
  FEATURE_COUNT,
  FEATURE_NAMES,
} from './features.ts';
import { CONFIDENCE_WEIGHTS, MODEL_WEIGHTS, PRECISION_CURVE } from './model-weights.ts';

/** Stage 2's inputs: the chosen candidate's features, then the ranker's view of the choice. */
export const STAGE_TWO_NAMES: readonly string[] = [
  ...FEATURE_NAMES,
  'rankerLogit',
  'runnerUpLogit',
  'sievesAgree',
  'rivalMassLogit',
  'plausibleRivals',
];
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

/** The ranker's probability that a candidate speaks (no full vector built). */
export function candidateProbability(c: CandidateFeatures): number {
  if (!ranker) return Number.NaN;
  return 1 / (1 + Math.exp(-dotFeatures(ranker, c)));
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

/** Stage 2's input vector for a choice: the candidates' ranker probabilities and the best of them. */
export function stageTwo(
  chosen: Float64Array | CandidateFeatures,
  ps: readonly number[],
  best: number,
  second: number,
  sievesAgree: boolean,
): Float64Array {
  const z = new Float64Array(STAGE_TWO_COUNT);
  z.set(chosen instanceof Float64Array ? chosen : expandFeatures(chosen));
  const rivals = rivalsOf(ps, best);
  z[FEATURE_COUNT] = logit(ps[best]!);
  z[FEATURE_COUNT + 1] = second >= 0 && ps[second]! > 0 ? logit(ps[second]!) : -7;
  z[FEATURE_COUNT + 2] = sievesAgree ? 1 : 0;
  z[FEATURE_COUNT + 3] = rivals.massLogit;
  z[FEATURE_COUNT + 4] = rivals.plausible;
  return z;
}

/**
 * Stage 2: the probability that a choice is right, equal to probability(stageTwo(...), judge)
 * without building either vector: the terms are summed in the same order (the other blocks' zero
 * features add nothing), so the result is the same to the last bit.
 */
export function choiceProbability(
  chosen: CandidateFeatures,
  ps: readonly number[],
  best: number,
  second: number,
  sievesAgree: boolean,
): number {
  if (!judge) return Number.NaN;
  const p = ps[best]!;
  const runnerUp = second >= 0 ? ps[second]! : 0;
  const rivals = rivalsOf(ps, best);
  const b = chosen.base;
  let z = 0;
  for (let j = 0; j < b.length; j++) z += judge[j]! * b[j]!;
  const off = chosen.block * b.length;
  if (off > 0) for (let j = 0; j < b.length; j++) z += judge[off + j]! * b[j]!;
  z += judge[FEATURE_COUNT]! * logit(p);
  z += judge[FEATURE_COUNT + 1]! * (runnerUp > 0 ? logit(runnerUp) : -7);
  z += judge[FEATURE_COUNT + 2]! * (sievesAgree ? 1 : 0);
  z += judge[FEATURE_COUNT + 3]! * rivals.massLogit;
  z += judge[FEATURE_COUNT + 4]! * rivals.plausible;
  return 1 / (1 + Math.exp(-z));
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
