/**
 * Scores the dialogue layer on every PDNC novel with the official scorer.
 *
 *   npx tsx scripts/score-pdnc.ts [--pdnc DIR] [--only Novel,...] [--buckets] [--cast]
 *
 * For each novel: ingest the text with the library's parseStory (as `npm run cli -- quotes` does), write the quotes JSON to a temp dir, run
 * ../shared/tools/score-attribution.mjs --json on it, and print a per-novel table plus totals
 * (quote recall, spurious, speaker accuracy, eligible precision and coverage, accuracy per quote
 * type). --buckets also prints the precision of each attribution sieve (for calibrating
 * confidence), using the scorer's alias matching. Ingest time is compared with bare-scan.mjs
 * measured in the same run. --cast also compares each novel's cast (what /summary and the quiz's
 * answer buttons show) with PDNC's character list: speaking characters that are no PDNC character
 * (junk, listed by name), characters with five or more gold quotes the cast misses, gender
 * accuracy, aliases naming another character than their entity (wrong merges), and the precision
 * of the quiz's distractor pool (characters with lines). PDNC data is read in place and never
 * copied into the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeDialogueTraced } from '../src/library/dialogue/index.ts';
import { HONORIFICS } from '../src/library/dialogue/lexicon.ts';
import { parseStory } from '../src/library/index.ts';
import type { CastMember, Dialogue } from '../src/library/types.ts';
import { normaliseName, type PdncGold, readPdncGold } from './pdnc.ts';

const args = process.argv.slice(2);
const opt = (k: string): string | undefined => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(opt('--pdnc') ?? join(import.meta.dirname, '..', '..', 'shared', 'pdnc'));
const tools = resolve(join(root, '..', 'tools'));
const only = opt('--only')?.split(',');
const showBuckets = args.includes('--buckets');
const showCast = args.includes('--cast');

/** How one novel's cast compares with PDNC's character list. */
interface CastScore {
  /** Characters with lines (NARRATOR aside): the quiz's preferred distractors. */
  speaking: number;
  /** Speaking characters that are a PDNC character. */
  speakingReal: number;
  /** Speaking characters none of whose names means any PDNC character: "name (lines)". */
  junk: string[];
  junkLines: number;
  /** PDNC characters with at least MISSED_QUOTES gold quotes that no character of ours names. */
  missed: string[];
  /** Our characters matched to a PDNC character whose gold gender is known, and those we gender right. */
  gendered: number;
  genderRight: number;
  /** ...and those we leave 'unknown'. */
  genderUnknown: number;
  /** Wrong genders, as "name (ours, gold's)". */
  genderWrong: string[];
  /** Aliases that mean another PDNC character than their entity does: "name | alias". */
  wrongMerges: string[];
  /** Aliases of a matched character that mean no PDNC character at all ("Miss Bartlett | Prato"). */
  strayAliases: string[];
}

const MISSED_QUOTES = 5;

/** The PDNC character a cast member is: its name's, else the one its aliases mostly mean. */
function castMatch(gold: PdncGold, member: CastMember): string | null {
  const own = gold.resolveName(member.name);
  if (own !== null) return own;
  const votes = new Map<string, number>();
  for (const alias of member.aliases) {
    const hit = gold.resolveName(alias);
    if (hit !== null) votes.set(hit, (votes.get(hit) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  return ranked[0] && (ranked.length === 1 || ranked[0][1] > ranked[1]![1]) ? ranked[0][0] : null;
}

function scoreCast(dir: string, dialogue: Dialogue): CastScore {
  const gold = readPdncGold(dir);
  const score: CastScore = {
    speaking: 0,
    speakingReal: 0,
    junk: [],
    junkLines: 0,
    missed: [],
    gendered: 0,
    genderRight: 0,
    genderUnknown: 0,
    genderWrong: [],
    wrongMerges: [],
    strayAliases: [],
  };
  const found = new Set<string>();
  const goldGender = new Map(gold.characters.map((c) => [c.main, c.gender]));
  for (const member of dialogue.characters) {
    if (member.name === 'NARRATOR') continue;
    const names = [member.name, ...member.aliases];
    const real = names.some((n) => gold.candidates(n).size > 0);
    for (const n of names) for (const c of gold.candidates(n)) found.add(c);
    if (member.lines > 0) {
      score.speaking++;
      if (real) score.speakingReal++;
      else {
        score.junk.push(`${member.name} (${member.lines})`);
        score.junkLines += member.lines;
      }
    }
    const match = castMatch(gold, member);
    if (match === null) continue;
    const g = goldGender.get(match) ?? 'unknown';
    if (g !== 'unknown') {
      score.gendered++;
      if (member.gender === g) score.genderRight++;
      else if (member.gender === 'unknown') score.genderUnknown++;
      else score.genderWrong.push(`${member.name} (${member.gender}, gold ${g})`);
    }
    const nameWords = new Set(normaliseName(member.name).split(' '));
    for (const alias of member.aliases) {
      // A part of the name, titled or not ("Beebe" or "Mr. Beebe" of "Mr. Beebe", "Miss Quested"
      // of "Adela Quested"), is the same person however PDNC lists its aliases.
      const words = normaliseName(alias).split(' ');
      if (words.every((w) => nameWords.has(w) || HONORIFICS.has(w))) continue;
      const other = gold.resolveName(alias);
      if (other !== null && other !== match) score.wrongMerges.push(`${member.name} | ${alias} (${other})`);
      if (gold.candidates(alias).size === 0) score.strayAliases.push(`${member.name} | ${alias}`);
    }
  }
  for (const c of gold.characters)
    if (c.quotes >= MISSED_QUOTES && !/^_|^unknowable$/i.test(c.main) && !found.has(c.main))
      score.missed.push(`${c.main} (${c.quotes})`);
  return score;
}

interface Summary {
  gold: number;
  found: number;
  spurious: number;
  correct: number;
  eligible: number;
  eligibleCorrect: number;
  accuracy: number;
  recallOfQuotes: number;
  eligiblePrecision: number | null;
  eligibleCoverage: number;
  byType: Record<
    string,
    { gold: number; accuracy: number; eligible: number; eligiblePrecision: number | null }
  >;
}

/** Per-sieve precision with the scorer's alias matching (first overlapping prediction per gold quote). */
function bucketStats(
  dir: string,
  dialogue: Dialogue,
  buckets: Map<string, { n: number; ok: number }>,
  sieves: string[],
): void {
  const { quotes: gold, resolveName, goldMain } = readPdncGold(dir);
  const located = dialogue.quotes.map((q, i) => ({ q, i })).sort((a, b) => a.q.start - b.q.start);
  for (const g of gold) {
    const spans = JSON.parse(g.quoteByteSpans || '[]') as [number, number][];
    if (!spans.length || !g.speaker) continue;
    let first: { q: Dialogue['quotes'][number]; i: number } | undefined;
    for (const [a, b] of spans) {
      first = located.find((x) => x.q.end > a && x.q.start < b);
      if (first) break;
    }
    if (!first) continue;
    const ok = resolveName(first.q.speaker) === goldMain(g.speaker);
    const c = first.q.confidence;
    const keys = [
      `sieve:${sieves[first.i]}`,
      `conf:${(c >= 0.9 ? Math.floor(c * 100) / 100 : Math.floor(c * 20) / 20).toFixed(2)}`,
    ];
    if (first.q.eligible) keys.push(`eligible:${sieves[first.i]}`);
    for (const key of keys) {
      const b = buckets.get(key) ?? { n: 0, ok: 0 };
      b.n++;
      if (ok) b.ok++;
      buckets.set(key, b);
    }
  }
}

const novels = readdirSync(root)
  .filter((d) => statSync(join(root, d)).isDirectory() && existsSync(join(root, d, 'novel_text.txt')))
  .filter((d) => !only || only.includes(d))
  .sort();

const tmp = mkdtempSync(join(tmpdir(), 'score-pdnc-'));
const rows: { novel: string; s: Summary; ms: number }[] = [];
const buckets = new Map<string, { n: number; ok: number }>();
const casts: { novel: string; c: CastScore }[] = [];
let ingestMs = 0;
try {
  const files = novels.map((n) => readFileSync(join(root, n, 'novel_text.txt')));
  // Warm up the JIT on one novel so the timing reflects steady-state ingest.
  if (files[0]) parseStory(files[0], 'novel_text.txt');
  for (let k = 0; k < novels.length; k++) {
    const novel = novels[k]!;
    const t0 = performance.now();
    // The real ingest: parse (format, structure, scenes) and dialogue, as `npm run cli -- quotes` does.
    const story = parseStory(files[k]!, 'novel_text.txt');
    const ms = performance.now() - t0;
    ingestMs += ms;
    const dialogue = story.dialogue;
    const file = join(tmp, `${novel}.json`);
    writeFileSync(file, JSON.stringify(dialogue));
    const out = execFileSync(
      'node',
      [join(tools, 'score-attribution.mjs'), '--gold', join(root, novel), '--pred', file, '--json'],
      {
        encoding: 'utf8',
      },
    );
    rows.push({ novel, s: JSON.parse(out) as Summary, ms });
    if (showCast) casts.push({ novel, c: scoreCast(join(root, novel), dialogue) });
    if (showBuckets) {
      const { sieves } = analyzeDialogueTraced(story.text, story.scenes, { pov: story.pov });
      bucketStats(join(root, novel), dialogue, buckets, sieves);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const bare = JSON.parse(
  execFileSync('node', [join(tools, 'bare-scan.mjs'), root, '--repeat', '3'], { encoding: 'utf8' }),
) as {
  ms: number;
};

const f3 = (x: number | null): string => (x === null ? '  -  ' : x.toFixed(3));
const pad = (s: string, n: number): string => s.padEnd(n);
console.log(
  `${pad('novel', 30)} ${'gold'.padStart(5)} recall spur  acc    eligP  cover  expl   anaph  impl   ms`,
);
const total = { gold: 0, found: 0, spurious: 0, correct: 0, eligible: 0, eligibleCorrect: 0 };
const types: Record<string, { gold: number; correct: number; eligible: number; eligibleCorrect: number }> =
  {};
for (const { novel, s, ms } of rows) {
  total.gold += s.gold;
  total.found += s.found;
  total.spurious += s.spurious;
  total.correct += s.correct;
  total.eligible += s.eligible;
  total.eligibleCorrect += s.eligibleCorrect;
  for (const [t, v] of Object.entries(s.byType)) {
    types[t] ??= { gold: 0, correct: 0, eligible: 0, eligibleCorrect: 0 };
    const T = types[t]!;
    T.gold += v.gold;
    T.correct += Math.round(v.accuracy * v.gold);
    T.eligible += v.eligible;
    T.eligibleCorrect += Math.round((v.eligiblePrecision ?? 0) * v.eligible);
  }
  const acc = (t: string): number | null => s.byType[t]?.accuracy ?? null;
  console.log(
    `${pad(novel, 30)} ${String(s.gold).padStart(5)} ${f3(s.recallOfQuotes)}  ${String(s.spurious).padStart(4)} ${f3(s.accuracy)}  ${f3(
      s.eligiblePrecision,
    )}  ${f3(s.eligibleCoverage)}  ${f3(acc('explicit'))}  ${f3(acc('anaphoric'))}  ${f3(acc('implicit'))}  ${Math.round(ms)}`,
  );
}
console.log(
  `${pad('TOTAL', 30)} ${String(total.gold).padStart(5)} ${f3(total.found / total.gold)}  ${String(total.spurious).padStart(4)} ${f3(
    total.correct / total.gold,
  )}  ${f3(total.eligible ? total.eligibleCorrect / total.eligible : null)}  ${f3(total.eligibleCorrect / total.gold)}`,
);
for (const [t, v] of Object.entries(types).sort()) {
  console.log(
    `  ${pad(t, 10)} gold ${String(v.gold).padStart(5)}  accuracy ${f3(v.correct / v.gold)}  eligible ${v.eligible}  precision ${f3(
      v.eligible ? v.eligibleCorrect / v.eligible : null,
    )}`,
  );
}
console.log(
  `ingest (parseStory: parse + dialogue) ${Math.round(ingestMs)} ms; bare-scan ${bare.ms} ms; ratio ${(ingestMs / bare.ms).toFixed(1)}x`,
);
if (showBuckets) {
  console.log('\nbucket                          n      precision');
  for (const [k, v] of [...buckets].sort())
    console.log(`${pad(k, 30)} ${String(v.n).padStart(6)}  ${f3(v.ok / v.n)}`);
}
if (showCast) {
  /** A cast table row: counts of a novel, or their sums. */
  interface CastCounts {
    speaking: number;
    real: number;
    junk: number;
    junkLines: number;
    missed: number;
    gendered: number;
    right: number;
    unknown: number;
    merges: number;
    stray: number;
  }
  const countsOf = (c: CastScore): CastCounts => ({
    speaking: c.speaking,
    real: c.speakingReal,
    junk: c.junk.length,
    junkLines: c.junkLines,
    missed: c.missed.length,
    gendered: c.gendered,
    right: c.genderRight,
    unknown: c.genderUnknown,
    merges: c.wrongMerges.length,
    stray: c.strayAliases.length,
  });
  const row = (label: string, n: CastCounts): string =>
    [
      pad(label, 30),
      String(n.speaking).padStart(5),
      String(n.real).padStart(5),
      String(n.junk).padStart(5),
      String(n.junkLines).padStart(6),
      String(n.missed).padStart(6),
      `${f3(n.gendered ? n.right / n.gendered : null)} (${n.right}/${n.gendered}, ${n.unknown})`.padEnd(31),
      String(n.merges).padStart(4),
      String(n.stray).padStart(5),
      f3(n.speaking ? n.real / n.speaking : null),
    ].join(' ');
  console.log(
    `\n${pad('cast', 30)} speak  real  junk jLines missed gender (right/known, unknown) wrongMerge stray distractorP`,
  );
  const total: CastCounts = {
    speaking: 0,
    real: 0,
    junk: 0,
    junkLines: 0,
    missed: 0,
    gendered: 0,
    right: 0,
    unknown: 0,
    merges: 0,
    stray: 0,
  };
  for (const { novel, c } of casts) {
    const counts = countsOf(c);
    for (const key of Object.keys(total) as (keyof CastCounts)[]) total[key] += counts[key];
    console.log(row(novel, counts));
  }
  console.log(row('TOTAL', total));
  for (const { novel, c } of casts) {
    const lists: [string, string[]][] = [
      ['junk', c.junk],
      ['missed', c.missed],
      ['wrong gender', c.genderWrong],
      ['wrong merges', c.wrongMerges],
      ['stray aliases', c.strayAliases],
    ];
    for (const [label, list] of lists) if (list.length) console.log(`${novel} ${label}: ${list.join('; ')}`);
  }
}
