/**
 * People described by a possessive in a speech tag ("said her mother", "his friend replied",
 * "answered Daisy's mamma"): not the person the pronoun means, who is whom the narration is
 * following (salience.ts), nor the one named. A parent or spouse is found by the family name: her
 * mother is the one "Mrs" of her family.
 */
import { type Cast, splitForm } from './cast.ts';
import type { Gender } from './lexicon.ts';

/** A parent or spouse described by a possessive: the possessor's gender, the relative's, and their title. */
export interface KinDescription {
  readonly possessor: Gender;
  readonly gender: Gender;
  /** The relative's title within the family: "mrs" for a mother or wife, "mr" for a father or husband. */
  readonly title: string;
}

/**
 * Parents and spouses, who go by the family's name and a title. A sibling or child may go by a
 * first name or another title, so is not looked up: only told apart from the possessor.
 */
const KIN: ReadonlyMap<string, { gender: Gender; title: string }> = new Map([
  ['mother', { gender: 'female', title: 'mrs' }],
  ['mamma', { gender: 'female', title: 'mrs' }],
  ['mama', { gender: 'female', title: 'mrs' }],
  ['mum', { gender: 'female', title: 'mrs' }],
  ['mom', { gender: 'female', title: 'mrs' }],
  ['wife', { gender: 'female', title: 'mrs' }],
  ['father', { gender: 'male', title: 'mr' }],
  ['papa', { gender: 'male', title: 'mr' }],
  ['dad', { gender: 'male', title: 'mr' }],
  ['husband', { gender: 'male', title: 'mr' }],
] as const);

/** The gender of whose someone a description says ("his friend": male), or null. */
export function possessorOf(form: string): Gender | null {
  const space = form.indexOf(' ');
  if (space < 0) return null;
  const owner = form.slice(0, space).toLowerCase();
  return owner === 'his' ? 'male' : owner === 'her' ? 'female' : null;
}

/** The name form that owns a description ("Daisy's mamma" → "Daisy"), or null ("her mother"). */
export function ownerNameOf(form: string): string | null {
  const at = form.search(/['\u2019]s /);
  return at > 0 ? form.slice(0, at) : null;
}

/**
 * "her mother" → her (female) mother (female, "mrs"); "Daisy's mamma" the same, its owner's
 * gender unknown here; null for anything else ("her friend", "his son").
 */
export function kinDescription(form: string): KinDescription | null {
  const possessor = ownerNameOf(form) !== null ? 'unknown' : possessorOf(form);
  const kin = KIN.get(form.slice(form.lastIndexOf(' ') + 1).toLowerCase());
  return possessor !== null && kin !== undefined ? { possessor, ...kin } : null;
}

/** The family names an entity goes by: the last word of its titled or several-word forms. */
function familyNames(cast: Cast, id: number): Set<string> {
  const names = new Set<string>();
  for (const form of cast.entities[id]?.forms.keys() ?? []) {
    const split = splitForm(form);
    if (split.names.length > 1 || (split.hon !== null && split.names.length === 1))
      names.add(split.names[split.names.length - 1]!);
  }
  return names;
}

/**
 * The one cast member who is `possessor`'s parent or spouse of that kind: of the relative's gender
 * and family, with the family title ("mrs Bennet" for her mother); null when none or several fit.
 * Of several, the one the family title and name alone denote: "Mrs. Dashwood" is the mother,
 * "Mrs. John Dashwood" her daughter-in-law.
 */
export function relativeOf(cast: Cast, possessor: number, kin: KinDescription): number | null {
  const families = familyNames(cast, possessor);
  if (families.size === 0) return null;
  const fitting: number[] = [];
  const plain: number[] = [];
  for (const e of cast.entities) {
    if (e.id === possessor || e.epithet || e.forms.size === 0 || e.gender !== kin.gender) continue;
    let fits = false;
    let titleAndFamily = false;
    for (const form of e.forms.keys()) {
      const { hon, names } = splitForm(form);
      const family = names.length > 1 || hon !== null ? names[names.length - 1] : undefined;
      if (family !== undefined && families.has(family) && hon === kin.title) {
        fits = true;
        if (names.length === 1) titleAndFamily = true;
      }
    }
    if (fits) fitting.push(e.id);
    if (titleAndFamily) plain.push(e.id);
  }
  if (fitting.length === 1) return fitting[0]!;
  return plain.length === 1 ? plain[0]! : null;
}

/** Is `relative` `of`'s parent or spouse of that kind (of its gender, family and family title)? */
export function isRelativeOf(cast: Cast, relative: number, of: number, kin: KinDescription): boolean {
  const e = cast.entities[relative];
  if (e === undefined || relative === of || e.gender !== kin.gender) return false;
  const families = familyNames(cast, of);
  for (const form of e.forms.keys()) {
    const { hon, names } = splitForm(form);
    if (hon === kin.title && names.length > 0 && families.has(names[names.length - 1]!)) return true;
  }
  return false;
}
