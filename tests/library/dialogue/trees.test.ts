import { describe, expect, test } from 'vitest';
import { CONFIDENCE_FOREST } from '../../../src/library/dialogue/model-weights.ts';
import { type Forest, forestLogit } from '../../../src/library/dialogue/trees.ts';

/** The forest read the plain way: each tree's leaf from its levels' comparisons, one by one. */
function referenceLogit(f: Forest, x: Float64Array): number {
  let z = f.base;
  const trees = f.leaf.length >> f.depth;
  for (let t = 0; t < trees; t++) {
    let leaf = 0;
    for (let d = 0; d < f.depth; d++) {
      const split = t * f.depth + d;
      if (x[f.feature[split]!]! > f.threshold[split]!) leaf += 2 ** d;
    }
    z += f.leaf[t * 2 ** f.depth + leaf]!;
  }
  return z;
}

/** A deterministic pseudo-random forest of the given depth over `inputs` features. */
function forestOf(depth: number, trees: number, inputs: number, seed: number): Forest {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return {
    depth,
    base: next() - 0.5,
    feature: Int32Array.from({ length: trees * depth }, () => Math.floor(next() * inputs)),
    threshold: Float64Array.from({ length: trees * depth }, () => next() * 2 - 1),
    leaf: Float64Array.from({ length: trees * 2 ** depth }, () => next() - 0.5),
  };
}

describe('forestLogit', () => {
  test.each([3, 4, 5, 6])('depth %i: every tree adds the leaf its comparisons pick', (depth) => {
    const forest = forestOf(depth, 40, 12, depth);
    for (let v = 0; v < 200; v++) {
      const x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(v * 7.3 + i * 1.9));
      expect(forestLogit(forest, x)).toBeCloseTo(referenceLogit(forest, x), 12);
    }
  });

  test('the trained forest is read as its trees say', () => {
    const inputs = Math.max(...CONFIDENCE_FOREST.feature) + 1;
    const forest: Forest = {
      depth: CONFIDENCE_FOREST.depth,
      base: CONFIDENCE_FOREST.base,
      feature: Int32Array.from(CONFIDENCE_FOREST.feature),
      threshold: Float64Array.from(CONFIDENCE_FOREST.threshold),
      leaf: Float64Array.from(CONFIDENCE_FOREST.leaf),
    };
    for (let v = 0; v < 200; v++) {
      const x = Float64Array.from({ length: inputs }, (_, i) => Math.cos(v * 3.1 + i * 0.7) * 4);
      expect(forestLogit(forest, x)).toBeCloseTo(referenceLogit(forest, x), 12);
    }
  });
});
