/**
 * The dialogue benchmark reads the PDNC novels (../shared/pdnc, read in place) through parseStory:
 * every annotated quotation must land inside a prose paragraph, or analyzeDialogue never sees it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseStory } from '../../src/library/index.ts';
import { proseParagraphs } from './helpers.ts';

const PDNC = new URL('../../../shared/pdnc/', import.meta.url).pathname;
const novels = existsSync(PDNC)
  ? readdirSync(PDNC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(`${PDNC}${entry.name}/novel_text.txt`))
      .map((entry) => entry.name)
      .sort()
  : [];

/** The quoteByteSpans column of quotation_info.csv (RFC 4180 quoting, fields may span lines). */
function goldSpans(csv: string): [number, number][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  const column = rows[0]?.indexOf('quoteByteSpans') ?? -1;
  return rows.slice(1).flatMap((cells) => JSON.parse(cells[column] ?? '[]') as [number, number][]);
}

describe.runIf(novels.length > 0)('PDNC novels', () => {
  test('all twenty novels are there', () => {
    expect(novels.length).toBeGreaterThanOrEqual(20);
  });

  test.each(novels)(
    '%s: no annotated quotation is lost, no chapter heading is prose, paragraphs are the blank-line blocks',
    (novel) => {
      const story = parseStory(readFileSync(`${PDNC}${novel}/novel_text.txt`), `${novel}/novel_text.txt`);
      const covered = new Uint8Array(story.text.length);
      for (const scene of story.scenes) for (const p of scene.paragraphs) covered.fill(1, p.start, p.end);
      const spans = goldSpans(readFileSync(`${PDNC}${novel}/quotation_info.csv`, 'utf8'));
      expect(spans.length).toBeGreaterThan(100);
      const lost = spans.filter(([start, end]) => {
        for (let i = start; i < end; i++) if (covered[i] === 0 && !/\s/.test(story.text[i]!)) return true;
        return false;
      });
      expect(lost.map(([start, end]) => story.text.slice(start, end))).toEqual([]);
      expect(proseParagraphs(story).filter((p) => /^(?:CHAPTER|Chapter) [IVXLC\d]+\.?$/.test(p))).toEqual([]);
      expect(story.chapters.length).toBeGreaterThan(1);
      const paragraphs = story.scenes.flatMap((scene) => scene.paragraphs);
      const splitInsideBlock = paragraphs.filter(
        (p, i) => i > 0 && !/\n[ \t]*\n/.test(story.text.slice(paragraphs[i - 1]!.end, p.start)),
      );
      expect(splitInsideBlock.map((p) => story.text.slice(p.start, p.start + 60))).toEqual([]);
    },
  );
});
