/**
 * Does a line say its speaker's name, so that a quiz question on it would give the answer away?
 * The dialogue layer asks it to mark quotes eligible, the game asks it of the line it shows.
 *
 * A line names its speaker when it holds one of their name forms or a word of one ("Buffy",
 * "Buffy's", shouted "BUFFY", "Ms Summers"). A family name several characters share is different:
 * "Are you acquainted with Mr Elliot?", said by Anne Elliot, names William Elliot, not her; "my
 * dear Mrs. Bennet" is not Mr. Bennet's own name. Such a word names the speaker unless the words
 * written just before it make a name form of another character ("Mr Elliot", "Sir Walter
 * Elliot"). A word in lower case ("will", "hope") is not a name; shouted words count.
 */
import { HONORIFICS } from './dialogue/lexicon.ts';

/** Words that are not names by themselves: every title the dialogue layer knows, and "the". */
const TITLE_WORDS: ReadonlySet<string> = new Set(['the', ...HONORIFICS.keys()]);

/** The words of a name form as written ("Mr. St. John" → Mr, St, John). */
const wordsOf = (form: string): string[] => form.split(/[\s.]+/u).filter((word) => word.length > 0);

/** A name form as compared: its words in lower case, full stops dropped ("Mr. Elliot" → "mr elliot"). */
const keyOf = (words: readonly string[]): string => words.join(' ').toLowerCase();

/** How many words before a shared name may complete another character's form ("Sir Walter Elliot"). */
const MAX_LEADING_WORDS = 3;

/** One character's names as a line is searched for them. */
interface SpeakerEntry {
  /** The name words searched for (no titles), each with whether another character uses it too. */
  readonly words: readonly { readonly word: string; readonly shared: boolean }[];
  /** This character's forms as keys. */
  readonly keys: ReadonlySet<string>;
}

/**
 * The name forms of a story's cast, indexed once: `namedIn` then asks of any line whether it
 * names a given character. Characters are known by any key the caller picks (an entity id, a
 * cast member's name).
 */
export class SpeakerNames<K> {
  private readonly entries = new Map<K, SpeakerEntry>();
  /** Every form's key, with the characters whose form it is. */
  private readonly owners = new Map<string, Set<K>>();

  constructor(characters: Iterable<{ readonly key: K; readonly forms: Iterable<string> }>) {
    const users = new Map<string, Set<K>>();
    const formsOf = new Map<K, string[][]>();
    for (const { key, forms } of characters) {
      const split = [...forms].map(wordsOf).filter((words) => words.length > 0);
      formsOf.set(key, [...(formsOf.get(key) ?? []), ...split]);
      for (const words of split) {
        addTo(this.owners, keyOf(words), key);
        for (const word of nameWordsOf(words)) addTo(users, word, key);
      }
    }
    for (const [key, forms] of formsOf) {
      const words = new Set(forms.flatMap(nameWordsOf));
      this.entries.set(key, {
        words: [...words].map((word) => ({ word, shared: (users.get(word)?.size ?? 0) > 1 })),
        keys: new Set(forms.map(keyOf)),
      });
    }
  }

  /** Does `line` name the character known by `key`? (An unknown key names no one.) */
  namedIn(line: string, key: K): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    const text = unshout(line);
    for (const { word, shared } of entry.words) {
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
        if (!isWordAt(text, at, word.length)) continue;
        if (!shared || !this.anotherCharactersForm(this.leadingWords(text, at), word, key, entry))
          return true;
      }
    }
    return false;
  }

  /**
   * Do the words just before this shared name make a form of another character and none of the
   * speaker's ("Mr Elliot" in Anne Elliot's line)?
   */
  private anotherCharactersForm(
    leading: readonly string[],
    word: string,
    key: K,
    entry: SpeakerEntry,
  ): boolean {
    for (let n = 1; n <= leading.length; n++) {
      const phrase = keyOf([...leading.slice(leading.length - n), word]);
      if (entry.keys.has(phrase)) return false;
      const owners = this.owners.get(phrase);
      if (owners !== undefined && !owners.has(key)) return true;
    }
    return false;
  }

  /** Up to MAX_LEADING_WORDS capitalised words written just before `at`, in order. */
  private leadingWords(text: string, at: number): string[] {
    const words: string[] = [];
    let end = at;
    while (words.length < MAX_LEADING_WORDS) {
      // Back over the space between two words of one name, and a title's full stop ("Mr. ").
      let i = end - 1;
      if (i < 0 || !/\s/u.test(text[i]!)) break;
      while (i >= 0 && /\s/u.test(text[i]!)) i--;
      if (i >= 0 && text[i] === '.') i--;
      const wordEnd = i + 1;
      while (i >= 0 && /[\p{L}'\u2019-]/u.test(text[i]!)) i--;
      const word = text.slice(i + 1, wordEnd);
      // Only a capitalised word can belong to a name.
      if (word.length === 0 || word[0] === word[0]!.toLowerCase()) break;
      words.unshift(word);
      end = i + 1;
    }
    return words;
  }
}

/** Shouted words read as names: "BUFFY" as "Buffy" (most lines shout nothing, and are kept as they are). */
const unshout = (text: string): string =>
  SHOUT.test(text) ? text.replace(SHOUTS, (word) => `${word[0]}${word.slice(1).toLowerCase()}`) : text;
const SHOUT = /\p{Lu}{2}/u;
const SHOUTS = /\p{Lu}{2,}/gu;

/**
 * The words of a form a line is searched for: those of at least two letters that are not titles,
 * or, for a character known only by a title ("the Queen"), the title.
 */
function nameWordsOf(words: readonly string[]): string[] {
  const names = words.filter((word) => word.length >= 2 && !TITLE_WORDS.has(word.toLowerCase()));
  return names.length > 0 ? names : words.filter((word) => word.toLowerCase() !== 'the');
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Is text[at, at + length) a whole word (no letter or digit either side)? */
function isWordAt(text: string, at: number, length: number): boolean {
  return !LETTER_OR_DIGIT.test(text[at - 1] ?? ' ') && !LETTER_OR_DIGIT.test(text[at + length] ?? ' ');
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}
