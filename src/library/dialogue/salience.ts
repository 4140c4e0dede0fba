/**
 * Who the narration is about, per gender, where each utterance begins: a salience walk over the
 * narration in the manner of Lappin and Leass (1994), cut down to what names and pronouns alone
 * can tell. "She was busily searching…" after a paragraph about Mrs. Bennet keeps Mrs. Bennet the
 * woman the story is following, even when "Jane" is named in between as an object, so a
 * following "said she" most likely means her.
 *
 * - A name in the narration makes its character salient: more as the first person its sentence
 *   mentions (the subject, most often) than later in the sentence.
 * - A pronoun ("she", "him", "his") is taken to mean the most salient character of its gender,
 *   who gains salience as if named there.
 * - Salience halves at every sentence end and fades a little more at a paragraph end (a run of
 *   untagged speech does not wipe it); a new scene starts from nothing. Quoted speech is
 *   skipped: names in it are people spoken of or to, not the narration's subject.
 *
 * One pass over the narration's pronouns and stops (a regular expression) merged with the cast's
 * name mentions: linear in the text.
 */
import type { Gender } from './lexicon.ts';
import type { ParagraphRef, RawQuote } from './quotes.ts';

/**
 * Per utterance, the most salient male and female character where it begins, and the runners-up
 * (-1: none).
 */
export interface Centres {
  readonly male: Int32Array;
  readonly female: Int32Array;
  readonly secondMale: Int32Array;
  readonly secondFemale: Int32Array;
}

/** What a mention adds: as its sentence's first mention (the subject, mostly), or later in it. */
const SUBJECT_WEIGHT = 180;
const OTHER_WEIGHT = 100;
/** What a sentence end and a paragraph end (after its last sentence's) leave of salience. */
const SENTENCE_DECAY = 0.5;
const PARAGRAPH_DECAY = 0.8;
/** Below this a character has dropped out of the narration's attention (after ~7 halvings). */
const FORGOTTEN = 1;

/**
 * Third-person pronouns, and sentence ends. A full stop after a title ("Mr.") ends nothing.
 * Groups: 1 masculine, 2 feminine; otherwise a stop.
 */
const PRONOUN_OR_STOP =
  /\b(?:([Hh]e|him|[Hh]is|[Hh]imself)|([Ss]he|[Hh]er|[Hh]ers|[Hh]erself))\b|(?<!\b(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|Messrs|Capt|Col|Gen|Rev|Prof|Sr|Jr))[.!?;](?=\s|$)/g;

/**
 * The centres at each utterance's start. `utteranceStarts` are the utterances' first offsets, in
 * text order; `mentions` the cast's name mentions (text order) and `genderOf` each entity's gender.
 */
export function narrationCentres(
  text: string,
  paragraphs: readonly ParagraphRef[],
  top: readonly RawQuote[],
  mentions: { readonly starts: readonly number[]; readonly entities: readonly number[] },
  genderOf: (id: number) => Gender,
  utteranceStarts: readonly number[],
): Centres {
  const male = new Int32Array(utteranceStarts.length).fill(-1);
  const female = new Int32Array(utteranceStarts.length).fill(-1);
  const secondMale = new Int32Array(utteranceStarts.length).fill(-1);
  const secondFemale = new Int32Array(utteranceStarts.length).fill(-1);
  // The characters with salience now, and theirs (parallel lists: only a handful at a time).
  const active: number[] = [];
  const weight: number[] = [];
  const activeGender: Gender[] = [];
  let sentenceHasMention = false;

  const decay = (factor: number): void => {
    let kept = 0;
    for (let x = 0; x < active.length; x++) {
      const w = weight[x]! * factor;
      if (w < FORGOTTEN) continue;
      active[kept] = active[x]!;
      weight[kept] = w;
      activeGender[kept] = activeGender[x]!;
      kept++;
    }
    active.length = kept;
    weight.length = kept;
    activeGender.length = kept;
    sentenceHasMention = false;
  };
  const add = (id: number, gender: Gender): void => {
    const w = sentenceHasMention ? OTHER_WEIGHT : SUBJECT_WEIGHT;
    sentenceHasMention = true;
    const at = active.indexOf(id);
    if (at >= 0) weight[at]! += w;
    else {
      active.push(id);
      weight.push(w);
      activeGender.push(gender);
    }
  };
  // The runner-up found by the last call of centre().
  let second = -1;
  const centre = (gender: Gender): number => {
    let best = -1;
    let bestWeight = 0;
    let secondWeight = 0;
    second = -1;
    for (let x = 0; x < active.length; x++) {
      if (activeGender[x] !== gender) continue;
      const w = weight[x]!;
      if (w > bestWeight) {
        second = best;
        secondWeight = bestWeight;
        best = active[x]!;
        bestWeight = w;
      } else if (w > secondWeight) {
        second = active[x]!;
        secondWeight = w;
      }
    }
    return best;
  };
  const clear = (): void => {
    active.length = 0;
    weight.length = 0;
    activeGender.length = 0;
    sentenceHasMention = false;
  };

  let m = 0;
  let u = 0;
  let q = 0;
  let scene = -1;
  // Records the centres of every utterance starting before `offset`.
  const snapshotUpTo = (offset: number): void => {
    for (; u < utteranceStarts.length && utteranceStarts[u]! < offset; u++) {
      male[u] = centre('male');
      secondMale[u] = second;
      female[u] = centre('female');
      secondFemale[u] = second;
    }
  };
  // Reads the narration text[from, to): its mentions and pronouns in order.
  const readNarration = (from: number, to: number): void => {
    while (m < mentions.starts.length && mentions.starts[m]! < from) m++;
    PRONOUN_OR_STOP.lastIndex = from;
    let match = from < to ? PRONOUN_OR_STOP.exec(text) : null;
    for (;;) {
      const at = match !== null && match.index < to ? match.index : to;
      for (; m < mentions.starts.length && mentions.starts[m]! < at; m++) {
        const id = mentions.entities[m]!;
        add(id, genderOf(id));
      }
      if (match === null || match.index >= to) break;
      if (match[1] !== undefined || match[2] !== undefined) {
        const gender: Gender = match[1] !== undefined ? 'male' : 'female';
        const id = centre(gender);
        if (id >= 0) add(id, gender);
        else sentenceHasMention = true;
      } else decay(SENTENCE_DECAY);
      match = PRONOUN_OR_STOP.exec(text);
    }
  };

  for (let p = 0; p < paragraphs.length; p++) {
    const para = paragraphs[p]!;
    if (para.scene !== scene) {
      snapshotUpTo(para.start);
      clear();
      scene = para.scene;
    }
    let from = para.start;
    while (q < top.length && top[q]!.para < p) q++;
    for (; q < top.length && top[q]!.para === p; q++) {
      const quote = top[q]!;
      readNarration(from, Math.max(from, quote.open));
      snapshotUpTo(quote.close);
      from = Math.max(from, quote.close);
      while (m < mentions.starts.length && mentions.starts[m]! < from) m++;
    }
    readNarration(from, para.end);
    snapshotUpTo(para.end);
    decay(PARAGRAPH_DECAY);
  }
  snapshotUpTo(Number.POSITIVE_INFINITY);
  return { male, female, secondMale, secondFemale };
}
