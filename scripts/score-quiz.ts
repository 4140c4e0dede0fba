/**
 * Scores the quote game's questions on every PDNC novel, as players would meet them.
 *
 *   npx tsx scripts/score-quiz.ts [--pdnc DIR] [--only Novel,...] [--show N]
 *
 * For each novel: ingest it with parseStory, then for every quote the game may ask
 * (isPlayableQuote) pick its three wrong answers as the game does (pickDistractors, one seed per
 * quote) and check them against the PDNC annotations, with the official scorer's alias matching:
 * - wrong key: the answer the game marks right is not the gold speaker;
 * - speaker offered: one of the wrong answers is the gold speaker under another name, so a player
 *   who names the speaker is marked wrong;
 * - no character: a wrong answer that is no PDNC character (a place, a word, a stray name).
 * PDNC lists the characters who speak or are addressed, so a real but silent character counts as
 * "no character" too: read that column as an upper bound. `--show N` lists the N most frequent
 * offenders of the last two kinds.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPlayableQuote, pickDistractors } from '../src/game/questions.ts';
import { seededRng } from '../src/game/random.ts';
import { parseStory } from '../src/library/index.ts';
import { pdncNovels } from './bench/corpus.ts';
import { readPdncGold } from './pdnc.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const only = option('--only')?.split(',');
const show = Number(option('--show') ?? '0');
const pdncDir = option('--pdnc');

interface Tally {
  questions: number;
  wrongKey: number;
  speakerOffered: number;
  wrongAnswers: number;
  noCharacter: number;
}
const emptyTally = (): Tally => ({
  questions: 0,
  wrongKey: 0,
  speakerOffered: 0,
  wrongAnswers: 0,
  noCharacter: 0,
});
const offenders = new Map<string, number>();
const note = (key: string): void => {
  offenders.set(key, (offenders.get(key) ?? 0) + 1);
};

const total = emptyTally();
/** A table row: a novel's tally, or the total. */
const row = (label: string, t: Tally): string =>
  [
    label.padEnd(30),
    String(t.questions).padStart(9),
    share(t.wrongKey, t.questions).padStart(8),
    share(t.speakerOffered, t.questions).padStart(14),
    share(t.noCharacter, t.wrongAnswers).padStart(11),
  ].join('  ');
const share = (part: number, whole: number): string => (whole === 0 ? '-' : (part / whole).toFixed(3));
console.log(`${'novel'.padEnd(30)}   questions  wrongKey  speakerOffered  noCharacter`);
for (const novel of pdncNovels(pdncDir)) {
  if (only && !only.includes(novel.folder)) continue;
  const story = parseStory(readFileSync(novel.path), 'novel_text.txt');
  const { quotes: gold, resolveName, goldMain } = readPdncGold(dirname(novel.path));
  const goldSpans = gold.map((row) => ({
    speaker: row.speaker ? goldMain(row.speaker) : null,
    spans: JSON.parse(row.quoteByteSpans || '[]') as [number, number][],
  }));
  const tally = emptyTally();
  let seed = 0;
  for (const quote of story.dialogue.quotes) {
    if (!quote.speaker || quote.speaker === 'NARRATOR' || !isPlayableQuote(quote, story)) continue;
    const wrong = pickDistractors(story, quote.speaker, seededRng(seed++));
    if (!wrong) continue;
    const truth = goldSpans.find((g) => g.spans.some(([a, b]) => quote.end > a && quote.start < b))?.speaker;
    if (!truth) continue;
    tally.questions++;
    if (resolveName(quote.speaker) !== truth) tally.wrongKey++;
    for (const name of wrong) {
      tally.wrongAnswers++;
      const character = resolveName(name);
      if (character === truth) {
        tally.speakerOffered++;
        note(`speaker offered  ${novel.folder}: ${quote.speaker} / ${name}`);
      } else if (character === null) {
        tally.noCharacter++;
        note(`no character     ${novel.folder}: ${name}`);
      }
    }
  }
  console.log(row(novel.folder, tally));
  for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key];
}
console.log(row('TOTAL', total));
console.log('(wrongKey and speakerOffered: share of questions; noCharacter: share of wrong answers)');
if (show > 0) {
  for (const [key, n] of [...offenders].sort((a, b) => b[1] - a[1]).slice(0, show))
    console.log(`${String(n).padStart(5)}  ${key}`);
}
