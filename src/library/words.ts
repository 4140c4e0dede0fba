function isSpace(code: number): boolean {
  return (
    code <= 0x20 || code === 0xa0 || (code >= 0x2000 && code <= 0x200b) || code === 0x3000 || code === 0xfeff
  );
}

/** Letters and digits (ASCII), and any non-ASCII character outside the punctuation blocks. */
function isWordCharacter(code: number): boolean {
  if (code < 0x80) {
    return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  }
  return !(code >= 0x2010 && code <= 0x206f) && code !== 0xa0 && !(code >= 0x2e00 && code <= 0x2e7f);
}

/** Counts whitespace-separated tokens containing at least one letter or digit, in `text[start, end)`. */
export function countWords(text: string, start = 0, end = text.length): number {
  let words = 0;
  let inToken = false;
  let tokenHasWord = false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      if (inToken && tokenHasWord) words++;
      inToken = false;
      tokenHasWord = false;
    } else {
      inToken = true;
      if (!tokenHasWord && isWordCharacter(code)) tokenHasWord = true;
    }
  }
  if (inToken && tokenHasWord) words++;
  return words;
}

export { isSpace };
