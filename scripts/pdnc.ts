/**
 * Reading the PDNC development corpus (../shared/pdnc) for the dialogue scripts: its CSV files,
 * the Python-style alias lists in them, and the official scorer's name normalisation.
 * The data is read in place and never copied into the repository.
 */

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
