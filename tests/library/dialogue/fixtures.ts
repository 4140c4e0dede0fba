/**
 * Typed fixtures for the dialogue tests: a story's text split the way the library's parser
 * splits plain text (paragraphs on blank lines; "* * *", "X" or a chapter heading ends a scene).
 */
import { analyzeDialogue } from '../../../src/library/dialogue/index.ts';
import type { Dialogue, Paragraph, PointOfView, Quote, Scene } from '../../../src/library/types.ts';

const SCENE_BREAK = /^(?:(?:\*\s*){3,}|X|#+|CHAPTER [IVXLC\d]+\.?|Chapter \d+)$/;

export function scenesOf(text: string): Scene[] {
  const scenes: Scene[] = [];
  let paragraphs: Paragraph[] = [];
  const flush = (): void => {
    if (paragraphs.length === 0) return;
    scenes.push({
      index: scenes.length,
      chapter: 0,
      chapterTitle: null,
      paragraphs,
      start: paragraphs[0]!.start,
      end: paragraphs[paragraphs.length - 1]!.end,
      words: 0,
    });
    paragraphs = [];
  };
  const blank = /\n[ \t]*\n/g;
  let from = 0;
  const push = (start: number, end: number): void => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) return;
    if (SCENE_BREAK.test(text.slice(s, e))) flush();
    else paragraphs.push({ start: s, end: e });
  };
  for (let m = blank.exec(text); m !== null; m = blank.exec(text)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  flush();
  return scenes;
}

export function dialogueOf(text: string, pov: PointOfView | null = null): Dialogue {
  return analyzeDialogue(text, scenesOf(text), { pov });
}

/** The quote whose words start with `opening` (the first one, in text order). */
export function quoteStarting(d: Dialogue, opening: string): Quote {
  const q = d.quotes.find((x) => x.text.startsWith(opening));
  if (!q)
    throw new Error(
      `no quote starting with ${JSON.stringify(opening)}; quotes: ${d.quotes.map((x) => x.text).join(' | ')}`,
    );
  return q;
}
