import { StoryFileError } from './errors.ts';

/** Story files larger than this are refused (20 MiB: several times the longest novels). */
export const MAX_STORY_BYTES = 20 * 1024 * 1024;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  /** The text with line ends normalised to `\n` and any byte-order mark removed. */
  readonly text: string;
  readonly encoding: TextEncodingName;
}

const SNIFF_BYTES = 8192;

/** Well-known binary signatures, named so the data keeper knows what the file really is. */
const SIGNATURES: readonly (readonly [readonly number[], string])[] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (EPUB, DOCX and ODT files are ZIP archives)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Microsoft Office document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'an RTF document (save it as plain text or HTML)'],
];

function startsWithBytes(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.length < signature.length) return false;
  return signature.every((byte, i) => bytes[i] === byte);
}

/** Why these bytes are not text, or null when they look like text. */
function binaryReason(bytes: Uint8Array): string | null {
  for (const [signature, what] of SIGNATURES) {
    if (startsWithBytes(bytes, signature)) return `binary file: looks like ${what}`;
  }
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!;
    if (byte === 0) return 'binary file: contains NUL bytes';
    // Tab, line feed, form feed, carriage return and escape appear in text; other C0 codes do not.
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) {
      controls++;
    }
  }
  if (controls > sample.length / 20) return 'binary file: too many control characters';
  return null;
}

/**
 * UTF-16 saved without a byte-order mark (some Windows editors): mostly-Latin text has a zero
 * high byte in nearly every code unit, on one side only. Without this, such files look binary.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  const sample = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  const units = Math.floor(sample.length / 2);
  let zeroHigh = 0;
  let zeroLow = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) zeroLow++;
    if (sample[i + 1] === 0) zeroHigh++;
  }
  if (zeroLow === 0 && zeroHigh >= units * 0.9) return 'utf-16le';
  if (zeroHigh === 0 && zeroLow >= units * 0.9) return 'utf-16be';
  return null;
}

/** A second byte-order mark (a file saved with two) and every CR or CRLF line end. */
const MARK_OR_CR = /^\uFEFF|\r\n?/g;

/** UTF-16 text: drops a second byte-order mark and turns CRLF and CR line ends into LF. */
function normaliseUtf16(decoded: string): string {
  if (decoded.charCodeAt(0) === 0xfeff) {
    return decoded.replace(MARK_OR_CR, (match) => (match === '\uFEFF' ? '' : '\n'));
  }
  return decoded.includes('\r') ? decoded.replace(/\r\n?/g, '\n') : decoded;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The bytes with CRLF and CR line ends made LF, copied once and only when the file has a CR, so
 * decoding then makes the story's one string (rather than a decoded string and a normalised copy).
 * For ASCII-compatible encodings (UTF-8, Windows-1252), where byte 0x0D is always a CR.
 */
function withLfLineEnds(bytes: Uint8Array): Uint8Array {
  const firstCr = bytes.indexOf(CR);
  if (firstCr === -1) return bytes;
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, firstCr));
  let length = firstCr;
  for (let i = firstCr; i < bytes.length; i++) {
    const byte = bytes[i]!;
    // A CRLF's CR is dropped; a lone CR becomes LF.
    if (byte !== CR) out[length++] = byte;
    else if (bytes[i + 1] !== LF) out[length++] = LF;
  }
  return out.subarray(0, length);
}

/** UTF-8 bytes after up to two byte-order marks (a file saved with two keeps no stray U+FEFF). */
function withoutUtf8Marks(bytes: Uint8Array): Uint8Array {
  let start = 0;
  for (let marks = 0; marks < 2; marks++) {
    if (bytes[start] !== 0xef || bytes[start + 1] !== 0xbb || bytes[start + 2] !== 0xbf) break;
    start += 3;
  }
  return start === 0 ? bytes : bytes.subarray(start);
}

/**
 * Turns a story file's bytes into text: UTF-8 with or without a byte-order mark, UTF-16 with a
 * byte-order mark (or without one, when nearly every code unit has a zero high byte), and Windows-1252 (any file that is not valid UTF-8). Line ends become `\n`.
 * Throws StoryFileError for empty, oversized and binary files.
 */
export function decodeStoryBytes(bytes: Uint8Array, maxBytes = MAX_STORY_BYTES): DecodedText {
  if (bytes.length === 0) throw new StoryFileError('empty file');
  if (bytes.length > maxBytes) {
    throw new StoryFileError(`file is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit`);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be');
  const bomless = utf16WithoutBom(bytes);
  if (bomless) return utf16(bytes, bomless);
  const reason = binaryReason(bytes);
  if (reason) throw new StoryFileError(reason);
  const lfBytes = withLfLineEnds(bytes);
  let text: string;
  let encoding: TextEncodingName;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(withoutUtf8Marks(lfBytes));
    encoding = 'utf-8';
  } catch {
    text = decodeWindows1252(lfBytes);
    encoding = 'windows-1252';
  }
  return notBlank(text, encoding);
}

/** Windows-1252's characters for bytes 0x80–0x9F (where it differs from Latin-1); undefined bytes stay. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node's TextDecoder treats 'windows-1252' as Latin-1 on some builds, which turns smart quotes into
 * invisible control characters; decode as Latin-1 and map 0x80–0x9F explicitly instead.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder('latin1').decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  if (bytes.length <= 2) throw new StoryFileError('empty file');
  const text = new TextDecoder(encoding).decode(bytes);
  if (text.includes('\0'))
    throw new StoryFileError(`binary file: contains NUL characters after the ${encoding} byte-order mark`);
  return notBlank(normaliseUtf16(text), encoding);
}

function notBlank(text: string, encoding: TextEncodingName): DecodedText {
  if (text.trim() === '') throw new StoryFileError('empty file (only whitespace)');
  return { text, encoding };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}
