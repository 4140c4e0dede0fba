/**
 * Could two members of a story's cast be one person under two names? The dialogue layer merges
 * what it can tell is one character; what it leaves apart may still be one person ("Sikes" and
 * "Mr. Sikes"). Whatever shows characters side by side asks this first: the quiz never offers
 * such a pair as right and wrong answer, the summary never lists both as main characters.
 */
import { HONORIFICS } from './dialogue/lexicon.ts';
import type { CastMember } from './types.ts';

/** Words left out when comparing names: every title the dialogue layer knows, and "the". */
const TITLE_WORDS: ReadonlySet<string> = new Set(['the', ...HONORIFICS.keys()]);

/** A character's names as mayBeSamePerson compares them. */
interface Names {
  /** Each name form's words in lower case, titles left out: the name's, then each alias's. */
  readonly forms: readonly (readonly string[])[];
  /** Every word of those forms. */
  readonly words: ReadonlySet<string>;
}

/** Each cast's members' Names, read once: the quiz asks about every pair of a story's cast. */
const namesByCast = new WeakMap<readonly CastMember[], Map<CastMember, Names>>();

function namesOf(member: CastMember, cast: readonly CastMember[]): Names {
  let known = namesByCast.get(cast);
  if (known === undefined) {
    known = new Map();
    namesByCast.set(cast, known);
  }
  let names = known.get(member);
  if (names === undefined) {
    const forms = [member.name, ...member.aliases]
      .map((form) =>
        form
          .toLowerCase()
          .split(/[^\p{L}\p{N}'\u2019-]+/u)
          .filter((word) => word.length > 0 && !TITLE_WORDS.has(word)),
      )
      .filter((words) => words.length > 0);
    names = { forms, words: new Set(forms.flat()) };
    known.set(member, names);
  }
  return names;
}

const gendersAgree = (a: CastMember, b: CastMember): boolean =>
  a.gender === 'unknown' || b.gender === 'unknown' || a.gender === b.gender;

/** Does some form of `names` use only words of `of`'s names? */
const within = (names: Names, of: Names): boolean =>
  names.forms.some((form) => form.every((word) => of.words.has(word)));

/**
 * Might `a` and `b` be one person ("Sikes" and "Mr. Sikes", "Noah Claypole" and "Mr. Claypole",
 * "Doctor Losberne" and "Mr. Losberne", "Kit" and "Kitty")? One's name or an alias, titles left
 * out, uses only words of the other's names, or the two are one-word names that may be one name's
 * short and long forms (mayBeShortFor), or both use only words of a third member of `cast`
 * ("Caroline" and "Miss Abbott", both within "Caroline Abbott"); and no known gender tells them
 * apart ("Mr. Bennet" and "Mrs. Bennet" are two people).
 */
export function mayBeSamePerson(a: CastMember, b: CastMember, cast: readonly CastMember[] = []): boolean {
  if (!gendersAgree(a, b)) return false;
  const aNames = namesOf(a, cast);
  const bNames = namesOf(b, cast);
  if (within(aNames, bNames) || within(bNames, aNames)) return true;
  for (const x of aNames.forms)
    for (const y of bNames.forms)
      if (x.length === 1 && y.length === 1 && mayBeShortFor(x[0]!, y[0]!)) return true;
  return cast.some((c) => {
    if (c === a || c === b || !gendersAgree(a, c) || !gendersAgree(b, c)) return false;
    const cNames = namesOf(c, cast);
    return within(aNames, cNames) && within(bNames, cNames);
  });
}

/**
 * May two different given names be one name's short and long forms? One begins the other ("Kit",
 * "Kitty"; "Will", "William") or they share their first four letters ("Frank", "Francis").
 */
function mayBeShortFor(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.startsWith(short)) return true;
  return short.length >= 4 && long.startsWith(short.slice(0, 4));
}
