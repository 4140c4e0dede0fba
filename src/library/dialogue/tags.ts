/**
 * Reading the narration around a quote: speech tags in either order ("said Mrs. Bennet",
 * "Darcy, after a pause, replied", "she told him", "said the mage", "I whisper"), action beats
 * ("Buffy nodded.") and vocatives inside the quote ("Spike, what are you doing here?").
 * Every function here reads a short, bounded slice of text.
 */
import { type NormalisedName, normaliseName, type RunNames } from './cast.ts';
import { detachedSlice } from './intern.ts';
import {
  EPITHET_GENDER,
  type Gender,
  HONORIFICS,
  isAbbreviatedTitleAt,
  isOneOfAt,
  NOT_NAMES,
  SPEECH_VERBS,
  WEAK_SPEECH_VERBS,
} from './lexicon.ts';
import { capitalPattern, isCapitalLetter, isJsSpace } from './quotes.ts';

export type MentionKind = 'name' | 'pronoun' | 'narrator' | 'epithet' | 'other';

export interface Mention {
  readonly kind: MentionKind;
  /** Normalised name form (for names), the pronoun, or the epithet phrase ("old man"). */
  readonly form: string;
  readonly gender: Gender;
}

export interface Tag extends Mention {
  /** Where the tag sits: after the quote, before it (lead-in), or an action beat. */
  readonly source: 'after' | 'before' | 'beat-before' | 'beat-after';
  /** The speech verb (empty for beats). */
  readonly verb: string;
  /** Offset of the narration segment the tag was read from (identifies a shared interrupting tag). */
  readonly segment: number;
  /** "said Alice" (verb first) or "Alice said" (subject first). */
  readonly verbFirst?: boolean;
  /** A lead-in whose subject opens the sentence and whose verb closes it ("Tony opened it and said,"). */
  readonly distant?: boolean;
}

/** How far into the narration a tag is looked for. */
const WINDOW = 160;

interface Token {
  readonly w: string;
  readonly lower: string;
  readonly cap: boolean;
  readonly punct: boolean;
  /** A speech verb ("said"), and one of the weak ones ("asked"): read once per interned word. */
  readonly speech: boolean;
  readonly weakSpeech: boolean;
  /** Reads as an adverb between a subject and its verb ("then", "softly"). */
  readonly adverb: boolean;
  /** normaliseName of the word alone, once asked (undefined: not yet asked). */
  name: NormalisedName | undefined;
  /** The name mention the word alone makes as a subject, once asked (undefined: not yet asked). */
  nameMention: Mention | null | undefined;
}

/** A punctuation token: a word of its own, never a verb, adverb or name. */
function punctuation(w: string): Token {
  return {
    w,
    lower: w,
    cap: false,
    punct: true,
    speech: false,
    weakSpeech: false,
    adverb: false,
    name: null,
    nameMention: null,
  };
}

/** A letter that may start a word token: A-Z, a-z, U+00C0-U+024F. */
const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
/** A character that may continue a word token: a letter, an apostrophe or a hyphen. */
const isWordPart = (c: number): boolean => isWordStart(c) || c === 39 || c === 0x2019 || c === 45;
/** , ; : . ! ? ( ) and the em and en dashes: one-character punctuation tokens. */
const isPunctuation = (c: number): boolean =>
  c === 44 ||
  c === 59 ||
  c === 58 ||
  c === 46 ||
  c === 33 ||
  c === 63 ||
  c === 40 ||
  c === 41 ||
  c === 0x2014 ||
  c === 0x2013;

const FULL_STOP: Token = punctuation('.');
const DOUBLE_DASH: Token = punctuation('--');
const PUNCTUATION_TOKENS = new Map<number, Token>();
function punctuationToken(c: number): Token {
  let t = PUNCTUATION_TOKENS.get(c);
  if (!t) {
    t = punctuation(String.fromCharCode(c));
    PUNCTUATION_TOKENS.set(c, t);
  }
  return t;
}

/**
 * Interned word tokens: the same word read again (tags repeat "said", "he", "Mr.", names) reuses
 * one Token, so no string is sliced or lower-cased and every set lookup hits a string whose hash
 * V8 has already cached. Open addressing keyed by the word's exact characters; emptied when half
 * full, so memory stays bounded.
 */
const INTERN_SLOTS = 1 << 16;
const internedTokens: (Token | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);
/**
 * Each slot's key: the word's mixed hash in the high bits, then `cap`, then a set bit (so that 0
 * means an empty slot), then the word's length (its low 8 bits). A probe reads this one small
 * table and touches the token and its string, which lie elsewhere, only when the key matches:
 * the lookup is bound by memory, not by arithmetic.
 */
const internedKeys = new Int32Array(INTERN_SLOTS);
let internedCount = 0;

function wordToken(s: string, from: number, to: number, hash: number, cap: boolean): Token {
  const length = to - from;
  // Mix the bits (short words' raw hashes cluster, and linear probing hates clusters).
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x45d9f3b);
  mixed ^= mixed >>> 16;
  const key = (mixed & ~0x3ff) | (cap ? 0x200 : 0) | 0x100 | (length & 0xff);
  let slot = mixed & (INTERN_SLOTS - 1);
  for (;;) {
    const known = internedKeys[slot];
    if (known === 0) break;
    if (known === key) {
      const token = internedTokens[slot]!;
      const w = token.w;
      if (w.length === length) {
        let k = 0;
        while (k < length && w.charCodeAt(k) === s.charCodeAt(from + k)) k++;
        if (k === length) return token;
      }
    }
    slot = (slot + 1) & (INTERN_SLOTS - 1);
  }
  if (internedCount >= INTERN_SLOTS >> 1) {
    internedTokens.fill(undefined);
    internedKeys.fill(0);
    internedCount = 0;
    slot = mixed & (INTERN_SLOTS - 1);
  }
  const w = detachedSlice(s, from, to);
  const lower = w.toLowerCase();
  const speech = SPEECH_VERBS.has(lower);
  const token: Token = {
    w,
    lower,
    cap,
    punct: false,
    speech,
    weakSpeech: WEAK_SPEECH_VERBS.has(lower),
    adverb: !cap && (lower.endsWith('ly') || ADVERB_LIKE.has(lower)),
    name: undefined,
    nameMention: undefined,
  };
  internedTokens[slot] = token;
  internedKeys[slot] = key;
  internedCount++;
  return token;
}

/**
 * Words (letters, then letters, apostrophes and hyphens, then an optional full stop), "--" and
 * one-character punctuation in `s[from, to)`, at most `max` (+1 for a split full stop); a hand-written
 * scan over char codes. Tokens are shared (interned) objects.
 */
function tokenize(s: string, max = 64, from = 0, to = s.length): Token[] {
  const out: Token[] = [];
  tokenizeInto(s, out, from, to, max, max);
  return out;
}

/**
 * tokenize's loop, appending to `out` from `from`, paused once `out` holds token `until` (or
 * ended by `to` or `max`, like tokenize): returns where to resume. Resumed calls with the same
 * `to` and `max` make the tokens one call would.
 */
function tokenizeInto(s: string, out: Token[], from: number, to: number, max: number, until: number): number {
  let i = from;
  while (i < to && out.length < max && out.length <= until) {
    const c = s.charCodeAt(i);
    if (isWordStart(c)) {
      let hash = c;
      let j = i + 1;
      for (; j < to; j++) {
        const d = s.charCodeAt(j);
        if (!isWordPart(d)) break;
        // A hyphen joins words ("good-natured"); one that ends the word is a dash ("said--").
        if (d === 45 && !(j + 1 < to && isWordStart(s.charCodeAt(j + 1)))) break;
        hash = (Math.imul(hash, 31) + d) | 0;
      }
      const dot = j < to && s.charCodeAt(j) === 46;
      // Only abbreviated titles ("Mr.", "Dr.") keep their full stop; "the doctor." ends a sentence.
      // Told apart in place, so a sentence's last word is not also interned with its full stop.
      if (dot && isAbbreviatedTitleAt(s, i, j)) {
        out.push(wordToken(s, i, j + 1, (Math.imul(hash, 31) + 46) | 0, isCapitalLetter(c)));
        i = j + 1;
        continue;
      }
      if (dot) {
        out.push(wordToken(s, i, j, hash, isCapitalLetter(c)));
        out.push(FULL_STOP);
        i = j + 1;
        continue;
      }
      out.push(wordToken(s, i, j, hash, isCapitalLetter(c)));
      i = j;
      continue;
    }
    if (c === 45 && i + 1 < to && s.charCodeAt(i + 1) === 45) {
      out.push(DOUBLE_DASH);
      i += 2;
      continue;
    }
    if (isPunctuation(c)) out.push(punctuationToken(c));
    i++;
  }
  return i;
}

const ADVERB_LIKE = new Set([
  'then',
  'again',
  'now',
  'also',
  'still',
  'had',
  'has',
  'have',
  'was',
  'is',
  'at',
  'last',
  'once',
  'just',
  'finally',
  'suddenly',
  'presently',
  'softly',
  'quietly',
  'only',
  'immediately',
  'instantly',
  'eagerly',
  'simply',
  'merely',
  'almost',
  'would',
  'could',
  'might',
  'did',
  'now',
  'not',
]);

const isAdverb = (t: Token): boolean => t.adverb;
const isSpeechVerb = (t: Token | undefined): boolean => t?.speech === true;

/** normaliseName of one word token, asked once per interned token. */
function nameOfToken(t: Token): NormalisedName {
  if (t.name === undefined) t.name = normaliseName([t.w]);
  return t.name;
}

/** The name mention of one word token (null: no name), made once per interned token. */
function nameMentionOfToken(t: Token): Mention | null {
  if (t.nameMention === undefined) {
    const n = nameOfToken(t);
    t.nameMention = n && { kind: 'name', form: n.form, gender: genderOfForm(n.form) };
  }
  return t.nameMention;
}

const SUBJECT_PRONOUNS: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['he', 'male'],
  ['she', 'female'],
  ['i', 'unknown'],
]);
/** The mentions subject pronouns make: one object each, shared (mentions are never changed). */
const HE: Mention = { kind: 'pronoun', form: 'he', gender: 'male' };
const SHE: Mention = { kind: 'pronoun', form: 'she', gender: 'female' };
const NARRATOR: Mention = { kind: 'narrator', form: 'I', gender: 'unknown' };

export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'der',
  'de',
  'von',
  'la',
  'le',
  'du',
  'des',
  'di',
  'da',
  'del',
  'den',
  'ten',
  'ter',
]);

const DETERMINERS = new Set(['the', 'his', 'her', 'my', 'their', 'our', 'your', 'this', 'that', 'a', 'an']);
const STOP_EPITHET = new Set([
  'to',
  'in',
  'at',
  'with',
  'and',
  'but',
  'as',
  'who',
  'from',
  'on',
  'of',
  'for',
  'into',
  'that',
  'while',
  'after',
  'before',
  'when',
  'without',
  'upon',
]);

/** Titles a story may call one character by, without a name ("said Madame"). */
const STANDALONE_TITLES: ReadonlySet<string> = new Set([
  'madame',
  'mademoiselle',
  'monsieur',
  'signora',
  'signorina',
  'signor',
  'frau',
  'herr',
]);

/** Reads a subject noun phrase at `i`: a name, pronoun or epithet. Returns it and the index after it. */
function readSubject(tokens: readonly Token[], i: number): { mention: Mention; next: number } | null {
  const t = tokens[i];
  if (!t || t.punct) return null;
  // "He's", "she'd", "I'm": the pronoun before a contraction.
  const bare =
    t.lower.includes("'") || t.lower.includes('\u2019')
      ? t.lower.replace(/['\u2019](?:s|d|ll|m|ve|re)$/, '')
      : t.lower;
  if (bare === 'he') return { mention: HE, next: i + 1 };
  if (bare === 'she') return { mention: SHE, next: i + 1 };
  if (bare === 'i' && t.w.startsWith('I')) return { mention: NARRATOR, next: i + 1 };
  if (t.cap) {
    // The run's words are tokens[i, j); their strings are gathered only for a run of several
    // (most subjects are one word, whose mention the token keeps).
    let j = i;
    for (;;) {
      const w = tokens[j];
      if (!w || w.punct || j - i >= 5) break;
      // "Mr. van der Luyden": lower-case particles inside a name.
      if (
        !w.cap &&
        !(
          j > i &&
          NAME_PARTICLES.has(w.lower) &&
          tokens[j + 1] &&
          (tokens[j + 1]!.cap || NAME_PARTICLES.has(tokens[j + 1]!.lower))
        )
      )
        break;
      j++;
    }
    // "Daisy's mamma", "Harry's aunt": the name owns the one described, who is someone else.
    const owned = ownedDescription(tokens, i, j);
    if (owned !== null) return owned;
    // "the Mouse", handled below; here a capitalised run.
    if (j === i + 1) {
      const mention = nameMentionOfToken(t);
      if (mention) return { mention, next: j };
      // "laughed Mademoiselle": a title that stands for the one character who holds it.
      if (STANDALONE_TITLES.has(t.lower))
        return { mention: { kind: 'epithet', form: t.w, gender: genderOfForm(t.lower) }, next: j };
      return null;
    }
    const words: string[] = [];
    for (let k = i; k < j; k++) words.push(tokens[k]!.w);
    const n = normaliseName(words);
    if (!n) return null;
    return { mention: { kind: 'name', form: n.form, gender: genderOfForm(n.form) }, next: j };
  }
  if (DETERMINERS.has(t.lower)) {
    const det = t.lower;
    const words: string[] = [];
    let j = i + 1;
    while (j < tokens.length && words.length < 4) {
      const u = tokens[j]!;
      if (u.punct || STOP_EPITHET.has(u.lower) || u.speech) break;
      words.push(u.w);
      j++;
    }
    // "said the old man slowly", "interrupted the Grandmother energetically": an adverb after
    // the noun is the verb's, not the phrase's.
    while (words.length > 1 && isAdverb(tokens[j - 1]!)) {
      words.pop();
      j--;
    }
    if (words.length === 0) return null;
    // "the more candid Lady Bertram": a name inside the phrase is the mention.
    const capAt = words.findIndex(startsUpper);
    if (capAt >= 0 && capAt < words.length - 1) {
      const n = normaliseName(words.slice(capAt));
      if (n) return { mention: { kind: 'name', form: n.form, gender: genderOfForm(n.form) }, next: j };
    }
    const head = words[words.length - 1]!;
    const headLower = tokens[j - 1]!.lower;
    if (startsUpper(head) && det === 'the') {
      const n = nameOfToken(tokens[j - 1]!);
      if (n) return { mention: { kind: 'name', form: n.form, gender: genderOfForm(n.form) }, next: j };
      if (NOT_NAMES.has(head) || HONORIFICS.has(headLower))
        return {
          mention: {
            kind: 'epithet',
            form: words.join(' '),
            gender: EPITHET_GENDER.get(headLower) ?? 'unknown',
          },
          next: j,
        };
      return null;
    }
    if (!isPersonNoun(headLower)) return null;
    if (det !== 'the') {
      // "her mother", "his wife": a relative description.
      const g = EPITHET_GENDER.get(headLower) ?? 'unknown';
      return { mention: { kind: 'other', form: `${det} ${words.join(' ')}`, gender: g }, next: j };
    }
    return {
      mention: {
        kind: 'epithet',
        form: words.join(' '),
        gender: EPITHET_GENDER.get(headLower) ?? 'unknown',
      },
      next: j,
    };
  }
  return null;
}

/**
 * A capitalised run tokens[i, j) ending in a possessive and followed by a person noun, with at
 * most two words before it ("Daisy's mamma", "Mr. Bennet's youngest daughter"): a description of
 * someone the name owns, as "her mother" is of whom "her" means (relatives.ts). Null otherwise.
 */
function ownedDescription(
  tokens: readonly Token[],
  i: number,
  j: number,
): { mention: Mention; next: number } | null {
  const last = tokens[j - 1]!.w;
  if (!/['\u2019]s$/.test(last)) return null;
  for (let k = j; k < tokens.length && k < j + 3; k++) {
    const t = tokens[k]!;
    if (t.punct || t.cap) return null;
    // Only a word for a person, not one shaped like one ("Mr Weston's quick amendment", "May's
    // eager voice": the owner speaks).
    if (!EPITHET_GENDER.has(t.lower) && !PERSON_NOUNS.has(t.lower)) continue;
    const words: string[] = [];
    for (let w = i; w < j; w++) words.push(tokens[w]!.w);
    const owner = normaliseName(words);
    if (owner === null) return null;
    const described = tokens
      .slice(j, k + 1)
      .map((x) => x.w)
      .join(' ');
    return {
      mention: {
        kind: 'other',
        form: `${owner.form}'s ${described}`,
        gender: EPITHET_GENDER.get(t.lower) ?? 'unknown',
      },
      next: k + 1,
    };
  }
  return null;
}

const PERSON_SUFFIX = /(?:er|or|ist|ian|ant|ent|ess|man|men|ier|eer|ee|ard|ar|ic|ive)$/;
const NOT_PERSON = new Set([
  'door',
  'paper',
  'letter',
  'water',
  'matter',
  'corner',
  'dinner',
  'manner',
  'answer',
  'chamber',
  'order',
  'floor',
  'window',
  'colour',
  'color',
  'honour',
  'honor',
  'silence',
  'moment',
  'voice',
  'river',
  'weather',
  'number',
  'summer',
  'winter',
  'shoulder',
  'finger',
  'power',
  'hour',
  'car',
  'bar',
  'air',
  'chair',
  'cellar',
  'garden',
  'parlour',
  'parlor',
  'monument',
  'instrument',
  'carriage',
  'laughter',
  'whisper',
  'murmur',
  'thunder',
  'anger',
  'fear',
  'labour',
  'favour',
  'temper',
  'supper',
  'master-piece',
  'music',
  'clock',
  'bell',
  'wind',
  'fire',
  'room',
  'house',
  'sound',
  'word',
  'words',
  'tone',
  'reply',
  'answer',
]);

/** Nouns naming a person whatever their suffix ("the mage", "the girl"). */
const PERSON_NOUNS: ReadonlySet<string> = new Set([
  'jew',
  'beadle',
  'matron',
  'chaplain',
  'surgeon',
  'sexton',
  'deacon',
  'warden',
  'turnkey',
  'magistrate',
  'apothecary',
  'hermit',
  'pilgrim',
  'mage',
  'witch',
  'wizard',
  'girl',
  'boy',
  'child',
  'lad',
  'lass',
  'nurse',
  'cook',
  'maid',
  'page',
  'knight',
  'queen',
  'king',
  'vicar',
  'curate',
  'rector',
  'parson',
  'priest',
  'monk',
  'nun',
  'judge',
  'chief',
  'guard',
  'thief',
  'hero',
  'heroine',
  'clerk',
  'boots',
  'landlady',
  'landlord',
  'housekeeper',
  'porter',
  'stranger',
  'visitor',
  'youth',
  'other',
  'one',
  'elder',
  'younger',
  'eldest',
  'youngest',
  'former',
  'latter',
  'creature',
  'poet',
  'artist',
  'gentlewoman',
  'spinster',
  'invalid',
  'patient',
  'prisoner',
  'captive',
  'slave',
  'valet',
  'butler',
  'footman',
  'coachman',
  'cabman',
  'waiter',
  'colonel',
  'captain',
  'major',
  'general',
  'doctor',
  'professor',
  'inspector',
  'sergeant',
  'duke',
  'duchess',
  'count',
  'countess',
  'baron',
  'baroness',
  'lady',
  'lord',
  'sir',
  'madam',
  'madame',
  'mistress',
  'master',
  'mother',
  'father',
  'sister',
  'brother',
  'aunt',
  'uncle',
  'cousin',
  'son',
  'daughter',
  'wife',
  'husband',
  'widow',
  'widower',
  'bride',
  'groom',
  'friend',
  'companion',
  'lover',
  'caterpillar',
  'hatter',
  'dormouse',
  'gryphon',
  'turtle',
  'rabbit',
  'mouse',
  'cat',
  'duchess',
  'pigeon',
  'lizard',
  'footman',
  'dodo',
  'lory',
  'eaglet',
]);

const startsUpper = (w: string): boolean => isCapitalLetter(w.charCodeAt(0));

/** Could this (lower-case) noun head an epithet for a person ("the mage", "the old gentleman")? */
function isPersonNoun(h: string): boolean {
  if (NOT_PERSON.has(h)) return false;
  return EPITHET_GENDER.has(h) || PERSON_SUFFIX.test(h) || PERSON_NOUNS.has(h);
}

/**
 * An epithet headed by a capitalised title ("the Queen", "the Major", "the Professor") or a rank
 * ("the colonel"): a title the story gives one character, not a description anyone present could fit.
 */
export function isTitleEpithet(form: string): boolean {
  const head = form.slice(form.lastIndexOf(' ') + 1);
  return startsUpper(head) || RANKS.has(head);
}

/** Ranks and professions a story uses as one character's title, even in lower case ("the colonel"). */
const RANKS: ReadonlySet<string> = new Set([
  'colonel',
  'captain',
  'major',
  'general',
  'admiral',
  'doctor',
  'professor',
  'inspector',
  'sergeant',
  'judge',
]);

export function genderOfForm(form: string): Gender {
  const space = form.indexOf(' ');
  return HONORIFICS.get(space < 0 ? form : form.slice(0, space)) ?? 'unknown';
}

/** A tag from its subject mention (built field by field: object spread is slow in hot loops). */
function tagOf(
  mention: Mention,
  source: Tag['source'],
  verb: string,
  segment: number,
  verbFirst?: boolean,
): Tag {
  if (verbFirst === undefined)
    return { kind: mention.kind, form: mention.form, gender: mention.gender, source, verb, segment };
  return { kind: mention.kind, form: mention.form, gender: mention.gender, source, verb, segment, verbFirst };
}

/** Skips a comma-enclosed parenthetical ("Darcy, after a pause, replied") of at most 8 tokens. */
function skipParenthetical(tokens: readonly Token[], i: number): number {
  if (tokens[i]?.w !== ',') return i;
  for (let j = i + 1; j < Math.min(tokens.length, i + 10); j++) {
    const t = tokens[j]!;
    if (t.w === ',') return j + 1;
    if (t.punct && t.w !== ',') return i;
  }
  return i;
}

/** At most this many tokens of the narration after a quote are read for its tag. */
const AFTER_TOKENS = 24;

/**
 * The tokens of a stretch of narration text[from, to), at most `max` (+1 for a split full stop,
 * like tokenize), read as far as asked: the readers mostly decide within the first few words.
 * After a quote, tagAfter reads the narration's first WINDOW characters (AFTER_TOKENS tokens);
 * when they are the whole narration, the next quote's readings of the same stretch reuse them
 * (made whole then) rather than tokenise it again.
 */
export class NarrationTokens {
  /** Where tokenising resumes. */
  private next: number;

  constructor(
    private readonly text: string,
    readonly from: number,
    readonly to: number,
    private readonly max: number,
    /** The tokens read so far, in order: the same array grows as more are asked for. */
    readonly tokens: Token[] = [],
  ) {
    this.next = from;
  }

  /**
   * Reads on until token `index` is read or the narration (or `max`) ends: after it, any reading
   * of tokens[0..index] and of `tokens.length` against those indices is what it would be on all
   * the tokens.
   */
  fill(index: number): void {
    const { tokens } = this;
    if (index < tokens.length || this.next >= this.to || tokens.length >= this.max) return;
    this.next = tokenizeInto(this.text, tokens, this.next, this.to, this.max, index);
  }

  /** All the tokens. */
  all(): readonly Token[] {
    this.fill(this.max);
    return this.tokens;
  }
}

/** The narration after a quote, as tagAfter reads it. */
export function afterTokens(text: string, from: number, to: number): NarrationTokens {
  return new NarrationTokens(text, from, Math.min(to, from + WINDOW), AFTER_TOKENS);
}

/** Are `known` all the tokens of text[from, to)? (Cut short by AFTER_TOKENS, they may not be.) */
function readsWhole(known: NarrationTokens | null, from: number, to: number): boolean {
  return known !== null && known.from === from && known.to === to && known.all().length < AFTER_TOKENS;
}

/**
 * How far past its start `s` readSubject reads when the token there is capitalised or a
 * determiner: the tokens it looks at (a name of at most five words and the one after, or a
 * determiner and four words) and the `tokens.length` it compares. Any other token is all it reads.
 */
const SUBJECT_REACH = 6;
/** How far past its start skipParenthetical reads when a comma opens it (else only the start). */
const PARENTHETICAL_REACH = 10;

/** readSubject over a narration read as far as it looks. */
function subjectAt(narration: NarrationTokens, s: number): { mention: Mention; next: number } | null {
  narration.fill(s);
  const t = narration.tokens[s];
  if (t !== undefined && (t.cap || DETERMINERS.has(t.lower))) narration.fill(s + SUBJECT_REACH);
  return readSubject(narration.tokens, s);
}

/**
 * A speech tag at the start of the narration after a quote. `quoteEnd` is the quote's last
 * character: after a full stop a new capitalised sentence is not a tag. (The narration is read
 * as far as each step looks: `narration.fill` before it.)
 */
export function tagAfter(narration: NarrationTokens, quoteLast: string, segment: number): Tag | null {
  const { tokens } = narration;
  let i = 0;
  for (;;) {
    narration.fill(i);
    if (!(i < tokens.length && (tokens[i]!.w === ',' || tokens[i]!.w === '--' || tokens[i]!.w === '\u2014')))
      break;
    i++;
  }
  const first = tokens[i];
  if (!first) return null;
  const afterStop = quoteLast === '.' && first.cap && first.w !== 'I';
  // Verb first: "said Mrs. Bennet", "cried Alice hastily", "said he".
  let v = i;
  narration.fill(i + 2);
  while (v < tokens.length && v < i + 2 && isAdverb(tokens[v]!)) v++;
  if (isSpeechVerb(tokens[v]) && !tokens[v]!.cap) {
    const subject = subjectAt(narration, v + 1);
    if (subject) {
      return tagOf(subject.mention, 'after', tokens[v]!.lower, segment, true);
    }
  }
  const inverted = invertedTag(narration, i, v, quoteLast, segment);
  if (inverted) return inverted;
  // Subject first: "Mrs. Bennet said", "she told him", "Darcy, after a pause, replied".
  const subject = subjectAt(narration, i);
  if (!subject) return null;
  narration.fill(subject.next);
  if (tokens[subject.next]?.w === ',') narration.fill(subject.next + PARENTHETICAL_REACH);
  let j = skipParenthetical(tokens, subject.next);
  let steps = 0;
  for (;;) {
    narration.fill(j);
    if (!(j < tokens.length && steps < 3 && isAdverb(tokens[j]!))) break;
    j++;
    steps++;
  }
  const verb = tokens[j];
  // After a comma the narration is grammatically the quote's tag, whatever its verb:
  // ""...no doubt," Lefferts laughed", ""I wonder," Janey speculated".
  const continues = quoteLast === ',' || quoteLast === '\u2014' || quoteLast === '-';
  if (
    continues &&
    verb &&
    !verb.punct &&
    !verb.cap &&
    /(?:ed|s)$/.test(verb.lower) &&
    subject.mention.kind !== 'other'
  ) {
    return tagOf(subject.mention, 'after', verb.lower, segment);
  }
  if (!isSpeechVerb(verb)) {
    // "...?" He's pulling at me: the subject acting right after the quote, a weak beat.
    if (
      subject.mention.kind === 'name' ||
      subject.mention.kind === 'pronoun' ||
      subject.mention.kind === 'narrator'
    ) {
      const next = tokens[subject.next];
      if (next && !next.punct && !next.cap) return tagOf(subject.mention, 'beat-after', '', segment);
    }
    return null;
  }
  const weak = verb!.weakSpeech;
  if (afterStop || weak) {
    // A new sentence about someone: an action beat after the quote, not a tag.
    if (subject.mention.kind === 'other') return null;
    return tagOf(subject.mention, 'beat-after', '', segment);
  }
  return tagOf(subject.mention, 'after', verb!.lower, segment);
}

/** Particles of a phrasal speech verb ("broke in", "went on", "called out"). */
const VERB_PARTICLES: ReadonlySet<string> = new Set(['in', 'on', 'out', 'up', 'forth']);
/** Adjectives a story puts before a character's name ("poor Alice", "old Isaac Brown"). */
const NAME_ADJECTIVES: ReadonlySet<string> = new Set(['poor', 'old', 'young', 'little', 'dear', 'good']);

/**
 * Inverted tags whatever the verb, when the quote runs on into them (after , ! ? or a dash):
 * ""Yes," pouted Louisa", ""Never!" thundered Mr. Bumble", ""Go on," broke in old Isaac Brown";
 * and a possessive naming the speaker: ""No," was Harriet's retort", "had been Anne's reply".
 */
function invertedTag(
  narration: NarrationTokens,
  i: number,
  v: number,
  quoteLast: string,
  segment: number,
): Tag | null {
  const runsOn =
    quoteLast === ',' ||
    quoteLast === '!' ||
    quoteLast === '?' ||
    quoteLast === '\u2014' ||
    quoteLast === '-';
  if (!runsOn) return null;
  // All it reads: a possessive subject two words in, or a subject up to three past the verb,
  // and the token after either.
  narration.fill(v + 3 + SUBJECT_REACH);
  const { tokens } = narration;
  const be = tokens[i]?.lower;
  if (be === 'was' || (be === 'had' && tokens[i + 1]?.lower === 'been')) {
    const subject = readSubject(tokens, be === 'was' ? i + 1 : i + 2);
    const owner = tokens[(subject?.next ?? 0) - 1];
    const possessive = owner !== undefined && /['\u2019]s?$/.test(owner.w);
    if (subject?.mention.kind === 'name' && possessive && tokens[subject.next]?.cap === false)
      return tagOf(subject.mention, 'after', be, segment, true);
    return null;
  }
  const verb = tokens[v];
  if (!verb || verb.punct || verb.cap) return null;
  let n = v + 1;
  const phrasal = VERB_PARTICLES.has(tokens[n]?.lower ?? '');
  if (phrasal) n++;
  if (!phrasal && !verb.lower.endsWith('ed')) return null;
  if (NAME_ADJECTIVES.has(tokens[n]?.lower ?? '') && tokens[n + 1]?.cap) n++;
  const subject = readSubject(tokens, n);
  if (subject?.mention.kind !== 'name') return null;
  // The name ends the tag's clause: "pouted Louisa.", "laughed Mademoiselle, turning away".
  // So may a manner phrase: "interjected Dr. Carver in a stentorian murmur".
  const after = tokens[subject.next];
  const manner = after?.lower === 'in' || after?.lower === 'with';
  if (after && !after.punct && !isAdverb(after) && !after.lower.endsWith('ing') && !manner) return null;
  return tagOf(subject.mention, 'after', verb.lower, segment, true);
}

/**
 * A lead-in tag before a quote in the narration text[from, to): "Spike said, ...", "Then Mary
 * cried:". `known`: the previous quote's tag-after tokens, reused when they read all of it.
 */
export function tagBefore(
  text: string,
  from: number,
  to: number,
  segment: number,
  known: NarrationTokens | null,
): Tag | null {
  // The narration's last character (white space trimmed), checked before anything is sliced.
  const end = trimmedEnd(text, from, to);
  const last = end > from ? text.charCodeAt(end - 1) : -1;
  if (last !== 44 && last !== 58 && last !== 0x2014 && last !== 45 && !(last >= 97 && last <= 122))
    return null;
  // The last sentence only, text[start, end), and at most its last WINDOW characters (read in
  // place: nothing is sliced).
  const start = lastSentenceStart(text, from, end);
  const wholeLength = end - start;
  // Only white space follows the sentence, which adds no token.
  const tokens =
    start === from && wholeLength <= WINDOW && readsWhole(known, from, to)
      ? known!.tokens
      : tokenize(text, 64, Math.max(start, end - WINDOW), end);
  // Find the last speech verb, then its subject just before (or just after: "said Alice:").
  for (let k = tokens.length - 1; k >= 0 && k >= tokens.length - 14; k--) {
    if (!isSpeechVerb(tokens[k]) || tokens[k]!.cap) continue;
    // Of the weak verbs, "told" and "began" lead in speech ("Then the Colonel began:").
    if (tokens[k]!.weakSpeech && tokens[k]!.lower !== 'told' && tokens[k]!.lower !== 'began') continue;
    // "...said to Archer, with her grave smile:": the speech word is a noun; the verb is before.
    if (isNounUse(tokens, k)) continue;
    const after = readSubject(tokens, k + 1);
    if (after && after.mention.kind !== 'other' && after.next >= tokens.length - 1) {
      return tagOf(after.mention, 'before', tokens[k]!.lower, segment);
    }
    // "...said Tony to Jock, who said,": the relative pronoun's antecedent speaks.
    if (tokens[k - 1]?.lower === 'who' && tokens[k - 2]?.w === ',') {
      for (let a = k - 3; a >= 0 && a >= k - 7; a--) {
        // ("Mrs Beaver, who said,": the whole name, not "Beaver".)
        const named = wholeNameSubject(tokens, a, readSubject(tokens, a));
        if (named?.mention.kind === 'name' && named.next === k - 2)
          return tagOf(named.mention, 'before', tokens[k]!.lower, segment);
      }
    }
    for (let s = k - 1; s >= 0 && s >= k - 12; s--) {
      const subj = wholeNameSubject(tokens, s, readSubject(tokens, s));
      if (subj && subj.mention.kind !== 'other') {
        let j = skipParenthetical(tokens, subj.next);
        // "Fielding, who didn't dislike Miss Derek, replied", "Mr. Darcy, drawing near Elizabeth,
        // said": a name closing a clause is its object; the subject before the clause speaks.
        const closesClause = j === subj.next && tokens[j]?.w === ',' && s > 0 && !tokens[s - 1]!.punct;
        if (closesClause) continue;
        while (j < k && (isAdverb(tokens[j]!) || tokens[j]!.w === ',')) j++;
        if (j === k) return tagOf(subj.mention, 'before', tokens[k]!.lower, segment);
      }
    }
    return wholeLength <= WINDOW ? sentenceLeadIn(tokens, k, segment) : null;
  }
  return null;
}

/**
 * A subject read from its last word ("Elton" of "Mrs. Elton eagerly interposed") widened to the
 * whole name written before it, when the capitalised words before (and particles: "Mrs. van der
 * Luyden") make one name with it: the tag is Mrs. Elton's, not whoever "Elton" alone would mean.
 */
function wholeNameSubject(
  tokens: readonly Token[],
  s: number,
  subject: { mention: Mention; next: number } | null,
): { mention: Mention; next: number } | null {
  if (subject?.mention.kind !== 'name') return subject;
  let whole = subject;
  for (let b = s - 1; b >= 0 && b >= s - 5; b--) {
    const t = tokens[b]!;
    // "Mrs. van der Luyden": lower-case particles inside the name are stepped over.
    if (!t.cap && NAME_PARTICLES.has(t.lower)) continue;
    if (t.punct || !t.cap || SENTENCE_OPENERS.has(t.lower)) break;
    const wider = readSubject(tokens, b);
    if (wider?.mention.kind !== 'name' || wider.next !== subject.next) break;
    whole = wider;
  }
  return whole;
}

/** The end of text[from, to) without its trailing white space (as trimEnd() cuts it). */
function trimmedEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && isJsSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Where the last sentence of the narration text[from, end) starts: after its last . ! or ? (not
 * a title's "Mrs.").
 */
function lastSentenceStart(text: string, from: number, end: number): number {
  for (let i = end - 2; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) continue;
    const next = text.charCodeAt(i + 1);
    if (next !== 32 && next !== 10) continue;
    if (c === 46) {
      let w = i;
      while (w > from && isWordStart(text.charCodeAt(w - 1))) w--;
      if (isAbbreviatedTitleAt(text, w, i)) continue;
    }
    return i + 2;
  }
  return from;
}

/** Words that may open a sentence before its subject ("And Tony said,", "Then she added:"). */
const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  'when',
  'and',
  'but',
  'then',
  'so',
  'yet',
  'now',
  'at',
  'last',
]);
/** A relative pronoun just before the verb makes another noun the speaker ("Harriet, who said,"). */
const RELATIVES: ReadonlySet<string> = new Set(['who', 'which', 'that', 'whom']);

/**
 * A lead-in sentence whose subject opens it and whose speech verb closes it, with the subject's
 * other doings between: "Tony opened it and said,", "Isabella had only time to press her hand
 * and say,", "Edmund, after waiting a moment, obliged her by saying,". `tokens` is the whole
 * sentence; `k` its last speech verb.
 */
function sentenceLeadIn(tokens: readonly Token[], k: number, segment: number): Tag | null {
  // Nothing after the verb but an addressee ("said to Babs"), a short manner phrase ("said with
  // gentleness", "said in a moment"), adverbs and the closing mark.
  let e = k + 1;
  if (tokens[e]?.lower === 'to') {
    // "said to Babs", "said to her".
    if (OBJECT_PRONOUNS.has(tokens[e + 1]?.lower ?? '')) e += 2;
    else {
      const addressee = readSubject(tokens, e + 1);
      if (!addressee) return null;
      e = addressee.next;
    }
  }
  if (tokens[e]?.lower === 'with' || tokens[e]?.lower === 'in') {
    let m = e + 1;
    while (m < tokens.length && m <= e + 4 && !tokens[m]!.punct && !tokens[m]!.cap) m++;
    e = m;
  }
  while (e < tokens.length && isAdverb(tokens[e]!)) e++;
  if (e < tokens.length - 1) return null;
  // The subject opens the sentence, or the clause after its last comma that starts with one
  // ("When Mrs. Jennings asked, Margaret answered by ... saying,", "There was a pause, and then
  // Archer felt it incumbent on him to say:").
  for (let c = k - 1; c >= -1; c--) {
    if (c >= 0 && tokens[c]!.w !== ',') continue;
    let s = c + 1;
    while (s < k && isOpener(tokens[s]!)) s++;
    if (c < 0 && tokens[s]?.w === ',') s++;
    const subject = leadSubject(tokens, s, k, c < 0);
    if (subject) return { ...tagOf(subject, 'before', tokens[k]!.lower, segment), distant: true };
  }
  return null;
}

/** Whom a lead-in may address by pronoun ("said to her"). */
const OBJECT_PRONOUNS: ReadonlySet<string> = new Set(['her', 'him', 'them', 'me', 'us', 'you']);

/** "Then", "Finally", "And presently": openers and adverbs before a lead-in's subject. */
function isOpener(t: Token): boolean {
  return !t.punct && (SENTENCE_OPENERS.has(t.lower) || t.lower.endsWith('ly') || ADVERB_LIKE.has(t.lower));
}

/** The subject of a lead-in clause starting at `s` whose speech verb is at `k`, or null. */
function leadSubject(tokens: readonly Token[], s: number, k: number, sentenceStart: boolean): Mention | null {
  const first = tokens[s];
  if (!first) return null;
  // "When Emma came in, ...": a capitalised function word opens a clause, not the subject.
  const functionWord =
    first.cap &&
    NOT_NAMES.has(first.w) &&
    !HONORIFICS.has(first.lower.replace(/\.$/, '')) &&
    !SUBJECT_PRONOUNS.has(first.lower);
  if (functionWord) return null;
  const subject = readSubject(tokens, s);
  if (!subject || subject.mention.kind === 'other' || k - subject.next > 24 || subject.next >= k) return null;
  // Inside the sentence, a clause's subject is followed by its verb ("..., Margaret answered").
  const next = tokens[subject.next]!;
  if (!sentenceStart && (next.punct || next.cap)) return null;
  let v = k - 1;
  while (v > subject.next && isAdverb(tokens[v]!)) v--;
  if (RELATIVES.has(tokens[v]!.lower)) return null;
  for (let j = subject.next; j < k; j++) {
    const t = tokens[j]!;
    if (t.w === ';' || t.w === ':' || t.w === '--' || t.w === '\u2014' || t.w === '(') return null;
  }
  return subject.mention;
}

/**
 * Speech verbs in the narration text[from, to) (a second one between two quotes means a second
 * speaker). `known`: the previous quote's tag-after tokens, reused when they read all of it.
 */
export function countSpeechVerbs(
  text: string,
  from: number,
  to: number,
  known: NarrationTokens | null,
): number {
  let n = 0;
  const tokens = readsWhole(known, from, to)
    ? known!.tokens
    : tokenize(text, 64, from, Math.min(to, from + 400));
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!t.cap && t.speech && !t.weakSpeech && !isNounUse(tokens, k)) n++;
  }
  return n;
}

/** Past tenses of speech verbs, never nouns ("her voice said", "the girl replied"). */
const PAST_SPEECH = /(?:ed|^said|^told|^spoke|^began|^wrote|^sang|^swore|^went)$/;

/** Words before a noun that make a speech word after them its noun ("his reply", "a cry"). */
const NOUN_DETERMINERS: ReadonlySet<string> = new Set([
  'the',
  'a',
  'an',
  'his',
  'their',
  'my',
  'our',
  'your',
]);

/**
 * Is the speech word tokens[k] a noun here: "his reply", "with a laugh", "her grave smile"? Not a
 * past tense; after a determiner, or after a determiner (or "her") and one word that is not a
 * person ("her sister cries" is a verb), adverb or speech word.
 */
function isNounUse(tokens: readonly Token[], k: number): boolean {
  const before = tokens[k - 1];
  if (!before || before.punct || PAST_SPEECH.test(tokens[k]!.lower)) return false;
  if (NOUN_DETERMINERS.has(before.lower)) return true;
  const det = tokens[k - 2];
  return (
    det !== undefined &&
    (NOUN_DETERMINERS.has(det.lower) || det.lower === 'her') &&
    !before.cap &&
    !before.speech &&
    !isAdverb(before) &&
    !isPersonNoun(before.lower)
  );
}

/**
 * The subject of the narration sentence just before a quote in text[from, to): "Buffy nodded. "Go
 * on."" `known`: the previous quote's tag-after tokens, reused when they read all of it.
 */
export function beatBefore(
  text: string,
  from: number,
  to: number,
  segment: number,
  known: NarrationTokens | null,
): Tag | null {
  // A sentence ("Buffy nodded.") or a lead-in clause without a speech verb ("He hesitates,").
  const trimmedTo = trimmedEnd(text, from, to);
  const last = trimmedTo > from ? text.charCodeAt(trimmedTo - 1) : -1;
  if (
    last !== 46 &&
    last !== 33 &&
    last !== 63 &&
    last !== 41 &&
    last !== 95 &&
    last !== 42 &&
    last !== 44 &&
    last !== 58
  )
    return null;
  // The sentence is read in place, by offsets: nothing is sliced. text[from, end) is the
  // narration without its closing mark.
  let end = trimmedTo - 1;
  for (let attempt = 0; attempt < 2; attempt++) {
    const cut = lastSentenceBreak(text, from, end);
    const sentenceFrom = cut >= 0 ? cut + 2 : from;
    const whole = attempt === 0 && cut < 0 && readsWhole(known, from, to);
    const reused = whole ? withoutLastMark(known!.tokens, text.charCodeAt(end)) : null;
    const found = sentenceSubject(
      reused !== null
        ? new NarrationTokens('', 0, 0, BEAT_TOKENS, reused)
        : new NarrationTokens(text, sentenceFrom, Math.min(sentenceFrom + WINDOW, end), BEAT_TOKENS),
      segment,
    );
    if (found) return found;
    // An elliptical clause ("Rights his gear, then puffs out his chest,"): the sentence before.
    if (cut < 0 || (last !== 44 && last !== 58)) return null;
    end = cut + 1;
  }
  return null;
}

/**
 * Where the last ". ", "! ", "? " or ".\n" inside text[from, end) starts, or -1 (what the largest
 * lastIndexOf of the four would say of the slice).
 */
function lastSentenceBreak(text: string, from: number, end: number): number {
  for (let i = end - 2; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) continue;
    const next = text.charCodeAt(i + 1);
    if (next === 32 || (next === 10 && c === 46)) return i;
  }
  return -1;
}

const PERCEPTION = new Set([
  'hear',
  'hears',
  'heard',
  'see',
  'sees',
  'saw',
  'watch',
  'watches',
  'watched',
  'feel',
  'feels',
  'felt',
  'notice',
  'notices',
  'noticed',
]);

/** Words a beat's sentence may open with before its subject ("Then Buffy nodded."). */
const BEAT_OPENERS: ReadonlySet<string> = new Set(['then', 'but', 'and', 'so', 'now']);

/** At most this many tokens (+1 for a split full stop) of a beat's sentence are read. */
const BEAT_TOKENS = 12;

/**
 * What tokenize(…, BEAT_TOKENS) reads of a narration without its last mark `last`, given all the
 * narration's tokens; null after a full stop, which changes how the word before it is read.
 */
function withoutLastMark(tokens: readonly Token[], last: number): Token[] | null {
  if (last === 46) return null;
  const n = isPunctuation(last) ? tokens.length - 1 : tokens.length;
  // tokenize stops at the first token boundary past its maximum; a word and its split full stop are one step.
  let p = Math.min(n, BEAT_TOKENS);
  if (p < n && tokens[p] === FULL_STOP) p++;
  return tokens.slice(0, p);
}

/** The subject of a beat's sentence, when it acts (read as far as each step looks). */
function sentenceSubject(sentence: NarrationTokens, segment: number): Tag | null {
  const { tokens } = sentence;
  let i = 0;
  for (;;) {
    sentence.fill(i);
    if (!(i < tokens.length && i < 2 && (tokens[i]!.punct || BEAT_OPENERS.has(tokens[i]!.lower)))) break;
    i++;
  }
  const subject = subjectAt(sentence, i);
  if (!subject || subject.mention.kind === 'other' || subject.mention.kind === 'epithet') return null;
  sentence.fill(subject.next + 1);
  // "I hear him shuffle closer": the one perceived acts, not the one perceiving.
  const verb = tokens[subject.next];
  const object = tokens[subject.next + 1];
  if (verb && object && PERCEPTION.has(verb.lower) && (object.lower === 'him' || object.lower === 'her')) {
    return {
      kind: 'pronoun',
      form: object.lower === 'him' ? 'he' : 'she',
      gender: object.lower === 'him' ? 'male' : 'female',
      source: 'beat-before',
      verb: '',
      segment,
    };
  }
  // The subject must act: a verb-like word follows (not "Buffy's eyes", not "Spike, Angel and...").
  const next = tokens[subject.next];
  if (!next || next.punct || next.cap) return null;
  if (next.lower.endsWith("'s") || next.lower.endsWith('\u2019s')) return null;
  return tagOf(subject.mention, 'beat-before', '', segment);
}

/** Titles that address someone ("Yes, Captain"); a list, read in order for every capitalised word. */
const VOCATIVE_TITLES: readonly string[] = [
  'Mr',
  'Mrs',
  'Ms',
  'Miss',
  'Dr',
  'Sir',
  'Lady',
  'Lord',
  'Aunt',
  'Uncle',
  'Madame',
  'Captain',
  'Colonel',
  'Mamma',
  'Papa',
];
const VOCATIVE_LEADS = ['dear', 'dearest', 'oh', 'ah', 'sweet', 'my'];

/** Is s[from, to) one of VOCATIVE_TITLES (compared in place)? */
function isVocativeTitle(s: string, from: number, to: number): boolean {
  const length = to - from;
  if (length < 2 || length > 7) return false;
  for (let t = 0; t < VOCATIVE_TITLES.length; t++) {
    const title = VOCATIVE_TITLES[t]!;
    if (title.length !== length) continue;
    let k = 0;
    while (k < length && title.charCodeAt(k) === s.charCodeAt(from + k)) k++;
    if (k === length) return true;
  }
  return false;
}

/** Is s[from, to) a vocative lead word, in any case? (Compared in place: "I" follows so many words.) */
function isVocativeLead(s: string, from: number, to: number): boolean {
  const length = to - from;
  return length >= 2 && length <= 7 && isOneOfAt(VOCATIVE_LEADS, s, from, to);
}

const isLower = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 0xdf && c <= 0x24f && !isCapitalLetter(c) && c !== 0xf7) ||
  c === 39 ||
  c === 0x2019;

/** Reads a capitalised word at `i`; returns its end. */
function capitalWordEnd(s: string, i: number, to: number): number {
  if (i >= to || !isCapitalLetter(s.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < to && isLower(s.charCodeAt(j))) j++;
  return j;
}

/** Finds capitals (A-Z, É, Ø...: isCapitalLetter). */
const CAPITAL = capitalPattern();

/**
 * The next capital A-Z of one text at or after an offset, found by a regular expression (native
 * code, several times faster than reading char by char). The last search is remembered: asked
 * again from anywhere it already read, it answers without reading, so readers that ask in text
 * order (one quote after another) read each stretch of text once whatever its quotes' capitals.
 */
export class CapitalFinder {
  /** The last search read text[searchedFrom, found] (found -1: to the end, no capital). */
  private searchedFrom = 0;
  private found = -2;

  constructor(private readonly text: string) {}

  /** The offset of the first capital in text[from, to), or -1. */
  next(from: number, to: number): number {
    if (from < this.searchedFrom || (this.found >= 0 && from > this.found) || this.found === -2) {
      CAPITAL.lastIndex = from;
      this.searchedFrom = from;
      this.found = -1;
      while (CAPITAL.test(this.text))
        if (isCapitalLetter(this.text.charCodeAt(CAPITAL.lastIndex - 1))) {
          this.found = CAPITAL.lastIndex - 1;
          break;
        }
    }
    return this.found >= 0 && this.found < to ? this.found : -1;
  }
}

/**
 * Names in vocative position inside a quote: "Spike, what...", ", Jane!", "dear Harriet",
 * "Mr. Darcy," — a hand-written scan over the capitals (no backtracking regular expression).
 * Reads `quote[from, to)` (the whole string by default).
 */
export function vocativesIn(
  quote: string,
  from = 0,
  to = quote.length,
  capitals: CapitalFinder = new CapitalFinder(quote),
  runNames?: RunNames,
): readonly string[] {
  // Made at the first vocative: most quotes have none, and share one empty answer.
  let out: string[] | null = null;
  const s = quote;
  for (let i = capitals.next(from, to); i >= 0; i = capitals.next(i + 1, to)) {
    if (i > from && (isLower(s.charCodeAt(i - 1)) || isCapitalLetter(s.charCodeAt(i - 1)))) continue;
    // What comes before: the start, punctuation, or a lead word ("dear", "oh").
    let b = i - 1;
    while (b >= from && s.charCodeAt(b) === 32) b--;
    let ok = b < from;
    if (!ok) {
      const c = s.charCodeAt(b);
      ok = c === 44 || c === 59 || c === 33 || c === 63 || c === 46 || c === 0x2014 || c === 45;
      if (!ok && b < i - 1) {
        let w = b;
        while (w >= from && isLower(s.charCodeAt(w) | 0x20)) w--;
        ok = isVocativeLead(s, w + 1, b + 1);
      }
    }
    let end = capitalWordEnd(s, i, to);
    if (end === i || !ok) {
      i = end;
      continue;
    }
    // A title and its name ("Mr. Darcy", "Miss Bennet"), or two capitalised words. Offsets
    // only: the words are sliced once the name is known to close a phrase.
    const firstEnd = end;
    let titleEnd = -1;
    let secondStart = -1;
    if (isVocativeTitle(s, i, end)) {
      let k = end;
      if (k < to && s.charCodeAt(k) === 46) k++;
      if (k < to && s.charCodeAt(k) === 32) {
        const e2 = capitalWordEnd(s, k + 1, to);
        if (e2 > k + 1) {
          titleEnd = k;
          secondStart = k + 1;
          end = e2;
        }
      }
    } else if (end < to && s.charCodeAt(end) === 32) {
      const e2 = capitalWordEnd(s, end + 1, to);
      if (e2 > end + 1) {
        secondStart = end + 1;
        end = e2;
      }
    }
    // What follows: punctuation or the end.
    let a = end;
    while (a < to && s.charCodeAt(a) === 32) a++;
    const f = a < to ? s.charCodeAt(a) : -1;
    const closes =
      f === -1 || f === 44 || f === 46 || f === 33 || f === 63 || f === 59 || f === 0x2014 || f === 45;
    if (closes) {
      // The name's words: one, or two separated by one space (text[i, end) read as a run).
      const wordsRead = secondStart >= 0 ? 2 : 1;
      const n =
        runNames !== undefined
          ? runNames.nameOf(i, end, wordsRead)
          : normaliseName(
              titleEnd >= 0
                ? [s.slice(i, titleEnd), s.slice(secondStart, end)]
                : secondStart >= 0
                  ? [s.slice(i, firstEnd), s.slice(secondStart, end)]
                  : [s.slice(i, firstEnd)],
            );
      // "Undoubtedly," at the start of a quote is an adverb, not a name.
      const adverb =
        wordsRead === 1 && s.charCodeAt(firstEnd - 2) === 108 && s.charCodeAt(firstEnd - 1) === 121;
      if (n && wordCount(n.form) === wordsRead && !adverb) {
        if (out === null) out = [];
        out.push(n.form);
      }
    }
    i = end;
  }
  return out ?? NO_VOCATIVES;
}

/** vocativesIn's answer when a quote has none (never pushed to). */
const NO_VOCATIVES: readonly string[] = [];

/** The number of space-separated words in a name form. */
function wordCount(form: string): number {
  let n = 1;
  for (let i = form.indexOf(' '); i >= 0; i = form.indexOf(' ', i + 1)) n++;
  return n;
}
