/**
 * Reading the PDNC development corpus (../shared/pdnc) for the dialogue scripts: its CSV files,
 * the Python-style alias lists in them, and the official scorer's name normalisation.
 * The data is read in place and never copied into the repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into records keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows.filter((r) => r.length > 1);
  return body.map((r) => Object.fromEntries(head!.map((h, j) => [h.trim(), r[j] ?? ''])));
}

/** A name as the scorer compares it: lower case, punctuation to spaces, spaces folded. */
export const normaliseName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The items of a Python list or set literal such as `{'Emma', 'Miss Woodhouse'}`. */
export const pythonList = (literal: string): string[] =>
  (literal.match(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g) ?? []).map((x) => x.slice(1, -1));

/** One row of character_info.csv. */
export interface PdncCharacter {
  readonly main: string;
  readonly aliases: readonly string[];
  readonly gender: 'male' | 'female' | 'unknown';
  /** major, intermediate or minor. */
  readonly category: string;
  /** How many gold quotes this character speaks. */
  readonly quotes: number;
}

/** One novel's annotations, with the official scorer's way of matching a predicted name to a character. */
export interface PdncGold {
  /** The rows of quotation_info.csv. */
  readonly quotes: readonly Record<string, string>[];
  /** The rows of character_info.csv, with their gold quote counts. */
  readonly characters: readonly PdncCharacter[];
  /**
   * Every character a name may mean by the scorer's matching (an exact alias, else aliases
   * containing or contained in it, word by word): empty when it names no character at all.
   */
  candidates(name: string): ReadonlySet<string>;
  /** A predicted speaker as the scorer reads it: a character's main name, or null when ambiguous or unknown. */
  resolveName(name: string | null): string | null;
  /** A gold speaker (sometimes written as an alias) as its character's main name. */
  goldMain(name: string): string;
}

export function readPdncGold(dir: string): PdncGold {
  const characters = parseCsv(readFileSync(join(dir, 'character_info.csv'), 'utf8'));
  const quotes = parseCsv(readFileSync(join(dir, 'quotation_info.csv'), 'utf8'));
  const aliasTo = new Map<string, Set<string>>();
  for (const c of characters) {
    const main = c['Main Name']!;
    for (const alias of [main, ...pythonList(c.Aliases ?? '')]) {
      const key = normaliseName(alias);
      if (!key) continue;
      if (!aliasTo.has(key)) aliasTo.set(key, new Set());
      aliasTo.get(key)!.add(main);
    }
  }
  // The first-person narrator: the speaker most often tagged "I …" or "… I".
  const iCount = new Map<string, number>();
  for (const g of quotes)
    if (/^(i\b|.*\bi$)/i.test((g.referringExpression ?? '').trim()))
      iCount.set(g.speaker!, (iCount.get(g.speaker!) ?? 0) + 1);
  const narrator = [...iCount].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const candidates = (name: string): ReadonlySet<string> => {
    const key = normaliseName(name);
    const exact = aliasTo.get(key);
    if (exact) return exact;
    const hits = new Set<string>();
    if (!key) return hits;
    for (const [alias, mains] of aliasTo)
      if (` ${alias} `.includes(` ${key} `) || ` ${key} `.includes(` ${alias} `))
        for (const m of mains) hits.add(m);
    return hits;
  };
  const goldCounts = new Map<string, number>();
  const goldMain = (name: string): string => {
    const hit = aliasTo.get(normaliseName(name));
    return hit && hit.size === 1 ? [...hit][0]! : name;
  };
  for (const g of quotes)
    if (g.speaker) goldCounts.set(goldMain(g.speaker), (goldCounts.get(goldMain(g.speaker)) ?? 0) + 1);
  return {
    quotes,
    characters: characters.map((c) => ({
      main: c['Main Name']!,
      aliases: pythonList(c.Aliases ?? ''),
      gender: c.Gender === 'M' ? 'male' : c.Gender === 'F' ? 'female' : 'unknown',
      category: c.Category ?? '',
      quotes: goldCounts.get(c['Main Name']!) ?? 0,
    })),
    candidates,
    resolveName(name) {
      if (name === null) return null;
      if (name.toUpperCase() === 'NARRATOR') return narrator;
      const hits = candidates(name);
      return hits.size === 1 ? [...hits][0]! : null;
    },
    goldMain,
  };
}
