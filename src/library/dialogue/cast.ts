/**
 * Cast building: finds capitalised name mentions in one pass over the text, keeps the ones that
 * behave like people (seen mid-sentence, with an honorific, or as a speech tag's subject; not a
 * day, month, place or interjection), clusters aliases (Emma / Miss Woodhouse / Emma Woodhouse)
 * without ever merging across conflicting honorifics (Mr vs Mrs Weston), and guesses each
 * character's gender from honorifics and the pronouns that follow the name.
 */
import { detached, detachedSlice, HashedWords, hashSlice, mixHash } from './intern.ts';
import {
  type Gender,
  GIVEN_NAME_WORDS,
  HONORIFICS,
  isAbbreviatedTitleAt,
  NOT_NAMES,
  PLACE_PREPOSITIONS,
  PLACE_SUFFIXES,
  PRONOUN_GENDER,
  TRAILING_TITLES,
} from './lexicon.ts';
import { genderOfGivenName } from './names.ts';
import { capitalPattern, isCapitalLetter, isJsSpace } from './quotes.ts';

/**
 * The capitalised name mentions of a text, in text order, as columns: mention i is
 * `starts[i]`..`ends[i]`, and so on (a story has tens of thousands, and no object is made per mention).
 */
export interface NameMentions {
  readonly starts: number[];
  readonly ends: number[];
  /**
   * The capitalised run each mention was read from, by its number in `runNames` (a name repeats:
   * its form is then read per distinct run, not per mention).
   */
  readonly runs: number[];
  /** The mention starts a sentence (its capital proves nothing). */
  readonly sentenceInitial: boolean[];
  /**
   * The names of the runs by number (never null for a mention's run): the normalised form
   * (honorific without its full stop, and name words, e.g. "Mr Knightley") and the name as
   * written (honorific full stop kept, possessive dropped: "Mr. Knightley").
   */
  readonly runNames: readonly NormalisedName[];
}

export interface Entity {
  readonly id: number;
  /** Output name: the fullest unambiguous form, as written. */
  name: string;
  readonly forms: Map<string, number>;
  /** Written forms (with honorific full stops as the text writes them). */
  readonly written: Map<string, string>;
  gender: Gender;
  /** Mentions in the whole text. */
  mentions: number;
  /** Times this entity was the subject of a speech tag. */
  tagSubject: number;
  /** Epithet entity ("the mage"): a recurring speaker known only by a description. */
  readonly epithet: boolean;
  /** Set when this entity was merged into another as an alias: one of its former forms. */
  merged?: string;
}

export interface Cast {
  readonly entities: Entity[];
  /** Form → entity id. */
  readonly byForm: Map<string, number>;
  /** All name mentions kept (those resolving to an entity), in text order: where each starts, and its entity. */
  readonly mentions: { readonly starts: readonly number[]; readonly entities: readonly number[] };
}

interface FormStats {
  /** The form's number: forms are numbered in order of first mention. */
  readonly id: number;
  count: number;
  mid: number;
  place: number;
  /** Mentions after a place preposition, not possessive ("in Italy", not "in Spike's arms"). */
  afterPreposition: number;
  written: string;
  genderVotes: number;
  maleVotes: number;
  femaleVotes: number;
  samples: number;
}

/** Finds the capitals that may start a name. */
const CAPITAL = capitalPattern();
/** A-Z, a-z, U+00C0-U+024F: the letters a name is written in. */
const isNameLetter = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);

/** NOT_NAMES by hashSlice, so a word can be looked up where it is written, without a slice. */
const NOT_NAMES_BY_HASH = new HashedWords([...NOT_NAMES].map((word) => [word, word] as const));

/** Is text[from, to) (its hashSlice: `hash`) one of NOT_NAMES? */
function isNotNameAt(text: string, from: number, to: number, hash: number): boolean {
  const candidates = NOT_NAMES_BY_HASH.get(hash);
  if (candidates === undefined) return false;
  for (const word of candidates) {
    if (word.length !== to - from) continue;
    let k = 0;
    while (k < word.length && word.charCodeAt(k) === text.charCodeAt(from + k)) k++;
    if (k === word.length) return true;
  }
  return false;
}

const GIVEN_NAME_WORDS_BY_HASH = new HashedWords([...GIVEN_NAME_WORDS].map((word) => [word, word] as const));

/** Words after a modal "Will" or "May" at a question's or wish's start ("Will you", "May I"). */
const AFTER_MODAL: ReadonlySet<string> = new Set(
  'I you he she it we they not be have this that there one your his her our their my its the a an all'.split(
    ' ',
  ),
);
/** Words before a month ("in May", "the first of June", "last August"). */
const BEFORE_DATE: ReadonlySet<string> = new Set(
  'in of on since until till by early late last next this that mid every during through from to each until before after'.split(
    ' ',
  ),
);

/**
 * Is the first name text[from, to) (one of GIVEN_NAME_WORDS) the modal or the month here: "Will"
 * or "May" before "you", "I", "not"...; a month after "in", "of", "last"... or before a day's number?
 */
function modalOrDateAt(text: string, from: number, to: number): boolean {
  const word = text.slice(from, to);
  if (!GIVEN_NAME_WORDS.has(word)) return false;
  const next = /^\s+([A-Za-z]+|\d)/.exec(text.slice(to, to + 16))?.[1];
  if (next !== undefined && /^\d/.test(next)) return true;
  if ((word === 'Will' || word === 'May') && next !== undefined && AFTER_MODAL.has(next)) return true;
  if (word === 'Will') return false;
  const previous = /([A-Za-z]+)\W*$/.exec(text.slice(Math.max(0, from - 16), from))?.[1];
  return previous !== undefined && BEFORE_DATE.has(previous.toLowerCase());
}

/** A chapter or part number in capitals ("III", "XIV"): never a name, though it may follow one ("Henry VIII"). */
const ROMAN_NUMERAL = /^[IVXLC]+$/;
/**
 * A word of three letters or more in capitals ("THE THEFT", "WAS", "HARTHOUSE"; the full stop of
 * "MR." aside): a heading or emphasis, not a name as the story writes it (a shouted name would
 * be a second character).
 */
const SHOUTED = /^[^a-z\u00df-\u00ff.]{3,}\.?$/;

function honorificOf(word: string): string | null {
  const w = word.replace(/\.$/, '').toLowerCase();
  return HONORIFICS.has(w) ? w : null;
}

const HONORIFIC_CANON: Readonly<Record<string, string>> = {
  mister: 'mr',
  col: 'colonel',
  capt: 'captain',
  mme: 'madame',
  mlle: 'mademoiselle',
  doctor: 'dr',
  prof: 'professor',
  reverend: 'rev',
};

export function canonicalHonorific(h: string): string {
  return HONORIFIC_CANON[h] ?? h;
}

function stripPossessive(word: string): string {
  return word.replace(/['\u2019]s$/, '').replace(/['\u2019]$/, '');
}

/**
 * Words NOT_NAMES keeps out of the cast on their own that are English surnames too: after a
 * title ("Mr Last", "Miss King", "Mrs Hall") they are the name.
 */
const SURNAME_WORDS: ReadonlySet<string> = new Set(
  'Last Good Love Sweet Fine King Prince Day May Church Street Lane Hall House Court Castle Park Place English French Christian'.split(
    ' ',
  ),
);

/** A capitalised run's name: its normalised form and how it is written; null when it is no name. */
export type NormalisedName = { form: string; written: string } | null;
/** normaliseName's answers by the run's words (joined with U+0001); names repeat endlessly in a story. */
const normalisedNames = new Map<string, NormalisedName>();

/** Splits a capitalised run into name forms. Returns null when the run is not a name. */
export function normaliseName(words: readonly string[]): NormalisedName {
  const key = words.length === 1 ? words[0]! : words.join('\u0001');
  const known = normalisedNames.get(key);
  if (known !== undefined) return known;
  const found = normaliseNameUncached(words);
  if (normalisedNames.size >= 50_000) normalisedNames.clear();
  // Kept across stories, so nothing cached may be a slice of one story's text.
  const kept = found && { form: detached(found.form), written: detached(found.written) };
  normalisedNames.set(detached(key), kept);
  return kept;
}

function normaliseNameUncached(words: readonly string[]): NormalisedName {
  // A run with a word in capitals ("MY DEAR SIR", "THE THEFT") is a heading or emphasis.
  if (words.some((w) => SHOUTED.test(w) && !ROMAN_NUMERAL.test(w))) return null;
  const parts = [...words];
  while (
    parts.length > 0 &&
    NOT_NAMES.has(stripPossessive(parts[0]!.replace(/\.$/, ''))) &&
    !honorificOf(parts[0]!)
  )
    parts.shift();
  if (parts.length === 0) return null;
  let hon: string | null = null;
  let honWritten = '';
  const first = parts[0]!;
  const h = honorificOf(first);
  if (h && parts.length > 1) {
    hon = canonicalHonorific(h);
    honWritten = first;
    parts.shift();
  }
  const names: string[] = [];
  for (const p of parts) {
    const w = stripPossessive(p.replace(/\.$/, ''));
    // After a title, a word that is a surname as well ("Mr Last", "Miss King") is the name.
    const surname = hon !== null && names.length === 0 && SURNAME_WORDS.has(w);
    if (!surname && (w.length < 2 || NOT_NAMES.has(w) || honorificOf(w) || ROMAN_NUMERAL.test(w))) break;
    names.push(w);
  }
  if (names.length === 0) return null;
  const last = names[names.length - 1]!;
  if (PLACE_SUFFIXES.has(last)) return null;
  const form = hon ? `${hon} ${names.join(' ')}` : names.join(' ');
  const written = hon ? `${honWritten} ${names.join(' ')}` : names.join(' ');
  return { form, written };
}

const isSpaceCode = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function isSentenceStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      j--;
      continue;
    }
    // A quotation opens with a capital whatever its first word is ('said, "Nonsense!"').
    if (c === 0x201c || (c === 34 && (j === 0 || isSpaceCode(text.charCodeAt(j - 1))))) return true;
    // Other opening quotes, brackets and dashes keep looking back.
    if (c === 34 || c === 0x2018 || c === 39 || c === 40 || c === 95 || c === 42) {
      j--;
      continue;
    }
    return c === 46 || c === 33 || c === 63 || c === 58 || c === 0x2014 || c === 45 || c === 0x2026;
  }
  return true;
}

const isWordChar = (c: number): boolean =>
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  (c >= 48 && c <= 57) ||
  c === 39 ||
  c === 0x2019 ||
  c >= 0xc0;

/** Does text[at, end) start with the first `length` characters of `written`? */
function writtenAt(text: string, at: number, end: number, written: string, length: number): boolean {
  if (at + length > end) return false;
  for (let k = 0; k < length; k++) if (text.charCodeAt(at + k) !== written.charCodeAt(k)) return false;
  return true;
}

/**
 * The names of the capitalised runs already read in one text, found where the run is written: open
 * addressing by the run's hash, each slot pointing at the run's first occurrence in the text. A
 * repeated run is neither sliced nor interned, and the table (a few thousand runs) stays in cache.
 */
export class RunNames {
  private mask = 1023;
  private used = 0;
  private hashes = new Int32Array(1024);
  /** Where the slot's run first occurs in the text (-1: empty slot). */
  private starts = new Int32Array(1024).fill(-1);
  private lengths = new Int32Array(1024);
  private names: NormalisedName[] = new Array<NormalisedName>(1024).fill(null);
  /** Each slot's run number: runs are numbered in the order they are first read. */
  private runIds = new Int32Array(1024);
  /** The runs' names by run number. */
  readonly runNames: NormalisedName[] = [];
  /**
   * The length of the name mention the run makes when it starts where the run does (its first
   * written word opens the run: the usual case, known from the run's characters alone); 0 until
   * asked, -1 when the mention must be looked for in the text.
   */
  private mentionLengths = new Int32Array(1024);

  constructor(private readonly text: string) {}

  /** normaliseName of the run text[from, to) of `words` words, read once per distinct run. */
  nameOf(from: number, to: number, words: number): NormalisedName {
    return this.names[this.slotOf(from, to, words)]!;
  }

  /** The slot of the run text[from, to) of `words` words, its name read once per distinct run. */
  slotOf(from: number, to: number, words: number): number {
    const { text } = this;
    const length = to - from;
    const mixed = mixHash(hashSlice(text, from, to));
    let slot = mixed & this.mask;
    for (let at = this.starts[slot]!; at >= 0; at = this.starts[slot]!) {
      if (this.hashes[slot] === mixed && this.lengths[slot] === length && sameRun(text, at, from, length))
        return slot;
      slot = (slot + 1) & this.mask;
    }
    this.hashes[slot] = mixed;
    this.starts[slot] = from;
    this.lengths[slot] = length;
    const name = knownRunName(text, from, to, mixed, words);
    this.names[slot] = name;
    this.runIds[slot] = this.runNames.length;
    this.runNames.push(name);
    if (++this.used * 2 > this.mask) {
      this.grow();
      return this.slotOf(from, to, words);
    }
    return slot;
  }

  /** The name of the run in `slot`. */
  nameAt(slot: number): NormalisedName {
    return this.names[slot]!;
  }

  /** The number of the run in `slot` (its index in `runNames`). */
  runAt(slot: number): number {
    return this.runIds[slot]!;
  }

  /**
   * The length of the mention the named run in `slot` makes, when the mention starts where the run
   * does; -1 when it does not (its first written word is elsewhere in the run, or past it).
   */
  mentionLengthAt(slot: number, name: { readonly written: string }): number {
    let known = this.mentionLengths[slot]!;
    if (known === 0) {
      const { written } = name;
      const space = written.indexOf(' ');
      const firstLength = space < 0 ? written.length : space;
      const from = this.starts[slot]!;
      const to = from + this.lengths[slot]!;
      known = writtenAt(this.text, from, to, written, firstLength) ? Math.min(to - from, written.length) : -1;
      this.mentionLengths[slot] = known;
    }
    return known;
  }

  private grow(): void {
    const { hashes, starts, lengths, names, runIds } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.starts = new Int32Array(size).fill(-1);
    this.lengths = new Int32Array(size);
    this.names = new Array<NormalisedName>(size).fill(null);
    this.runIds = new Int32Array(size);
    const { mentionLengths } = this;
    this.mentionLengths = new Int32Array(size);
    for (let old = 0; old < starts.length; old++) {
      if (starts[old]! < 0) continue;
      let slot = hashes[old]! & this.mask;
      while (this.starts[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.hashes[slot] = hashes[old]!;
      this.starts[slot] = starts[old]!;
      this.lengths[slot] = lengths[old]!;
      this.names[slot] = names[old]!;
      this.runIds[slot] = runIds[old]!;
      this.mentionLengths[slot] = mentionLengths[old]!;
    }
  }
}

/**
 * normaliseName of runs as written, across texts: a story's distinct runs are mostly names and
 * words every story writes, found here by their characters (open addressing over typed arrays,
 * nothing sliced) rather than sliced, split and looked up by their words. Holds detached copies;
 * emptied when half full, so memory stays bounded.
 */
const RUN_SLOTS = 1 << 15;
const runHashes = new Int32Array(RUN_SLOTS);
/** Each slot's run length (0: empty slot). */
const runLengths = new Int32Array(RUN_SLOTS);
const runTexts: (string | undefined)[] = new Array<string | undefined>(RUN_SLOTS).fill(undefined);
const runNamesKnown: NormalisedName[] = new Array<NormalisedName>(RUN_SLOTS).fill(null);
let runsKnown = 0;

/** normaliseName of the run text[from, to) of `words` words; `mixed`: mixHash of its hashSlice. */
function knownRunName(text: string, from: number, to: number, mixed: number, words: number): NormalisedName {
  const length = to - from;
  let slot = mixed & (RUN_SLOTS - 1);
  for (;;) {
    const known = runLengths[slot]!;
    if (known === 0) break;
    if (known === length && runHashes[slot] === mixed) {
      const raw = runTexts[slot]!;
      let k = 0;
      while (k < length && raw.charCodeAt(k) === text.charCodeAt(from + k)) k++;
      if (k === length) return runNamesKnown[slot]!;
    }
    slot = (slot + 1) & (RUN_SLOTS - 1);
  }
  if (runsKnown >= RUN_SLOTS >> 1) {
    runLengths.fill(0);
    runTexts.fill(undefined);
    runNamesKnown.fill(null);
    runsKnown = 0;
    slot = mixed & (RUN_SLOTS - 1);
  }
  const raw = detachedSlice(text, from, to);
  // A one-word run holds no space to split at.
  const name = normaliseName(words === 1 ? [raw] : raw.split(/\s+/));
  runHashes[slot] = mixed;
  runLengths[slot] = length;
  runTexts[slot] = raw;
  runNamesKnown[slot] = name;
  runsKnown++;
  return name;
}

/** Are text[a, a + length) and text[b, b + length) the same characters? */
function sameRun(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/**
 * Adds the capitalised run text[runStart, runEnd) of `runWords` words to `mentions` when it names
 * someone. (A function of the module, not a closure made per text: a hot call to a fresh closure
 * throws away the optimised code of its caller.)
 */
function pushMention(
  mentions: NameMentions,
  text: string,
  runNames: RunNames,
  runStart: number,
  runEnd: number,
  runWords: number,
): void {
  const slot = runNames.slotOf(runStart, runEnd, runWords);
  const n = runNames.nameAt(slot);
  if (!n) return;
  // The mention starts where its first written word does ("Good morning, Emma": at "Emma"), which
  // for most runs is where the run starts (known once per distinct run).
  const length = runNames.mentionLengthAt(slot, n);
  if (length > 0) {
    mentions.starts.push(runStart);
    mentions.ends.push(runStart + length);
    mentions.runs.push(runNames.runAt(slot));
    mentions.sentenceInitial.push(isSentenceStart(text, runStart));
    return;
  }
  const space = n.written.indexOf(' ');
  const firstLength = space < 0 ? n.written.length : space;
  const offset = writtenAt(text, runStart, runEnd, n.written, firstLength)
    ? runStart
    : text.indexOf(n.written.slice(0, firstLength), runStart);
  const start = offset >= 0 && offset < runEnd ? offset : runStart;
  mentions.starts.push(start);
  mentions.ends.push(Math.min(runEnd, start + n.written.length));
  mentions.runs.push(runNames.runAt(slot));
  mentions.sentenceInitial.push(isSentenceStart(text, runStart));
}

/** Finds name mentions in the whole text in one regular-expression pass. */
export function scanNameMentions(text: string, runNames = new RunNames(text)): NameMentions {
  const mentions: NameMentions = {
    starts: [],
    ends: [],
    runs: [],
    sentenceInitial: [],
    runNames: runNames.runNames,
  };
  let runStart = -1;
  let runEnd = -1;
  let runWords = 0;
  let runLastIsHonorific = false;
  let runLastEndsDot = false;
  const length = text.length;
  // The regular expression only finds each capital (test() allocates nothing); the word after it
  // is read char by char with its hash, so no word is sliced unless it may name someone.
  CAPITAL.lastIndex = 0;
  while (CAPITAL.test(text)) {
    const start = CAPITAL.lastIndex - 1;
    if (!isCapitalLetter(text.charCodeAt(start))) continue;
    let hash = text.charCodeAt(start);
    let tokenEnd = start + 1;
    for (; tokenEnd < length; tokenEnd++) {
      const c = text.charCodeAt(tokenEnd);
      if (!isNameLetter(c) && c !== 39 && c !== 0x2019) break;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    while (
      tokenEnd + 1 < length &&
      text.charCodeAt(tokenEnd) === 45 &&
      isNameLetter(text.charCodeAt(tokenEnd + 1))
    ) {
      hash = (Math.imul(hash, 31) + 45) | 0;
      for (tokenEnd++; tokenEnd < length; tokenEnd++) {
        const c = text.charCodeAt(tokenEnd);
        if (!isNameLetter(c)) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
    }
    const dot = tokenEnd < length && text.charCodeAt(tokenEnd) === 46;
    const next = dot ? tokenEnd + 1 : tokenEnd;
    CAPITAL.lastIndex = next;
    if (start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
    // Only an abbreviated title's full stop ("Mr.", "Dr.") joins it to the next word; "the
    // General." ends a sentence.
    const hon = dot && isAbbreviatedTitleAt(text, start, tokenEnd);
    const end = dot && !hon ? tokenEnd : next;
    if (runStart >= 0) {
      const gapOk =
        (start === runEnd + 1 && (text.charCodeAt(runEnd) === 32 || text.charCodeAt(runEnd) === 10)) ||
        (start - runEnd <= 9 && start > runEnd + 1 && particlesOnly(text, runEnd, start));
      const joinable = gapOk && (!runLastEndsDot || runLastIsHonorific) && runWords < 5;
      if (joinable) {
        runEnd = end;
        runWords++;
        runLastIsHonorific = hon;
        runLastEndsDot = dot;
        continue;
      }
      pushMention(mentions, text, runNames, runStart, runEnd, runWords);
      runStart = -1;
    }
    // "May I?", "Will you?", "in June": a first name that is also a modal or a month is that word here.
    if (GIVEN_NAME_WORDS_BY_HASH.get(hash) !== undefined && modalOrDateAt(text, start, tokenEnd)) continue;
    // A lone common capitalised word (The, But, She...) starts a run only if a name follows it.
    if (!dot && isNotNameAt(text, start, tokenEnd, hash)) {
      const after = text.charCodeAt(end + 1);
      if (!isCapitalLetter(after)) continue;
    }
    runStart = start;
    runEnd = end;
    runWords = 1;
    runLastIsHonorific = hon;
    runLastEndsDot = dot;
  }
  if (runStart >= 0) pushMention(mentions, text, runNames, runStart, runEnd, runWords);
  return mentions;
}

const splitCache = new Map<string, { hon: string | null; names: string[] }>();

/** A form's title (canonical, lower case) and name words: "mr John Knightley" → mr, [John, Knightley]. */
export function splitForm(form: string): { hon: string | null; names: string[] } {
  let r = splitCache.get(form);
  if (!r) {
    const words = form.split(' ');
    const h = HONORIFICS.has(words[0]!) ? words[0]! : null;
    r = { hon: h, names: h ? words.slice(1) : words };
    if (splitCache.size > 50_000) splitCache.clear();
    splitCache.set(form, r);
  }
  return r;
}

const VOTING_PRONOUNS = ['he', 'she', 'his', 'her', 'himself', 'herself'];
/** Words opening a new clause, whose pronouns may be someone else's. */
const CLAUSE_WORDS = [
  'while',
  'because',
  'when',
  'since',
  'though',
  'although',
  'if',
  'but',
  'who',
  'whom',
  'whose',
];
/**
 * The words pronounVotes looks for, by hashSlice: a lower-case or capitalised pronoun (its
 * lower-case form) or a clause word (''). Checked by hash, then char by char: nothing is sliced.
 */
const VOTE_WORDS = new HashedWords<{ word: string; pronoun: string }>(
  [
    ...VOTING_PRONOUNS.flatMap((w) =>
      [w, `${w[0]!.toUpperCase()}${w.slice(1)}`].map((word) => ({ word, pronoun: w })),
    ),
    ...CLAUSE_WORDS.map((word) => ({ word, pronoun: '' })),
  ].map((entry) => [entry.word, entry] as const),
);

/** The vote word written at text[from, to) (hash: its hashSlice), or undefined. */
function voteWord(
  text: string,
  from: number,
  to: number,
  hash: number,
): { word: string; pronoun: string } | undefined {
  const candidates = VOTE_WORDS.get(hash);
  if (candidates === undefined) return undefined;
  for (const known of candidates) {
    if (known.word.length !== to - from) continue;
    let k = 0;
    while (k < known.word.length && known.word.charCodeAt(k) === text.charCodeAt(from + k)) k++;
    if (k === known.word.length) return known;
  }
  return undefined;
}
const isAsciiWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isAsciiLower = (c: number): boolean => c >= 97 && c <= 122;

/**
 * The subject pronoun opening the sentence at text[from, limit), as the regular expression
 * /^["\u201D']?\s+["\u201C']?(He|She)\b/ reads it on that slice ('male' for He, 'female' for
 * She, null for neither), read in place: a closing quote, white space, an opening quote, the word.
 */
function nextSentencePronoun(text: string, from: number, limit: number): Gender | null {
  let k = from;
  if (k >= limit) return null;
  let c = text.charCodeAt(k);
  if (c === 34 || c === 0x201d || c === 39) k++;
  const spaces = k;
  while (k < limit && isJsSpace(text.charCodeAt(k))) k++;
  if (k === spaces || k >= limit) return null;
  c = text.charCodeAt(k);
  if (c === 34 || c === 0x201c || c === 39) k++;
  let gender: Gender;
  if (k + 2 <= limit && text.charCodeAt(k) === 72 && text.charCodeAt(k + 1) === 101) {
    gender = 'male';
    k += 2;
  } else if (
    k + 3 <= limit &&
    text.charCodeAt(k) === 83 &&
    text.charCodeAt(k + 1) === 104 &&
    text.charCodeAt(k + 2) === 101
  ) {
    gender = 'female';
    k += 3;
  } else return null;
  // \b: the word ends there (or the slice does).
  return k < limit && isAsciiWordChar(text.charCodeAt(k)) ? null : gender;
}

/**
 * Pronouns in the rest of the sentence after a narration mention ("Buffy bit at her lips",
 * "Spike gritted his teeth"), within 160 characters (BookNLP's ~25 words). The first pronoun
 * counts double and reflexives triple; "him" is left out (it is nearly always someone else:
 * "yanked the thing out of him"). A word-by-word scan over char codes that stops at the first
 * clause word, other capitalised word or sentence end.
 */
function pronounVotes(text: string, end: number): { male: number; female: number } {
  const limit = Math.min(text.length, end + 160);
  let male = 0;
  let female = 0;
  let weight = 2;
  let p = end;
  while (p < limit) {
    const c = text.charCodeAt(p);
    let pronoun: string | undefined;
    let next = p + 1;
    if (isAsciiLower(c) && (p === end || !isAsciiWordChar(text.charCodeAt(p - 1)))) {
      // A whole lower-case word: a pronoun votes, a clause word stops the count.
      let q = p + 1;
      let hash = c;
      // The word's first capital ("McDonald"), where reading resumes when the word does not vote.
      let capital = -1;
      for (; q < limit; q++) {
        const d = text.charCodeAt(q);
        if (!isAsciiWordChar(d)) break;
        if (capital < 0 && isCapitalLetter(d)) capital = q;
        hash = (Math.imul(hash, 31) + d) | 0;
      }
      const found = q - p >= 2 && q - p <= 8 ? voteWord(text, p, q, hash) : undefined;
      if (found !== undefined) {
        // (Its first letter is lower-case, so the word is too: a lower-case pronoun or clause word.)
        if (found.pronoun === '') break;
        pronoun = found.pronoun;
        next = q;
      }
      if (pronoun === undefined) {
        // The word's other letters, digits and underscores start no word: skip them.
        p = capital >= 0 ? capital : q;
        continue;
      }
    } else if (isCapitalLetter(c) && p + 1 < limit && isAsciiLower(text.charCodeAt(p + 1))) {
      // A capitalised word: another name or a new sentence's subject, unless a pronoun.
      let q = p + 1;
      let hash = c;
      for (; q < limit; q++) {
        const d = text.charCodeAt(q);
        if (!isAsciiLower(d)) break;
        hash = (Math.imul(hash, 31) + d) | 0;
      }
      const found = voteWord(text, p, q, hash);
      if (found === undefined || found.pronoun === '') break;
      pronoun = found.pronoun;
      next = q;
    } else if (c === 46 || c === 33 || c === 63 || c === 59) {
      // The next sentence opening with a subject pronoun continues the same person: "Illyria
      // turned. She pointed..."
      const following = nextSentencePronoun(text, p + 1, limit);
      if (following === 'male') male += 2;
      else if (following === 'female') female += 2;
      break;
    } else {
      p++;
      continue;
    }
    const g = PRONOUN_GENDER.get(pronoun);
    const v = pronoun.endsWith('self') ? 3 : weight;
    if (g === 'male') male += v;
    else if (g === 'female') female += v;
    weight = 1;
    p = next;
  }
  return { male, female };
}

export interface CastOptions {
  /** Forms seen as the subject of an explicit speech tag, with counts. */
  readonly tagSubjects: ReadonlyMap<string, number>;
  /** Forms seen as the acting subject of a narration sentence just before a quote. */
  readonly beatSubjects: ReadonlyMap<string, number>;
  /** Forms seen in vocative position inside quotes. */
  readonly vocatives: ReadonlyMap<string, number>;
  /** Start offsets of quoted spans' inside regions, for telling narration mentions apart. */
  readonly insideQuote: (offset: number) => boolean;
}

/**
 * In how many sentences two names must stand together before they are two people; one will do
 * when they are at most CLOSE_NAMES characters apart.
 */
const APART_SENTENCES = 2;
const CLOSE_NAMES = 30;

/** Builds the cast from the name mentions. */
export function buildCast(text: string, allMentions: NameMentions, options: CastOptions): Cast {
  const stats = new Map<string, FormStats>();
  const mentions = outsideHeadings(text, allMentions);
  const { starts, ends } = mentions;
  const mentionCount = starts.length;
  // Each mention's form by number, so pairs and the kept mentions need no lookups by string.
  const formOfMention = new Int32Array(mentionCount);
  // Which mentions are spoken (insideQuote reads offsets in increasing order: asked once each).
  const spoken = new Uint8Array(mentionCount);
  // Each run's form stats, looked up by form once per distinct run rather than per mention.
  const statsOfRun: (FormStats | undefined)[] = new Array(mentions.runNames.length).fill(undefined);
  for (let i = 0; i < mentionCount; i++) {
    if (options.insideQuote(starts[i]!)) spoken[i] = 1;
    const run = mentions.runs[i]!;
    let s = statsOfRun[run];
    if (s === undefined) {
      // Only runs that name someone are mentions.
      const { form, written } = mentions.runNames[run]!;
      s = stats.get(form);
      if (!s) {
        s = {
          id: stats.size,
          count: 0,
          mid: 0,
          place: 0,
          afterPreposition: 0,
          written,
          genderVotes: 0,
          maleVotes: 0,
          femaleVotes: 0,
          samples: 0,
        };
        stats.set(form, s);
      }
      statsOfRun[run] = s;
    }
    formOfMention[i] = s.id;
    s.count++;
    if (!mentions.sentenceInitial[i]) s.mid++;
    const before = placeWordBefore(text, starts[i]!);
    // "in Spike's arms" is no place: a possessive after a preposition counts for neither.
    if (before !== undefined && !(before.preposition && isPossessiveAt(text, ends[i]!))) {
      s.place += before.weight;
      if (before.preposition) s.afterPreposition++;
    }
    if (s.samples < 40 && spoken[i] === 0) {
      s.samples++;
      const v = pronounVotes(text, ends[i]!);
      s.maleVotes += v.male;
      s.femaleVotes += v.female;
    }
  }

  // Two names close together in one sentence ("Mr. Knightley walked in with John Knightley")
  // are two people; further apart in one sentence, once it happens twice: a long sentence may
  // name one person twice ("where your sister and Mr. Wickham were, and that he had seen and
  // talked with them both, Wickham repeatedly").
  // Pairs of forms are kept as numbers (form ids), not joined strings.
  const forms = stats.size;
  const pairKey = (a: number, b: number): number => a * forms + b;
  const sentencesTogether = new Map<number, number>();
  const distinct = new Set<number>();
  // Mentions come in text order without overlapping, so the stretch from one mention to the one
  // after next is the gap after it, the middle mention and the gap after that: each is read once
  // (0: not read yet, 1: no break, 2: a break).
  const breakAfter = new Uint8Array(mentionCount);
  const breakInside = new Uint8Array(mentionCount);
  const gapBreaks = (k: number): boolean => {
    if (breakAfter[k] === 0) breakAfter[k] = hasSentenceBreak(text, ends[k]!, starts[k + 1]!) ? 2 : 1;
    return breakAfter[k] === 2;
  };
  const breaksBetween = (i: number, j: number): boolean => {
    if (j === i + 1) return gapBreaks(i);
    if (breakInside[i + 1] === 0)
      breakInside[i + 1] = hasSentenceBreak(text, starts[i + 1]!, ends[i + 1]!) ? 2 : 1;
    return gapBreaks(i) || breakInside[i + 1] === 2 || gapBreaks(i + 1);
  };
  for (let i = 0; i + 1 < mentionCount; i++) {
    const idA = formOfMention[i]!;
    for (let j = i + 1; j < Math.min(mentionCount, i + 3); j++) {
      const idB = formOfMention[j]!;
      if (starts[j]! - ends[i]! > 80 || idA === idB) continue;
      if (breaksBetween(i, j)) continue;
      // Names side by side in speech ("Miss Quested, Adela, what d'ye call yourself") may be
      // one listener addressed twice.
      if (j === i + 1 && commaOnly(text, ends[i]!, starts[j]!) && spoken[i] === 1) continue;
      const key = pairKey(idA, idB);
      // Close together ("Mr. Knightley walked in with John Knightley") is two people at once; not
      // across a semicolon, colon or dash, after which a name is often the same one again ("to Mr.
      // William Sikes; and further, that the said Sikes", "Mr. Giovanelli--the beautiful Giovanelli").
      // Nor in speech, which repeats and stumbles ("Dr. Aziz, Dr, Aziz, I come to enquire").
      const close =
        starts[j]! - ends[i]! <= CLOSE_NAMES &&
        spoken[j] === 0 &&
        !hasClauseBreak(text, ends[i]!, starts[j]!);
      const together = (sentencesTogether.get(key) ?? 0) + (close ? APART_SENTENCES : 1);
      sentencesTogether.set(key, together);
      sentencesTogether.set(pairKey(idB, idA), together);
      if (together >= APART_SENTENCES) {
        distinct.add(key);
        distinct.add(pairKey(idB, idA));
      }
    }
  }
  const apart = (form: string, e: Entity): boolean => {
    const id = stats.get(form)?.id;
    if (id === undefined) return false;
    for (const f of e.forms.keys()) {
      const other = stats.get(f)?.id;
      if (other !== undefined && distinct.has(pairKey(id, other))) return true;
    }
    return false;
  };

  // Which forms are people.
  const kept: string[] = [];
  for (const [form, s] of stats) {
    const { hon, names } = splitForm(form);
    const tags = options.tagSubjects.get(form) ?? 0;
    const voc = options.vocatives.get(form) ?? 0;
    if (s.place > 0 && s.place >= s.count * 0.3 && tags === 0) continue;
    // A lone capitalised word never seen mid-sentence ("Simple words, but true.") is an ordinary
    // word opening a sentence, unless a speech tag or a vocative uses it as a name.
    if (s.mid === 0 && hon === null && names.length === 1 && tags === 0 && voc === 0) continue;
    const person =
      tags > 0 ||
      (options.beatSubjects.get(form) ?? 0) >= 2 ||
      hon !== null ||
      (s.mid >= 2 && (names.length > 1 || s.mid + voc >= 3)) ||
      (s.count >= 2 && s.mid >= 1) ||
      (names.length > 1 && s.mid >= 1) ||
      (voc >= 1 && s.count >= 2);
    if (!person) continue;
    // Nor is one the story also writes in lower case ("Nonsense, Emma!" beside "what nonsense"):
    // an exclamation opening a quote, not a name, though it stands where a vocative would. (Asked
    // last, of would-be people only: it searches the whole text.)
    if (s.mid === 0 && hon === null && names.length === 1 && tags === 0 && writtenInLowerCase(text, form))
      continue;
    kept.push(form);
  }

  // Cluster the forms into entities; a cluster that behaves like a place rather than a person
  // (placeLike) is no character, and the rest are clustered again without its forms.
  const cluster = (people: readonly string[]): { entities: Entity[]; byForm: Map<string, number> } => {
    // Cluster: full names first, then honorific + one word, then single words.
    const entities: Entity[] = [];
    const byForm = new Map<string, number>();
    const newEntity = (form: string, epithet = false): Entity => {
      const e: Entity = {
        id: entities.length,
        name: stats.get(form)?.written ?? form,
        forms: new Map(),
        written: new Map(),
        gender: 'unknown',
        mentions: 0,
        tagSubject: 0,
        epithet,
      };
      entities.push(e);
      return e;
    };
    const attach = (e: Entity, form: string): void => {
      const s = stats.get(form);
      e.forms.set(form, s?.count ?? 0);
      e.written.set(form, s?.written ?? form);
      byForm.set(form, e.id);
    };

    const parsed = people.map((form) => ({ form, ...splitForm(form) }));
    const fullNames = parsed.filter((p) => p.names.length >= 2);
    // The most used title and surname is matched to a full name first: "Mr. Crawford" (175
    // mentions) is Henry Crawford, and his uncle "Admiral Crawford" (3) then finds the title taken.
    const honSingles = parsed
      .filter((p) => p.names.length === 1 && p.hon !== null)
      .sort((a, b) => (stats.get(b.form)?.count ?? 0) - (stats.get(a.form)?.count ?? 0));
    const singles = parsed.filter((p) => p.names.length === 1 && p.hon === null);

    // Full names keyed by their name words; honorific variants of the same words join them.
    const fullByWords = new Map<string, Entity>();
    fullNames.sort((a, b) => (a.hon === null ? 0 : 1) - (b.hon === null ? 0 : 1));
    for (const p of fullNames) {
      // "Mrs. John Dashwood" is John Dashwood's wife: a married title keeps its own entity.
      const key = p.hon === 'mrs' ? `mrs ${p.names.join(' ')}` : p.names.join(' ');
      let e = fullByWords.get(key);
      if (!e) {
        e = newEntity(p.form);
        fullByWords.set(key, e);
      }
      attach(e, p.form);
    }
    const genderOfHon = (h: string | null): Gender => (h ? (HONORIFICS.get(h) ?? 'unknown') : 'unknown');
    const entityGender = (e: Entity): Gender => {
      let male = 0;
      let female = 0;
      for (const form of e.forms.keys()) {
        const { hon, names } = splitForm(form);
        const g = genderOfHon(hon);
        if (g === 'male') male += 100;
        if (g === 'female') female += 100;
        // So does a title written after the name ("Hamidullah Begum").
        const trailing = trailingTitleOf(names);
        if (trailing === 'male') male += 100;
        if (trailing === 'female') female += 100;
        // A first name on the given-name lists weighs like an honorific (names.ts).
        const given =
          names.length >= 1 && (hon === null || g === 'unknown') ? genderOfGivenName(names[0]!) : 'unknown';
        if (given === 'male') male += 100;
        if (given === 'female') female += 100;
        const s = stats.get(form);
        if (s) {
          male += s.maleVotes;
          female += s.femaleVotes;
        }
      }
      if (male >= 1.3 * female + 2) return 'male';
      if (female >= 1.3 * male + 2) return 'female';
      return 'unknown';
    };
    for (const e of entities) e.gender = entityGender(e);
    // A full name's gender also reads the pronouns after its first name alone ("Emma smiled, and
    // she..."), when that first name belongs to no other full name.
    const firstNameOwners = new Map<string, Entity[]>();
    for (const e of fullByWords.values()) {
      const first = splitForm([...e.forms.keys()][0]!).names[0]!;
      firstNameOwners.set(first, [...(firstNameOwners.get(first) ?? []), e]);
    }
    for (const [first, owners] of firstNameOwners) {
      const s = stats.get(first);
      const e = owners[0]!;
      if (!s || owners.length !== 1 || e.gender !== 'unknown') continue;
      if (s.maleVotes >= 1.3 * s.femaleVotes + 2) e.gender = 'male';
      else if (s.femaleVotes >= 1.3 * s.maleVotes + 2) e.gender = 'female';
    }

    // Honorific + one word: its own entity unless exactly one gender-compatible full name ends
    // (or, for Sir/Lady-style first-name titles, starts) with that word and the text never writes
    // the honorific together with a first name to tell two people apart ("Mr. John Knightley").
    // Indexes over the full names: by last word, by first word, and honorific + last word.
    const fullByLast = new Map<string, Entity[]>();
    const honWithFirst = new Set<string>();
    for (const e of fullByWords.values()) {
      const seen = new Set<string>();
      for (const f of e.forms.keys()) {
        const w = splitForm(f);
        for (const key of [w.names[w.names.length - 1]!, w.names[0]!]) {
          if (seen.has(key)) continue;
          seen.add(key);
          const list = fullByLast.get(key) ?? [];
          list.push(e);
          fullByLast.set(key, list);
        }
        if (w.hon !== null) honWithFirst.add(`${w.hon}|${w.names[w.names.length - 1]}`);
      }
    }
    const honorificsOf = (e: Entity): (string | null)[] => [...e.forms.keys()].map((f) => splitForm(f).hon);
    for (const p of honSingles) {
      const word = p.names[0]!;
      const g = genderOfHon(p.hon);
      // A full name of unknown gender only takes the title when no other title shares the surname
      // ("Mr. Woodhouse" and "Miss Woodhouse" leave "Emma Woodhouse" to the one her gender fits).
      const rivalTitles = honSingles.some(
        (o) => o.names[0] === word && o.hon !== p.hon && genderOfHon(o.hon) !== g,
      );
      const compatible = (fullByLast.get(word) ?? []).filter(
        (e) =>
          (g === 'unknown' || e.gender === g || (e.gender === 'unknown' && !rivalTitles)) &&
          !apart(p.form, e),
      );
      const withFirstName = honWithFirst.has(`${p.hon}|${word}`);
      const conflicting = compatible.some((e) =>
        honorificsOf(e).some((h) => h !== null && h !== p.hon && genderOfHon(h) !== 'unknown'),
      );
      // A married title names the husband's surname: "Mrs. Price" is not "Fanny Price".
      const married = p.hon === 'mrs' || p.hon === 'madame' || p.hon === 'lady';
      const marriedLinked =
        married && compatible.length === 1 && honorificsOf(compatible[0]!).includes(p.hon);
      let target: Entity | undefined;
      if (compatible.length === 1 && !withFirstName && !conflicting && (!married || marriedLinked))
        target = compatible[0];
      if (!target) target = newEntity(p.form);
      attach(target, p.form);
      if (target.gender === 'unknown') target.gender = g !== 'unknown' ? g : entityGender(target);
    }

    // Single words: a first name of exactly one full name; else a surname: of exactly one entity,
    // or of exactly one man (a bare surname names a man: "Darcy", "Bingley"), or of one dominant entity.
    const byWord = new Map<string, Set<Entity>>();
    const byFirst = new Map<string, Set<Entity>>();
    for (const [form, id] of byForm) {
      const { hon, names } = splitForm(form);
      // "Hamidullah Begum" is Hamidullah's wife: "Hamidullah" alone is not her.
      if (trailingTitleOf(names) !== undefined) continue;
      const e = entities[id]!;
      // "Mrs. Charles Musgrove" goes by her husband's name: "Charles" alone is him.
      if (hon === 'mrs' && names.length >= 2) {
        addTo(byWord, names[names.length - 1]!, e);
        continue;
      }
      // So does "Mrs Charles", by his first name alone.
      if (hon === 'mrs' && genderOfGivenName(names[0]!) === 'male') continue;
      for (const w of names) addTo(byWord, w, e);
      if (names.length >= 2) addTo(byFirst, names[0]!, e);
    }
    const count = (e: Entity): number => {
      let n = 0;
      for (const f of e.forms.keys()) {
        const s = stats.get(f);
        if (s !== undefined) n += s.count;
      }
      return n;
    };
    // Called by surname alone more often than by full name.
    const knownBySurname = (e: Entity): boolean => {
      let surname = '';
      let full = 0;
      for (const [f, n] of e.forms) {
        const { names } = splitForm(f);
        if (names.length < 2) continue;
        surname = names[names.length - 1]!;
        full += n;
      }
      return surname !== '' && (stats.get(surname)?.count ?? 0) > full;
    };
    // The entity writes `word` as the first of its own first and last names ("John Andrew", not
    // "Mrs. Charles Musgrove").
    const startsFullName = (e: Entity, word: string): boolean => {
      for (const f of e.forms.keys()) {
        const { hon, names } = splitForm(f);
        if (hon === null && names.length >= 2 && names[0] === word) return true;
      }
      return false;
    };
    for (const p of singles) {
      const word = p.names[0]!;
      const firstOf = [...(byFirst.get(word) ?? [])].filter((e) => !apart(p.form, e));
      const withWord = [...(byWord.get(word) ?? [])].filter((e) => !apart(p.form, e));
      let target: Entity | undefined;
      // Of two full names sharing a first name, one the story calls by surname ("Beaver" for John
      // Beaver) leaves the bare first name ("John") to the other, if that one is no stray phrase.
      const byFirstName =
        firstOf.length > 1
          ? firstOf.filter((e) => !knownBySurname(e) && count(e) > 2 && startsFullName(e, word))
          : firstOf;
      if (byFirstName.length === 1) target = byFirstName[0];
      else if (firstOf.length === 0 && withWord.length === 1 && !femaleWithOtherFirstName(withWord[0]!, word))
        target = withWord[0];
      else if (firstOf.length === 0 && withWord.length > 1) {
        const men = withWord.filter((e) =>
          [...e.forms.keys()].some((f) => {
            const h = splitForm(f).hon;
            return h !== null && HONORIFICS.get(h) === 'male';
          }),
        );
        // ...unless another bearer of the name is written three times as often (Sissy Jupe beside
        // her father, Signor Jupe): then the bare surname is hers, or no one's.
        const man = men.length === 1 ? men[0]! : undefined;
        if (man !== undefined) {
          if (!withWord.some((e) => e !== man && count(e) >= 3 * count(man))) target = man;
        } else {
          const ranked = withWord.map((e) => ({ e, n: count(e) })).sort((a, b) => b.n - a.n);
          if (ranked[0]!.n >= 3 * (ranked[1]?.n ?? 0) && ranked[0]!.e.gender !== 'female')
            target = ranked[0]!.e;
        }
      }
      if (!target) target = newEntity(p.form);
      attach(target, p.form);
    }

    for (const e of entities) {
      if (e.gender === 'unknown') e.gender = entityGender(e);
      let total = 0;
      for (const [form, n] of e.forms) {
        total += n;
        e.tagSubject += options.tagSubjects.get(form) ?? 0;
      }
      e.mentions = total;
      e.name = fullestName(e);
    }
    // A first name that begins another character's full name too ("John" beside "John Beaver")
    // is shown in full ("John Andrew"), by the full name the text uses most (and more than twice:
    // not a stray "Brenda Rex").
    for (const e of entities) {
      if (e.name.includes(' ') || (byFirst.get(e.name)?.size ?? 0) < 2) continue;
      let uses = 2;
      for (const [form, n] of e.forms) {
        const { hon, names } = splitForm(form);
        if (hon === null && names.length >= 2 && names[0] === e.name && n > uses) {
          e.name = e.written.get(form) ?? form;
          uses = n;
        }
      }
    }
    return { entities, byForm };
  };
  let { entities, byForm } = cluster(kept);
  const places = new Set<string>();
  for (const e of entities) if (placeLike(e, stats, options)) for (const f of e.forms.keys()) places.add(f);
  if (places.size > 0) ({ entities, byForm } = cluster(kept.filter((f) => !places.has(f))));

  // Each form's entity by form number (-1: not a person).
  const entityOfForm = new Int32Array(forms).fill(-1);
  for (const [form, id] of byForm) {
    const s = stats.get(form);
    if (s) entityOfForm[s.id] = id;
  }
  const keptStarts: number[] = [];
  const keptEntities: number[] = [];
  for (let i = 0; i < mentionCount; i++) {
    const id = entityOfForm[formOfMention[i]!]!;
    if (id < 0) continue;
    keptStarts.push(starts[i]!);
    keptEntities.push(id);
  }
  return { entities, byForm, mentions: { starts: keptStarts, entities: keptEntities } };
}

/**
 * The name to show: the form the text uses most ("Emma", "Mr. Knightley"), except that a
 * title-and-surname form gives way to the first-and-last name when the text uses that too
 * ("Adela Quested" rather than "Miss Quested"): the fullest form that is not ambiguous.
 */
export function fullestName(e: Entity): string {
  let best = '';
  let bestCount = -1;
  let bestForm = '';
  let full = '';
  let fullCount = 0;
  let fullSurname = '';
  for (const [form, count] of e.forms) {
    const { hon, names } = splitForm(form);
    if (count > bestCount || (count === bestCount && form.length > bestForm.length)) {
      best = e.written.get(form) ?? form;
      bestCount = count;
      bestForm = form;
    }
    if (hon === null && names.length >= 2 && count > fullCount) {
      full = e.written.get(form) ?? form;
      fullCount = count;
      fullSurname = names[names.length - 1]!;
    }
  }
  // A title and surname is shared by a family ("Miss Quested", "Mr. Quested"); the same person's
  // first and last name, written even once, is not.
  const { hon, names } = splitForm(bestForm);
  if (full && hon !== null && names.length === 1 && names[0] === fullSurname) return full;
  return best || e.name;
}

/** Adds an epithet speaker ("the mage") to the cast. */
export function addEpithetEntity(cast: Cast, phrase: string, gender: Gender): Entity {
  const form = `the ${phrase.toLowerCase()}`;
  const existing = cast.byForm.get(form);
  if (existing !== undefined) return cast.entities[existing]!;
  const e: Entity = {
    id: cast.entities.length,
    name: `the ${phrase}`,
    forms: new Map([[form, 1]]),
    written: new Map([[form, `the ${phrase}`]]),
    gender,
    mentions: 1,
    tagSubject: 0,
    epithet: true,
  };
  cast.entities.push(e);
  cast.byForm.set(form, e.id);
  return e;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * What the word before a mention adds to its form's place count: one for a place preposition
 * ("in Bath"; not "to" or "of"), one for "the" ("the Big Bad", "the Hellmouth": a title or
 * thing, unless the story tags it as a speaker). By hashSlice of the lower-case word.
 */
const PLACE_WEIGHTS = new HashedWords(
  [...new Set([...PLACE_PREPOSITIONS, 'the'])]
    .map((word) => {
      const preposition = PLACE_PREPOSITIONS.has(word) && word !== 'to' && word !== 'of';
      return { word, weight: (preposition ? 1 : 0) + (word === 'the' ? 1 : 0), preposition };
    })
    .filter((entry) => entry.weight > 0)
    .map((entry) => [entry.word, entry] as const),
);

/**
 * The PLACE_WEIGHTS entry of the word just before `i` (its letters read in any case, up to 7 of
 * them, across one run of spaces), or undefined. Read where it is written: nothing is sliced.
 */
function placeWordBefore(
  text: string,
  i: number,
): { readonly word: string; readonly weight: number; readonly preposition: boolean } | undefined {
  let j = i - 1;
  if (j < 0 || text.charCodeAt(j) !== 32) return undefined;
  while (j >= 0 && text.charCodeAt(j) === 32) j--;
  const end = j + 1;
  while (j >= 0 && end - j <= 8) {
    const c = text.charCodeAt(j) | 0x20;
    if (c < 97 || c > 122) break;
    j--;
  }
  const from = j + 1;
  const length = end - from;
  if (length === 0 || length > 7) return undefined;
  let hash = 0;
  for (let k = from; k < end; k++) hash = (Math.imul(hash, 31) + (text.charCodeAt(k) | 0x20)) | 0;
  const candidates = PLACE_WEIGHTS.get(hash);
  if (candidates === undefined) return undefined;
  for (const entry of candidates) {
    const { word } = entry;
    if (word.length !== length) continue;
    let k = 0;
    while (k < length && word.charCodeAt(k) === (text.charCodeAt(from + k) | 0x20)) k++;
    if (k === length) return entry;
  }
  return undefined;
}

/**
 * A cluster that is a place or a thing, not a person ("Italy", "Windy Corner", "Mau"): no form of
 * it carries a title or is ever the subject of a speech tag or a beat, and at least two of its
 * mentions, a tenth of them, follow a place preposition ("in Italy", "at Windy Corner"; not
 * "in Spike's arms").
 * (A vocative or two proves nothing: "Italy!" is exclaimed as well as addressed.)
 */
function placeLike(e: Entity, stats: ReadonlyMap<string, FormStats>, options: CastOptions): boolean {
  if (e.epithet) return false;
  let place = 0;
  let count = 0;
  for (const form of e.forms.keys()) {
    if (splitForm(form).hon !== null) return false;
    if ((options.tagSubjects.get(form) ?? 0) > 0 || (options.beatSubjects.get(form) ?? 0) > 0) return false;
    const s = stats.get(form);
    if (s === undefined) continue;
    place += s.afterPreposition;
    count += s.count;
  }
  return place >= 2 && place >= count * 0.1;
}

/**
 * The mentions outside title-case heading lines ("Bartlett, and Miss Lucy Honeychurch Drive Out in
 * Carriages to See a", a chapter title): a heading's capitals run words into names that are none
 * ("Miss Lucy Honeychurch Drive"). `mentions` itself when no mention is in one (the usual case).
 */
function outsideHeadings(text: string, mentions: NameMentions): NameMentions {
  const { starts } = mentions;
  let lineStart = -1;
  let lineEnd = -1;
  let heading = false;
  let keep: number[] | null = null;
  for (let i = 0; i < starts.length; i++) {
    const at = starts[i]!;
    if (at >= lineEnd) {
      lineStart = text.lastIndexOf('\n', at) + 1;
      lineEnd = text.indexOf('\n', at);
      if (lineEnd < 0) lineEnd = text.length;
      heading = isTitleCaseLine(text, lineStart, lineEnd);
    }
    if (heading && keep === null) keep = Array.from({ length: i }, (_, k) => k);
    else if (!heading && keep !== null) keep.push(i);
  }
  if (keep === null) return mentions;
  const pick = <T>(column: readonly T[]): T[] => keep.map((k) => column[k]!);
  return {
    starts: pick(mentions.starts),
    ends: pick(mentions.ends),
    runs: pick(mentions.runs),
    sentenceInitial: pick(mentions.sentenceInitial),
    runNames: mentions.runNames,
  };
}

/**
 * Is text[from, to) a title-case line: at least four words of four letters or more, every one of
 * them capitalised? (Prose always has a lower-case word that long: "walked", "said".)
 */
function isTitleCaseLine(text: string, from: number, to: number): boolean {
  let long = 0;
  let k = from;
  while (k < to) {
    while (k < to && !isNameLetter(text.charCodeAt(k))) k++;
    const wordStart = k;
    while (k < to && isNameLetter(text.charCodeAt(k))) k++;
    if (k - wordStart < 4) continue;
    const first = text.charCodeAt(wordStart);
    if (!isCapitalLetter(first)) return false;
    long++;
  }
  return long >= 4;
}

/** The gender of the title a name ends with ("Hamidullah Begum": female), if it ends with one. */
function trailingTitleOf(names: readonly string[]): Gender | undefined {
  return names.length >= 2 ? TRAILING_TITLES.get(names[names.length - 1]!) : undefined;
}

/**
 * A woman none of whose forms begins with `word`. (Module level: a closure per single-word form
 * also paid esbuild's __name under tsx.)
 */
function femaleWithOtherFirstName(e: Entity, word: string): boolean {
  return e.gender === 'female' && [...e.forms.keys()].every((f) => splitForm(f).names[0] !== word);
}

/** Is the mention ending at `end` possessive ("Spike's", "the Joneses'")? */
function isPossessiveAt(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  return c === 39 || c === 0x2019;
}

/** Does the text use `word` in lower case, as a whole word, anywhere? */
function writtenInLowerCase(text: string, word: string): boolean {
  const lower = word.toLowerCase();
  for (let i = text.indexOf(lower); i >= 0; i = text.indexOf(lower, i + 1)) {
    const before = i > 0 ? text.charCodeAt(i - 1) : 32;
    const after = i + lower.length < text.length ? text.charCodeAt(i + lower.length) : 32;
    if (!isNameLetter(before) && !isNameLetter(after)) return true;
  }
  return false;
}

/** Is the gap between two offsets a comma and spaces only? */
function commaOnly(text: string, from: number, to: number): boolean {
  let commas = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 44) commas++;
    else if (c !== 32 && c !== 10) return false;
  }
  return commas === 1;
}

/** Does a sentence end or a quotation mark fall between two offsets? */
function hasSentenceBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 || c === 33 || c === 63 || c === 34 || c === 0x201c || c === 0x201d) return true;
  }
  return false;
}

/** Is there a semicolon, colon or dash (an em dash, or a hyphen beside another or a space) in text[from, to)? */
function hasClauseBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 59 || c === 58 || c === 0x2014 || c === 0x2013) return true;
    if (
      c === 45 &&
      (text.charCodeAt(k + 1) === 45 || text.charCodeAt(k + 1) === 32 || text.charCodeAt(k - 1) === 32)
    )
      return true;
  }
  return false;
}

const PARTICLES = /^\s(?:(?:van|der|de|von|la|le|du|des|di|da|del|den|ten|ter)\s){1,2}$/;

/** Is the gap between two capitalised words only name particles (" van der ")? */
function particlesOnly(text: string, from: number, to: number): boolean {
  return PARTICLES.test(text.slice(from, to));
}
