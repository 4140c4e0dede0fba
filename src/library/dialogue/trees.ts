/**
 * Gradient-boosted regression trees, as the confidence stage (model.ts) stores and reads them.
 * The trees are oblivious: every node of a level splits on the same feature and threshold, so a
 * vector's leaf is read off `depth` independent comparisons (bit d set when x[feature] exceeds
 * level d's threshold), with no branch and no walk. Tree t's splits are at t * depth + d, its
 * leaf values at t * 2^depth + leaf.
 */

/** A trained forest: per tree and level the split feature (index into the input vector) and threshold; per tree the leaf values. */
export interface Forest {
  readonly depth: number;
  /** Log-odds every score starts from. */
  readonly base: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly leaf: Float64Array;
}

/** The forest's log-odds for an input vector. */
export function forestLogit(f: Forest, x: Float64Array): number {
  if (f.depth === 5) return forestLogitDepth5(f, x);
  const { depth, feature, threshold, leaf } = f;
  const leaves = 1 << depth;
  let z = f.base;
  for (let split = 0, out = 0; out < leaf.length; split += depth, out += leaves) {
    let k = 0;
    for (let d = 0; d < depth; d++) k |= Number(x[feature[split + d]!]! > threshold[split + d]!) << d;
    z += leaf[out + k]!;
  }
  return z;
}

/**
 * forestLogit for trees of depth 5 (the trained forest's), the five levels written out: the
 * general loop over the levels took about 1.7 times as long per vector (measured on the trained
 * forest), and stage 2 runs it for every quote. The same leaves, added in the same order.
 */
function forestLogitDepth5(f: Forest, x: Float64Array): number {
  const { feature, threshold, leaf } = f;
  let z = f.base;
  for (let s = 0, out = 0; out < leaf.length; s += 5, out += 32) {
    const k =
      (x[feature[s]!]! > threshold[s]! ? 1 : 0) |
      (x[feature[s + 1]!]! > threshold[s + 1]! ? 2 : 0) |
      (x[feature[s + 2]!]! > threshold[s + 2]! ? 4 : 0) |
      (x[feature[s + 3]!]! > threshold[s + 3]! ? 8 : 0) |
      (x[feature[s + 4]!]! > threshold[s + 4]! ? 16 : 0);
    z += leaf[out + k]!;
  }
  return z;
}
