import { SpeakerNames } from '../speaker-names.ts';
import type { CastMember, Dialogue, PointOfView, Quote, Scene } from '../types.ts';
import {
  type AttributionContext,
  applyModel,
  attribute,
  NARRATOR_ID,
  type ParagraphMentions,
  type Utterance,
} from './attribute.ts';
import {
  addEpithetEntity,
  buildCast,
  type Cast,
  canonicalHonorific,
  type Entity,
  RunNames,
  scanNameMentions,
  splitForm,
} from './cast.ts';
import { pushBoundedParagraph } from './chunks.ts';
import { ELIGIBLE_CONFIDENCE, playableLength } from './confidence.ts';
import { expandFeatures } from './features.ts';
import { type Gender, HONORIFICS } from './lexicon.ts';
import {
  detectQuoteStyle,
  findQuotes,
  indexMarks,
  isJsSpace,
  isScareQuote,
  type ParagraphRef,
  type RawQuote,
} from './quotes.ts';
import { narrationCentres } from './salience.ts';
import {
  afterTokens,
  beatBefore,
  CapitalFinder,
  countSpeechVerbs,
  isTitleEpithet,
  type NarrationTokens,
  type Tag,
  tagAfter,
  tagBefore,
  vocativesIn,
} from './tags.ts';

export interface DialogueOptions {
  /** The story's point of view when its metadata states one; the analyser may also detect it. */
  readonly pov: PointOfView | null;
}

/** Per top-level quote (in the same order): the narration evidence around it. */
interface QuoteEvidence {
  readonly after: Tag | null;
  readonly before: Tag | null;
  readonly beat: Tag | null;
  readonly vocatives: readonly string[];
  /** The narration since the previous quote of the paragraph holds a second speech verb. */
  readonly secondVerb: boolean;
}

/**
 * Finds every quotation in a story's prose, builds its cast and attributes each quote to a
 * speaker. `scenes` carry the paragraphs (offsets into `text`); only those are read.
 */
export function analyzeDialogue(text: string, scenes: readonly Scene[], options: DialogueOptions): Dialogue {
  return runDialogue(text, scenes, options, false).dialogue;
}

/** One utterance's candidate speakers (as rendered names) and their model features. */
export interface TracedCandidates {
  readonly names: readonly string[];
  readonly features: readonly Float64Array[];
  /** Per candidate: does the quote say their name (so it could not be eligible with them)? */
  readonly named: readonly boolean[];
}

/** The same analysis, with the sieve that decided each quote (for calibration scripts). */
export function analyzeDialogueTraced(
  text: string,
  scenes: readonly Scene[],
  options: DialogueOptions,
): { dialogue: Dialogue; sieves: string[]; candidates?: TracedCandidates[] } {
  return runDialogue(text, scenes, options, true);
}

/** The analysis; `traced` also lists each quote's sieve and features (calibration scripts only). */
function runDialogue(
  text: string,
  scenes: readonly Scene[],
  options: DialogueOptions,
  traced: boolean,
): { dialogue: Dialogue; sieves: string[]; candidates?: TracedCandidates[] } {
  const paragraphs: ParagraphRef[] = [];
  for (const scene of scenes) {
    for (const p of scene.paragraphs) pushBoundedParagraph(paragraphs, text, p.start, p.end, scene.index);
  }
  if (paragraphs.length === 0)
    return { dialogue: { narrator: null, characters: [], quotes: [] }, sieves: [] };

  const marks = indexMarks(text);
  const style = detectQuoteStyle(text, paragraphs, marks);
  const all = findQuotes(text, paragraphs, style, marks);
  const quotes = all.filter((q) => q.depth > 0 || !isScareQuote(text, q, paragraphs[q.para]!));
  const top = quotes.filter((q) => q.depth === 0);

  // The names of capitalised runs, read once per distinct run for the vocatives and the cast.
  const runNames = new RunNames(text);
  const evidence = readEvidence(text, paragraphs, top, runNames);
  const tagSubjects = new Map<string, number>();
  const vocativeCounts = new Map<string, number>();
  const beatSubjects = new Map<string, number>();
  // Speech tags name people; a beat after the quote ("Simple words, but true.") counts as a beat,
  // which takes two before a word is a name.
  const countTag = (t: Tag | null): void => {
    // A distant lead-in's subject is trusted only once the cast knows it as a name.
    if (t?.kind !== 'name' || t.distant) return;
    const counts = t.source === 'beat-after' || t.source === 'beat-before' ? beatSubjects : tagSubjects;
    counts.set(t.form, (counts.get(t.form) ?? 0) + 1);
  };
  for (const e of evidence) {
    countTag(e.after);
    countTag(e.before);
    if (e.beat?.kind === 'name') beatSubjects.set(e.beat.form, (beatSubjects.get(e.beat.form) ?? 0) + 1);
    for (const v of e.vocatives) vocativeCounts.set(v, (vocativeCounts.get(v) ?? 0) + 1);
  }

  const nameMentions = scanNameMentions(text, runNames);
  let qi = 0;
  const insideQuote = (offset: number): boolean => {
    while (qi < top.length && top[qi]!.end <= offset) qi++;
    const q = top[qi];
    return q !== undefined && q.start <= offset;
  };
  const cast = buildCast(text, nameMentions, {
    tagSubjects,
    beatSubjects,
    vocatives: vocativeCounts,
    insideQuote,
  });
  const mentions = paragraphMentions(text, paragraphs, top, cast);

  const epithetTags = new Map<string, number>();
  for (const e of evidence) {
    const t = e.after ?? e.before;
    if (t?.kind === 'epithet')
      epithetTags.set(t.form.toLowerCase(), (epithetTags.get(t.form.toLowerCase()) ?? 0) + 1);
  }
  const entityOfTag = (tag: Tag): number | null => {
    if (tag.kind === 'name') {
      const id = cast.byForm.get(tag.form);
      if (id !== undefined) return id;
      return null;
    }
    if (tag.kind === 'epithet') {
      // "the Major": the one character the cast names with that title (Major Callendar).
      if (isTitleEpithet(tag.form)) {
        const titled = titledEntity(cast, tag.form);
        if (titled !== null) return titled;
      }
      const key = tag.form.toLowerCase();
      if ((epithetTags.get(key) ?? 0) >= 2 && !NO_ONES_EPITHETS.has(key))
        return addEpithetEntity(cast, tag.form, tag.gender).id;
    }
    return null;
  };

  const utterances = groupUtterances(text, paragraphs, quotes, titlesAsNames(evidence, cast), cast);
  const addressOnly = addressOnlyNames(cast, mentions);
  const starts = utterances.map((u) => u.parts[0]!.start);
  // Whom the narration follows is a character who speaks under a named tag somewhere, not a
  // place a pronoun happens to follow ("the train to Airolo. She…").
  const genderOf = (id: number): Gender => {
    const e = cast.entities[id];
    return e !== undefined && e.tagSubject > 0 ? e.gender : 'unknown';
  };
  const context: AttributionContext = {
    cast,
    mentions,
    entityOfTag,
    addressOnly,
    sceneOf: (p: number) => paragraphs[p]?.scene ?? -1,
    centres: narrationCentres(text, paragraphs, top, cast.mentions, genderOf, starts),
  };
  attribute(utterances, context);
  // Names used only to address someone ("Blue" for Illyria) become that character's aliases;
  // the vocatives then point at the character and attribution runs again with that knowledge.
  if (linkVocativeAliases(utterances, cast, addressOnly)) {
    for (const u of utterances)
      if (u.vocatives.length > 0)
        u.vocatives = [...new Set(u.vocatives.map((v) => cast.byForm.get(formOf(cast, v)) ?? v))];
    attribute(utterances, context);
  }
  // The trained model re-weighs the sieves' choices once the cast is final.
  applyModel(utterances, context, traced);
  const narrator = detectNarrator(text, paragraphs, top, utterances, cast, mentions, options.pov);
  const speakerNames = speakerNamesOf(cast, narrator);
  const dialogue = render(text, utterances, cast, narrator, speakerNames);
  return {
    dialogue,
    ...(traced
      ? {
          sieves: utterances.map((u) => (u.detail ? `${u.sieve}:${u.detail}` : u.sieve)),
          candidates: utterances.map((u, i) => ({
            names: (u.candidates?.ids ?? []).map((id) =>
              id === NARRATOR_ID ? 'NARRATOR' : (cast.entities[id]?.name ?? ''),
            ),
            features: (u.candidates?.features ?? []).map(expandFeatures),
            named: (u.candidates?.ids ?? []).map((id) =>
              speakerNames.namedIn(dialogue.quotes[i]!.text, speakerKey(id, narrator)),
            ),
          })),
        }
      : { sieves: [] }),
  };
}

/**
 * The evidence with each title tag that the cast gives one named character ("said the Major",
 * "laughed Mademoiselle") made that character's name tag: as sure as "said Major Callendar".
 */
function titlesAsNames(evidence: readonly QuoteEvidence[], cast: Cast): readonly QuoteEvidence[] {
  const asName = (tag: Tag | null): Tag | null => {
    if (tag?.kind !== 'epithet' || !isTitleEpithet(tag.form)) return tag;
    const id = titledEntity(cast, tag.form);
    const form = id === null ? undefined : cast.entities[id]!.forms.keys().next().value;
    return form === undefined ? tag : { ...tag, kind: 'name', form };
  };
  return evidence.map((e) => {
    const after = asName(e.after);
    const before = asName(e.before);
    const beat = asName(e.beat);
    return after === e.after && before === e.before && beat === e.beat ? e : { ...e, after, before, beat };
  });
}

/** Epithets that are never one speaker's: they point at someone named or heard earlier. */
const NO_ONES_EPITHETS: ReadonlySet<string> = new Set([
  'other',
  'latter',
  'former',
  'first speaker',
  'second speaker',
  'last speaker',
]);

/** How many times more often than all its other holders together a title's main holder is named. */
const TITLE_DOMINANCE = 8;

/**
 * The entity a title alone means ("the Major" → "major Callendar"): the one named character with a
 * form opening with the title, or, of several, the one the story names so much more often than
 * the rest together (TITLE_DOMINANCE times) that a reader takes the bare title for them: Mademoiselle
 * Reisz, named 45 times, against Mademoiselle Duvigné, named once. Otherwise null.
 */
function titledEntity(cast: Cast, form: string): number | null {
  const title = canonicalHonorific(form.slice(form.lastIndexOf(' ') + 1).toLowerCase());
  const prefix = `${title} `;
  const holders = new Set<number>();
  // forEach: no [form, id] pair is made per entry.
  cast.byForm.forEach((id, f) => {
    if (f.startsWith(prefix) && !cast.entities[id]!.epithet) holders.add(id);
  });
  let best: number | null = null;
  let bestMentions = 0;
  let allMentions = 0;
  for (const id of holders) {
    const mentions = cast.entities[id]!.mentions;
    allMentions += mentions;
    if (best === null || mentions > bestMentions) {
      best = id;
      bestMentions = mentions;
    }
  }
  if (holders.size <= 1) return best;
  return bestMentions >= TITLE_DOMINANCE * Math.max(1, allMentions - bestMentions) ? best : null;
}

function readEvidence(
  text: string,
  paragraphs: readonly ParagraphRef[],
  top: readonly RawQuote[],
  runNames: RunNames,
): QuoteEvidence[] {
  const out: QuoteEvidence[] = [];
  let prevAfter: NarrationTokens | null = null;
  const capitals = new CapitalFinder(text);
  for (let k = 0; k < top.length; k++) {
    const q = top[k]!;
    const para = paragraphs[q.para]!;
    const prev = top[k - 1];
    const next = top[k + 1];
    const beforeStart = prev && prev.para === q.para ? prev.close : para.start;
    const afterEnd = next && next.para === q.para ? next.open : para.end;
    let last = q.end - 1;
    while (last > q.start && text.charCodeAt(last) <= 32) last--;
    const quoteLast = text[last] ?? '';
    // Vocatives open or close a speech: a long one is read at both ends only, its first and last
    // 120 characters (each read in place, as the whole of a quote: no name runs across the cut).
    const vocatives =
      q.end - q.start > 240
        ? [
            ...vocativesIn(text, q.start, q.start + 120, capitals, runNames),
            ...vocativesIn(text, q.end - 120, q.end, capitals, runNames),
          ]
        : vocativesIn(text, q.start, q.end, capitals, runNames);
    const afterNarration =
      q.continuesNext || afterEnd <= q.close
        ? null
        : afterTokens(text, q.close, Math.min(afterEnd, q.close + 160));
    let after = afterNarration && tagAfter(afterNarration, quoteLast, q.close);
    const sharesParagraph = prev !== undefined && prev.para === q.para;
    const needBefore = after === null || (next !== undefined && next.para === q.para) || sharesParagraph;
    const beforeFrom = Math.max(beforeStart, q.open - 240);
    // The narration text[beforeFrom, q.open) before the quote is read (it is not empty).
    const readsBefore = needBefore && q.open > beforeStart;
    // A lead-in ending the previous narration paragraph ("...and Emma said," / "calling out,").
    let before = readsBefore ? tagBefore(text, beforeFrom, q.open, beforeStart, prevAfter) : null;
    const prevPara = paragraphs[q.para - 1];
    if (
      !before &&
      after === null &&
      beforeStart === para.start &&
      (!readsBefore || isBlank(text, beforeFrom, q.open)) &&
      prevPara &&
      prevPara.scene === para.scene
    ) {
      const end = prevPara.end;
      const c = lastNonSpace(text, prevPara.start, end);
      // "...said,", "...presumed to say--" (a lead-in ending with a comma, colon or dash, or with
      // no mark at all where a text lost its dashes: "and then the Secretary said"). After a
      // quote of that paragraph, only narration that is not the quote's own tag: ""...with
      // them." Mr. Elton looked all alarm, as he exclaimed,".
      if (c === 44 || c === 58 || c === 45 || c === 0x2014 || (c >= 97 && c <= 122)) {
        const quoted = prev !== undefined && prev.para === q.para - 1;
        const from = quoted ? prev.close : prevPara.start;
        if (!quoted || (!prev.continuesNext && out[k - 1]!.after === null && end - from > 8))
          before = tagBefore(text, Math.max(from, end - 300), end, from, null);
      }
    }
    // "Milly said, "Q1?" Babs said, "Q2"": when Q1 has its own lead-in, a lead-in after it
    // introduces the next quote, not Q1.
    // After a comma only when the two name different people: "Mrs. Sparsit said, "Q1," Mr.
    // Bounderby replied, "Q2"" (but "Jane said, "Yes," said she, "I will"" is one speech).
    const differentNames = after?.kind === 'name' && before?.kind === 'name' && after.form !== before.form;
    if (after && before && next && next.para === q.para && (quoteLast !== ',' || differentNames)) {
      const last = lastNonSpace(text, q.close, next.open);
      if (last === 44 || last === 58) after = null;
    }
    // The acting subject just before the quote: the speaker when there is no tag, and the first
    // referent for a pronoun tag ("Mr. Hurst looked at her. "Do you prefer reading?" said he").
    const pronounTag = (after ?? before)?.kind === 'pronoun' || (after ?? before)?.kind === 'epithet';
    const beat =
      (after === null && before === null) || pronounTag
        ? readsBefore
          ? beatBefore(text, beforeFrom, q.open, beforeStart, prevAfter)
          : null
        : null;
    const secondVerb =
      sharesParagraph &&
      ((readsBefore ? countSpeechVerbs(text, beforeFrom, q.open, prevAfter) : 0) >= 2 ||
        (q.open - prev!.close > 90 && before === null && readsBefore && hasStop(text, beforeFrom, q.open)));
    // The evidence lives until the utterances are grouped: quotes with none share one object.
    out.push(
      after === null && before === null && beat === null && vocatives.length === 0 && !secondVerb
        ? NO_EVIDENCE
        : { after, before, beat, vocatives, secondVerb },
    );
    prevAfter = afterNarration;
  }
  return out;
}

/** The evidence of a quote with no tag, beat or vocative around it. */
const NO_EVIDENCE: QuoteEvidence = {
  after: null,
  before: null,
  beat: null,
  vocatives: [],
  secondVerb: false,
};

/** Is text[from, to) white space only (`trim() === ''`)? */
function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isJsSpace(text.charCodeAt(i))) return false;
  return true;
}

/** The last character of text[from, to) that is not white space (its code), or -1. */
function lastNonSpace(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (!isJsSpace(c)) return c;
  }
  return -1;
}

/** Does text[from, to) hold a . ! or ? */
function hasStop(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63) return true;
  }
  return false;
}

/**
 * Entities mentioned in each paragraph's narration and quotes (one merge over sorted lists).
 * The answer lives as long as the analysis, so the scavenger copies it more than once: it is
 * read into columns first, then made small, each list at its exact length and one shared object
 * for each kind of paragraph that names nobody.
 */
function paragraphMentions(
  text: string,
  paragraphs: readonly ParagraphRef[],
  top: readonly RawQuote[],
  cast: Cast,
): ParagraphMentions[] {
  const count = paragraphs.length;
  const narrationOnly = new Uint8Array(count).fill(1);
  for (const q of top) narrationOnly[q.para] = 0;
  // Each paragraph's last subject's entity (-1: none).
  const lastSubject = new Int32Array(count).fill(-1);
  // Each narration paragraph is read once, however many quotes follow it.
  const read = new Uint8Array(count);
  for (const q of top) {
    const at = q.para - 1;
    const prev = paragraphs[at];
    if (
      !prev ||
      narrationOnly[at] === 0 ||
      prev.scene !== paragraphs[q.para]!.scene ||
      lastSubject[at]! >= 0 ||
      read[at] === 1
    )
      continue;
    read[at] = 1;
    const beat = beatBefore(text, Math.max(prev.start, prev.end - 300), prev.end, prev.start, null);
    if (beat?.kind === 'name') lastSubject[at] = cast.byForm.get(beat.form) ?? -1;
  }
  // The mentions in text order, narration and quoted apart: a paragraph's own are one stretch of
  // each list, [from, to).
  const narrationIds: number[] = [];
  const quotedIds: number[] = [];
  const narrationFrom = new Int32Array(count);
  const narrationTo = new Int32Array(count);
  const quotedFrom = new Int32Array(count);
  const quotedTo = new Int32Array(count);
  let p = 0;
  let qi = 0;
  const { starts, entities } = cast.mentions;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k]!;
    while (p < count && paragraphs[p]!.end <= start) p++;
    if (p >= count) break;
    if (paragraphs[p]!.start > start) continue;
    while (qi < top.length && top[qi]!.end <= start) qi++;
    const q = top[qi];
    if (q !== undefined && q.start <= start) {
      if (quotedTo[p] === quotedFrom[p]) quotedFrom[p] = quotedIds.length;
      quotedIds.push(entities[k]!);
      quotedTo[p] = quotedIds.length;
    } else {
      if (narrationTo[p] === narrationFrom[p]) narrationFrom[p] = narrationIds.length;
      narrationIds.push(entities[k]!);
      narrationTo[p] = narrationIds.length;
    }
  }
  const out: ParagraphMentions[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const narration =
      narrationTo[k]! > narrationFrom[k]!
        ? narrationIds.slice(narrationFrom[k], narrationTo[k])
        : NO_MENTIONS;
    const quoted = quotedTo[k]! > quotedFrom[k]! ? quotedIds.slice(quotedFrom[k], quotedTo[k]) : NO_MENTIONS;
    const subject = lastSubject[k]!;
    if (narration === NO_MENTIONS && quoted === NO_MENTIONS && subject < 0)
      out[k] = narrationOnly[k] === 1 ? NARRATION_NAMING_NOBODY : SPEECH_NAMING_NOBODY;
    else
      out[k] = {
        narration,
        quoted,
        narrationOnly: narrationOnly[k] === 1,
        lastSubject: subject < 0 ? null : subject,
      };
  }
  return out;
}

/** The shared mention list of paragraphs that name nobody (never pushed to). */
const NO_MENTIONS: number[] = [];
/** Paragraphs that name nobody and have no last subject: narration, and with a quote. */
const NARRATION_NAMING_NOBODY: ParagraphMentions = {
  narration: NO_MENTIONS,
  quoted: NO_MENTIONS,
  narrationOnly: true,
  lastSubject: null,
};
const SPEECH_NAMING_NOBODY: ParagraphMentions = {
  narration: NO_MENTIONS,
  quoted: NO_MENTIONS,
  narrationOnly: false,
  lastSubject: null,
};

function sameMention(a: Tag, b: Tag, cast: Cast): boolean {
  if (a.kind === b.kind && a.form === b.form) return true;
  const name = a.kind === 'name' ? a : b.kind === 'name' ? b : null;
  const pron = a.kind === 'pronoun' ? a : b.kind === 'pronoun' ? b : null;
  if (name && pron) {
    const id = cast.byForm.get(name.form);
    const g = id !== undefined ? cast.entities[id]!.gender : 'unknown';
    return g === pron.gender;
  }
  return false;
}

/** Groups each paragraph's quotes into utterances: a second tag starts a new one. */
function groupUtterances(
  text: string,
  paragraphs: readonly ParagraphRef[],
  quotes: readonly RawQuote[],
  evidence: readonly QuoteEvidence[],
  cast: Cast,
): Utterance[] {
  // The evidence lists the top-level quotes in order: the next one belongs to the next top-level quote.
  let evidenceAt = 0;
  const utts: Utterance[] = [];
  let current: Utterance | null = null;
  let continuing = false;
  // Most quotes address and name nobody: their utterances share empty lists (an utterance lives
  // as long as the analysis, and every byte of it is copied by the scavenger).
  const resolveNames = (forms: readonly string[]): readonly number[] => {
    if (forms.length === 0) return NO_IDS;
    const ids: number[] = [];
    for (const f of forms) {
      const id = cast.byForm.get(f);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    return ids;
  };
  for (const q of quotes) {
    if (q.depth > 0) {
      utts.push(newUtterance(q, paragraphs, null, NO_IDS, NO_IDS, true, NO_FORMS));
      continue;
    }
    const ev = evidence[evidenceAt++]!;
    // A lead-in tag outweighs an action after the quote: "Mr. Bounderby replied, "Q." Mrs.
    // Sparsit complied" is Mr. Bounderby's.
    const own =
      ev.after?.source === 'beat-after' && ev.before !== null
        ? ev.before
        : (ev.after ?? ev.before ?? ev.beat);
    const beatName = ev.beat?.kind === 'name' ? (cast.byForm.get(ev.beat.form) ?? null) : null;
    const sameParagraph = current !== null && current.para === q.para && !current.nested;
    const continues =
      continuing &&
      current !== null &&
      q.para === current.parts[current.parts.length - 1]!.para + 1 &&
      q.open <= paragraphs[q.para]!.start + 2;
    if (
      current &&
      (sameParagraph || continues) &&
      !ev.secondVerb &&
      (own === null ||
        (current.tag !== null && sameMention(own, current.tag, cast)) ||
        (current.tag === null && continues))
    ) {
      current.parts.push(q);
      if (current.tag === null && own !== null) current.tag = own;
      for (const v of resolveNames(ev.vocatives))
        if (!current.vocatives.includes(v)) current.vocatives = [...current.vocatives, v];
      if (ev.vocatives.length > 0)
        (current as { vocativeForms: readonly string[] }).vocativeForms = [
          ...current.vocativeForms,
          ...ev.vocatives,
        ];
    } else {
      current = newUtterance(
        q,
        paragraphs,
        own,
        resolveNames(ev.vocatives),
        NO_IDS,
        false,
        ev.vocatives.length > 0 ? [...ev.vocatives] : NO_FORMS,
      );
      current.beatSubject = beatName;
      utts.push(current);
    }
    continuing = q.continuesNext;
  }
  // Names inside each utterance's quoted words (not the tag between its parts).
  let mi = 0;
  const { starts, entities } = cast.mentions;
  for (const u of utts) {
    if (u.nested) continue;
    const named: number[] = [];
    for (const part of u.parts) {
      while (mi < starts.length && starts[mi]! < part.start) mi++;
      for (let k = mi; k < starts.length && starts[k]! < part.end; k++)
        if (!named.includes(entities[k]!)) named.push(entities[k]!);
    }
    // At its exact length (a pushed array keeps room for more).
    (u as { named: readonly number[] }).named = named.length > 0 ? named.slice() : NO_IDS;
  }
  void text;
  return utts;
}

/** The shared empty lists of utterances (never pushed to: a list that grows is replaced). */
const NO_IDS: readonly number[] = [];
const NO_FORMS: readonly string[] = [];

function newUtterance(
  q: RawQuote,
  paragraphs: readonly ParagraphRef[],
  tag: Tag | null,
  vocatives: readonly number[],
  named: readonly number[],
  nested: boolean,
  vocativeForms: readonly string[],
): Utterance {
  return {
    parts: [q],
    para: q.para,
    scene: paragraphs[q.para]!.scene,
    tag,
    vocatives,
    vocativeForms,
    named,
    nested,
    speaker: null,
    sieve: 'none',
    confidence: 0,
    type: 'implicit',
    // Set later; written here so every utterance has one shape from the start.
    beatSubject: undefined,
    detail: undefined,
    candidates: undefined,
  };
}

/**
 * A first-person story's narrator: the metadata's POV, or "I" outnumbering he/she in narration.
 * Named when others address the narrator by a name that never appears in the narration.
 */
function detectNarrator(
  text: string,
  paragraphs: readonly ParagraphRef[],
  top: readonly RawQuote[],
  utts: readonly Utterance[],
  cast: Cast,
  mentions: readonly ParagraphMentions[],
  pov: PointOfView | null,
): NarratorInfo {
  const narratorLines = utts.filter((u) => u.speaker === NARRATOR_ID).length;
  let firstPerson = pov === 'first';
  if (pov === null) {
    // Sample narration (outside quotes) for first-person pronouns.
    let i = 0;
    let he = 0;
    let sampled = 0;
    let qi = 0;
    for (let pi = 0; pi < paragraphs.length; pi++) {
      const p = paragraphs[pi]!;
      if (sampled > 60_000) break;
      let from = p.start;
      while (qi < top.length && top[qi]!.para < pi) qi++;
      let k = qi;
      const segments: string[] = [];
      while (k < top.length && top[k]!.para === pi) {
        segments.push(text.slice(from, top[k]!.open));
        from = top[k]!.close;
        k++;
      }
      segments.push(text.slice(from, p.end));
      for (const s of segments) {
        sampled += s.length;
        // Whole words, so the two counts are those of one pass over both lists (test() allocates nothing).
        FIRST_PERSON.lastIndex = 0;
        while (FIRST_PERSON.test(s)) i++;
        THIRD_PERSON.lastIndex = 0;
        while (THIRD_PERSON.test(s)) he++;
      }
    }
    // "I" well represented in the narration, or the narrator tagging their own lines ("I said").
    firstPerson = i > 20 && (i > he * 0.6 || narratorLines >= 2);
  }
  if (!firstPerson && narratorLines < 3) return { name: null, entity: null };
  if (!firstPerson) return { name: 'NARRATOR', entity: null };
  // Names addressed to the narrator: vocatives in other speakers' lines next to the narrator's
  // own turns, naming nobody who speaks or is named in the narration ("Xander, I...").
  // A first-person narrator is "I" in the narration, not a name: anyone named there is someone else.
  const narrationNames = new Set<number>();
  for (const e of cast.entities) if (e.tagSubject > 0) narrationNames.add(e.id);
  const narrated = new Map<number, number>();
  for (const m of mentions) for (const id of m.narration) narrated.set(id, (narrated.get(id) ?? 0) + 1);
  // Once may be a summary line or "my name is..."; more is a third person.
  for (const [id, n] of narrated) if (n >= 2) narrationNames.add(id);
  const speakers = new Set<number>();
  for (const u of utts) if (u.speaker !== null && u.sieve.startsWith('tag-name')) speakers.add(u.speaker);
  const votes = new Map<string, number>();
  for (let k = 0; k < utts.length; k++) {
    const u = utts[k]!;
    if (u.speaker === NARRATOR_ID || u.nested) continue;
    const neighbours = [utts[k - 1], utts[k + 1]].filter((x) => x !== undefined && x.scene === u.scene);
    if (!neighbours.some((x) => x!.speaker === NARRATOR_ID)) continue;
    for (const form of u.vocativeForms) {
      const id = cast.byForm.get(form);
      if (id !== undefined && (speakers.has(id) || narrationNames.has(id) || id === u.speaker)) continue;
      votes.set(form, (votes.get(form) ?? 0) + 1);
    }
  }
  const best = [...votes].sort((a, b) => b[1] - a[1])[0];
  if (best) {
    const id = cast.byForm.get(best[0]);
    if (id !== undefined) {
      for (const u of utts) if (u.speaker === id) u.speaker = NARRATOR_ID;
      return { name: cast.entities[id]!.name, entity: id };
    }
    return {
      name: best[0].replace(
        /^(mr|mrs|miss|ms|dr|sir|lady|lord) /,
        (h) => `${h[0]!.toUpperCase()}${h.slice(1, -1)}. `,
      ),
      entity: null,
    };
  }
  return { name: 'NARRATOR', entity: null };
}

const FIRST_PERSON = /\b(?:I|me|my)\b/g;
const THIRD_PERSON = /\b(?:he|she|his|her)\b/g;

interface NarratorInfo {
  /** The narrator's name, 'NARRATOR' when unnamed, null for a story without one. */
  readonly name: string | null;
  /** The cast entity the narrator is, when named. */
  readonly entity: number | null;
}

/** Entities never named in narration nor as a tag's subject: only ever addressed in speech. */
function addressOnlyNames(cast: Cast, mentions: readonly ParagraphMentions[]): Set<number> {
  // Counts by id (mentions name cast members): every paragraph is read, so no Map per id.
  const inNarration = new Int32Array(cast.entities.length);
  const inQuotes = new Int32Array(cast.entities.length);
  for (let p = 0; p < mentions.length; p++) {
    const { narration, quoted } = mentions[p]!;
    for (let x = 0; x < narration.length; x++) inNarration[narration[x]!]!++;
    for (let x = 0; x < quoted.length; x++) inQuotes[quoted[x]!]!++;
  }
  const out = new Set<number>();
  for (const e of cast.entities) {
    const q = inQuotes[e.id] ?? 0;
    const n = inNarration[e.id] ?? 0;
    // Mostly said to someone, hardly ever narrated (a pet name the POV character also thinks).
    if (!e.epithet && e.tagSubject === 0 && q >= 2 && n <= Math.min(2, q / 2)) out.add(e.id);
  }
  return out;
}

/** Some form of an entity (its forms all map to the same entity after a merge). */
function formOf(cast: Cast, id: number): string {
  const e = cast.entities[id];
  return e ? (e.merged ?? '') : '';
}

/**
 * A name used only to address one character ("Blue", said to Illyria) becomes that character's
 * alias: it never speaks, never appears in narration, it is said as a vocative in two speeches or
 * more and in at least half of its mentions (a name talked about, "Margot's party", "go to
 * Prato", names someone or something else), and its lines' addressee is consistent. Never when
 * it shares a name word with another character (hyphenated surnames by their parts: "Mr Menzies"
 * beside Jock Grant-Menzies), when its gender or its title and surname are not the listener's
 * ("Sophia" is not the Admiral, "Mr. Repton" not Mr. Rushworth). Returns whether any alias was linked.
 */
function linkVocativeAliases(
  utts: readonly Utterance[],
  cast: Cast,
  addressOnly: ReadonlySet<number>,
): boolean {
  let linked = false;
  const addressees = new Map<number, Map<number, number>>();
  // How many speeches address each entity by name (whoever says them).
  const vocativeSpeeches = new Map<number, number>();
  for (let k = 0; k < utts.length; k++) {
    const u = utts[k]!;
    for (const v of u.vocatives) vocativeSpeeches.set(v, (vocativeSpeeches.get(v) ?? 0) + 1);
    if (u.nested || u.speaker === null) continue;
    for (const v of u.vocatives) {
      // The addressee: the other speaker of the neighbouring turns.
      const others = [utts[k - 1], utts[k + 1]]
        .filter(
          (x) => x !== undefined && x.scene === u.scene && x.speaker !== null && x.speaker !== u.speaker,
        )
        .map((x) => x!.speaker!);
      for (const o of others) {
        let m = addressees.get(v);
        if (!m) {
          m = new Map();
          addressees.set(v, m);
        }
        m.set(o, (m.get(o) ?? 0) + 1);
      }
    }
  }
  // Entities by the capitalised words of their forms ("Quested" → Miss Quested).
  const byWord = new Map<string, Set<number>>();
  for (const [form, id] of cast.byForm)
    for (const w of nameWords(form))
      if (w[0] !== undefined && w[0] !== w[0].toLowerCase()) {
        const ids = byWord.get(w) ?? new Set<number>();
        ids.add(id);
        byWord.set(w, ids);
      }
  for (const [v, targets] of addressees) {
    const e = cast.entities[v];
    if (!e || !addressOnly.has(v)) continue;
    const speeches = vocativeSpeeches.get(v) ?? 0;
    // Said to someone in two speeches or more, and in at least half of its mentions.
    if (speeches < 2 || speeches * 2 < e.mentions) continue;
    // "Mr. Quested" shares a name with Miss Quested: a relative, not a nickname for the listener.
    const sharesName = [...e.forms.keys()].some((form) =>
      nameWords(form).some((w) => [...(byWord.get(w) ?? [])].some((id) => id !== v)),
    );
    if (sharesName) continue;
    const ranked = [...targets].sort((a, b) => b[1] - a[1]);
    const [top, second] = ranked;
    if (!top || top[0] === NARRATOR_ID || top[1] < 2 || (second && second[1] * 2 > top[1])) continue;
    const target = cast.entities[top[0]];
    if (!target || target.id === v) continue;
    const listenerGender = impliedGender(target);
    if (e.gender !== 'unknown' && listenerGender !== 'unknown' && e.gender !== listenerGender) continue;
    if (otherSurname(e, target)) continue;
    // Merge v's forms into the target.
    let first = '';
    for (const [form, n] of e.forms) {
      target.forms.set(form, n);
      target.written.set(form, e.written.get(form) ?? form);
      cast.byForm.set(form, target.id);
      first ||= form;
    }
    e.merged = first;
    e.forms.clear();
    linked = true;
  }
  return linked;
}

/** A form's name words, a hyphenated surname also by its parts ("Grant-Menzies": Grant, Menzies). */
function nameWords(form: string): string[] {
  return form.split(' ').flatMap((w) => (w.includes('-') ? [w, ...w.split('-')] : [w]));
}

/**
 * An entity's gender, else the one a title among its forms implies, wherever it stands ("the
 * Admiral", an epithet whose title is not the form's first word).
 */
function impliedGender(e: Entity): Gender {
  if (e.gender !== 'unknown') return e.gender;
  for (const form of e.forms.keys())
    for (const word of form.split(' ')) {
      const g = HONORIFICS.get(word.toLowerCase());
      if (g !== undefined && g !== 'unknown') return g;
    }
  return 'unknown';
}

/** Titles always written with a surname (unlike "Miss Lizzy"). */
const SURNAME_TITLES: ReadonlySet<string> = new Set(['mr', 'mrs', 'ms']);

/**
 * Does `alias` go by a title and surname ("Mr. Repton") while `target` has surnames and that is
 * none of them (Mr. Rushworth)?
 */
function otherSurname(alias: Entity, target: Entity): boolean {
  const surnames: string[] = [];
  for (const form of target.forms.keys()) {
    const { hon, names } = splitForm(form);
    if (hon !== null || names.length >= 2) surnames.push(names[names.length - 1]!);
  }
  if (surnames.length === 0) return false;
  for (const form of alias.forms.keys()) {
    const { hon, names } = splitForm(form);
    if (hon !== null && SURNAME_TITLES.has(hon) && !surnames.includes(names[names.length - 1]!)) return true;
  }
  return false;
}

/** The key speakerNamesOf knows a speaker by: a narrator who is a cast entity by that entity. */
function speakerKey(speaker: number, info: NarratorInfo): number {
  return speaker === NARRATOR_ID ? (info.entity ?? NARRATOR_ID) : speaker;
}

function render(
  text: string,
  utts: readonly Utterance[],
  cast: Cast,
  info: NarratorInfo,
  speakerNames: SpeakerNames<number>,
): Dialogue {
  const narrator = info.name;
  const narratorEntity = info.entity;
  const lines = new Map<number, number>();
  const quotes: Quote[] = [];
  for (const u of utts) {
    const parts = u.parts.map((p) => [p.start, p.end] as const);
    const first = u.parts[0]!;
    const body =
      u.parts.length === 1
        ? text.slice(first.start, first.end)
        : u.parts.map((p) => text.slice(p.start, p.end)).join(' ');
    let speaker: string | null = null;
    if (u.speaker === NARRATOR_ID) speaker = narrator && narrator !== 'NARRATOR' ? narrator : 'NARRATOR';
    else if (u.speaker !== null) speaker = cast.entities[u.speaker]?.name ?? null;
    if (u.speaker !== null) {
      const key = u.speaker === NARRATOR_ID && narratorEntity !== null ? narratorEntity : u.speaker;
      lines.set(key, (lines.get(key) ?? 0) + 1);
    }
    const confidence = Math.round(u.confidence * 1000) / 1000;
    const eligible =
      speaker !== null &&
      u.speaker !== null &&
      !u.nested &&
      confidence >= ELIGIBLE_CONFIDENCE &&
      playableLength(body) &&
      !speakerNames.namedIn(body, speakerKey(u.speaker, info));
    quotes.push({
      start: parts[0]![0],
      end: parts[parts.length - 1]![1],
      parts,
      text: body,
      speaker,
      type: u.type,
      confidence,
      eligible,
      scene: u.scene,
    });
  }
  const characters: CastMember[] = [];
  for (const e of cast.entities) {
    if (e.forms.size === 0) continue;
    const n = lines.get(e.id) ?? 0;
    if (n === 0 && e.mentions < 5 && e.tagSubject === 0) continue;
    characters.push({
      name: e.name,
      aliases: aliasList(e),
      gender: e.gender,
      lines: n,
    });
  }
  // The narrator is a cast member too: unnamed ('NARRATOR') or named only by how others address them.
  if (narrator !== null && narratorEntity === null && lines.has(NARRATOR_ID)) {
    characters.push({ name: narrator, aliases: [], gender: 'unknown', lines: lines.get(NARRATOR_ID) ?? 0 });
  }
  characters.sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name));
  return { narrator, characters, quotes };
}

function aliasList(e: Entity): string[] {
  const out: string[] = [];
  for (const w of e.written.values()) if (w !== e.name && !out.includes(w)) out.push(w);
  return out;
}

/**
 * The cast's names as quotes are searched for them (speaker-names.ts), by entity id: every entity
 * with forms, and a narrator known only by a name others call them (as NARRATOR_ID).
 */
function speakerNamesOf(cast: Cast, info: NarratorInfo): SpeakerNames<number> {
  const characters: { key: number; forms: Iterable<string> }[] = [];
  for (const e of cast.entities)
    if (e.forms.size > 0) characters.push({ key: e.id, forms: e.written.values() });
  if (info.entity === null && info.name !== null && info.name !== 'NARRATOR')
    characters.push({ key: NARRATOR_ID, forms: [info.name] });
  return new SpeakerNames(characters);
}
