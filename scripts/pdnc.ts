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

/** One novel's annotations, with the official scorer's way of matching a predicted name to a character. */
export interface PdncGold {
  /** The rows of quotation_info.csv. */
  readonly quotes: readonly Record<string, string>[];
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
  return {
    quotes,
    resolveName(name) {
      if (name === null) return null;
      if (name.toUpperCase() === 'NARRATOR') return narrator;
      const key = normaliseName(name);
      const exact = aliasTo.get(key);
      if (exact && exact.size === 1) return [...exact][0]!;
      if (exact) return null;
      const hits = new Set<string>();
      for (const [alias, mains] of aliasTo)
        if (` ${alias} `.includes(` ${key} `) || ` ${key} `.includes(` ${alias} `))
          for (const m of mains) hits.add(m);
      return hits.size === 1 ? [...hits][0]! : null;
    },
    goldMain(name) {
      const hit = aliasTo.get(normaliseName(name));
      return hit && hit.size === 1 ? [...hit][0]! : name;
    },
  };
}
