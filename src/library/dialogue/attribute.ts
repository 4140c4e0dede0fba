/**
 * Speaker attribution: sieves in precision order. Pass 1 reads each utterance's own evidence
 * (named tags, pronoun and epithet tags resolved by gender, recency and who is present, the
 * narrator's "I said", action beats). Pass 2 walks each conversation's untagged turns from the
 * nearest anchors (alternation decays with distance; vocatives confirm or veto; narration
 * paragraphs, scene breaks and third speakers break the chain). Pass 3 guesses the rest at low
 * confidence. Everything is one forward walk (plus one backward look per chain): linear.
 */
import type { Cast } from './cast.ts';
import { alternationConfidence, SIEVE_PRIOR, type Sieve } from './confidence.ts';
import { type CandidateFeatures, featureReader } from './features.ts';
import type { Gender } from './lexicon.ts';
import {
  candidateProbabilities,
  choiceProbability,
  confidenceAt,
  type FirstPass,
  firstPass,
  modelTrained,
  NEIGHBOUR_REACH,
} from './model.ts';
import type { RawQuote } from './quotes.ts';
import { isRelativeOf, kinDescription, ownerNameOf, possessorOf, relativeOf } from './relatives.ts';
import type { Centres } from './salience.ts';
import { isTitleEpithet, type Tag } from './tags.ts';

/** Speaker id of the first-person narrator. */
export const NARRATOR_ID = -1;

export interface Utterance {
  readonly parts: RawQuote[];
  readonly para: number;
  readonly scene: number;
  /** The evidence the utterance's own paragraph gives (tag, lead-in or beat), if any. */
  tag: Tag | null;
  /** Entities addressed by name in the quote. */
  vocatives: readonly number[];
  /** Names addressed in the quote as written forms (also those outside the cast). */
  readonly vocativeForms: readonly string[];
  /** Entities named anywhere in the quote. */
  readonly named: readonly number[];
  readonly nested: boolean;
  speaker: number | null;
  sieve: Sieve;
  confidence: number;
  type: 'explicit' | 'anaphoric' | 'implicit';
  /** The named subject of the narration sentence just before the quote, if any. */
  beatSubject?: number | null;
  /** Trace for calibration: the bucket's details (distance, agreement...). */
  detail?: string;
  /** Candidate speakers and their features (features.ts), for the model and its training. */
  candidates?: { readonly ids: readonly number[]; readonly features: readonly CandidateFeatures[] };
}

/** Entities mentioned in a paragraph: in its narration and inside its quotes. */
export interface ParagraphMentions {
  readonly narration: readonly number[];
  readonly quoted: readonly number[];
  /** Narration-only paragraph (no top-level quote). */
  readonly narrationOnly: boolean;
  /** For a narration paragraph just before speech: the named subject of its last sentence. */
  readonly lastSubject: number | null;
}

export interface AttributionContext {
  readonly cast: Cast;
  readonly mentions: readonly ParagraphMentions[];
  /** Resolves a tag's name form to an entity (creating epithet entities when they recur). */
  readonly entityOfTag: (tag: Tag) => number | null;
  /** Names only ever used to address someone ("Blue"): never a speaker themselves. */
  readonly addressOnly: ReadonlySet<number>;
  /** Scene index of a paragraph. */
  readonly sceneOf: (paragraph: number) => number;
  /** Whom the narration follows at each utterance, per gender (salience.ts): pronoun sieve and ranker. */
  readonly centres?: Centres;
}

function compatible(cast: Cast, id: number, g: Gender): boolean {
  if (id === NARRATOR_ID) return false;
  if (g === 'unknown') return true;
  const e = cast.entities[id];
  return e !== undefined && (e.gender === g || e.gender === 'unknown');
}

function knownGender(cast: Cast, id: number, g: Gender): boolean {
  const e = cast.entities[id];
  return e !== undefined && (g === 'unknown' || e.gender === g);
}

interface Turn {
  readonly para: number;
  readonly scene: number;
  readonly utts: Utterance[];
  /** Narration-only paragraphs since the previous turn in the same scene (Infinity across scenes). */
  readonly gap: number;
}

const set = (u: Utterance, speaker: number | null, sieve: Sieve, confidence = SIEVE_PRIOR[sieve]): void => {
  u.speaker = speaker;
  u.sieve = speaker === null ? 'none' : sieve;
  u.confidence = speaker === null ? 0 : confidence;
};

/** Pass 1a: named tags, the narrator's "I said", and named beats. */
function namedEvidence(utts: readonly Utterance[], ctx: AttributionContext): void {
  for (const u of utts) {
    const tag = u.tag;
    if (u.nested || !tag) continue;
    const beat = tag.source === 'beat-before' || tag.source === 'beat-after';
    if (tag.kind === 'narrator') {
      set(
        u,
        NARRATOR_ID,
        beat ? (tag.source === 'beat-before' ? 'beat-before-pronoun' : 'beat-after') : 'tag-narrator',
      );
      if (!beat) u.type = 'anaphoric';
    } else if (tag.kind === 'name') {
      const id = ctx.entityOfTag(tag);
      if (!beat) u.type = 'explicit';
      if (id === null) continue;
      if (u.vocatives.includes(id) && !beat) continue;
      const sieve: Sieve = beat
        ? tag.source === 'beat-before'
          ? 'beat-before-name'
          : 'beat-after'
        : tag.source === 'before'
          ? 'tag-name-before'
          : 'tag-name';
      const e = ctx.cast.entities[id];
      const multi = e !== undefined && e.forms.size > 1;
      let conf = SIEVE_PRIOR[sieve];
      if (sieve === 'tag-name') {
        // Measured on PDNC: a name the cast links to other forms .985, a lone unlinked form .96
        // ("said Alice" and "Alice said" alike, within noise).
        conf = multi ? 0.985 : 0.96;
      }
      set(u, id, sieve, conf);
      if (!beat) {
        u.detail = `${tag.verbFirst ? 'vf' : 'sf'}:${e && e.forms.size > 1 ? 'multi' : 'one'}:${u.named.includes(id) ? 'named' : 'clean'}:${u.parts.length > 1 ? 'parts' : 'single'}${tag.distant ? ':distant' : ''}`;
      }
      // The speaker named (not addressed) inside their own quote is rare: lower the confidence.
      if (u.named.includes(id)) u.confidence *= 0.9;
      if (u.vocatives.includes(id)) u.confidence *= 0.5;
    } else if (!beat && tag.kind !== 'other') {
      u.type = 'anaphoric';
    }
  }
}

/** Conversation context of a turn, from what is known so far. */
interface TurnContext {
  /** Speaker of the previous turn (in the chain), if known. */
  readonly prev: number | null;
  /** Speaker two turns back, if known and different from `prev`: alternation's guess. */
  readonly alternate: number | null;
  /** Entities the previous turn addressed by name. */
  readonly addressed: readonly number[];
  /** Whom the narration is about, of the tag's gender (salience.ts). */
  readonly centre: number | null;
}

/** A speaker the pronoun pass has met: who, in which paragraph and scene. */
interface RecentSpeaker {
  readonly id: number;
  readonly para: number;
  readonly scene: number;
}

/** Pass 1b: pronoun and epithet tags and beats, resolved with the named evidence in place. */
function pronounEvidence(utts: readonly Utterance[], turns: readonly Turn[], ctx: AttributionContext): void {
  const recent: RecentSpeaker[] = [];
  let t = -1;
  // Who the scene is about so far: narration mentions per character since the scene began.
  const focus = new Map<number, number>();
  let focusScene = -1;
  let focusPara = -1;
  for (let i = 0; i < utts.length; i++) {
    const u = utts[i]!;
    if (u.nested) continue;
    if (u.scene !== focusScene) {
      focus.clear();
      focusScene = u.scene;
      focusPara = u.para - 1;
      while (focusPara >= 0 && ctx.sceneOf(focusPara) === u.scene) focusPara--;
    }
    for (; focusPara < u.para; focusPara++) {
      const m = ctx.mentions[focusPara + 1];
      if (m) for (const id of m.narration) focus.set(id, (focus.get(id) ?? 0) + 1);
    }
    while (t + 1 < turns.length && turns[t + 1]!.para <= u.para) t++;
    const tag = u.tag;
    if (
      u.speaker === null &&
      tag &&
      (tag.kind === 'pronoun' || tag.kind === 'epithet' || tag.kind === 'other')
    ) {
      const beat = tag.source === 'beat-before' || tag.source === 'beat-after';
      const context = turnContext(turns, t, centreOf(ctx, i, tag.gender));
      // "her mother", "Daisy's mamma": described by whose they are.
      const described =
        tag.kind === 'other' && (possessorOf(tag.form) !== null || ownerNameOf(tag.form) !== null);
      const backReference = tag.kind === 'epithet' ? BACK_REFERENCES.get(tag.form) : undefined;
      const resolved =
        backReference !== undefined
          ? namedBefore(utts, i, ctx, backReference)
          : tag.kind === 'epithet' && tag.form !== 'other'
            ? (() => {
                // A gendered description ("the girl", "the old gentleman") is a named character
                // met earlier, found like a pronoun; a neutral one ("the mage") names a speaker
                // the story never names, when it recurs. A title ("the Queen") is one character's
                // rank, not a description: it names its holder, or a speaker of its own.
                if (tag.gender !== 'unknown' && !isTitleEpithet(tag.form)) {
                  const r = resolvePronoun(u, tag.gender, ctx, recent, context, focus);
                  if (r) return r;
                }
                const id = ctx.entityOfTag(tag);
                return id !== null
                  ? { id, sieve: 'tag-epithet' as Sieve }
                  : resolvePronoun(u, tag.gender, ctx, recent, context, focus);
              })()
            : tag.form === 'other'
              ? null
              : described
                ? resolveDescribed(u, i, tag, ctx, recent, context, focus)
                : resolvePronoun(u, tag.gender, ctx, recent, context, focus);
      if (resolved) {
        let sieve = resolved.sieve;
        let conf = SIEVE_PRIOR[sieve];
        if (beat) {
          sieve = tag.source === 'beat-before' ? 'beat-before-pronoun' : 'beat-after';
          conf = Math.min(SIEVE_PRIOR[sieve], conf);
        } else if (tag.kind !== 'pronoun' && sieve !== 'tag-relative') {
          sieve = 'tag-epithet';
          conf = Math.min(conf, SIEVE_PRIOR['tag-epithet']);
        }
        set(u, resolved.id, sieve, conf);
      }
    }
    if (u.speaker !== null) {
      recent.push({ id: u.speaker, para: u.para, scene: u.scene });
      if (recent.length > 16) recent.shift();
    }
  }
}

/** "the latter" is the last character the narration named before the quote, "the former" the one before. */
const BACK_REFERENCES: ReadonlyMap<string, number> = new Map([
  ['latter', 1],
  ['former', 2],
]);

/** How far back (characters) the narration is searched for the people "the latter" chooses between. */
const BACK_REFERENCE_REACH = 1500;

/**
 * "Mrs. Weston and Miss Bates met them at the door. "My dear Miss Woodhouse," said the latter":
 * the nth distinct character named in the narration before utterance i (1: the last), within
 * its scene and BACK_REFERENCE_REACH characters; the words inside earlier quotes name no one here.
 */
function namedBefore(
  utts: readonly Utterance[],
  i: number,
  ctx: AttributionContext,
  nth: number,
): { id: number; sieve: Sieve } | null {
  const u = utts[i]!;
  const from = u.parts[0]!.start;
  const { starts, entities } = ctx.cast.mentions;
  // The last mention before the quote (binary search).
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  const seen: number[] = [];
  let j = i - 1;
  for (let k = lo - 1; k >= 0 && from - starts[k]! <= BACK_REFERENCE_REACH; k--) {
    const at = starts[k]!;
    // The last utterance that starts before this mention: is the mention inside one of its parts?
    while (j >= 0 && utts[j]!.parts[0]!.start > at) j--;
    if (j >= 0 && utts[j]!.scene !== u.scene) break;
    if (j >= 0 && utts[j]!.parts.some((part) => part.start <= at && at < part.end)) continue;
    const id = entities[k]!;
    if (!seen.includes(id)) seen.push(id);
    if (seen.length === nth) return u.vocatives.includes(id) ? null : { id, sieve: 'tag-epithet' };
  }
  return null;
}

/**
 * "said her mother", "his friend replied", "answered Daisy's mamma": someone other than whom the
 * possessive means (whom the narration follows, or the one named); a parent or spouse the cast
 * names by the family's name and title is found by it (relatives.ts), anyone else as a pronoun of
 * the description's gender would be, the possessor left out.
 */
function resolveDescribed(
  u: Utterance,
  i: number,
  tag: Tag,
  ctx: AttributionContext,
  recent: readonly RecentSpeaker[],
  context: TurnContext,
  focus: ReadonlyMap<number, number>,
): { id: number; sieve: Sieve } | null {
  const named = ownerNameOf(tag.form);
  const pronounOwner = named === null ? possessorOf(tag.form) : null;
  const possessor =
    named !== null
      ? (ctx.cast.byForm.get(named) ?? null)
      : pronounOwner === null
        ? null
        : centreOf(ctx, i, pronounOwner);
  if (possessor === null) return resolvePronoun(u, tag.gender, ctx, recent, context, focus);
  const kin = kinDescription(tag.form);
  const relative = kin === null ? null : relativeOf(ctx.cast, possessor, kin);
  if (relative !== null && !u.vocatives.includes(relative)) return { id: relative, sieve: 'tag-relative' };
  if (kin !== null && relative === null && pronounOwner !== null) {
    // Whom the narration follows may be the relative herself: "Mrs. Miller... 'Come, Daisy,'
    // said her mother", her daughter being the one just behind. Then she speaks.
    const second = centreOf(ctx, i, pronounOwner, true);
    if (second !== null && isRelativeOf(ctx.cast, possessor, second, kin) && !u.vocatives.includes(possessor))
      return { id: possessor, sieve: 'tag-relative' };
  }
  return resolvePronoun(u, tag.gender, ctx, recent, context, focus, possessor);
}

/** Does turn k follow turn k - 1 directly (no narration paragraph, same scene)? */
function followsDirectly(turns: readonly Turn[], k: number): boolean {
  return k > 0 && turns[k]!.gap === 0 && turns[k]!.scene === turns[k - 1]!.scene;
}

/**
 * The most salient character of gender g where utterance i begins (salience.ts), or with `runnerUp`
 * the second most; null when none.
 */
function centreOf(ctx: AttributionContext, i: number, g: Gender, runnerUp = false): number | null {
  const centres = ctx.centres;
  if (centres === undefined || g === 'unknown') return null;
  const byUtterance =
    g === 'male'
      ? runnerUp
        ? centres.secondMale
        : centres.male
      : runnerUp
        ? centres.secondFemale
        : centres.female;
  const id = byUtterance[i]!;
  return id >= 0 ? id : null;
}

function turnContext(turns: readonly Turn[], t: number, centre: number | null): TurnContext {
  const turn = turns[t];
  if (!turn) return { prev: null, alternate: null, addressed: [], centre };
  if (!followsDirectly(turns, t)) return { prev: null, alternate: null, addressed: [], centre };
  const prevTurn = turns[t - 1]!;
  // Only a confident previous speaker may be ruled out.
  const prevUtt = prevTurn.utts[prevTurn.utts.length - 1]!;
  const prev = prevUtt.confidence >= 0.85 ? exitSpeaker(prevTurn) : null;
  const addressed: number[] = [];
  for (const x of prevTurn.utts) for (const v of x.vocatives) if (v !== prev) addressed.push(v);
  let alternate: number | null = null;
  if (followsDirectly(turns, t - 1)) {
    const two = exitSpeaker(turns[t - 2]!);
    if (two !== null && two !== prev) alternate = two;
  }
  return { prev, alternate, addressed, centre };
}

/**
 * Resolves a gendered mention to a character present. The pool: whoever the previous turn
 * addressed, names in this paragraph's narration, recent speakers, names in the two previous
 * paragraphs. The previous turn's speaker is unlikely ("he said" repeats the last speaker under
 * 9% of the time), and so is anyone this quote addresses; `notThem` (whose relative a
 * description names: "her mother" is not "her") is left out.
 */
function resolvePronoun(
  u: Utterance,
  g: Gender,
  ctx: AttributionContext,
  recent: readonly RecentSpeaker[],
  context: TurnContext,
  focus: ReadonlyMap<number, number>,
  notThem: number | null = null,
): { id: number; sieve: Sieve } | null {
  const { cast, mentions } = ctx;
  // Who is excluded (the quote's addressees), and the pool: its ids in the order first added,
  // each one's summed weight beside it. Plain arrays (the pool is small): this runs for every
  // pronoun tag, and a Set, a Map and closures per call were measurable garbage.
  const excluded = notThem === null ? u.vocatives : [...u.vocatives, notThem];
  const order = poolOrder;
  const weights = poolWeights;
  order.length = 0;
  weights.length = 0;
  const add = addToPool;
  // Most likely first: who acts just before the quote, whom the last narration paragraph was
  // about, whom the previous speaker addressed, then names in this paragraph.
  if (u.beatSubject !== undefined && u.beatSubject !== null) add(u.beatSubject, 2, excluded, ctx);
  if (context.centre !== null) add(context.centre, 1, excluded, ctx);
  const prevPara = mentions[u.para - 1];
  if (prevPara?.narrationOnly && prevPara.lastSubject !== null) add(prevPara.lastSubject, 1, excluded, ctx);
  for (const id of context.addressed) add(id, 1, excluded, ctx);
  if (context.alternate !== null) add(context.alternate, 1, excluded, ctx);
  const here = mentions[u.para];
  if (here) for (let k = here.narration.length - 1; k >= 0; k--) add(here.narration[k]!, 1, excluded, ctx);
  // The last five distinct recent speakers of the scene (within 25 paragraphs).
  const seen = recentSeen;
  seen.length = 0;
  for (let k = recent.length - 1; k >= 0; k--) {
    const r = recent[k]!;
    if (r.scene !== u.scene || u.para - r.para > 25) break;
    if (!seen.includes(r.id)) {
      seen.push(r.id);
      add(r.id, 1, excluded, ctx);
    }
    if (seen.length >= 5) break;
  }
  for (let d = 1; d <= 2; d++) {
    const m = mentions[u.para - d];
    if (m) for (let k = m.narration.length - 1; k >= 0; k--) add(m.narration[k]!, 1, excluded, ctx);
  }
  if (context.alternate !== null) add(context.alternate, 1, excluded, ctx);
  // Last resort: the character of this gender the scene is most about (its point of view).
  let anyKnown = false;
  for (const id of order)
    if (knownGender(cast, id, g)) {
      anyKnown = true;
      break;
    }
  if (!anyKnown) {
    let top: number | null = null;
    let topCount = 0;
    for (const [id, n] of focus) {
      if (n > topCount && knownGender(cast, id, g) && g !== 'unknown') {
        top = id;
        topCount = n;
      }
    }
    if (top !== null && topCount >= 2) add(top, 1, excluded, ctx);
  }
  // Those of the pronoun's gender, other than the previous speaker: how many, and the first.
  let matching = 0;
  let firstMatch = -1;
  for (let x = 0; x < order.length; x++) {
    const id = order[x]!;
    if (knownGender(cast, id, g) && id !== context.prev) {
      if (matching === 0) firstMatch = x;
      matching++;
    }
  }
  if (matching === 1) {
    const id = order[firstMatch]!;
    let unknownRivals = false;
    for (const x of order)
      if (x !== id && x !== context.prev && !knownGender(cast, x, g) && compatible(cast, x, g)) {
        unknownRivals = true;
        break;
      }
    const confirmed = weights[firstMatch]! >= 2 || id === context.alternate || context.addressed.includes(id);
    if (unknownRivals) return { id, sieve: 'tag-pronoun-recency' };
    return { id, sieve: confirmed ? 'tag-pronoun-confirmed' : 'tag-pronoun-single' };
  }
  if (matching > 1) return { id: order[firstMatch]!, sieve: 'tag-pronoun-recency' };
  for (const id of order)
    if (compatible(cast, id, g) && id !== context.prev) return { id, sieve: 'tag-pronoun-recency' };
  if (
    context.prev !== null &&
    context.prev !== NARRATOR_ID &&
    compatible(cast, context.prev, g) &&
    !excluded.includes(context.prev)
  ) {
    return { id: context.prev, sieve: 'tag-pronoun-recency' };
  }
  return null;
}

/** resolvePronoun's pool and recent-speaker scratch lists, emptied on every call. */
const poolOrder: number[] = [];
const poolWeights: number[] = [];
const recentSeen: number[] = [];

/** Adds `id` to resolvePronoun's pool with `weight`, unless excluded, the narrator or address-only. */
function addToPool(id: number, weight: number, excluded: readonly number[], ctx: AttributionContext): void {
  if (excluded.includes(id) || id === NARRATOR_ID || ctx.addressOnly.has(id)) return;
  const at = poolOrder.indexOf(id);
  if (at < 0) {
    poolOrder.push(id);
    poolWeights.push(weight);
  } else poolWeights[at] = poolWeights[at]! + weight;
}

function buildTurns(utts: readonly Utterance[], mentions: readonly ParagraphMentions[]): Turn[] {
  const turns: Turn[] = [];
  let current: Turn | null = null;
  for (const u of utts) {
    if (u.nested) continue;
    if (current && current.para === u.para) {
      current.utts.push(u);
      continue;
    }
    let gap = Number.POSITIVE_INFINITY;
    if (current && current.scene === u.scene) {
      gap = 0;
      for (let p = current.para + 1; p < u.para; p++) if (mentions[p]?.narrationOnly) gap++;
    }
    current = { para: u.para, scene: u.scene, utts: [u], gap };
    turns.push(current);
  }
  return turns;
}

const turnSpeaker = (t: Turn): number | null => {
  for (const u of t.utts) if (u.speaker !== null && u.sieve !== 'beat-after') return u.speaker;
  return null;
};

const exitSpeaker = (t: Turn): number | null => {
  for (let k = t.utts.length - 1; k >= 0; k--) {
    const u = t.utts[k]!;
    if (u.speaker !== null && u.sieve !== 'beat-after') return u.speaker;
  }
  return null;
};

interface Estimate {
  readonly id: number;
  readonly distance: number;
  readonly conf: number;
  readonly partnerKnown: boolean;
  readonly sieve?: Sieve;
}

/** Sieves strong enough to anchor a conversation's parity. */
const HARD_ANCHORS: ReadonlySet<Sieve> = new Set<Sieve>([
  'tag-name',
  'tag-name-before',
  'tag-narrator',
  'beat-before-name',
  'tag-pronoun-confirmed',
  'tag-pronoun-single',
]);

/**
 * Pass 2a: clean two-person exchanges. In a run of consecutive speech paragraphs (no narration
 * paragraph, no scene break between them) whose named anchors involve exactly two speakers and
 * agree with strict alternation (same speaker at even distances, the other at odd ones), every
 * turn takes its parity's speaker. Pronoun tags that agree with the parity and the speakers'
 * genders confirm it; any disagreement leaves the run to the ordinary conversation pass.
 */
function dyads(turns: readonly Turn[], ctx: AttributionContext): void {
  let i = 0;
  while (i < turns.length) {
    let j = i + 1;
    while (j < turns.length && followsDirectly(turns, j)) j++;
    // (fillDyad ignores runs under three turns: those are not even sliced.)
    if (j - i >= 3) fillDyad(turns.slice(i, j), ctx);
    i = j;
  }
}

/** An entity's gender ('unknown' for the narrator). */
function genderOfId(cast: Cast, id: number): string {
  return id === NARRATOR_ID ? 'unknown' : (cast.entities[id]?.gender ?? 'unknown');
}

function fillDyad(run: readonly Turn[], ctx: AttributionContext): void {
  if (run.length < 3) return;
  const anchors: { k: number; id: number }[] = [];
  for (let k = 0; k < run.length; k++) {
    const turn = run[k]!;
    // Two speakers in one paragraph break strict alternation.
    let speaker: number | null = null;
    let hard: number | null = null;
    for (const u of turn.utts) {
      if (u.speaker === null) continue;
      if (speaker === null) speaker = u.speaker;
      else if (u.speaker !== speaker) return;
      if (HARD_ANCHORS.has(u.sieve) && u.confidence >= 0.6) hard = u.speaker;
    }
    if (hard !== null) anchors.push({ k, id: hard });
  }
  if (anchors.length === 0) return;
  const speakers = [...new Set(anchors.map((a) => a.id))];
  if (speakers.length > 2) return;
  const first = anchors[0]!;
  for (const a of anchors) {
    const even = (a.k - first.k) % 2 === 0;
    if (even !== (a.id === first.id)) return;
  }
  let other: number | null = speakers.find((id) => id !== first.id) ?? null;
  // One named speaker: the other may come from consistent pronoun resolutions at odd distance.
  if (other === null) {
    const candidates = new Set<number>();
    for (let k = 0; k < run.length; k++) {
      if ((k - first.k) % 2 === 0) continue;
      for (const u of run[k]!.utts)
        if (u.speaker !== null && u.speaker !== first.id) candidates.add(u.speaker);
    }
    if (candidates.size !== 1) return;
    other = [...candidates][0]!;
  }
  // Check soft evidence (pronoun tags, beats) against the parity.
  let contradictions = 0;
  for (let k = 0; k < run.length; k++) {
    const expected = (k - first.k) % 2 === 0 ? first.id : other;
    for (const u of run[k]!.utts) {
      if (u.speaker !== null && u.speaker !== expected) contradictions++;
      if (
        u.tag?.kind === 'pronoun' &&
        u.tag.source === 'after' &&
        genderOfId(ctx.cast, expected) !== 'unknown' &&
        genderOfId(ctx.cast, expected) !== u.tag.gender
      )
        contradictions++;
      if (u.vocatives.includes(expected)) contradictions++;
    }
  }
  if (contradictions > 0) return;
  // A typed list: the array `map` returned came in more than one element kind, and each new one
  // threw away fillDyad's optimised code.
  const anchorAt = Int32Array.from(anchors, (a) => a.k);
  let next = 0;
  for (let k = 0; k < run.length; k++) {
    const expected = (k - first.k) % 2 === 0 ? first.id : other;
    // Nearest anchors on either side, by a pointer that only moves forward (linear in the run).
    while (next < anchorAt.length && anchorAt[next]! < k) next++;
    // (Bounds checked: reading past the end of a typed array also discards the optimised code.)
    const prevAnchor =
      next < anchorAt.length && anchorAt[next] === k ? k : next > 0 ? anchorAt[next - 1]! : -1;
    const nextAnchor = next < anchorAt.length ? anchorAt[next]! : -1;
    const dBefore = prevAnchor >= 0 ? k - prevAnchor : Number.POSITIVE_INFINITY;
    const dAfter = nextAnchor >= 0 ? nextAnchor - k : Number.POSITIVE_INFINITY;
    const bracketed = Number.isFinite(dBefore) && Number.isFinite(dAfter);
    const d = Math.min(dBefore, dAfter);
    const twoNamed = speakers.length === 2;
    // Measured on PDNC: bracketed by named anchors .92, anchored on one side .85, with the
    // partner only inferred from pronoun resolutions about .65.
    let conf = bracketed ? 0.92 : Math.max(0.8, 0.86 - 0.01 * d);
    if (!twoNamed) conf = 0.65;
    for (const u of run[k]!.utts) {
      if (u.speaker === null || u.sieve === 'beat-after' || u.sieve === 'fallback') {
        set(u, expected, 'dyad', conf);
        u.detail = `${bracketed ? 'bracketed' : 'open'}${twoNamed ? '' : '-inferred'}-d${Math.min(d, 6)}`;
      } else if (u.speaker === expected && u.confidence < conf) {
        // Agreement between a pronoun resolution and the exchange's parity.
        u.confidence = Math.max(u.confidence, Math.min(0.99, 1 - (1 - u.confidence) * (1 - conf) * 8));
        u.detail = 'dyad-agrees';
      }
    }
  }
}

/** "No speaker" in conversation's per-turn table (speaker ids are -1, the narrator, and up). */
const NOBODY = -2;

/** Pass 2: alternation through untagged turns, anchored on tagged ones. */
function conversation(turns: readonly Turn[], ctx: AttributionContext): void {
  const n = turns.length;
  // Typed tables (NOBODY for no speaker): a plain array of ids and nulls changed its element kind
  // from story to story (all ids in one, some nulls in the next), and each change threw away the
  // optimised code of conversation and estimate, which then compiled again.
  const known = new Int32Array(n);
  const anchorConf = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const turn = turns[k]!;
    known[k] = turnSpeaker(turn) ?? NOBODY;
    for (const u of turn.utts)
      if (u.speaker !== null) {
        anchorConf[k] = u.confidence;
        break;
      }
  }
  // A chain runs while turns follow each other directly: a narration paragraph breaks it (notes §2).
  const linked = (k: number): boolean => k < n && followsDirectly(turns, k);
  const chain = new Int32Array(n);
  for (let k = 1; k < n; k++) chain[k] = linked(k) ? chain[k - 1]! : chain[k - 1]! + 1;
  const seenSpeakers: number[] = [];
  const penalty = (from: number, to: number): number => {
    let p = 1;
    for (let k = Math.min(from, to) + 1; k <= Math.max(from, to); k++) if (turns[k]!.gap > 0) p *= 0.88;
    return p;
  };

  for (let t = 0; t < n; t++) {
    const turn = turns[t]!;
    const first = turn.utts[0]!;
    if (known[t] !== NOBODY && first.speaker !== null) continue;
    const target = turn.utts.find((u) => u.speaker === null || u.sieve === 'beat-after') ?? first;
    if (target.speaker !== null && target.sieve !== 'beat-after') continue;

    // Backward estimate: nearest known turn before t in the chain, and its partner.
    const back = estimate(t, -1);
    const fwd = estimate(t, +1);
    let choice: Estimate | null = back && fwd ? (fwd.distance < back.distance ? fwd : back) : (back ?? fwd);
    const agree = back !== null && fwd !== null && back.id === fwd.id;
    if (back && fwd && !agree && back.distance === fwd.distance) choice = null;

    // Speech right after a narration paragraph whose last sentence is about a character: that
    // character speaks ("Mrs. Bennet deigned not to reply, but began scolding one of her daughters.").
    if (turn.gap === 1) {
      const narrationPara = ctx.mentions[turn.para - 1];
      const subject = narrationPara?.narrationOnly ? narrationPara.lastSubject : null;
      if (subject !== null && subject !== undefined && !target.vocatives.includes(subject)) {
        const fwdAgrees = fwd !== null && fwd.id === subject;
        const conf = fwdAgrees
          ? alternationConfidence(fwd.distance, true, false)
          : SIEVE_PRIOR['narration-beat'];
        set(target, subject, 'narration-beat', conf);
        for (const u of turn.utts) if (u.speaker === null) set(u, subject, 'continuation', conf * 0.95);
        continue;
      }
    }

    // Vocative in the previous turn naming someone: the addressee answers.
    const prevTurn = linked(t) ? turns[t - 1] : undefined;
    const prevSpeaker = prevTurn ? exitSpeaker(prevTurn) : null;
    const addressed: number[] = [];
    if (prevTurn)
      for (const u of prevTurn.utts)
        for (const v of u.vocatives) if (v !== prevSpeaker && !ctx.addressOnly.has(v)) addressed.push(v);
    const vocConfirms = choice !== null && addressed.includes(choice.id);
    if (choice && addressed.length === 1 && !vocConfirms) {
      // The previous speaker addressed someone else: in a crowd the addressee answers; between
      // two speakers alternation still wins (65% against 27%).
      if (choice.conf < 0.8)
        choice = { id: addressed[0]!, distance: 1, conf: 1, partnerKnown: true, sieve: 'vocative' };
      else choice = { ...choice, conf: Math.min(choice.conf, 0.65) };
    }
    if (!choice && addressed.length === 1) {
      choice = { id: addressed[0]!, distance: 1, conf: 1, partnerKnown: true, sieve: 'vocative' };
    }
    if (!choice) continue;
    // Veto: the predicted speaker is addressed inside the quote itself.
    if (target.vocatives.includes(choice.id)) continue;
    let conf =
      choice.sieve === 'vocative'
        ? SIEVE_PRIOR.vocative
        : alternationConfidence(choice.distance, agree, vocConfirms);
    conf *= choice.conf;
    if (!choice.partnerKnown) conf *= 0.9;
    if (target.sieve === 'beat-after' && target.speaker !== choice.id) conf *= 0.8;
    if (target.sieve === 'beat-after' && target.speaker === choice.id) conf = Math.max(conf, 0.9);
    set(target, choice.id, choice.sieve ?? 'alternation', Math.min(0.99, conf));
    target.detail = `d${choice.distance}${agree ? '+agree' : ''}${vocConfirms ? '+voc' : ''}${choice.conf < 0.8 ? '+weak' : ''}${back === choice ? '+back' : '+fwd'}`;
    // Other untagged utterances of the same paragraph share the turn's speaker.
    for (const u of turn.utts) if (u.speaker === null) set(u, choice.id, 'continuation', conf * 0.95);
  }

  function estimate(t: number, dir: -1 | 1): Estimate | null {
    // Walk to the nearest known turn in the chain.
    let k = t;
    for (;;) {
      if (dir < 0 ? !linked(k) : !linked(k + 1)) return null;
      k += dir;
      if (k < 0 || k >= n) return null;
      if (known[k] !== NOBODY) break;
      if (Math.abs(k - t) > 8) return null;
    }
    const anchor = known[k]!;
    const distance = Math.abs(k - t);
    // The partner: the nearest known different speaker around the anchor, in the chain.
    let partner: number | null = null;
    let partnerDistance = 0;
    for (let d = 1; d <= 8 && partner === null; d++) {
      for (let side = 0; side < 2; side++) {
        const s = side === 0 ? k - d * dir : k + d * dir;
        if (s < 0 || s >= n) continue;
        if (chain[s] !== chain[k]) continue;
        const sp = known[s]!;
        if (sp !== NOBODY && sp !== anchor) {
          partner = sp;
          partnerDistance = d;
          break;
        }
      }
    }
    // A third speaker between the anchor and t breaks the pattern.
    for (let q = Math.min(k, t) + 1; q < Math.max(k, t); q++) {
      const sp = known[q]!;
      if (sp !== NOBODY && sp !== anchor && sp !== partner) return null;
    }
    // More than two speakers around: alternation is much less reliable.
    // (Counted in a reused list: this runs twice per untagged turn.)
    seenSpeakers.length = 0;
    for (let q = Math.max(0, Math.min(k, t) - 4); q <= Math.min(n - 1, Math.max(k, t) + 2); q++) {
      const sp = known[q]!;
      if (sp !== NOBODY && !seenSpeakers.includes(sp)) seenSpeakers.push(sp);
    }
    const crowd = seenSpeakers.length > 2 ? 0.75 : 1;
    const conf = Math.min(1, anchorConf[k]! + 0.02) * penalty(k, t) * crowd;
    if (distance % 2 === 0) return { id: anchor, distance, conf, partnerKnown: true };
    if (partner === null) return null;
    return {
      id: partner,
      distance,
      conf: conf * (partnerDistance <= 1 ? 1 : 0.95),
      partnerKnown: partnerDistance <= 2,
    };
  }
}

/** The fallback never gives a quote to whom it addresses, nor to the previous paragraph's speaker. */
const fallbackExcludes = (u: Utterance, id: number, excludedPrev: number | null): boolean =>
  u.vocatives.includes(id) || id === excludedPrev;

/** The first of `ids` the fallback may choose (not excluded, not address-only). */
function firstPresent(
  ids: readonly number[],
  u: Utterance,
  excludedPrev: number | null,
  ctx: AttributionContext,
): number | undefined {
  for (const id of ids) if (!fallbackExcludes(u, id, excludedPrev) && !ctx.addressOnly.has(id)) return id;
  return undefined;
}

/** Pass 3: what is still unknown takes the most likely present character, at low confidence. */
function fallback(utts: readonly Utterance[], ctx: AttributionContext): void {
  const recent: { id: number; scene: number }[] = [];
  let lastAnywhere: number | null = null;
  let prevSpeaker: number | null = null;
  let prevPara = -1;
  for (const u of utts) {
    if (u.nested) continue;
    if (u.speaker === null) {
      const here = ctx.mentions[u.para];
      const prev = ctx.mentions[u.para - 1];
      // Excluded: whom the quote addresses, and the previous paragraph's speaker.
      const excludedPrev = u.para !== prevPara && prevSpeaker !== null ? prevSpeaker : null;
      // The first name in this paragraph's narration, then the previous narration paragraph's.
      let narrationName = here ? firstPresent(here.narration, u, excludedPrev, ctx) : undefined;
      if (narrationName === undefined && prev?.narrationOnly)
        narrationName = firstPresent(prev.narration, u, excludedPrev, ctx);
      if (narrationName !== undefined) set(u, narrationName, 'narration-name');
      else {
        for (let k = recent.length - 1; k >= 0; k--) {
          const r = recent[k]!;
          if (r.scene !== u.scene) break;
          if (!fallbackExcludes(u, r.id, excludedPrev)) {
            set(u, r.id, 'fallback');
            break;
          }
        }
      }
      // Nobody present by name: the story's most recent speaker, at the lowest confidence.
      if (u.speaker === null && lastAnywhere !== null && !fallbackExcludes(u, lastAnywhere, excludedPrev))
        set(u, lastAnywhere, 'fallback', 0.3);
      if (u.speaker !== null && u.tag && (u.tag.kind === 'pronoun' || u.tag.kind === 'epithet')) {
        const g = u.tag.gender;
        if (!compatible(ctx.cast, u.speaker, g)) set(u, null, 'none');
      }
    }
    if (u.speaker !== null) {
      lastAnywhere = u.speaker;
      if (u.para !== prevPara) prevSpeaker = u.speaker;
      recent.push({ id: u.speaker, scene: u.scene });
      if (recent.length > 8) recent.shift();
    }
    prevPara = u.para;
  }
}

/** Runs the sieves, highest precision first; each fills only what the earlier ones left. */
export function attribute(utts: readonly Utterance[], ctx: AttributionContext): void {
  for (const u of utts) {
    u.speaker = null;
    u.sieve = 'none';
    u.confidence = 0;
    u.type = 'implicit';
    u.detail = undefined;
  }
  // The turns depend on where the utterances are, not on who speaks: built once for every pass.
  const turns = buildTurns(utts, ctx.mentions);
  namedEvidence(utts, ctx);
  pronounEvidence(utts, turns, ctx);
  dyads(turns, ctx);
  conversation(turns, ctx);
  fallback(utts, ctx);
}

/**
 * The model's pass (model.ts): every utterance's candidate speakers (the sieves' choice among
 * them) are scored on their features (features.ts); the best one speaks, and the confidence is
 * the held-out precision at its score. All features are read before any decision changes, so a
 * decision never feeds its neighbours' features (as in training). Without a trained model the
 * sieves' choices and priors stand. With `keepCandidates`, the candidates stay on the utterance
 * (for the training script).
 */
/** Sieves that never make a quote eligible on their own: a beat after the quote, the fallback. */
export const WEAK_ALONE: ReadonlySet<Sieve> = new Set<Sieve>(['beat-after', 'fallback']);
const WEAK_ALONE_CAP = 0.85;

/** applyModel's mark of a quote without candidates (speaker ids are -1, the narrator, and up). */
const NO_CHOICE = -2;

export function applyModel(
  utts: readonly Utterance[],
  ctx: AttributionContext,
  keepCandidates: boolean,
): void {
  const prior = utts.map((u) => u.confidence);
  const reader = featureReader(utts, ctx, prior, keepCandidates);
  // First pass: every quote's ranked candidates; stage 2 reads each choice beside its
  // neighbours' (model.ts), so a quote's confidence waits for the first passes NEIGHBOUR_REACH
  // quotes ahead. The reader reuses its vectors for the next quote: the choices' features wait
  // in a ring of copies. A first pass is dropped once no quote left to decide reads it, and the
  // decisions are kept in typed arrays: the young-generation collector copies whatever is still
  // alive, and a whole story's passes and decision objects were.
  const passes: (FirstPass | undefined)[] = [];
  const ring = Array.from({ length: NEIGHBOUR_REACH + 1 }, () => ({ base: new Float64Array(0), block: 0 }));
  // The chosen speaker of each quote (NO_CHOICE without candidates) and stage 2's probability.
  const decidedSpeaker = new Int32Array(utts.length);
  const decidedP = new Float64Array(utts.length);
  for (let i = 0; i < utts.length + NEIGHBOUR_REACH; i++) {
    if (i < utts.length) {
      const ids = reader.candidates(i);
      const features = reader.features(i);
      if (keepCandidates) utts[i]!.candidates = { ids, features };
      const pass = modelTrained ? firstPass(ids, candidateProbabilities(features)) : firstPass([], []);
      passes.push(pass);
      if (pass.best >= 0) {
        const slot = ring[i % ring.length]!;
        const best = features[pass.best]!;
        if (slot.base.length !== best.base.length) slot.base = new Float64Array(best.base.length);
        slot.base.set(best.base);
        slot.block = best.block;
      }
    }
    const j = i - NEIGHBOUR_REACH;
    if (j < 0) continue;
    const pass = passes[j]!;
    const speaker = pass.best < 0 ? NO_CHOICE : pass.ids[pass.best]!;
    decidedSpeaker[j] = speaker;
    decidedP[j] =
      pass.best < 0 ? 0 : choiceProbability(passes, j, ring[j % ring.length]!, speaker === utts[j]!.speaker);
    if (j >= NEIGHBOUR_REACH) passes[j - NEIGHBOUR_REACH] = undefined;
  }
  if (!modelTrained) return;
  for (let i = 0; i < utts.length; i++) {
    const u = utts[i]!;
    const speaker = decidedSpeaker[i]!;
    if (speaker === NO_CHOICE) {
      if (u.speaker !== null) u.confidence = Math.min(u.confidence, 0.5);
      continue;
    }
    if (u.speaker !== speaker) {
      u.detail = `ranked-over:${u.sieve}`;
      u.speaker = speaker;
      u.sieve = 'ranked';
    }
    u.confidence = confidenceAt(decidedP[i]!);
    // Weak evidence alone never makes a quote eligible, however sure the model (notes §2, §5).
    if (WEAK_ALONE.has(u.sieve)) u.confidence = Math.min(u.confidence, WEAK_ALONE_CAP);
  }
}
