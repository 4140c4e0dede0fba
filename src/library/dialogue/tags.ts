/**
 * Reading the narration around a quote: speech tags in either order ("said Mrs. Bennet",
 * "Darcy, after a pause, replied", "she told him", "said the mage", "I whisper"), action beats
 * ("Buffy nodded.") and vocatives inside the quote ("Spike, what are you doing here?").
 * Every function here reads a short, bounded slice of text.
 */
import { normaliseName } from './cast.ts';
import {
  EPITHET_GENDER,
  type Gender,
  HONORIFICS,
  NOT_NAMES,
  PRONOUN_GENDER,
  SPEECH_VERBS,
  WEAK_SPEECH_VERBS,
} from './lexicon.ts';

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
}

/** How far into the narration a tag is looked for. */
const WINDOW = 160;

interface Token {
  readonly w: string;
  readonly lower: string;
  readonly cap: boolean;
  readonly punct: boolean;
}

const ABBREVIATED_TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'col',
  'capt',
  'prof',
  'rev',
  'mme',
  'mlle',
  'm',
  'messrs',
  'gen',
  'lt',
  'sgt',
  'hon',
]);

const TOKENS = /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\u2019-]*\.?|--|[,;:.!?\u2014\u2013()]/g;

function tokenize(s: string, max = 64): Token[] {
  const out: Token[] = [];
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(s); m !== null && out.length < max; m = TOKENS.exec(s)) {
    let w = m[0];
    const isWord = /^[A-Za-z\u00C0-\u024F]/.test(w);
    // Only abbreviated titles ("Mr.", "Dr.") keep their full stop; "the doctor." ends a sentence.
    if (isWord && w.endsWith('.') && !ABBREVIATED_TITLES.has(w.slice(0, -1).toLowerCase())) {
      out.push({
        w: w.slice(0, -1),
        lower: w.slice(0, -1).toLowerCase(),
        cap: /^[A-Z]/.test(w),
        punct: false,
      });
      w = '.';
      out.push({ w, lower: w, cap: false, punct: true });
      continue;
    }
    out.push({ w, lower: w.toLowerCase(), cap: isWord && /^[A-Z\u00C0-\u00DE]/.test(w), punct: !isWord });
  }
  return out;
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

const isAdverb = (t: Token): boolean =>
  !t.punct && !t.cap && (t.lower.endsWith('ly') || ADVERB_LIKE.has(t.lower));
const isSpeechVerb = (t: Token | undefined): boolean =>
  t !== undefined && !t.punct && SPEECH_VERBS.has(t.lower);

const SUBJECT_PRONOUNS: ReadonlyMap<string, Gender> = new Map<string, Gender>([
  ['he', 'male'],
  ['she', 'female'],
  ['i', 'unknown'],
]);

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

/** Reads a subject noun phrase at `i`: a name, pronoun or epithet. Returns it and the index after it. */
function readSubject(tokens: readonly Token[], i: number): { mention: Mention; next: number } | null {
  const t = tokens[i];
  if (!t || t.punct) return null;
  // "He's", "she'd", "I'm": the pronoun before a contraction.
  const bare = t.lower.replace(/['\u2019](?:s|d|ll|m|ve|re)$/, '');
  const pron = SUBJECT_PRONOUNS.get(bare);
  if (pron !== undefined && (bare !== 'i' || t.w.startsWith('I'))) {
    if (bare === 'i') return { mention: { kind: 'narrator', form: 'I', gender: 'unknown' }, next: i + 1 };
    return { mention: { kind: 'pronoun', form: bare, gender: pron }, next: i + 1 };
  }
  if (t.cap) {
    const words: string[] = [];
    let j = i;
    for (;;) {
      const w = tokens[j];
      if (!w || w.punct || words.length >= 5) break;
      // "Mr. van der Luyden": lower-case particles inside a name.
      if (
        !w.cap &&
        !(
          words.length > 0 &&
          NAME_PARTICLES.has(w.lower) &&
          tokens[j + 1] &&
          (tokens[j + 1]!.cap || NAME_PARTICLES.has(tokens[j + 1]!.lower))
        )
      )
        break;
      words.push(w.w);
      j++;
    }
    // "the Mouse", handled below; here a capitalised run.
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
      if (u.punct || STOP_EPITHET.has(u.lower) || SPEECH_VERBS.has(u.lower)) break;
      words.push(u.w);
      j++;
    }
    if (words.length === 0) return null;
    // "the more candid Lady Bertram": a name inside the phrase is the mention.
    const capAt = words.findIndex((w) => /^[A-Z]/.test(w));
    if (capAt >= 0 && capAt < words.length - 1) {
      const n = normaliseName(words.slice(capAt));
      if (n) return { mention: { kind: 'name', form: n.form, gender: genderOfForm(n.form) }, next: j };
    }
    const head = words[words.length - 1]!;
    if (/^[A-Z]/.test(head) && det === 'the') {
      const n = normaliseName([head]);
      if (n) return { mention: { kind: 'name', form: n.form, gender: genderOfForm(n.form) }, next: j };
      if (NOT_NAMES.has(head) || HONORIFICS.has(head.toLowerCase()))
        return {
          mention: {
            kind: 'epithet',
            form: words.join(' '),
            gender: EPITHET_GENDER.get(head.toLowerCase()) ?? 'unknown',
          },
          next: j,
        };
      return null;
    }
    if (!isPersonNoun(head)) return null;
    if (det !== 'the') {
      // "her mother", "his wife": a relative description.
      const g = EPITHET_GENDER.get(head.toLowerCase()) ?? 'unknown';
      return { mention: { kind: 'other', form: `${det} ${words.join(' ')}`, gender: g }, next: j };
    }
    return {
      mention: {
        kind: 'epithet',
        form: words.join(' '),
        gender: EPITHET_GENDER.get(head.toLowerCase()) ?? 'unknown',
      },
      next: j,
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

/** Could this noun head an epithet for a person ("the mage", "the old gentleman")? */
function isPersonNoun(head: string): boolean {
  const h = head.toLowerCase();
  if (NOT_PERSON.has(h)) return false;
  return (
    EPITHET_GENDER.has(h) ||
    PERSON_SUFFIX.test(h) ||
    /^(?:jew|beadle|mage|witch|wizard|girl|boy|child|lad|lass|nurse|cook|maid|page|knight|queen|king|vicar|curate|rector|parson|priest|monk|nun|judge|chief|guard|thief|hero|heroine|clerk|boots|landlady|landlord|housekeeper|porter|stranger|visitor|youth|other|one|elder|younger|eldest|youngest|former|latter|creature|poet|artist|gentlewoman|spinster|invalid|patient|prisoner|captive|slave|valet|butler|footman|coachman|cabman|waiter|colonel|captain|major|general|doctor|professor|inspector|sergeant|duke|duchess|count|countess|baron|baroness|lady|lord|sir|madam|madame|mistress|master|mother|father|sister|brother|aunt|uncle|cousin|son|daughter|wife|husband|widow|widower|bride|groom|friend|companion|lover|caterpillar|hatter|dormouse|gryphon|turtle|rabbit|mouse|cat|duchess|pigeon|lizard|footman|dodo|lory|eaglet)$/.test(
      h,
    )
  );
}

export function genderOfForm(form: string): Gender {
  const first = form.split(' ')[0]!;
  return HONORIFICS.get(first) ?? 'unknown';
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

/**
 * A speech tag at the start of the narration after a quote. `quoteEnd` is the quote's last
 * character: after a full stop a new capitalised sentence is not a tag.
 */
export function tagAfter(narration: string, quoteLast: string, segment: number): Tag | null {
  const tokens = tokenize(narration.slice(0, WINDOW), 24);
  let i = 0;
  while (i < tokens.length && (tokens[i]!.w === ',' || tokens[i]!.w === '--' || tokens[i]!.w === '\u2014'))
    i++;
  const first = tokens[i];
  if (!first) return null;
  const afterStop = quoteLast === '.' && first.cap && first.w !== 'I';
  // Verb first: "said Mrs. Bennet", "cried Alice hastily", "said he".
  let v = i;
  while (v < tokens.length && v < i + 2 && isAdverb(tokens[v]!)) v++;
  if (isSpeechVerb(tokens[v]) && !tokens[v]!.cap) {
    const subject = readSubject(tokens, v + 1);
    if (subject) {
      return { ...subject.mention, source: 'after', verb: tokens[v]!.lower, segment, verbFirst: true };
    }
  }
  // Subject first: "Mrs. Bennet said", "she told him", "Darcy, after a pause, replied".
  const subject = readSubject(tokens, i);
  if (!subject) return null;
  let j = skipParenthetical(tokens, subject.next);
  let steps = 0;
  while (j < tokens.length && steps < 3 && isAdverb(tokens[j]!)) {
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
    return { ...subject.mention, source: 'after', verb: verb.lower, segment };
  }
  if (!isSpeechVerb(verb)) {
    // "...?" He's pulling at me: the subject acting right after the quote, a weak beat.
    if (
      subject.mention.kind === 'name' ||
      subject.mention.kind === 'pronoun' ||
      subject.mention.kind === 'narrator'
    ) {
      const next = tokens[subject.next];
      if (next && !next.punct && !next.cap)
        return { ...subject.mention, source: 'beat-after', verb: '', segment };
    }
    return null;
  }
  const weak = WEAK_SPEECH_VERBS.has(verb!.lower);
  if (afterStop || weak) {
    // A new sentence about someone: an action beat after the quote, not a tag.
    if (subject.mention.kind === 'other') return null;
    return { ...subject.mention, source: 'beat-after', verb: '', segment };
  }
  return { ...subject.mention, source: 'after', verb: verb!.lower, segment };
}

/** A lead-in tag before a quote: "Spike said, ...", "Then Mary cried:". */
export function tagBefore(narration: string, segment: number): Tag | null {
  const trimmed = narration.trimEnd();
  const last = trimmed.slice(-1);
  if (last !== ',' && last !== ':' && last !== '\u2014' && last !== '-' && !/[a-z]$/.test(trimmed))
    return null;
  // The last sentence only.
  const cut = Math.max(
    trimmed.lastIndexOf('. '),
    trimmed.lastIndexOf('! '),
    trimmed.lastIndexOf('? '),
    trimmed.lastIndexOf('.\n'),
  );
  const sentence = trimmed.slice(cut >= 0 ? cut + 2 : 0).slice(-WINDOW);
  const tokens = tokenize(sentence);
  // Find the last speech verb, then its subject just before (or just after: "said Alice:").
  for (let k = tokens.length - 1; k >= 0 && k >= tokens.length - 14; k--) {
    if (!isSpeechVerb(tokens[k]) || tokens[k]!.cap) continue;
    if (WEAK_SPEECH_VERBS.has(tokens[k]!.lower) && tokens[k]!.lower !== 'told') continue;
    const after = readSubject(tokens, k + 1);
    if (after && after.mention.kind !== 'other' && after.next >= tokens.length - 1) {
      return { ...after.mention, source: 'before', verb: tokens[k]!.lower, segment };
    }
    for (let s = k - 1; s >= 0 && s >= k - 12; s--) {
      const subj = readSubject(tokens, s);
      if (subj && subj.mention.kind !== 'other') {
        let j = skipParenthetical(tokens, subj.next);
        while (j < k && (isAdverb(tokens[j]!) || tokens[j]!.w === ',')) j++;
        if (j === k) return { ...subj.mention, source: 'before', verb: tokens[k]!.lower, segment };
      }
    }
    return null;
  }
  return null;
}

/** Speech verbs in a stretch of narration (a second one between two quotes means a second speaker). */
export function countSpeechVerbs(narration: string): number {
  let n = 0;
  for (const t of tokenize(narration.slice(0, 400)))
    if (!t.cap && isSpeechVerb(t) && !WEAK_SPEECH_VERBS.has(t.lower)) n++;
  return n;
}

/** The subject of the narration sentence just before a quote: "Buffy nodded. "Go on."" */
export function beatBefore(narration: string, segment: number): Tag | null {
  const trimmed = narration.trimEnd();
  // A sentence ("Buffy nodded.") or a lead-in clause without a speech verb ("He hesitates,").
  if (!/[.!?)_*,:]$/.test(trimmed)) return null;
  let end = trimmed.length - 1;
  for (let attempt = 0; attempt < 2; attempt++) {
    const body = trimmed.slice(0, end);
    const cut = Math.max(
      body.lastIndexOf('. '),
      body.lastIndexOf('! '),
      body.lastIndexOf('? '),
      body.lastIndexOf('.\n'),
    );
    const sentence = body.slice(cut >= 0 ? cut + 2 : 0);
    const found = sentenceSubject(sentence, segment);
    if (found) return found;
    // An elliptical clause ("Rights his gear, then puffs out his chest,"): the sentence before.
    if (cut < 0 || !/[,:]$/.test(trimmed)) return null;
    end = cut + 1;
  }
  return null;
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

function sentenceSubject(sentence: string, segment: number): Tag | null {
  const tokens = tokenize(sentence.slice(0, WINDOW), 12);
  let i = 0;
  while (
    i < tokens.length &&
    i < 2 &&
    (tokens[i]!.punct || ['then', 'but', 'and', 'so', 'now'].includes(tokens[i]!.lower))
  )
    i++;
  const subject = readSubject(tokens, i);
  if (!subject || subject.mention.kind === 'other' || subject.mention.kind === 'epithet') return null;
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
  return { ...subject.mention, source: 'beat-before', verb: '', segment };
}

const VOCATIVE_TITLES = new Set([
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
]);
const VOCATIVE_LEADS = new Set(['dear', 'dearest', 'oh', 'ah', 'sweet', 'my']);

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0xff) || c === 39 || c === 0x2019;

/** Reads a capitalised word at `i`; returns its end. */
function capitalWordEnd(s: string, i: number): number {
  if (!isUpper(s.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < s.length && isLower(s.charCodeAt(j))) j++;
  return j;
}

/**
 * Names in vocative position inside a quote: "Spike, what...", ", Jane!", "dear Harriet",
 * "Mr. Darcy," — a hand-written scan over the capitals (no backtracking regular expression).
 */
export function vocativesIn(quote: string): string[] {
  const out: string[] = [];
  const s = quote;
  for (let i = 0; i < s.length; i++) {
    if (!isUpper(s.charCodeAt(i))) continue;
    if (i > 0 && (isLower(s.charCodeAt(i - 1)) || isUpper(s.charCodeAt(i - 1)))) continue;
    // What comes before: the start, punctuation, or a lead word ("dear", "oh").
    let b = i - 1;
    while (b >= 0 && s.charCodeAt(b) === 32) b--;
    let ok = b < 0;
    if (!ok) {
      const c = s.charCodeAt(b);
      ok = c === 44 || c === 59 || c === 33 || c === 63 || c === 46 || c === 0x2014 || c === 45;
      if (!ok && b < i - 1) {
        let w = b;
        while (w >= 0 && isLower(s.charCodeAt(w) | 0x20)) w--;
        ok = VOCATIVE_LEADS.has(s.slice(w + 1, b + 1).toLowerCase());
      }
    }
    let end = capitalWordEnd(s, i);
    if (end === i || !ok) {
      i = end;
      continue;
    }
    let words = [s.slice(i, end)];
    // A title and its name: "Mr. Darcy", "Miss Bennet".
    if (VOCATIVE_TITLES.has(words[0]!)) {
      let k = end;
      if (s.charCodeAt(k) === 46) k++;
      if (s.charCodeAt(k) === 32) {
        const e2 = capitalWordEnd(s, k + 1);
        if (e2 > k + 1) {
          words = [s.slice(i, k).trim(), s.slice(k + 1, e2)];
          end = e2;
        }
      }
    } else if (s.charCodeAt(end) === 32) {
      const e2 = capitalWordEnd(s, end + 1);
      if (e2 > end + 1) {
        words.push(s.slice(end + 1, e2));
        end = e2;
      }
    }
    // What follows: punctuation or the end.
    let a = end;
    while (a < s.length && s.charCodeAt(a) === 32) a++;
    const f = a < s.length ? s.charCodeAt(a) : -1;
    const closes =
      f === -1 || f === 44 || f === 46 || f === 33 || f === 63 || f === 59 || f === 0x2014 || f === 45;
    if (closes) {
      const n = normaliseName(words);
      // "Undoubtedly," at the start of a quote is an adverb, not a name.
      if (n && n.form.split(' ').length === words.length && !(words.length === 1 && /ly$/.test(words[0]!)))
        out.push(n.form);
    }
    i = end;
  }
  return out;
}

/** Does the pronoun form refer to a speaker of this gender? */
export function pronounGender(form: string): Gender {
  return PRONOUN_GENDER.get(form) ?? 'unknown';
}
