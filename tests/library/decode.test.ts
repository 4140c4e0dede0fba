import { describe, expect, test } from 'vitest';
import { decodeStoryBytes, MAX_STORY_BYTES, StoryFileError } from '../../src/library/index.ts';
import { encode } from './helpers.ts';

const SAMPLE = 'He said “hello” — café, naïve.\nSecond line ’til dawn…\n';

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const bytes = [littleEndian ? 0xff : 0xfe, littleEndian ? 0xfe : 0xff];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (littleEndian) bytes.push(code & 0xff, code >> 8);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(bytes);
}

const withBom = (bytes: Uint8Array): Uint8Array => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);

function reasonFor(bytes: Uint8Array, maxBytes?: number): string {
  try {
    decodeStoryBytes(bytes, maxBytes);
  } catch (error) {
    if (error instanceof StoryFileError) return error.reason;
    throw error;
  }
  return 'decoded';
}

describe('decodeStoryBytes: encodings', () => {
  test.each([
    ['UTF-8 without a byte-order mark', encode(SAMPLE), 'utf-8'],
    ['UTF-8 with a byte-order mark', withBom(encode(SAMPLE)), 'utf-8'],
    ['UTF-16LE with a byte-order mark', utf16(SAMPLE, true), 'utf-16le'],
    ['UTF-16BE with a byte-order mark', utf16(SAMPLE, false), 'utf-16be'],
  ])('%s decodes to the same text', (_name, bytes, encoding) => {
    const decoded = decodeStoryBytes(bytes);
    expect(decoded.text).toBe(SAMPLE);
    expect(decoded.encoding).toBe(encoding);
  });

  test('Windows-1252 smart quotes, dashes and ellipses (invalid UTF-8) become their Unicode characters', () => {
    // “Don’t,” she said – softly… café
    const bytes = Uint8Array.from([
      0x93,
      ...encode('Don'),
      0x92,
      ...encode('t,'),
      0x94,
      ...encode(' she said '),
      0x96,
      ...encode(' softly'),
      0x85,
      ...encode(' caf'),
      0xe9,
    ]);
    const decoded = decodeStoryBytes(bytes);
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe('“Don’t,” she said – softly… café');
  });

  test.each([
    ['CRLF', 'one\r\ntwo\r\n\r\nthree\r\n'],
    ['CR', 'one\rtwo\r\rthree\r'],
    ['mixed CRLF, CR and LF', 'one\r\ntwo\r\nthree\n'],
  ])('%s line ends become LF', (_name, text) => {
    expect(decodeStoryBytes(encode(text)).text).toBe(
      text === 'one\r\ntwo\r\nthree\n' ? 'one\ntwo\nthree\n' : 'one\ntwo\n\nthree\n',
    );
  });

  test('CRLF inside UTF-16 files becomes LF too', () => {
    expect(decodeStoryBytes(utf16('a\r\nb\r\n', true)).text).toBe('a\nb\n');
  });
});

describe('decodeStoryBytes: bad input', () => {
  test.each([
    ['an empty file', new Uint8Array(0), 'empty file'],
    ['a file of only whitespace', encode(' \n\n\t\n'), 'empty file (only whitespace)'],
    ['a UTF-16 byte-order mark and nothing else', Uint8Array.from([0xff, 0xfe]), 'empty file'],
    ['NUL bytes', Uint8Array.from([0x48, 0x69, 0x00, 0x00, 0x21]), 'binary file: contains NUL bytes'],
    ['a PDF', encode('%PDF-1.7\n1 0 obj'), 'binary file: looks like a PDF document'],
    [
      'an EPUB/DOCX (ZIP)',
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
      'binary file: looks like a ZIP archive',
    ],
    [
      'a PNG',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'binary file: looks like a PNG image',
    ],
    ['a JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00]), 'binary file: looks like a JPEG image'],
    ['an RTF document', encode('{\\rtf1\\ansi Hello}'), 'binary file: looks like an RTF document'],
    [
      'control characters',
      Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 0x41, 0x42]),
      'binary file: too many control characters',
    ],
  ])('%s is refused with a reason', (_name, bytes, reason) => {
    expect(reasonFor(bytes)).toContain(reason);
  });

  test('a file over the size limit is refused, naming both sizes', () => {
    expect(reasonFor(encode('x'.repeat(2048)), 1024)).toBe('file is 2 KiB, over the 1 KiB limit');
  });

  test('the default size limit is 20 MiB', () => {
    expect(MAX_STORY_BYTES).toBe(20 * 1024 * 1024);
  });
});
