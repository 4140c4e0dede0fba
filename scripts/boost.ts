/**
 * Gradient boosting of the confidence stage's trees (src/library/dialogue/trees.ts) on the
 * logistic loss, for scripts/train-confidence.ts: features binned once (distinct values, or
 * quantiles), trees grown level by level from histograms of gradients over the sparse bins.
 */
import type { Forest } from '../src/library/dialogue/trees.ts';

/** Training settings: trees, depth, shrinkage, L2 on leaf values, least rows per leaf. */
export interface BoostSettings {
  readonly trees: number;
  readonly depth: number;
  readonly shrinkage: number;
  readonly lambda: number;
  readonly minLeaf: number;
}

/**
 * Training data binned once: per feature the sorted bin edges (a value falls in the first bin
 * whose edge it does not exceed), per row the dense bin of every feature, and a sparse list of
 * the (feature, bin) pairs that differ from the feature's most common bin, which is what the
 * histograms walk.
 */
export interface BinnedRows {
  readonly features: number;
  readonly rows: number;
  readonly edges: readonly Float64Array[];
  readonly commonBin: Int32Array;
  readonly bins: Uint8Array;
  readonly sparseStart: Int32Array;
  readonly sparseFeature: Int32Array;
  readonly sparseBin: Uint8Array;
}

/** Bin edges for every feature: its distinct values when few, else up to `maxBins` quantiles. */
export function binEdges(xs: readonly ArrayLike<number>[], features: number, maxBins = 64): Float64Array[] {
  const edges: Float64Array[] = [];
  const column = new Float64Array(xs.length);
  for (let f = 0; f < features; f++) {
    for (let r = 0; r < xs.length; r++) column[r] = xs[r]![f]!;
    const sorted = Float64Array.from(column).sort();
    const distinct: number[] = [];
    for (let r = 0; r < sorted.length; r++)
      if (r === 0 || sorted[r] !== sorted[r - 1]) distinct.push(sorted[r]!);
    if (distinct.length <= maxBins) {
      distinct[distinct.length - 1] = Number.POSITIVE_INFINITY;
      edges.push(Float64Array.from(distinct));
      continue;
    }
    const cuts: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const v = sorted[Math.floor((b * sorted.length) / maxBins)]!;
      if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
    }
    cuts.push(Number.POSITIVE_INFINITY);
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

const binOf = (edges: Float64Array, v: number): number => {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** Bins rows under given edges (see BinnedRows). */
export function binRows(xs: readonly ArrayLike<number>[], edges: readonly Float64Array[]): BinnedRows {
  const features = edges.length;
  const rows = xs.length;
  const bins = new Uint8Array(rows * features);
  const counts = edges.map((e) => new Int32Array(e.length));
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < features; f++) {
      const b = binOf(edges[f]!, xs[r]![f]!);
      bins[r * features + f] = b;
      {
        const c = counts[f]!;
        c[b] = c[b]! + 1;
      }
    }
  const commonBin = Int32Array.from(counts, (c) => c.indexOf(Math.max(...c)));
  const sf: number[] = [];
  const sb: number[] = [];
  const sparseStart = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const b = bins[r * features + f]!;
      if (b !== commonBin[f]) {
        sf.push(f);
        sb.push(b);
      }
    }
    sparseStart[r + 1] = sf.length;
  }
  return {
    features,
    rows,
    edges,
    commonBin,
    bins,
    sparseStart,
    sparseFeature: Int32Array.from(sf),
    sparseBin: Uint8Array.from(sb),
  };
}

/**
 * Fits a forest of oblivious trees (one split per level, shared by all its nodes) by gradient
 * boosting on the logistic loss: Newton leaf values, each level's split the one whose summed
 * gain over the level's nodes is largest (nodes whose children would hold fewer than minLeaf
 * rows add no gain), from histograms of gradients over the sparse bins. Rows are those `use`
 * selects; `init` gives each row a starting log-odds (another model's), else the base rate.
 */
export function boost(
  data: BinnedRows,
  labels: ArrayLike<number>,
  use: ArrayLike<number>,
  s: BoostSettings,
  init?: ArrayLike<number>,
): Forest {
  const F = data.features;
  const n = use.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[use[i]!]!;
  const mean = Math.min(1 - 1e-6, Math.max(1e-6, pos / n));
  const base = init ? 0 : Math.log(mean / (1 - mean));
  const leaves = 1 << s.depth;
  const feature = new Int32Array(s.trees * s.depth);
  const threshold = new Float64Array(s.trees * s.depth);
  const leaf = new Float64Array(s.trees * leaves);
  const score = Float64Array.from({ length: n }, (_, i) => (init ? init[use[i]!]! : base));
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const node = new Int32Array(n);
  const maxBins = Math.max(...data.edges.map((e) => e.length));
  if (maxBins > 256) throw new Error('too many bins');
  const stride = F * maxBins;
  const hg = new Float64Array(leaves * stride);
  const hh = new Float64Array(leaves * stride);
  const hc = new Float64Array(leaves * stride);
  const gain = new Float64Array(stride);
  for (let t = 0; t < s.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-score[i]!));
      g[i] = p - labels[use[i]!]!;
      h[i] = Math.max(1e-6, p * (1 - p));
      node[i] = 0;
    }
    for (let d = 0; d < s.depth; d++) {
      const width = 1 << d;
      hg.fill(0, 0, width * stride);
      hh.fill(0, 0, width * stride);
      hc.fill(0, 0, width * stride);
      gain.fill(0);
      const tg = new Float64Array(width);
      const th = new Float64Array(width);
      const tc = new Float64Array(width);
      for (let i = 0; i < n; i++) {
        const k = node[i]!;
        tg[k] = tg[k]! + g[i]!;
        th[k] = th[k]! + h[i]!;
        tc[k] = tc[k]! + 1;
        const r = use[i]!;
        const off = k * stride;
        for (let e = data.sparseStart[r]!; e < data.sparseStart[r + 1]!; e++) {
          const at = off + data.sparseFeature[e]! * maxBins + data.sparseBin[e]!;
          hg[at] = hg[at]! + g[i]!;
          hh[at] = hh[at]! + h[i]!;
          hc[at] = hc[at]! + 1;
        }
      }
      for (let k = 0; k < width; k++) {
        const G = tg[k]!;
        const H = th[k]!;
        const C = tc[k]!;
        const parent = (G * G) / (H + s.lambda);
        for (let f = 0; f < F; f++) {
          const nb = data.edges[f]!.length;
          if (nb < 2) continue;
          const off = k * stride + f * maxBins;
          // The common bin holds what the sparse entries did not add.
          let sg = 0;
          let sh = 0;
          let sc = 0;
          for (let b = 0; b < nb; b++) {
            sg += hg[off + b]!;
            sh += hh[off + b]!;
            sc += hc[off + b]!;
          }
          const cb = off + data.commonBin[f]!;
          hg[cb] = G - sg;
          hh[cb] = H - sh;
          hc[cb] = C - sc;
          let lg = 0;
          let lh = 0;
          let lc = 0;
          for (let b = 0; b < nb - 1; b++) {
            lg += hg[off + b]!;
            lh += hh[off + b]!;
            lc += hc[off + b]!;
            if (lc < s.minLeaf || C - lc < s.minLeaf) continue;
            const rg = G - lg;
            const rh = H - lh;
            const at = f * maxBins + b;
            gain[at] = gain[at]! + (lg * lg) / (lh + s.lambda) + (rg * rg) / (rh + s.lambda) - parent;
          }
        }
      }
      let best = -1;
      for (let at = 0; at < stride; at++)
        if (gain[at]! > 1e-9 && (best < 0 || gain[at]! > gain[best]!)) best = at;
      const at = t * s.depth + d;
      if (best < 0) {
        // Nothing worth splitting: every row goes to the left (x > +Infinity never holds).
        feature[at] = 0;
        threshold[at] = Number.POSITIVE_INFINITY;
        continue;
      }
      const f = Math.floor(best / maxBins);
      const b = best % maxBins;
      feature[at] = f;
      threshold[at] = data.edges[f]![b]!;
      for (let i = 0; i < n; i++) if (data.bins[use[i]! * F + f]! > b) node[i] = node[i]! | (1 << d);
    }
    const lg = new Float64Array(leaves);
    const lh = new Float64Array(leaves);
    for (let i = 0; i < n; i++) {
      const k = node[i]!;
      lg[k] = lg[k]! + g[i]!;
      lh[k] = lh[k]! + h[i]!;
    }
    for (let k = 0; k < leaves; k++) leaf[t * leaves + k] = (-lg[k]! / (lh[k]! + s.lambda)) * s.shrinkage;
    for (let i = 0; i < n; i++) score[i] = score[i]! + leaf[t * leaves + node[i]!]!;
  }
  return { depth: s.depth, base, feature, threshold, leaf };
}
