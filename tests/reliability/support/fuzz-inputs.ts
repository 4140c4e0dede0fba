/**
 * fast-check arbitraries for hostile story files: random bytes, text assembled from the pieces
 * parsers trip on (quote marks, dividers, headers, HTML, entities, Discord markup, odd Unicode),
 * and real story files (data/, tests/fixtures/stories/, tests/e2e/stories/) mutated byte-wise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export interface FuzzCase {
  /** Path relative to the data folder: its extension picks the format. */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** How the case was made, for failure messages. */
  readonly origin: string;
}

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Every real story file the project carries, as seeds for mutation. */
export function seedFiles(): { file: string; bytes: Uint8Array }[] {
  const dirs = ['data', 'tests/fixtures/stories', 'tests/e2e/stories'];
  return dirs.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => /\.(txt|md|html?)$/.test(name))
      .sort()
      .map((name) => ({ file: name, bytes: new Uint8Array(readFileSync(join(ROOT, dir, name))) })),
  );
}

const FILE_NAMES = [
  'story.txt',
  'story.md',
  'story.html',
  'story.htm',
  'story',
  'Some Folder/novel_text.txt',
  'weird name (1).TXT',
];

/** The pieces story parsers and the dialogue analyser branch on. */
const FRAGMENTS = [
  '"',
  '\u201c',
  '\u201d',
  "'",
  '\u2018',
  '\u2019',
  '\u00ab',
  '\u00bb',
  '\u201e',
  '\u2014',
  '...',
  ',',
  '.',
  '?',
  '!',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '    ',
  '* * *',
  '***',
  '~~~',
  '---',
  '###',
  'o0o',
  '-x-',
  '~*~',
  '<hr>',
  'Scene Break',
  'X',
  'I',
  'II',
  'Chapter 1',
  'CHAPTER II: The Return',
  'Part One',
  'Prologue',
  'Epilogue',
  'Title: ',
  'Author: ',
  'Rating: NC-17',
  'Rating: ',
  'Warnings: gore; major character death',
  'Summary: ',
  'Pairing: A/B',
  'POV: first',
  'ID: ',
  'A/N: ',
  'The End',
  'TBC',
  '---\ntitle: x\n---\n',
  '---\ntitle: [\n',
  '# ',
  '## Chapter Two',
  '<p>',
  '</p>',
  '<br>',
  '<br/>',
  '<div class="userstuff">',
  '</div>',
  '<h2 class="title heading">',
  '<script>document.write("x")</script>',
  '<style>p { color: red }</style>',
  '<!DOCTYPE html>',
  '<html><head><title>T</title></head><body>',
  '<!--',
  '-->',
  '<![CDATA[',
  '&amp;',
  '&#8217;',
  '&#x1F600;',
  '&#0;',
  '&#xD800;',
  '&nbsp;',
  '&bogus;',
  'said',
  'asked',
  'she said',
  'he replied',
  'whispered Alice',
  'Alice',
  'Bob',
  'Mr. Smith',
  'Dr. Who',
  'the old man',
  'she',
  'he',
  'they',
  'I',
  'my',
  'you',
  'Hello',
  'Wait',
  'No',
  '@everyone',
  '@here',
  '<@&123456789012345678>',
  '<@123456789012345678>',
  '||',
  '```',
  '[x](http://example.com)',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\u001b',
  '\ud800',
  '\udfff',
  '\u{1F600}',
  'e\u0301',
  '\u202e',
  'z\u0351\u0352\u0353\u0354',
];

const word = fc.constantFrom(
  'yes',
  'no',
  'the',
  'door',
  'was',
  'open',
  'never',
  'again',
  'Alice',
  'Bob',
  'Carol',
);
/** A line of speech with a tag, so generated text reaches the dialogue analyser. */
const speech = fc
  .record({
    marks: fc.constantFrom(
      ['"', '"'],
      ['\u201c', '\u201d'],
      ["'", "'"],
      ['\u2018', '\u2019'],
      ['\u00ab', '\u00bb'],
      ['"', ''],
    ),
    words: fc.array(word, { minLength: 1, maxLength: 8 }),
    tag: fc.constantFrom(' Alice said.', ' said Bob.', ' she asked.', '', ' Mr. Smith replied, ', ' I said.'),
    paragraph: fc.constantFrom('\n\n', ' ', '\n'),
  })
  .map(({ marks, words, tag, paragraph }) => `${marks[0]}${words.join(' ')},${marks[1]}${tag}${paragraph}`);

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: speech },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, littleEndian);
    at = 2;
  }
  for (let i = 0; i < text.length; i++) view.setUint16(at + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

const encoder = new TextEncoder();
type Encoding = 'utf-8' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le-no-bom' | 'latin1';

function encode(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return encoder.encode(text);
    case 'utf-16le-bom':
      return utf16(text, true, true);
    case 'utf-16be-bom':
      return utf16(text, false, true);
    case 'utf-16le-no-bom':
      return utf16(text, true, false);
    case 'latin1':
      return latin1(text);
  }
}

const fileName = fc.constantFrom(...FILE_NAMES);

/** Arbitrary bytes, up to 4 KiB. */
export const randomBytesCase: fc.Arbitrary<FuzzCase> = fc
  .record({ file: fileName, bytes: fc.uint8Array({ maxLength: 4096 }) })
  .map(({ file, bytes }) => ({ file, bytes, origin: `${bytes.length} random bytes as ${file}` }));

/** Text made of parser-relevant fragments, in one of several encodings, up to ~16 KiB. */
export const fragmentTextCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    file: fileName,
    pieces: fc.array(fragment, { minLength: 1, maxLength: 600 }),
    encoding: fc.constantFrom<Encoding>(
      'utf-8',
      'utf-8',
      'utf-8',
      'utf-16le-bom',
      'utf-16be-bom',
      'utf-16le-no-bom',
      'latin1',
    ),
  })
  .map(({ file, pieces, encoding }) => ({
    file,
    bytes: encode(pieces.join(''), encoding),
    origin: `${pieces.length} fragments (${encoding}) as ${file}`,
  }));

type Mutation =
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'raw'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'line-ends'; readonly at: number; readonly length: number; readonly to: string };

const position = fc.nat({ max: 1_000_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: position, byte: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fragment }),
  fc.record({
    kind: fc.constant('raw' as const),
    at: position,
    bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x80], [0xef, 0xbb, 0xbf], [0xfe, 0xff], [0], [0x93, 0x94]),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: position,
    length: fc.integer({ min: 1, max: 2000 }),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: position,
    length: fc.integer({ min: 1, max: 4000 }),
    to: position,
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('line-ends' as const),
    at: position,
    length: fc.integer({ min: 1, max: 20_000 }),
    to: fc.constantFrom('\r', '\r\n', '\n\n', '\u2028', ''),
  }),
);

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Applies one mutation; positions wrap around the current length. Output stays under 256 KiB. */
function mutate(bytes: Uint8Array, change: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
  switch (change.kind) {
    case 'set': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[at % bytes.length] = change.byte;
      return out;
    }
    case 'insert':
      return splice(bytes, at, 0, encoder.encode(change.text));
    case 'raw':
      return splice(bytes, at, 0, Uint8Array.from(change.bytes));
    case 'delete':
      return splice(bytes, at, Math.min(change.length, bytes.length - at), new Uint8Array());
    case 'duplicate': {
      if (bytes.length > 256 * 1024) return bytes;
      const copy = bytes.slice(at, at + change.length);
      return splice(bytes, change.to % (bytes.length + 1), 0, copy);
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'line-ends': {
      const end = Math.min(bytes.length, at + change.length);
      const text = new TextDecoder('latin1').decode(bytes.subarray(at, end)).replace(/\n/g, change.to);
      return splice(bytes, at, end - at, latin1(text));
    }
  }
}

/** A real story file with 1–12 byte-level mutations, under its own name or another extension. */
export function mutatedSeedCase(
  seeds: readonly { file: string; bytes: Uint8Array }[],
): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 12 }),
      rename: fc.option(fileName, { freq: 5 }),
    })
    .map(({ seed, mutations, rename }) => {
      const original = seeds[seed]!;
      const bytes = mutations.reduce(mutate, original.bytes);
      const file = rename ?? original.file;
      return {
        file,
        bytes,
        origin: `${original.file} after ${mutations.map((m) => m.kind).join(', ')} (${bytes.length} bytes) as ${file}`,
      };
    });
}
