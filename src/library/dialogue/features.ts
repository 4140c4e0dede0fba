/**
 * Features of a candidate speaker for one utterance, read after all sieves have run: whether the
 * sieves chose this candidate (and which sieve, on what kind of mention), and whether independent
 * evidence around the utterance (the turns one and two back and ahead, vocatives in the
 * neighbouring turns, the beat before it, the narration of its paragraph, the pronoun's gender)
 * agrees or disagrees with it. The model (model.ts) scores every candidate; the best one speaks,
 * and its score is the decision's confidence. Candidates are a bounded set per utterance
 * (neighbouring speakers and addressees, the beat's subject, names in the nearby narration,
 * recent speakers), so the whole pass is linear in the text.
 */
import type { AttributionContext, Utterance } from './attribute.ts';
import type { Sieve } from './confidence.ts';
import { isTitleEpithet } from './tags.ts';

/** Speaker id of the first-person narrator (kept equal to attribute.ts's NARRATOR_ID). */
const NARRATOR = -1;

/** Sieves whose speaker is read off the page (a named tag or "I said"): neighbours trust them. */
const STRONG: ReadonlySet<Sieve> = new Set<Sieve>(['tag-name', 'tag-narrator']);

const SIEVES: readonly Sieve[] = [
  'tag-name',
  'tag-name-before',
  'tag-narrator',
  'tag-pronoun-confirmed',
  'tag-pronoun-single',
  'tag-pronoun-recency',
  'tag-epithet',
  'beat-before-name',
  'beat-before-pronoun',
  'beat-after',
  'vocative',
  'alternation',
  'dyad',
  'narration-name',
  'narration-beat',
  'continuation',
  'fallback',
];

/** Features of a candidate, whatever the utterance's evidence. */
const BASE_NAMES: readonly string[] = [
  'bias',
  'chosen',
  ...SIEVES.map((s) => `sieve=${s}`),
  'priorLogit',
  'tag=pronoun',
  'tag=epithet',
  'tag=name',
  'tag=none',
  'verbFirst',
  'multiForm',
  'namedInQuote',
  'addressedInQuote',
  'addressesSomeone',
  'parts>1',
  'logWords',
  'genderKnown',
  'narrator',
  'speakerShare',
  'recentRank',
  'prevSame',
  'prevStrongSame',
  'prevStrongOther',
  'nextSame',
  'nextStrongSame',
  'nextStrongOther',
  'back2Same',
  'back2StrongSame',
  'back2StrongOther',
  'fwd2Same',
  'fwd2StrongSame',
  'fwd2StrongOther',
  'prevAddressesSpeaker',
  'nextAddressesSpeaker',
  'prevAddressesOther',
  'strongSpeakersNear=1',
  'strongSpeakersNear=2',
  'strongSpeakersNear>2',
  'strongNearSame',
  'gapBefore',
  'gapAfter',
  'anchorDistance',
  'sharedParagraph',
  'beatSame',
  'beatOther',
  'narrationNamesSpeaker',
  'narrationLastSpeaker',
  'narrationNamesOthers',
  'prevNarrationNamesSpeaker',
  'pronounGenderMatch',
  'pronounGenderClash',
  'candidates',
  'parityBackSame',
  'parityBackOther',
  'parityBackClash',
  'parityFwdSame',
  'parityFwdOther',
  'parityFwdClash',
  'mentionRank',
  'mentionRankGender',
  'recentRankGender',
  'detail=bracketed',
  'detail=inferred',
  'detail=agree',
  'detail=voc',
  'detail=weak',
  'detail=dyadAgrees',
  'detail=back',
  'genderRivals=0',
  'genderRivals=1',
  'genderRivals>1',
  'unknownGenderRivals',
  'twoSpeakers*parityBackSame',
  'twoSpeakers*parityFwdSame',
  'twoSpeakers*parityBoth',
  'parityBoth',
  'poolSingleGender',
  'poolRivalsGender',
  'distantTag',
  'titleEpithet',
  'chainSpeakers=2',
  'chainSpeakers>2',
  'chainSpeakerSame',
  'neverTagged',
  'epithetSpeaker',
  'parityAgree',
  'parityDisagree',
  'parityUnanimous',
];

const BASE_COUNT = BASE_NAMES.length;
/**
 * Feature names, in vector order (the model's weight table follows this order): the base
 * features, then a copy for pronoun and epithet tags and one for untagged speech, so that each
 * kind of evidence can weigh gender, parity and recency its own way.
 */
export const FEATURE_NAMES: readonly string[] = [
  ...BASE_NAMES,
  ...BASE_NAMES.map((n) => `pronoun:${n}`),
  ...BASE_NAMES.map((n) => `untagged:${n}`),
];
export const FEATURE_COUNT = FEATURE_NAMES.length;
const INDEX = new Map(BASE_NAMES.map((n, i) => [n, i]));
const at = (name: string): number => INDEX.get(name)!;

interface TurnInfo {
  readonly para: number;
  readonly scene: number;
  readonly utts: Utterance[];
  /** Narration-only paragraphs between the previous turn and this one (Infinity across scenes). */
  readonly gap: number;
}

const exitStrong = (t: TurnInfo | undefined): number | null => {
  if (!t) return null;
  for (let k = t.utts.length - 1; k >= 0; k--) {
    const u = t.utts[k]!;
    if (STRONG.has(u.sieve) && u.speaker !== null) return u.speaker;
  }
  return null;
};
const entryStrong = (t: TurnInfo | undefined): number | null => {
  if (!t) return null;
  for (const u of t.utts) if (STRONG.has(u.sieve) && u.speaker !== null) return u.speaker;
  return null;
};
const anySpeaker = (t: TurnInfo | undefined): number | null => {
  if (!t) return null;
  for (const u of t.utts) if (u.speaker !== null) return u.speaker;
  return null;
};

/**
 * A candidate's features: the base vector, and which evidence block (0 named or none, 1 pronoun
 * or epithet tag, 2 untagged) repeats it in the full vector (expandFeatures).
 */
export interface CandidateFeatures {
  readonly base: Float64Array;
  readonly block: number;
}

/** The full feature vector (FEATURE_NAMES order) of a candidate. */
export function expandFeatures(c: CandidateFeatures): Float64Array {
  const f = new Float64Array(FEATURE_COUNT);
  f.set(c.base);
  if (c.block > 0) f.set(c.base, c.block * BASE_COUNT);
  return f;
}

/** w · x for a candidate, without building the full vector. */
export function dotFeatures(w: Float64Array, c: CandidateFeatures): number {
  let z = 0;
  const b = c.base;
  const off = c.block * BASE_COUNT;
  for (let j = 0; j < b.length; j++) {
    const x = b[j]!;
    if (x === 0) continue;
    z += w[j]! * x;
    if (off > 0) z += w[off + j]! * x;
  }
  return z;
}

/** Reads candidates and their features for each utterance of one story. */
export interface FeatureReader {
  /** Candidate speakers of utterance i (empty for nested quotes): the sieves' choice first. */
  candidates(i: number): number[];
  /** The features of candidate `s` for utterance i. */
  features(i: number, s: number, candidateCount: number): CandidateFeatures;
}

/** Prepares the turn structure once (linear), then answers per-utterance questions. */
export function featureReader(
  utts: readonly Utterance[],
  ctx: AttributionContext,
  prior: readonly number[],
): FeatureReader {
  const turns: TurnInfo[] = [];
  const turnOf = new Int32Array(utts.length).fill(-1);
  for (let i = 0; i < utts.length; i++) {
    const u = utts[i]!;
    if (u.nested) continue;
    const last = turns[turns.length - 1];
    if (last && last.para === u.para) {
      last.utts.push(u);
      turnOf[i] = turns.length - 1;
      continue;
    }
    let gap = Number.POSITIVE_INFINITY;
    if (last && last.scene === u.scene) {
      gap = 0;
      for (let p = last.para + 1; p < u.para; p++) if (ctx.mentions[p]?.narrationOnly) gap++;
    }
    turns.push({ para: u.para, scene: u.scene, utts: [u], gap });
    turnOf[i] = turns.length - 1;
  }
  // Linked: the turn follows the previous one directly (a narration paragraph breaks the chain).
  const linked = (k: number): boolean => k > 0 && k < turns.length && turns[k]!.gap === 0;
  const strongTurn = turns.map((t) => t.utts.some((u) => STRONG.has(u.sieve)));
  // Distance (in linked turns) to the nearest strong turn, both directions, in two linear sweeps.
  const distBack = new Int32Array(turns.length);
  const distFwd = new Int32Array(turns.length);
  for (let k = 0; k < turns.length; k++)
    distBack[k] = strongTurn[k] ? 0 : linked(k) && distBack[k - 1]! < 99 ? distBack[k - 1]! + 1 : 99;
  for (let k = turns.length - 1; k >= 0; k--)
    distFwd[k] = strongTurn[k] ? 0 : linked(k + 1) && distFwd[k + 1]! < 99 ? distFwd[k + 1]! + 1 : 99;

  // Named speakers of each conversation (a run of linked turns): two people talking make
  // turn-taking reliable, a crowd does not.
  const chainOf = new Int32Array(turns.length);
  const chainSpeakers: Set<number>[] = [];
  for (let k = 0; k < turns.length; k++) {
    if (k === 0 || !linked(k)) chainSpeakers.push(new Set());
    chainOf[k] = chainSpeakers.length - 1;
    for (const u of turns[k]!.utts)
      if (STRONG.has(u.sieve) && u.speaker !== null) chainSpeakers[chainOf[k]!]!.add(u.speaker);
  }

  const lines = new Map<number, number>();
  let total = 0;
  for (const u of utts) {
    if (u.nested || u.speaker === null) continue;
    lines.set(u.speaker, (lines.get(u.speaker) ?? 0) + 1);
    total++;
  }
  // Recent distinct speakers before each turn, in the same scene (most recent first, at most 5).
  const recentBefore: number[][] = [];
  {
    let recent: number[] = [];
    let scene = -1;
    for (let k = 0; k < turns.length; k++) {
      const t = turns[k]!;
      if (t.scene !== scene) {
        recent = [];
        scene = t.scene;
      }
      recentBefore.push(recent.slice());
      const sp = anySpeaker(t);
      if (sp !== null) recent = [sp, ...recent.filter((x) => x !== sp)].slice(0, 5);
    }
  }
  const near = (k: number): Set<number> => {
    const set = new Set<number>();
    for (let d = -3; d <= 3; d++) {
      const j = k + d;
      if (j < 0 || j >= turns.length) continue;
      let connected = true;
      for (let q = Math.min(j, k) + 1; q <= Math.max(j, k); q++) if (!linked(q)) connected = false;
      if (!connected) continue;
      for (const x of turns[j]!.utts) if (STRONG.has(x.sieve) && x.speaker !== null) set.add(x.speaker);
    }
    return set;
  };
  const addressedBy = (t: TurnInfo | undefined): readonly number[] =>
    t ? t.utts.flatMap((x) => [...x.vocatives]) : [];
  const hood = (k: number) => {
    const prev = linked(k) ? turns[k - 1] : undefined;
    const next = linked(k + 1) ? turns[k + 1] : undefined;
    return {
      prev,
      next,
      back2: prev && linked(k - 1) ? turns[k - 2] : undefined,
      fwd2: next && linked(k + 2) ? turns[k + 2] : undefined,
    };
  };

  // Entities named in the narration of this paragraph and the three before it (same scene), the
  // most recent first.
  const mentionedBefore = (u: Utterance): number[] => {
    const out: number[] = [];
    for (let p = u.para; p >= 0 && p > u.para - 4 && ctx.sceneOf(p) === u.scene; p--) {
      const m = ctx.mentions[p];
      if (!m) continue;
      for (let x = m.narration.length - 1; x >= 0; x--) {
        const id = m.narration[x]!;
        if (!out.includes(id) && !ctx.addressOnly.has(id)) out.push(id);
      }
      if (out.length >= 8) break;
    }
    return out;
  };
  // The nearest turn with a named tag within six linked turns in one direction: distance and speaker.
  const strongAt = (k: number, dir: -1 | 1): { d: number; id: number } | null => {
    let j = k;
    for (let d = 1; d <= 6; d++) {
      if (dir < 0 ? !linked(j) : !linked(j + 1)) return null;
      j += dir;
      const sp = dir < 0 ? exitStrong(turns[j]) : entryStrong(turns[j]);
      if (sp !== null) return { d, id: sp };
    }
    return null;
  };
  const genderOf = (id: number): string =>
    id === NARRATOR ? 'unknown' : (ctx.cast.entities[id]?.gender ?? 'unknown');

  // What every candidate of one utterance shares, computed once per utterance.
  let aroundOf = -1;
  let aroundCache: {
    h: ReturnType<typeof hood>;
    pa: readonly number[];
    na: readonly number[];
    strong: Set<number>;
    mentioned: number[];
    cands: number[];
  } | null = null;
  const around = (i: number) => {
    if (aroundOf !== i || !aroundCache) {
      const k = turnOf[i]!;
      const h = hood(k);
      aroundCache = {
        h,
        pa: addressedBy(h.prev),
        na: addressedBy(h.next),
        strong: near(k),
        mentioned: mentionedBefore(utts[i]!),
        cands: reader.candidates(i),
      };
      aroundOf = i;
    }
    return aroundCache;
  };

  const reader: FeatureReader = {
    candidates(i: number): number[] {
      const u = utts[i]!;
      const k = turnOf[i]!;
      if (u.nested || k < 0) return [];
      const out: number[] = [];
      const add = (id: number | null | undefined): void => {
        if (id === null || id === undefined || out.includes(id) || ctx.addressOnly.has(id)) return;
        if (id !== NARRATOR && !ctx.cast.entities[id]) return;
        out.push(id);
      };
      add(u.speaker);
      const h = hood(k);
      add(u.beatSubject);
      add(anySpeaker(h.back2));
      add(anySpeaker(h.fwd2));
      for (const v of addressedBy(h.prev)) add(v);
      for (const v of addressedBy(h.next)) add(v);
      add(anySpeaker(h.prev));
      add(anySpeaker(h.next));
      const here = ctx.mentions[u.para];
      if (here) for (let m = here.narration.length - 1; m >= 0; m--) add(here.narration[m]);
      const before = ctx.mentions[u.para - 1];
      if (before?.narrationOnly)
        for (let m = before.narration.length - 1; m >= 0; m--) add(before.narration[m]);
      for (const r of recentBefore[k]!) add(r);
      for (const m of mentionedBefore(u).slice(0, 4)) add(m);
      return out.slice(0, 12);
    },

    features(i: number, s: number, candidateCount: number): CandidateFeatures {
      const u = utts[i]!;
      const k = turnOf[i]!;
      const base = new Float64Array(BASE_COUNT);
      const on = (name: string, v = 1): void => {
        base[at(name)] = v;
      };
      on('bias');
      const chosen = u.speaker === s;
      if (chosen) {
        on('chosen');
        if (INDEX.has(`sieve=${u.sieve}`)) on(`sieve=${u.sieve}`);
        const p = Math.min(0.995, Math.max(0.005, prior[i] ?? 0));
        on('priorLogit', Math.log(p / (1 - p)));
        // How the sieve reached it: a dyad bracketed by named turns, back and forward estimates
        // agreeing, a confirming vocative, a weak anchor.
        const detail = u.detail ?? '';
        if (detail.startsWith('bracketed')) on('detail=bracketed');
        if (detail.includes('inferred')) on('detail=inferred');
        if (detail.includes('+agree')) on('detail=agree');
        if (detail.includes('+voc')) on('detail=voc');
        if (detail.includes('+weak')) on('detail=weak');
        if (detail === 'dyad-agrees') on('detail=dyadAgrees');
        if (detail.includes('+back')) on('detail=back');
      }
      const tag = u.tag;
      if (!tag) on('tag=none');
      else if (tag.kind === 'pronoun') on('tag=pronoun');
      else if (tag.kind === 'epithet' || tag.kind === 'other') on('tag=epithet');
      else if (tag.kind === 'name') on('tag=name');
      if (tag?.verbFirst) on('verbFirst');
      if (tag?.distant) on('distantTag');
      if (tag?.kind === 'epithet' && isTitleEpithet(tag.form)) on('titleEpithet');
      const talkers = chainSpeakers[chainOf[k]!]!;
      if (talkers.size === 2) on('chainSpeakers=2');
      else if (talkers.size > 2) on('chainSpeakers>2');
      if (talkers.has(s)) on('chainSpeakerSame');
      // Every named turn of the conversation within eight turns votes on this candidate by
      // turn-taking parity: the same speaker an even number of turns away, or (between two
      // people) the other speaker an odd number away.
      let agree = 0;
      let disagree = 0;
      for (let j = Math.max(0, k - 8); j <= Math.min(turns.length - 1, k + 8); j++) {
        if (j === k || chainOf[j] !== chainOf[k]) continue;
        const sp = entryStrong(turns[j]);
        if (sp === null) continue;
        const even = (k - j) % 2 === 0;
        if (even) {
          if (sp === s) agree++;
          else disagree++;
        } else if (sp === s) disagree++;
        else if (talkers.size === 2) agree++;
      }
      if (agree > 0) on('parityAgree', Math.min(4, agree) / 4);
      if (disagree > 0) on('parityDisagree', Math.min(3, disagree) / 3);
      if (agree >= 2 && disagree === 0) on('parityUnanimous');
      const e = s === NARRATOR ? undefined : ctx.cast.entities[s];
      if (e && e.forms.size > 1) on('multiForm');
      // Never the subject of a speech tag: often a place or a name only talked about ("India").
      if (e && e.tagSubject === 0) on('neverTagged');
      if (e?.epithet) on('epithetSpeaker');
      if (u.named.includes(s)) on('namedInQuote');
      if (u.vocatives.includes(s)) on('addressedInQuote');
      if (u.vocatives.length > 0) on('addressesSomeone');
      if (u.parts.length > 1) on('parts>1');
      let chars = 0;
      for (const part of u.parts) chars += part.end - part.start;
      on('logWords', Math.log(1 + chars / 6));
      if (s === NARRATOR) on('narrator');
      else if (e && e.gender !== 'unknown') on('genderKnown');
      // Smoothed: in a short text every speaker's share is large and proves nothing.
      on('speakerShare', Math.sqrt((lines.get(s) ?? 0) / (total + 100)));
      const rank = k >= 0 ? recentBefore[k]!.indexOf(s) : -1;
      on('recentRank', rank >= 0 ? 1 / (1 + rank) : 0);

      const turn = turns[k]!;
      const { h, pa, na, strong, mentioned, cands } = around(i);
      if (anySpeaker(h.prev) === s) on('prevSame');
      const ps = exitStrong(h.prev);
      if (ps !== null) on(ps === s ? 'prevStrongSame' : 'prevStrongOther');
      if (anySpeaker(h.next) === s) on('nextSame');
      const ns = entryStrong(h.next);
      if (ns !== null) on(ns === s ? 'nextStrongSame' : 'nextStrongOther');
      if (anySpeaker(h.back2) === s) on('back2Same');
      const b2 = exitStrong(h.back2);
      if (b2 !== null) on(b2 === s ? 'back2StrongSame' : 'back2StrongOther');
      if (anySpeaker(h.fwd2) === s) on('fwd2Same');
      const f2 = entryStrong(h.fwd2);
      if (f2 !== null) on(f2 === s ? 'fwd2StrongSame' : 'fwd2StrongOther');
      if (pa.includes(s)) on('prevAddressesSpeaker');
      else if (pa.length > 0) on('prevAddressesOther');
      if (na.includes(s)) on('nextAddressesSpeaker');
      if (strong.size === 1) on('strongSpeakersNear=1');
      else if (strong.size === 2) on('strongSpeakersNear=2');
      else if (strong.size > 2) on('strongSpeakersNear>2');
      if (strong.has(s)) on('strongNearSame');
      on('gapBefore', Math.min(3, turn.gap));
      on('gapAfter', Math.min(3, k + 1 < turns.length ? turns[k + 1]!.gap : 3));
      on('anchorDistance', Math.min(6, distBack[k]!, distFwd[k]!) / 6);
      if (turn.utts.length > 1) on('sharedParagraph');
      if (u.beatSubject !== undefined && u.beatSubject !== null)
        on(u.beatSubject === s ? 'beatSame' : 'beatOther');
      const here = ctx.mentions[u.para];
      if (here) {
        if (here.narration.includes(s)) on('narrationNamesSpeaker');
        if (here.narration[here.narration.length - 1] === s) on('narrationLastSpeaker');
        if (here.narration.some((x) => x !== s)) on('narrationNamesOthers');
      }
      const before = ctx.mentions[u.para - 1];
      if (before?.narrationOnly && before.narration.includes(s)) on('prevNarrationNamesSpeaker');
      if (tag && (tag.kind === 'pronoun' || tag.kind === 'epithet') && tag.gender !== 'unknown') {
        if (e && e.gender === tag.gender) on('pronounGenderMatch');
        else if ((e && e.gender !== 'unknown') || s === NARRATOR) on('pronounGenderClash');
      }
      on('candidates', Math.min(10, candidateCount) / 10);
      for (const [dir, name] of [
        [-1, 'Back'],
        [1, 'Fwd'],
      ] as const) {
        const a = strongAt(k, dir);
        if (!a) continue;
        const weight = 1 - a.d / 8;
        if (a.d % 2 === 0) on(a.id === s ? `parity${name}Same` : `parity${name}Other`, weight);
        else if (a.id === s) on(`parity${name}Clash`, weight);
      }
      // A two-person exchange whose named turns on both sides put this candidate on this turn.
      const pb = base[at('parityBackSame')]!;
      const pf = base[at('parityFwdSame')]!;
      if (pb > 0 && pf > 0) on('parityBoth');
      if (strong.size === 2) {
        if (pb > 0) on('twoSpeakers*parityBackSame', pb);
        if (pf > 0) on('twoSpeakers*parityFwdSame', pf);
        if (pb > 0 && pf > 0) on('twoSpeakers*parityBoth');
      }
      const mr = mentioned.indexOf(s);
      if (mr >= 0) on('mentionRank', 1 / (1 + mr));
      const g = tag && (tag.kind === 'pronoun' || tag.kind === 'epithet') ? tag.gender : 'unknown';
      if (g !== 'unknown' && genderOf(s) === g) {
        // Other candidates the pronoun could also mean: of its gender, or of unknown gender.
        let rivals = 0;
        let unknownRivals = 0;
        for (const c of cands) {
          if (c === s) continue;
          const cg = genderOf(c);
          if (cg === g) rivals++;
          else if (cg === 'unknown' && c !== NARRATOR) unknownRivals++;
        }
        on(rivals === 0 ? 'genderRivals=0' : rivals === 1 ? 'genderRivals=1' : 'genderRivals>1');
        // The notes' pool (recent speakers, names in this and the previous paragraph): is this
        // the only one of the pronoun's gender in it?
        const pool = new Set<number>(recentBefore[k] ?? []);
        for (const m of [ctx.mentions[u.para], ctx.mentions[u.para - 1]])
          if (m) for (const id of m.narration) pool.add(id);
        if (pool.has(s)) {
          let same = 0;
          for (const id of pool) if (id !== s && genderOf(id) === g && !u.vocatives.includes(id)) same++;
          on(same === 0 ? 'poolSingleGender' : 'poolRivalsGender');
        }
        if (unknownRivals > 0) on('unknownGenderRivals', Math.min(3, unknownRivals) / 3);
      }
      if (g !== 'unknown' && genderOf(s) === g) {
        const same = mentioned.filter((id) => genderOf(id) === g);
        const r = same.indexOf(s);
        if (r >= 0) on('mentionRankGender', 1 / (1 + r));
        const recentSame = (recentBefore[k] ?? []).filter((id) => genderOf(id) === g);
        const rr = recentSame.indexOf(s);
        if (rr >= 0) on('recentRankGender', 1 / (1 + rr));
      }
      const block =
        !tag || tag.kind === 'other'
          ? tag
            ? 0
            : 2
          : tag.kind === 'pronoun' || tag.kind === 'epithet'
            ? 1
            : 0;
      return { base, block };
    },
  };
  return reader;
}
