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
import type { AttributionContext, ParagraphMentions, Utterance } from './attribute.ts';
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
  'tag-relative',
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
  'turnStrongSame',
  'turnStrongOther',
  'turnSame',
  'prevPrior',
  'nextPrior',
  'back2Prior',
  'fwd2Prior',
  'softParityAgree',
  'softParityDisagree',
  'sceneParityAgree',
  'sceneParityDisagree',
  'taggedBack',
  'taggedFwd',
  'taggedBackEven',
  'taggedFwdEven',
  'sceneMentions',
  'mentionAgo',
  'mentionAhead',
  'absentFromScene',
  'mentionRankOther',
  'mentionCount',
  'farCandidate',
  'nextNarrationNamesSpeaker',
  'nextNarrationFirst',
  'prevTurnNarrationNames',
  'nextTurnNarrationNames',
  'centreOfTagGender',
  'centreOfOwnGender',
  'secondOfTagGender',
  'secondOfOwnGender',
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
/** Each base feature's position, resolved once: the per-candidate pass writes by position. */
const F = {
  bias: at('bias'),
  chosen: at('chosen'),
  priorLogit: at('priorLogit'),
  tagPronoun: at('tag=pronoun'),
  tagEpithet: at('tag=epithet'),
  tagName: at('tag=name'),
  tagNone: at('tag=none'),
  verbFirst: at('verbFirst'),
  multiForm: at('multiForm'),
  namedInQuote: at('namedInQuote'),
  addressedInQuote: at('addressedInQuote'),
  addressesSomeone: at('addressesSomeone'),
  manyParts: at('parts>1'),
  logWords: at('logWords'),
  genderKnown: at('genderKnown'),
  narrator: at('narrator'),
  speakerShare: at('speakerShare'),
  recentRank: at('recentRank'),
  prevSame: at('prevSame'),
  prevStrongSame: at('prevStrongSame'),
  prevStrongOther: at('prevStrongOther'),
  nextSame: at('nextSame'),
  nextStrongSame: at('nextStrongSame'),
  nextStrongOther: at('nextStrongOther'),
  back2Same: at('back2Same'),
  back2StrongSame: at('back2StrongSame'),
  back2StrongOther: at('back2StrongOther'),
  fwd2Same: at('fwd2Same'),
  fwd2StrongSame: at('fwd2StrongSame'),
  fwd2StrongOther: at('fwd2StrongOther'),
  prevAddressesSpeaker: at('prevAddressesSpeaker'),
  nextAddressesSpeaker: at('nextAddressesSpeaker'),
  prevAddressesOther: at('prevAddressesOther'),
  strongNear1: at('strongSpeakersNear=1'),
  strongNear2: at('strongSpeakersNear=2'),
  strongNearMore: at('strongSpeakersNear>2'),
  strongNearSame: at('strongNearSame'),
  gapBefore: at('gapBefore'),
  gapAfter: at('gapAfter'),
  anchorDistance: at('anchorDistance'),
  sharedParagraph: at('sharedParagraph'),
  beatSame: at('beatSame'),
  beatOther: at('beatOther'),
  narrationNamesSpeaker: at('narrationNamesSpeaker'),
  narrationLastSpeaker: at('narrationLastSpeaker'),
  narrationNamesOthers: at('narrationNamesOthers'),
  prevNarrationNamesSpeaker: at('prevNarrationNamesSpeaker'),
  pronounGenderMatch: at('pronounGenderMatch'),
  pronounGenderClash: at('pronounGenderClash'),
  candidates: at('candidates'),
  parityBackSame: at('parityBackSame'),
  parityBackOther: at('parityBackOther'),
  parityBackClash: at('parityBackClash'),
  parityFwdSame: at('parityFwdSame'),
  parityFwdOther: at('parityFwdOther'),
  parityFwdClash: at('parityFwdClash'),
  mentionRank: at('mentionRank'),
  mentionRankGender: at('mentionRankGender'),
  recentRankGender: at('recentRankGender'),
  detailBracketed: at('detail=bracketed'),
  detailInferred: at('detail=inferred'),
  detailAgree: at('detail=agree'),
  detailVoc: at('detail=voc'),
  detailWeak: at('detail=weak'),
  detailDyadAgrees: at('detail=dyadAgrees'),
  detailBack: at('detail=back'),
  genderRivals0: at('genderRivals=0'),
  genderRivals1: at('genderRivals=1'),
  genderRivalsMore: at('genderRivals>1'),
  unknownGenderRivals: at('unknownGenderRivals'),
  twoSpeakersParityBackSame: at('twoSpeakers*parityBackSame'),
  twoSpeakersParityFwdSame: at('twoSpeakers*parityFwdSame'),
  twoSpeakersParityBoth: at('twoSpeakers*parityBoth'),
  parityBoth: at('parityBoth'),
  poolSingleGender: at('poolSingleGender'),
  poolRivalsGender: at('poolRivalsGender'),
  distantTag: at('distantTag'),
  titleEpithet: at('titleEpithet'),
  chainSpeakers2: at('chainSpeakers=2'),
  chainSpeakersMore: at('chainSpeakers>2'),
  chainSpeakerSame: at('chainSpeakerSame'),
  neverTagged: at('neverTagged'),
  epithetSpeaker: at('epithetSpeaker'),
  parityAgree: at('parityAgree'),
  parityDisagree: at('parityDisagree'),
  parityUnanimous: at('parityUnanimous'),
  turnStrongSame: at('turnStrongSame'),
  turnStrongOther: at('turnStrongOther'),
  turnSame: at('turnSame'),
  prevPrior: at('prevPrior'),
  nextPrior: at('nextPrior'),
  back2Prior: at('back2Prior'),
  fwd2Prior: at('fwd2Prior'),
  softParityAgree: at('softParityAgree'),
  softParityDisagree: at('softParityDisagree'),
  sceneParityAgree: at('sceneParityAgree'),
  sceneParityDisagree: at('sceneParityDisagree'),
  taggedBack: at('taggedBack'),
  taggedFwd: at('taggedFwd'),
  taggedBackEven: at('taggedBackEven'),
  taggedFwdEven: at('taggedFwdEven'),
  sceneMentions: at('sceneMentions'),
  mentionAgo: at('mentionAgo'),
  mentionAhead: at('mentionAhead'),
  absentFromScene: at('absentFromScene'),
  mentionRankOther: at('mentionRankOther'),
  mentionCount: at('mentionCount'),
  farCandidate: at('farCandidate'),
  nextNarrationNamesSpeaker: at('nextNarrationNamesSpeaker'),
  nextNarrationFirst: at('nextNarrationFirst'),
  prevTurnNarrationNames: at('prevTurnNarrationNames'),
  nextTurnNarrationNames: at('nextTurnNarrationNames'),
  centreOfTagGender: at('centreOfTagGender'),
  centreOfOwnGender: at('centreOfOwnGender'),
  secondOfTagGender: at('secondOfTagGender'),
  secondOfOwnGender: at('secondOfOwnGender'),
} as const;
const SIEVE_AT = new Map<Sieve, number>(SIEVES.map((s) => [s, at(`sieve=${s}`)]));

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
 * "No speaker" in the per-turn speaker tables (speaker ids are -1, the narrator, and up). The
 * tables are typed arrays: plain arrays of ids and nulls changed their element kind from story to
 * story (all ids in one, some nulls in the next), and every change threw away the optimised code
 * of the readers, which took long to optimise again.
 */
const NOBODY = -2;
const speakerOrNull = (id: number): number | null => (id === NOBODY ? null : id);
/** One speaker per turn (NOBODY for null). */
function speakersOf(turns: readonly TurnInfo[], speaker: (t: TurnInfo) => number | null): Int32Array {
  const out = new Int32Array(turns.length);
  for (let k = 0; k < turns.length; k++) out[k] = speaker(turns[k]!) ?? NOBODY;
  return out;
}

/**
 * Index of the last element of a sorted list that is at most x, or -1, walking from the answer
 * for the list's previous x (kept in cursors[slot], -1 at first). The utterances are read in
 * order, so x mostly grows a little from one call to the next: a step or two, where a binary
 * search over a main character's mentions took a dozen. (Any order gives the same answers.)
 */
function lastAtMost(list: readonly number[], x: number, cursors: Int32Array, slot: number): number {
  let c = cursors[slot]!;
  while (c + 1 < list.length && list[c + 1]! <= x) c++;
  while (c >= 0 && list[c]! > x) c--;
  cursors[slot] = c;
  return c;
}

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

/**
 * w · x for a candidate, without building the full vector. Zero features are added too (a finite
 * weight times zero leaves the sum as it is): no branch in the loop.
 */
export function dotFeatures(w: Float64Array, c: CandidateFeatures): number {
  let z = 0;
  const b = c.base;
  const off = c.block * BASE_COUNT;
  if (off === 0) {
    for (let j = 0; j < b.length; j++) z += w[j]! * b[j]!;
    return z;
  }
  for (let j = 0; j < b.length; j++) {
    const x = b[j]!;
    z += w[j]! * x;
    z += w[off + j]! * x;
  }
  return z;
}

/**
 * w · x for each of several candidates, into `out`: the same sums as dotFeatures, each added in
 * the same order to the same bits. Each addition waits for the one before it in its own sum, and
 * that chain of additions (not the multiplications) sets dotFeatures' pace; here four (or two)
 * candidates' chains run side by side, which the processor overlaps. The candidates of one
 * utterance share its evidence block; any other list (mixed blocks, vectors of another length) is
 * summed one by one.
 */
export function dotFeaturesEach(w: Float64Array, cs: readonly CandidateFeatures[], out: Float64Array): void {
  const block = cs.length > 0 ? cs[0]!.block : 0;
  for (let c = 0; c < cs.length; c++) {
    if (cs[c]!.block === block && cs[c]!.base.length === BASE_COUNT) continue;
    for (let d = 0; d < cs.length; d++) out[d] = dotFeatures(w, cs[d]!);
    return;
  }
  const off = block * BASE_COUNT;
  let c = 0;
  for (; c + 4 <= cs.length; c += 4) {
    const b0 = cs[c]!.base;
    const b1 = cs[c + 1]!.base;
    const b2 = cs[c + 2]!.base;
    const b3 = cs[c + 3]!.base;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    if (off === 0) {
      for (let j = 0; j < BASE_COUNT; j++) {
        const wj = w[j]!;
        z0 += wj * b0[j]!;
        z1 += wj * b1[j]!;
        z2 += wj * b2[j]!;
        z3 += wj * b3[j]!;
      }
    } else {
      for (let j = 0; j < BASE_COUNT; j++) {
        const wj = w[j]!;
        const wb = w[off + j]!;
        let x = b0[j]!;
        z0 += wj * x;
        z0 += wb * x;
        x = b1[j]!;
        z1 += wj * x;
        z1 += wb * x;
        x = b2[j]!;
        z2 += wj * x;
        z2 += wb * x;
        x = b3[j]!;
        z3 += wj * x;
        z3 += wb * x;
      }
    }
    out[c] = z0;
    out[c + 1] = z1;
    out[c + 2] = z2;
    out[c + 3] = z3;
  }
  for (; c + 2 <= cs.length; c += 2) {
    const b0 = cs[c]!.base;
    const b1 = cs[c + 1]!.base;
    let z0 = 0;
    let z1 = 0;
    if (off === 0) {
      for (let j = 0; j < BASE_COUNT; j++) {
        const wj = w[j]!;
        z0 += wj * b0[j]!;
        z1 += wj * b1[j]!;
      }
    } else {
      for (let j = 0; j < BASE_COUNT; j++) {
        const wj = w[j]!;
        const wb = w[off + j]!;
        let x = b0[j]!;
        z0 += wj * x;
        z0 += wb * x;
        x = b1[j]!;
        z1 += wj * x;
        z1 += wb * x;
      }
    }
    out[c] = z0;
    out[c + 1] = z1;
  }
  if (c < cs.length) out[c] = dotFeatures(w, cs[c]!);
}

/** Reads candidates and their features for each utterance of one story. */
export interface FeatureReader {
  /** Candidate speakers of utterance i (empty for nested quotes): the sieves' choice first. */
  candidates(i: number): number[];
  /**
   * The features of each of utterance i's candidates, in candidates(i) order. Without `keep`,
   * the list and its vectors are the reader's own, overwritten by the next call.
   */
  features(i: number): readonly CandidateFeatures[];
}

/** The nearest turn with a named tag within six linked turns in one direction: distance and speaker. */
interface StrongNeighbour {
  readonly d: number;
  readonly id: number;
}

/**
 * A list of ids that is emptied and refilled for every utterance. The per-utterance lists live
 * as long as the reader and keep their storage: a fresh array per list and utterance was a
 * large share of the dialogue pass's garbage. (Emptying a JS array with `length = 0` drops its
 * storage too, hence a typed array and a count.)
 */
class IdList {
  ids = new Int32Array(16);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  at(index: number): number {
    return this.ids[index]!;
  }

  indexOf(id: number): number {
    for (let x = 0; x < this.length; x++) if (this.ids[x] === id) return x;
    return -1;
  }

  includes(id: number): boolean {
    return this.indexOf(id) >= 0;
  }
}

/**
 * Turn-taking votes tallied per speaker, so that each candidate reads them in O(speakers).
 * Refilled per utterance like IdList.
 */
class ParityTally {
  readonly ids = new IdList();
  even = new Float64Array(16);
  odd = new Float64Array(16);
  evenTotal = 0;
  oddTotal = 0;

  clear(): void {
    this.ids.clear();
    this.evenTotal = 0;
    this.oddTotal = 0;
  }

  add(id: number, even: boolean, weight: number): void {
    let at = this.ids.indexOf(id);
    if (at < 0) {
      at = this.ids.length;
      this.ids.push(id);
      if (at === this.even.length) {
        const even = new Float64Array(at * 2);
        even.set(this.even);
        this.even = even;
        const odd = new Float64Array(at * 2);
        odd.set(this.odd);
        this.odd = odd;
      }
      this.even[at] = 0;
      this.odd[at] = 0;
    }
    if (even) {
      this.even[at] = this.even[at]! + weight;
      this.evenTotal += weight;
    } else {
      this.odd[at] = this.odd[at]! + weight;
      this.oddTotal += weight;
    }
  }

  /** The weight of the votes for `id` itself at an even distance. */
  evenFor(id: number): number {
    const at = this.ids.indexOf(id);
    return at >= 0 ? this.even[at]! : 0;
  }

  /**
   * The weight of the votes putting `id` on this turn: its own at an even distance and, between
   * two people (`twoTalkers`), everyone else's at an odd one.
   */
  agreeing(id: number, twoTalkers: boolean): number {
    const at = this.ids.indexOf(id);
    const even = at >= 0 ? this.even[at]! : 0;
    return twoTalkers ? even + (this.oddTotal - (at >= 0 ? this.odd[at]! : 0)) : even;
  }

  /** The weight of the votes against `id`: everyone else's at an even distance, its own at an odd one. */
  disagreeing(id: number): number {
    const at = this.ids.indexOf(id);
    return this.evenTotal - (at >= 0 ? this.even[at]! : 0) + (at >= 0 ? this.odd[at]! : 0);
  }
}

/**
 * What every candidate of one utterance shares, computed once per utterance. One instance per
 * reader, refilled for each utterance (its lists keep their storage); only `cands` is a fresh
 * array each time, because the caller keeps it.
 */
interface Around {
  cands: number[];
  /** Entities named in the narration of this paragraph and the three before it, most recent first. */
  readonly mentioned: IdList;
  /** Who the previous and next turns address by name. */
  readonly pa: IdList;
  readonly na: IdList;
  /** Speakers of named tags within three linked turns (distinct). */
  readonly strong: IdList;
  prevAny: number | null;
  prevStrong: number | null;
  nextAny: number | null;
  nextStrong: number | null;
  back2Any: number | null;
  back2Strong: number | null;
  fwd2Any: number | null;
  fwd2Strong: number | null;
  strongBack: StrongNeighbour | null;
  strongFwd: StrongNeighbour | null;
  /**
   * The named turns of the conversation within eight turns, which vote on every candidate by
   * turn-taking parity, tallied per speaker (each turn's first named speaker, one vote each) at
   * an even and at an odd distance: each candidate reads its own counts and the totals.
   */
  readonly voters: ParityTally;
  /**
   * Turns of the conversation within six turns decided by weaker sieves, tallied per speaker:
   * the summed priors of that speaker's turns at an even and at an odd distance, and the totals.
   */
  readonly soft: ParityTally;
  /** Named turns of the same scene within ten turns but across a narration break, tallied alike. */
  readonly scene: ParityTally;
  /** Speakers of the other utterances of this paragraph: named-tag ones, and any. */
  readonly mateStrong: IdList;
  readonly mateAny: IdList;
  prevPrior: number;
  nextPrior: number;
  back2Prior: number;
  fwd2Prior: number;
  /** How many of `cands` came from the nearest sources; the rest are further afield. */
  core: number;
  /** `mentioned` without the previous and next turns' speakers: who else is about. */
  readonly mentionedOthers: IdList;
  /**
   * Narration mentions per entity (by id + 1) in this paragraph and the three before it; the
   * entities counted are listed in `counted`, so that the next utterance clears only those.
   */
  readonly mentionCounts: Int32Array;
  readonly counted: IdList;
  /** The paragraph where this utterance's scene begins. */
  sceneStart: number;
  /**
   * For a gendered tag: the notes' pool and the same-gender mentions and recent speakers, filled
   * on the first candidate of the pronoun's gender (`gendered` says whether they are).
   */
  gendered: boolean;
  readonly pool: Set<number>;
  readonly mentionedOfGender: IdList;
  readonly recentOfGender: IdList;
  /**
   * The features that do not depend on the candidate (tag kind, quote length, the turn's
   * gaps and neighbours): every candidate's vector starts as a copy of these.
   */
  readonly shared: Float64Array;
  /** The evidence block of the utterance's tag (CandidateFeatures.block). */
  block: number;
  /** Whether the next paragraph is narration of this scene naming someone (read once). */
  nextNarrationInScene: boolean;
  // Looked up once per utterance rather than once per candidate:
  /** The conversation's named speakers (chainSpeakers). */
  talkers: ReadonlySet<number>;
  /** Recent distinct speakers before the turn (recentBefore). */
  recent: readonly number[];
  /** Names in this paragraph's narration (null without a mentions entry). */
  hereNarration: readonly number[] | null;
  /** Names in the previous paragraph's narration, when it is narration only (else null). */
  beforeNarration: readonly number[] | null;
  /** Names in the narration of the previous and next turns' paragraphs, when linked (else null). */
  prevTurnNarration: readonly number[] | null;
  nextTurnNarration: readonly number[] | null;
  /** Names in the next paragraph's narration, when nextNarrationInScene (else null). */
  afterNarration: readonly number[] | null;
  /** The gender of a pronoun or epithet tag ('unknown' for any other tag, or none). */
  tagGender: string;
}

/**
 * The sceneMentions feature, Math.log(1 + n) / Math.log(30), for the usual small counts n: the
 * same values read from a table (two logarithms per candidate were a visible share of its time).
 */
const SCENE_MENTION_STEPS = Float64Array.from({ length: 64 }, (_, n) => Math.log(1 + n) / Math.log(30));

/** Candidates per arena block: kept vectors are views into shared blocks, not one allocation each. */
const ARENA_CANDIDATES = 1024;
/** The most candidates an utterance has. */
const MAX_CANDIDATES = 12;

/**
 * Prepares the turn structure once (linear), then answers per-utterance questions. With `keep`,
 * every vector the reader returns stays valid; without it, the vectors of one utterance's
 * candidates are reused for the next utterance's (no allocation when only the decision is kept).
 */
export function featureReader(
  utts: readonly Utterance[],
  ctx: AttributionContext,
  prior: readonly number[],
  keep: boolean,
): FeatureReader {
  // The priors as doubles: the caller's array holds small integers in some stories and doubles
  // in others, and reading both kinds deoptimised the readers below.
  const priors = Float64Array.from(prior);
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
  /** A paragraph's mentions; none outside the story (read past either end, V8 gives up the optimised code). */
  const mentionsOf = (p: number): ParagraphMentions | undefined =>
    p >= 0 && p < ctx.mentions.length ? ctx.mentions[p] : undefined;
  // Linked: the turn follows the previous one directly (a narration paragraph breaks the chain).
  // Read once per turn: the per-utterance readers ask it of every turn around them.
  const linkedTurn = new Uint8Array(turns.length);
  for (let k = 1; k < turns.length; k++) if (turns[k]!.gap === 0) linkedTurn[k] = 1;
  // (Bounds checked: reading past the end of a typed array discards V8's optimised code.)
  const linked = (k: number): boolean => k < linkedTurn.length && linkedTurn[k] === 1;
  const strongTurn = new Uint8Array(turns.length);
  for (let k = 0; k < turns.length; k++) {
    const mates = turns[k]!.utts;
    for (let x = 0; x < mates.length; x++) if (STRONG.has(mates[x]!.sieve)) strongTurn[k] = 1;
  }
  // Each turn's first named speaker, read once: every utterance's parity voters look it up.
  const entryOf = speakersOf(turns, entryStrong);
  // Each turn's last named speaker and its first speaker of any kind, read once likewise.
  const exitOf = speakersOf(turns, exitStrong);
  const anyOf = speakersOf(turns, anySpeaker);
  // Each turn's speakers of named tags, in order, read once: the utterances around it look them up.
  const strongOf = turns.map((t) => {
    const out: number[] = [];
    for (const u of t.utts) if (STRONG.has(u.sieve) && u.speaker !== null) out.push(u.speaker);
    return out;
  });
  // Distance (in linked turns) to the nearest strong turn, both directions, in two linear sweeps.
  const distBack = new Int32Array(turns.length);
  const distFwd = new Int32Array(turns.length);
  for (let k = 0; k < turns.length; k++)
    distBack[k] = strongTurn[k] ? 0 : linked(k) && distBack[k - 1]! < 99 ? distBack[k - 1]! + 1 : 99;
  for (let k = turns.length - 1; k >= 0; k--)
    distFwd[k] = strongTurn[k] ? 0 : linked(k + 1) && distFwd[k + 1]! < 99 ? distFwd[k + 1]! + 1 : 99;

  // Named speakers of each conversation (a run of linked turns): two people talking make
  // turn-taking reliable, a crowd does not. A conversation's turns are consecutive: its first and
  // last bound the per-utterance readers that look only inside it (or only outside it).
  const chainOf = new Int32Array(turns.length);
  const chainSpeakers: Set<number>[] = [];
  const chainFirst: number[] = [];
  const chainLast: number[] = [];
  for (let k = 0; k < turns.length; k++) {
    if (k === 0 || !linked(k)) {
      chainSpeakers.push(new Set());
      chainFirst.push(k);
      chainLast.push(k);
    }
    chainOf[k] = chainSpeakers.length - 1;
    chainLast[chainOf[k]!] = k;
    for (const u of turns[k]!.utts)
      if (STRONG.has(u.sieve) && u.speaker !== null) chainSpeakers[chainOf[k]!]!.add(u.speaker);
  }

  // The prior of each turn's first utterance with a speaker (whose speaker is anyOf's): its
  // sieve's prior weighs it as a neighbour's evidence. 0 for a turn without a speaker.
  const spokenPrior = new Float64Array(turns.length);
  const priorRead = new Uint8Array(turns.length);
  for (let i = 0; i < utts.length; i++) {
    const k = turnOf[i]!;
    if (k < 0 || priorRead[k] === 1 || utts[i]!.speaker === null) continue;
    priorRead[k] = 1;
    spokenPrior[k] = priors[i] ?? 0;
  }
  // Per-entity lists below are indexed by id + 1 (the narrator is -1): every candidate reads
  // them, and an array index is cheaper than a Map lookup.
  // The turns where each speaker has a named tag, in order: how far a candidate's nearest own tag is.
  const strongTurnsBy: (number[] | undefined)[] = [];
  for (let k = 0; k < turns.length; k++)
    for (let x = 0; x < strongOf[k]!.length; x++) {
      const id = strongOf[k]![x]!;
      const list = strongTurnsBy[id + 1];
      if (!list) strongTurnsBy[id + 1] = [k];
      else if (list[list.length - 1] !== k) list.push(k);
    }
  // The paragraphs whose narration names each entity, in order, and where each scene begins.
  const mentionParasBy: (number[] | undefined)[] = [];
  const sceneFirstPara = new Map<number, number>();
  // Each paragraph's scene, read once into a table: the per-utterance readers ask for many.
  const sceneOfPara = new Int32Array(ctx.mentions.length);
  const sceneAt = (p: number): number =>
    p >= 0 && p < sceneOfPara.length ? sceneOfPara[p]! : ctx.sceneOf(p);
  let maxMentioned = -1;
  for (let p = 0; p < ctx.mentions.length; p++) {
    const sc = ctx.sceneOf(p);
    sceneOfPara[p] = sc;
    if (!sceneFirstPara.has(sc)) sceneFirstPara.set(sc, p);
    const narration = ctx.mentions[p]!.narration;
    for (let x = 0; x < narration.length; x++) {
      const id = narration[x]!;
      if (id > maxMentioned) maxMentioned = id;
      const list = mentionParasBy[id + 1];
      if (!list) mentionParasBy[id + 1] = [p];
      else if (list[list.length - 1] !== p) list.push(p);
    }
  }
  // Where the candidates' last lookups in these lists ended, by id + 1 (lastAtMost).
  const taggedCursor = new Int32Array(strongTurnsBy.length).fill(-1);
  const mentionCursor = new Int32Array(mentionParasBy.length).fill(-1);
  const sceneStartCursor = new Int32Array(mentionParasBy.length).fill(-1);

  // The address-only names by id + 1, read once: every candidate and mention is checked.
  const addressOnlyById = new Uint8Array(Math.max(ctx.cast.entities.length, maxMentioned + 1) + 1);
  for (const id of ctx.addressOnly)
    if (id + 1 >= 0 && id + 1 < addressOnlyById.length) addressOnlyById[id + 1] = 1;
  const isAddressOnly = (id: number): boolean =>
    id + 1 >= 0 && id + 1 < addressOnlyById.length ? addressOnlyById[id + 1] === 1 : ctx.addressOnly.has(id);
  // Who may be a candidate, by id + 1: the narrator and cast members, not address-only names.
  // Read once: candidate lists check some thirty ids per utterance. (An id outside the table is
  // no cast member.)
  const candidateById = new Uint8Array(addressOnlyById.length);
  for (let x = 0; x < candidateById.length; x++)
    if (addressOnlyById[x] === 0 && (x === NARRATOR + 1 || ctx.cast.entities[x - 1])) candidateById[x] = 1;
  // Which cast members go by more than one form, read once: each is a candidate of many utterances.
  const multiForm = Uint8Array.from(ctx.cast.entities, (e) => (e && e.forms.size > 1 ? 1 : 0));
  // Lines per speaker, by id + 1 (the narrator is -1): every candidate is a cast member or the narrator.
  const lines = new Int32Array(ctx.cast.entities.length + 1);
  let total = 0;
  for (const u of utts) {
    if (u.nested || u.speaker === null) continue;
    lines[u.speaker + 1] = (lines[u.speaker + 1] ?? 0) + 1;
    total++;
  }
  // Each speaker's share of the lines, smoothed (in a short text every speaker's share is large
  // and proves nothing): read once per speaker, not per candidate.
  const shareOf = new Float64Array(lines.length);
  for (let x = 0; x < lines.length; x++) shareOf[x] = Math.sqrt(lines[x]! / (total + 100));
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
      // Shared, not copied, by the turns it stays the same for: a list is never changed once
      // made (a new speaker makes a new one).
      recentBefore.push(recent);
      const sp = anySpeaker(t);
      if (sp !== null) {
        const next = [sp];
        for (const x of recent) if (x !== sp && next.length < 5) next.push(x);
        recent = next;
      }
    }
  }
  const near = (k: number, out: IdList): void => {
    out.clear();
    for (let d = -3; d <= 3; d++) {
      const j = k + d;
      if (j < 0 || j >= turns.length) continue;
      // Connected (every turn between them linked) is being in the same conversation.
      if (chainOf[j] !== chainOf[k]) continue;
      const speakers = strongOf[j]!;
      for (let x = 0; x < speakers.length; x++) if (!out.includes(speakers[x]!)) out.push(speakers[x]!);
    }
  };
  const addressedBy = (t: TurnInfo | undefined, out: IdList): void => {
    out.clear();
    if (!t) return;
    for (let x = 0; x < t.utts.length; x++) {
      const vocatives = t.utts[x]!.vocatives;
      for (let y = 0; y < vocatives.length; y++) out.push(vocatives[y]!);
    }
  };

  // Entities named in the narration of this paragraph and the three before it (same scene), the
  // most recent first.
  // The nearest turn with a named tag within six linked turns in one direction: distance and speaker.
  const strongAt = (k: number, dir: -1 | 1): StrongNeighbour | null => {
    let j = k;
    for (let d = 1; d <= 6; d++) {
      if (dir < 0 ? !linked(j) : !linked(j + 1)) return null;
      j += dir;
      const sp = dir < 0 ? exitOf[j]! : entryOf[j]!;
      if (sp !== NOBODY) return { d, id: sp };
    }
    return null;
  };
  const genderOf = (id: number): string =>
    id === NARRATOR ? 'unknown' : (ctx.cast.entities[id]?.gender ?? 'unknown');
  // Which ids the candidate list being built holds: listedIn[id + 1] is the list's stamp (one
  // per list), so a repeat is known without scanning the list (some thirty ids are offered).
  const listedIn = new Int32Array(candidateById.length);
  let listStamp = 0;
  /**
   * A candidate worth scoring: not already listed, not address-only, a cast member or the narrator.
   * The list keeps its first MAX_CANDIDATES: once full, nothing more is read.
   */
  const addCandidate = (out: number[], id: number | null | undefined): void => {
    if (out.length >= MAX_CANDIDATES || id === null || id === undefined) return;
    if (id + 1 < 0 || id + 1 >= candidateById.length || candidateById[id + 1] === 0) return;
    if (listedIn[id + 1] === listStamp) return;
    listedIn[id + 1] = listStamp;
    out.push(id);
  };
  /** How many of the last candidate list came from the nearest sources (the rest: further afield). */
  let coreCount = 0;
  /** Candidate speakers of utterance i (not nested, in turn k): the sieves' choice first. */
  const candidatesOf = (
    u: Utterance,
    k: number,
    prevAny: number | null,
    nextAny: number | null,
    back2Any: number | null,
    fwd2Any: number | null,
    pa: IdList,
    na: IdList,
    mentioned: IdList,
    centre: number,
  ): number[] => {
    const out: number[] = [];
    listStamp++;
    addCandidate(out, u.speaker);
    addCandidate(out, u.beatSubject);
    if (centre >= 0) addCandidate(out, centre);
    addCandidate(out, back2Any);
    addCandidate(out, fwd2Any);
    for (let x = 0; x < pa.length; x++) addCandidate(out, pa.at(x));
    for (let x = 0; x < na.length; x++) addCandidate(out, na.at(x));
    addCandidate(out, prevAny);
    addCandidate(out, nextAny);
    const here = ctx.mentions[u.para];
    if (here) for (let m = here.narration.length - 1; m >= 0; m--) addCandidate(out, here.narration[m]);
    const before = mentionsOf(u.para - 1);
    if (before?.narrationOnly)
      for (let m = before.narration.length - 1; m >= 0; m--) addCandidate(out, before.narration[m]);
    const recent = recentBefore[k]!;
    for (let x = 0; x < recent.length; x++) addCandidate(out, recent[x]);
    for (let m = 0; m < mentioned.length && m < 4; m++) addCandidate(out, mentioned.at(m));
    // Further afield, while there is room: speakers of the turns three to six away in the scene,
    // the rest of the recent narration's names, and the names in the narration just after.
    coreCount = out.length;
    for (let d = 3; d <= 6; d++) {
      if (k - d >= 0 && turns[k - d]!.scene === u.scene) addCandidate(out, speakerOrNull(anyOf[k - d]!));
      if (k + d < turns.length && turns[k + d]!.scene === u.scene)
        addCandidate(out, speakerOrNull(anyOf[k + d]!));
    }
    for (let m = 4; m < mentioned.length; m++) addCandidate(out, mentioned.at(m));
    const after = mentionsOf(u.para + 1);
    if (after?.narrationOnly && sceneAt(u.para + 1) === u.scene)
      for (let x = 0; x < after.narration.length; x++) addCandidate(out, after.narration[x]);
    return out;
  };

  // The utterance whose Around is filled in (one at a time: the caller asks for every candidate
  // of an utterance before the next).
  let aroundOf = -1;
  const aroundScratch: Around = {
    cands: [],
    mentioned: new IdList(),
    pa: new IdList(),
    na: new IdList(),
    strong: new IdList(),
    prevAny: null,
    prevStrong: null,
    nextAny: null,
    nextStrong: null,
    back2Any: null,
    back2Strong: null,
    fwd2Any: null,
    fwd2Strong: null,
    strongBack: null,
    strongFwd: null,
    voters: new ParityTally(),
    soft: new ParityTally(),
    scene: new ParityTally(),
    mateStrong: new IdList(),
    mateAny: new IdList(),
    prevPrior: 0,
    nextPrior: 0,
    back2Prior: 0,
    fwd2Prior: 0,
    core: 0,
    mentionedOthers: new IdList(),
    mentionCounts: new Int32Array(Math.max(ctx.cast.entities.length, maxMentioned + 1) + 1),
    counted: new IdList(),
    sceneStart: 0,
    gendered: false,
    pool: new Set<number>(),
    mentionedOfGender: new IdList(),
    recentOfGender: new IdList(),
    shared: new Float64Array(BASE_COUNT),
    block: 0,
    nextNarrationInScene: false,
    talkers: new Set<number>(),
    recent: [],
    hereNarration: null,
    beforeNarration: null,
    prevTurnNarration: null,
    nextTurnNarration: null,
    afterNarration: null,
    tagGender: 'unknown',
  };
  // Who the narration is about at each utterance (salience.ts), per gender.
  const centres = ctx.centres;
  /** The most salient character of a gendered tag's gender ("she said"), or -1. */
  const centreOfTag = (i: number, u: Utterance): number => {
    const tag = u.tag;
    if (centres === undefined || tag === null || (tag.kind !== 'pronoun' && tag.kind !== 'epithet'))
      return -1;
    return tag.gender === 'male' ? centres.male[i]! : tag.gender === 'female' ? centres.female[i]! : -1;
  };
  const around = (i: number): Around => {
    const a = aroundScratch;
    if (aroundOf === i) return a;
    aroundOf = i;
    const k = turnOf[i]!;
    const u = utts[i]!;
    const prev = linked(k) ? turns[k - 1] : undefined;
    const next = linked(k + 1) ? turns[k + 1] : undefined;
    const back2 = prev && linked(k - 1) ? turns[k - 2] : undefined;
    const fwd2 = next && linked(k + 2) ? turns[k + 2] : undefined;
    addressedBy(prev, a.pa);
    addressedBy(next, a.na);
    let chars = 0;
    for (let x = 0; x < u.parts.length; x++) chars += u.parts[x]!.end - u.parts[x]!.start;
    a.voters.clear();
    const chain = chainOf[k]!;
    const first = chainFirst[chain]!;
    const last = chainLast[chain]!;
    for (let j = Math.max(first, k - 8); j <= Math.min(last, k + 8); j++) {
      if (j === k) continue;
      const sp = entryOf[j]!;
      if (sp === NOBODY) continue;
      a.voters.add(sp, (k - j) % 2 === 0, 1);
    }
    a.soft.clear();
    for (let j = Math.max(first, k - 6); j <= Math.min(last, k + 6); j++) {
      if (j === k || entryOf[j] !== NOBODY) continue;
      const sp = anyOf[j]!;
      if (sp !== NOBODY) a.soft.add(sp, (k - j) % 2 === 0, spokenPrior[j]!);
    }
    a.scene.clear();
    for (let j = Math.max(0, k - 10); j <= Math.min(turns.length - 1, k + 10); j++) {
      if (j >= first && j <= last) {
        // This conversation's own turns are skipped in one step.
        j = last;
        continue;
      }
      if (turns[j]!.scene !== u.scene) continue;
      const sp = entryOf[j]!;
      if (sp !== NOBODY) a.scene.add(sp, (k - j) % 2 === 0, 1);
    }
    a.mateStrong.clear();
    a.mateAny.clear();
    // (Indexed loops here and below: for-of over these small arrays allocated iterators.)
    const mates = k >= 0 ? turns[k]!.utts : [];
    for (let x = 0; x < mates.length; x++) {
      const o = mates[x]!;
      if (o === u || o.speaker === null) continue;
      a.mateAny.push(o.speaker);
      if (STRONG.has(o.sieve)) a.mateStrong.push(o.speaker);
    }
    const prevAny = prev ? speakerOrNull(anyOf[k - 1]!) : null;
    const nextAny = next ? speakerOrNull(anyOf[k + 1]!) : null;
    const back2Any = back2 ? speakerOrNull(anyOf[k - 2]!) : null;
    const fwd2Any = fwd2 ? speakerOrNull(anyOf[k + 2]!) : null;
    // One walk back over this paragraph and the three before it (in the scene) counts the
    // narration mentions and lists `mentioned`: entities most recent first, address-only ones
    // left out, no more paragraphs read once eight are listed. An entity already counted on this
    // walk is already listed, unless the list had closed before it came.
    const counts = a.mentionCounts;
    for (let x = 0; x < a.counted.length; x++) counts[a.counted.at(x) + 1] = 0;
    a.counted.clear();
    const mentioned = a.mentioned;
    mentioned.clear();
    let listing = true;
    for (let p = u.para; p >= 0 && p > u.para - 4 && sceneAt(p) === u.scene; p--) {
      const m = ctx.mentions[p];
      if (!m) continue;
      const narration = m.narration;
      for (let x = narration.length - 1; x >= 0; x--) {
        const id = narration[x]!;
        if (counts[id + 1] === 0) {
          a.counted.push(id);
          if (listing && !isAddressOnly(id)) mentioned.push(id);
        }
        counts[id + 1]!++;
      }
      if (mentioned.length >= 8) listing = false;
    }
    a.cands =
      u.nested || k < 0
        ? []
        : candidatesOf(u, k, prevAny, nextAny, back2Any, fwd2Any, a.pa, a.na, a.mentioned, centreOfTag(i, u));
    a.core = coreCount;
    a.mentionedOthers.clear();
    for (let x = 0; x < a.mentioned.length; x++) {
      const id = a.mentioned.at(x);
      if (id !== prevAny && id !== nextAny) a.mentionedOthers.push(id);
    }
    a.prevPrior = prev ? spokenPrior[k - 1]! : 0;
    a.nextPrior = next ? spokenPrior[k + 1]! : 0;
    a.back2Prior = back2 ? spokenPrior[k - 2]! : 0;
    a.fwd2Prior = fwd2 ? spokenPrior[k + 2]! : 0;
    a.sceneStart = sceneFirstPara.get(u.scene) ?? 0;
    near(k, a.strong);
    a.prevAny = prevAny;
    a.prevStrong = prev ? speakerOrNull(exitOf[k - 1]!) : null;
    a.nextAny = nextAny;
    a.nextStrong = next ? speakerOrNull(entryOf[k + 1]!) : null;
    a.back2Any = back2Any;
    a.back2Strong = back2 ? speakerOrNull(exitOf[k - 2]!) : null;
    a.fwd2Any = fwd2Any;
    a.fwd2Strong = fwd2 ? speakerOrNull(entryOf[k + 2]!) : null;
    a.strongBack = strongAt(k, -1);
    a.strongFwd = strongAt(k, 1);
    a.gendered = false;
    const after = mentionsOf(u.para + 1);
    a.nextNarrationInScene =
      after?.narrationOnly === true && after.narration.length > 0 && sceneAt(u.para + 1) === u.scene;
    a.afterNarration = a.nextNarrationInScene ? after!.narration : null;
    a.talkers = chainSpeakers[chainOf[k]!]!;
    a.recent = recentBefore[k]!;
    a.hereNarration = ctx.mentions[u.para]?.narration ?? null;
    const before = mentionsOf(u.para - 1);
    a.beforeNarration = before?.narrationOnly ? before.narration : null;
    a.prevTurnNarration = prev ? (ctx.mentions[prev.para]?.narration ?? null) : null;
    a.nextTurnNarration = next ? (ctx.mentions[next.para]?.narration ?? null) : null;
    // The tag's kind read once: tags come in several shapes, and each read of a field is a slow
    // (megamorphic) lookup.
    const tag = u.tag;
    const kind = tag ? tag.kind : null;
    const pronounLike = kind === 'pronoun' || kind === 'epithet';
    a.tagGender = pronounLike ? tag!.gender : 'unknown';
    a.block = kind === null ? 2 : pronounLike ? 1 : 0;
    // The features every candidate shares.
    const shared = a.shared;
    shared.fill(0);
    if (k < 0) return a;
    shared[F.bias] = 1;
    if (kind === null) shared[F.tagNone] = 1;
    else if (kind === 'pronoun') shared[F.tagPronoun] = 1;
    else if (kind === 'epithet' || kind === 'other') shared[F.tagEpithet] = 1;
    else if (kind === 'name') shared[F.tagName] = 1;
    if (tag?.verbFirst) shared[F.verbFirst] = 1;
    if (tag?.distant) shared[F.distantTag] = 1;
    if (kind === 'epithet' && isTitleEpithet(tag!.form)) shared[F.titleEpithet] = 1;
    const talkers = chainSpeakers[chainOf[k]!]!;
    if (talkers.size === 2) shared[F.chainSpeakers2] = 1;
    else if (talkers.size > 2) shared[F.chainSpeakersMore] = 1;
    if (u.vocatives.length > 0) shared[F.addressesSomeone] = 1;
    if (u.parts.length > 1) shared[F.manyParts] = 1;
    shared[F.logWords] = Math.log(1 + chars / 6);
    const strong = a.strong;
    if (strong.length === 1) shared[F.strongNear1] = 1;
    else if (strong.length === 2) shared[F.strongNear2] = 1;
    else if (strong.length > 2) shared[F.strongNearMore] = 1;
    const turn = turns[k]!;
    shared[F.gapBefore] = Math.min(3, turn.gap);
    shared[F.gapAfter] = Math.min(3, k + 1 < turns.length ? turns[k + 1]!.gap : 3);
    shared[F.anchorDistance] = Math.min(6, distBack[k]!, distFwd[k]!) / 6;
    if (turn.utts.length > 1) shared[F.sharedParagraph] = 1;
    return a;
  };
  /** For a gendered tag: the notes' pool, and the mentions and recent speakers of gender g. */
  const fillGendered = (a: Around, u: Utterance, k: number, g: string): void => {
    if (a.gendered) return;
    a.gendered = true;
    // The notes' pool: recent speakers, names in this and the previous paragraph.
    const pool = a.pool;
    pool.clear();
    const recent = recentBefore[k] ?? [];
    for (const id of recent) pool.add(id);
    for (const m of [ctx.mentions[u.para], mentionsOf(u.para - 1)])
      if (m) for (const id of m.narration) pool.add(id);
    a.mentionedOfGender.clear();
    for (let x = 0; x < a.mentioned.length; x++) {
      const id = a.mentioned.at(x);
      if (genderOf(id) === g) a.mentionedOfGender.push(id);
    }
    a.recentOfGender.clear();
    for (const id of recent) if (genderOf(id) === g) a.recentOfGender.push(id);
  };

  let arena = new Float64Array(0);
  let arenaUsed = 0;
  // Without `keep`, one utterance's vectors (and their CandidateFeatures) are reused for the
  // next, and so are the lists handing them out: scratchLists[n] holds the first n vectors.
  const scratch: { base: Float64Array; block: number }[] = keep
    ? []
    : Array.from({ length: MAX_CANDIDATES }, () => ({ base: new Float64Array(BASE_COUNT), block: 0 }));
  const scratchLists = keep ? [] : Array.from({ length: MAX_CANDIDATES + 1 }, (_, n) => scratch.slice(0, n));
  /** Candidate `index`'s vector, holding the utterance's shared features. */
  const freshCandidate = (a: Around, index: number): { base: Float64Array; block: number } => {
    if (!keep) {
      const c = scratch[index]!;
      c.base.set(a.shared);
      c.block = a.block;
      return c;
    }
    if (arenaUsed + BASE_COUNT > arena.length) {
      arena = new Float64Array(Math.min(ARENA_CANDIDATES, MAX_CANDIDATES * utts.length) * BASE_COUNT);
      arenaUsed = 0;
    }
    arenaUsed += BASE_COUNT;
    const base = arena.subarray(arenaUsed - BASE_COUNT, arenaUsed);
    base.set(a.shared);
    return { base, block: a.block };
  };

  return {
    candidates(i: number): number[] {
      const u = utts[i]!;
      if (u.nested || turnOf[i]! < 0) return [];
      return around(i).cands;
    },

    features(i: number): readonly CandidateFeatures[] {
      // (Without `keep`, the reader's own empty list: a fresh [] is another kind of array to V8,
      // and meeting both kinds made the ranker's optimised code start over.)
      if (utts[i]!.nested || turnOf[i]! < 0) return keep ? [] : scratchLists[0]!;
      const a = around(i);
      const n = a.cands.length;
      const out = keep ? [] : scratchLists[n]!;
      for (let index = 0; index < n; index++) {
        const c = freshCandidate(a, index);
        describe(i, a, index, c.base);
        if (keep) out.push(c);
      }
      return out;
    },
  };

  /** Writes the features of utterance i's candidate at `index` (of a.cands) into base. */
  function describe(i: number, a: Around, index: number, base: Float64Array): void {
    const u = utts[i]!;
    const k = turnOf[i]!;
    const s = a.cands[index]!;
    const chosen = u.speaker === s;
    if (chosen) {
      base[F.chosen] = 1;
      const sieveAt = SIEVE_AT.get(u.sieve);
      if (sieveAt !== undefined) base[sieveAt] = 1;
      const p = Math.min(0.995, Math.max(0.005, priors[i] ?? 0));
      base[F.priorLogit] = Math.log(p / (1 - p));
      // How the sieve reached it: a dyad bracketed by named turns, back and forward estimates
      // agreeing, a confirming vocative, a weak anchor.
      const detail = u.detail ?? '';
      if (detail.startsWith('bracketed')) base[F.detailBracketed] = 1;
      if (detail.includes('inferred')) base[F.detailInferred] = 1;
      if (detail.includes('+agree')) base[F.detailAgree] = 1;
      if (detail.includes('+voc')) base[F.detailVoc] = 1;
      if (detail.includes('+weak')) base[F.detailWeak] = 1;
      if (detail === 'dyad-agrees') base[F.detailDyadAgrees] = 1;
      if (detail.includes('+back')) base[F.detailBack] = 1;
    }
    const talkers = a.talkers;
    if (talkers.has(s)) base[F.chainSpeakerSame] = 1;
    // Every named turn of the conversation within eight turns votes on this candidate by
    // turn-taking parity: the same speaker an even number of turns away, or (between two
    // people) the other speaker an odd number away.
    // (Vote counts: whole numbers, summed exactly.)
    const agree = a.voters.agreeing(s, talkers.size === 2);
    const disagree = a.voters.disagreeing(s);
    if (agree > 0) base[F.parityAgree] = Math.min(4, agree) / 4;
    if (disagree > 0) base[F.parityDisagree] = Math.min(3, disagree) / 3;
    if (agree >= 2 && disagree === 0) base[F.parityUnanimous] = 1;
    const e = s === NARRATOR ? undefined : ctx.cast.entities[s];
    if (e && multiForm[s] === 1) base[F.multiForm] = 1;
    // Never the subject of a speech tag: often a place or a name only talked about ("India").
    if (e && e.tagSubject === 0) base[F.neverTagged] = 1;
    if (e?.epithet) base[F.epithetSpeaker] = 1;
    if (u.named.includes(s)) base[F.namedInQuote] = 1;
    if (u.vocatives.includes(s)) base[F.addressedInQuote] = 1;
    if (s === NARRATOR) base[F.narrator] = 1;
    else if (e && e.gender !== 'unknown') base[F.genderKnown] = 1;
    base[F.speakerShare] = shareOf[s + 1] ?? 0;
    const rank = a.recent.indexOf(s);
    base[F.recentRank] = rank >= 0 ? 1 / (1 + rank) : 0;

    const { pa, na, strong, mentioned, cands } = a;
    if (a.prevAny === s) base[F.prevSame] = 1;
    const ps = a.prevStrong;
    if (ps !== null) base[ps === s ? F.prevStrongSame : F.prevStrongOther] = 1;
    if (a.nextAny === s) base[F.nextSame] = 1;
    const ns = a.nextStrong;
    if (ns !== null) base[ns === s ? F.nextStrongSame : F.nextStrongOther] = 1;
    if (a.back2Any === s) base[F.back2Same] = 1;
    const b2 = a.back2Strong;
    if (b2 !== null) base[b2 === s ? F.back2StrongSame : F.back2StrongOther] = 1;
    if (a.fwd2Any === s) base[F.fwd2Same] = 1;
    const f2 = a.fwd2Strong;
    if (f2 !== null) base[f2 === s ? F.fwd2StrongSame : F.fwd2StrongOther] = 1;
    if (pa.includes(s)) base[F.prevAddressesSpeaker] = 1;
    else if (pa.length > 0) base[F.prevAddressesOther] = 1;
    if (na.includes(s)) base[F.nextAddressesSpeaker] = 1;
    if (strong.includes(s)) base[F.strongNearSame] = 1;
    if (u.beatSubject !== undefined && u.beatSubject !== null)
      base[u.beatSubject === s ? F.beatSame : F.beatOther] = 1;
    const narration = a.hereNarration;
    if (narration) {
      if (narration.includes(s)) base[F.narrationNamesSpeaker] = 1;
      // (Guarded: reading index -1 of an empty list takes V8's slow path.)
      if (narration.length > 0 && narration[narration.length - 1] === s) base[F.narrationLastSpeaker] = 1;
      for (let x = 0; x < narration.length; x++) {
        if (narration[x] === s) continue;
        base[F.narrationNamesOthers] = 1;
        break;
      }
    }
    if (a.beforeNarration?.includes(s)) base[F.prevNarrationNamesSpeaker] = 1;
    // Named in the narration of the neighbouring turns, other than as their speaker: often the
    // one they speak to or look at.
    if (s !== a.prevAny && a.prevTurnNarration?.includes(s)) base[F.prevTurnNarrationNames] = 1;
    if (s !== a.nextAny && a.nextTurnNarration?.includes(s)) base[F.nextTurnNarrationNames] = 1;
    const after = a.afterNarration;
    if (after) {
      if (after.includes(s)) base[F.nextNarrationNamesSpeaker] = 1;
      if (after[0] === s) base[F.nextNarrationFirst] = 1;
    }
    const g = a.tagGender;
    if (centres !== undefined && e !== undefined) {
      const male = e.gender === 'male';
      if (male || e.gender === 'female') {
        const tagged = g === e.gender;
        if ((male ? centres.male : centres.female)[i] === s)
          base[tagged ? F.centreOfTagGender : F.centreOfOwnGender] = 1;
        else if ((male ? centres.secondMale : centres.secondFemale)[i] === s)
          base[tagged ? F.secondOfTagGender : F.secondOfOwnGender] = 1;
      }
    }
    if (g !== 'unknown') {
      if (e && e.gender === g) base[F.pronounGenderMatch] = 1;
      else if ((e && e.gender !== 'unknown') || s === NARRATOR) base[F.pronounGenderClash] = 1;
    }
    base[F.candidates] = Math.min(10, a.cands.length) / 10;
    const back = a.strongBack;
    if (back) {
      const weight = 1 - back.d / 8;
      if (back.d % 2 === 0) base[back.id === s ? F.parityBackSame : F.parityBackOther] = weight;
      else if (back.id === s) base[F.parityBackClash] = weight;
    }
    const fwd = a.strongFwd;
    if (fwd) {
      const weight = 1 - fwd.d / 8;
      if (fwd.d % 2 === 0) base[fwd.id === s ? F.parityFwdSame : F.parityFwdOther] = weight;
      else if (fwd.id === s) base[F.parityFwdClash] = weight;
    }
    // A two-person exchange whose named turns on both sides put this candidate on this turn.
    const pb = base[F.parityBackSame]!;
    const pf = base[F.parityFwdSame]!;
    if (pb > 0 && pf > 0) base[F.parityBoth] = 1;
    if (strong.length === 2) {
      if (pb > 0) base[F.twoSpeakersParityBackSame] = pb;
      if (pf > 0) base[F.twoSpeakersParityFwdSame] = pf;
      if (pb > 0 && pf > 0) base[F.twoSpeakersParityBoth] = 1;
    }
    const mr = mentioned.indexOf(s);
    if (mr >= 0) base[F.mentionRank] = 1 / (1 + mr);
    if (g !== 'unknown' && genderOf(s) === g) {
      fillGendered(a, u, k, g);
      // Other candidates the pronoun could also mean: of its gender, or of unknown gender.
      let rivals = 0;
      let unknownRivals = 0;
      for (const c of cands) {
        if (c === s) continue;
        const cg = genderOf(c);
        if (cg === g) rivals++;
        else if (cg === 'unknown' && c !== NARRATOR) unknownRivals++;
      }
      base[rivals === 0 ? F.genderRivals0 : rivals === 1 ? F.genderRivals1 : F.genderRivalsMore] = 1;
      // The notes' pool (recent speakers, names in this and the previous paragraph): is this
      // the only one of the pronoun's gender in it?
      const pool = a.pool;
      if (pool.has(s)) {
        let same = 0;
        for (const id of pool) if (id !== s && genderOf(id) === g && !u.vocatives.includes(id)) same++;
        base[same === 0 ? F.poolSingleGender : F.poolRivalsGender] = 1;
      }
      if (unknownRivals > 0) base[F.unknownGenderRivals] = Math.min(3, unknownRivals) / 3;
      const r = a.mentionedOfGender.indexOf(s);
      if (r >= 0) base[F.mentionRankGender] = 1 / (1 + r);
      const rr = a.recentOfGender.indexOf(s);
      if (rr >= 0) base[F.recentRankGender] = 1 / (1 + rr);
    }
    if (index >= a.core) base[F.farCandidate] = 1;
    const mro = a.mentionedOthers.indexOf(s);
    if (mro >= 0) base[F.mentionRankOther] = 1 / (1 + mro);
    const mc = a.mentionCounts[s + 1];
    if (mc) base[F.mentionCount] = Math.min(6, mc) / 6;
    // The other utterances of this paragraph: one speaker's turn, unless a tag says otherwise.
    if (a.mateStrong.includes(s)) base[F.turnStrongSame] = 1;
    else if (a.mateStrong.length > 0) base[F.turnStrongOther] = 1;
    if (a.mateAny.includes(s)) base[F.turnSame] = 1;
    // The neighbouring turns' speakers, weighed by how sure their sieves were.
    if (a.prevAny === s) base[F.prevPrior] = a.prevPrior;
    if (a.nextAny === s) base[F.nextPrior] = a.nextPrior;
    if (a.back2Any === s) base[F.back2Prior] = a.back2Prior;
    if (a.fwd2Any === s) base[F.fwd2Prior] = a.fwd2Prior;
    // Turn-taking votes of the weaker turns nearby, and of named turns across a narration break.
    {
      // Same speaker an even number of turns away agrees, odd disagrees; between two people,
      // another speaker an odd number away agrees too.
      const agreeSoft = a.soft.agreeing(s, talkers.size === 2);
      const disagreeSoft = a.soft.disagreeing(s);
      if (agreeSoft > 1e-9) base[F.softParityAgree] = Math.min(3, agreeSoft) / 3;
      if (disagreeSoft > 1e-9) base[F.softParityDisagree] = Math.min(3, disagreeSoft) / 3;
      // Across a narration break only the same speaker at an even distance agrees.
      const agreeScene = a.scene.evenFor(s);
      const disagreeScene = a.scene.disagreeing(s);
      if (agreeScene > 0) base[F.sceneParityAgree] = Math.min(4, agreeScene) / 4;
      if (disagreeScene > 0) base[F.sceneParityDisagree] = Math.min(4, disagreeScene) / 4;
    }
    // The candidate's nearest own named tags in this scene, either way, and their parity.
    // (Bounds checked here and below: these lists end at the last id they hold, and a candidate
    // read past the end threw away describe's optimised code, which took long to compile again.)
    const tagged = s + 1 < strongTurnsBy.length ? strongTurnsBy[s + 1] : undefined;
    if (tagged) {
      // The lists hold each turn once: the last tag before turn k is the last at most k, unless
      // that is turn k itself.
      const atK = lastAtMost(tagged, k, taggedCursor, s + 1);
      const b = atK >= 0 && tagged[atK] === k ? atK - 1 : atK;
      if (b >= 0 && turns[tagged[b]!]!.scene === u.scene) {
        const d = k - tagged[b]!;
        base[F.taggedBack] = 1 / (1 + d);
        if (d % 2 === 0) base[F.taggedBackEven] = 1 / (1 + d);
      }
      const f = atK + 1;
      if (f < tagged.length && turns[tagged[f]!]!.scene === u.scene) {
        const d = tagged[f]! - k;
        base[F.taggedFwd] = 1 / (1 + d);
        if (d % 2 === 0) base[F.taggedFwdEven] = 1 / (1 + d);
      }
    }
    // Is the candidate in the scene: named in its narration so far, how long ago, how soon again?
    const mentionParas = s + 1 < mentionParasBy.length ? mentionParasBy[s + 1] : undefined;
    let sceneCount = 0;
    if (mentionParas) {
      const last = lastAtMost(mentionParas, u.para, mentionCursor, s + 1);
      const first = lastAtMost(mentionParas, a.sceneStart - 1, sceneStartCursor, s + 1) + 1;
      sceneCount = Math.max(0, last - first + 1);
      if (sceneCount > 0) {
        base[F.sceneMentions] =
          sceneCount < SCENE_MENTION_STEPS.length
            ? SCENE_MENTION_STEPS[sceneCount]!
            : Math.log(1 + sceneCount) / Math.log(30);
        base[F.mentionAgo] = 1 / (1 + (u.para - mentionParas[last]!) / 4);
      }
      const ahead = last + 1;
      if (ahead < mentionParas.length && sceneAt(mentionParas[ahead]!) === u.scene)
        base[F.mentionAhead] = 1 / (1 + (mentionParas[ahead]! - u.para) / 4);
    }
    if (sceneCount === 0 && base[F.taggedBack] === 0 && rank < 0 && s !== NARRATOR)
      base[F.absentFromScene] = 1;
  }
}
