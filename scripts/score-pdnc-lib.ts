/** Plain-text scene splitting for scripts/score-pdnc.ts (until the library's parseStory is wired in). */
import type { Paragraph, Scene } from '../src/library/types.ts';

const CHAPTER = /^\s*(?:CHAPTER|Chapter|BOOK|Book|VOLUME|Volume|PART|Part)\b[^\n]{0,60}$|^\s*[IVXLC]+\.?\s*$/;

/**
 * Scenes for a plain hard-wrapped text: paragraphs split on blank lines, chapter headings as
 * scene boundaries. Used until the library's parseStory is available to this script.
 */
export function plainScenes(text: string): Scene[] {
  const scenes: Scene[] = [];
  let paragraphs: Paragraph[] = [];
  const flush = (): void => {
    if (paragraphs.length === 0) return;
    const start = paragraphs[0]!.start;
    const end = paragraphs[paragraphs.length - 1]!.end;
    scenes.push({
      index: scenes.length,
      chapter: scenes.length,
      chapterTitle: null,
      paragraphs,
      start,
      end,
      words: 0,
    });
    paragraphs = [];
  };
  const re = /\n[ \t]*\n/g;
  let from = 0;
  const push = (start: number, end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) return;
    const body = text.slice(s, e);
    if (!body.includes('\n') && CHAPTER.test(body)) {
      flush();
      return;
    }
    if (/^(?:\*\s*){3,}$|^X$|^#+$/.test(body)) {
      flush();
      return;
    }
    paragraphs.push({ start: s, end: e });
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  flush();
  return scenes;
}
