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
