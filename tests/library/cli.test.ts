import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let mixed: string;

beforeAll(async () => {
  mixed = await mkdtemp(join(tmpdir(), 'ficbot-cli-'));
  await writeFile(
    join(mixed, 'good.txt'),
    'Title: Good One\nRating: T\nWarnings: gore\n\nIt was a dark night.\n',
  );
  await writeFile(join(mixed, 'bad.txt'), Uint8Array.from([0, 1, 2, 3]));
});

afterAll(async () => {
  await rm(mixed, { recursive: true, force: true });
});

describe('cli check', () => {
  test('lists one line per story in data/ and exits 0', async () => {
    const run = await cli('check');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^another-time-another-place {2}"Another Time, Another Place" {2}unrated {2}warnings: none {2}16 scenes {2}\d+ words {2}\d+ quotes \(\d+ eligible\)$/,
    );
    expect(lines[1]).toMatch(
      /^war-verse-first-person {2}"War Verse First Person" {2}R \(mature\) {2}warnings: non-con, gore {2}1 scenes/,
    );
    expect(lines[2]).toBe('2 stories, 0 problems in data');
  });

  test('--json gives stories and problems; a failed file makes the exit status 1', async () => {
    const run = await cli('check', mixed, '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.problems).toEqual([{ file: 'bad.txt', reason: 'binary file: contains NUL bytes' }]);
    expect(report.stories).toEqual([
      {
        id: 'good-one',
        title: 'Good One',
        file: 'good.txt',
        format: 'text',
        rating: 'T',
        ratingLevel: 'teen',
        warningCategories: ['gore'],
        scenes: 1,
        words: 5,
        quotes: expect.any(Number),
        eligibleQuotes: expect.any(Number),
      },
    ]);
  });

  test('problems get their own line in the text listing', async () => {
    const run = await cli('check', mixed);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('PROBLEM bad.txt: binary file: contains NUL bytes\n');
  });

  test('a missing folder is a usage error (exit 2)', async () => {
    const run = await cli('check', join(mixed, 'nope'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`No such folder: ${join(mixed, 'nope')}`);
  });
});

describe('cli parse', () => {
  test('--json prints the whole story', async () => {
    const run = await cli('parse', 'data/war-verse-first-person.txt', '--json');
    expect(run.status).toBe(0);
    const story = JSON.parse(run.stdout);
    expect(story).toMatchObject({
      id: 'war-verse-first-person',
      title: 'War Verse First Person',
      author: null,
      format: 'text',
      rating: 'R',
      ratingLevel: 'mature',
      warnings: ['Allusions to non-con and gore'],
      warningCategories: ['non-con', 'gore'],
      summary: expect.stringMatching(/^Post "Hush"; Spike and Xander/),
      notes: expect.stringMatching(/^This is just a snippet/),
      pov: 'first',
      words: expect.any(Number),
    });
    expect(story.scenes).toHaveLength(1);
    expect(story.scenes[0]).toMatchObject({ index: 0, words: story.words });
    expect(story.scenes[0].text).toMatch(/^The wooden table is clear[\s\S]*But this time, he's not alone\.$/);
  });

  test('a file that cannot be parsed names the file and reason, exit 1', async () => {
    const run = await cli('parse', join(mixed, 'bad.txt'), '--json');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${join(mixed, 'bad.txt')}: binary file: contains NUL bytes\n`);
  });

  test.each([
    [['parse', 'no-such-file.txt'], 'No such file: no-such-file.txt'],
    [['parse'], 'parse takes exactly one story file'],
    [['frobnicate'], 'Unknown command: frobnicate'],
    [[], 'No command given.'],
    [['check', '--verbose'], 'Unknown option: --verbose'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: npm run cli -- <command>');
  });
});

describe('cli quotes', () => {
  test('--json prints the dialogue: narrator, cast and quotes', async () => {
    const run = await cli('quotes', 'data/another-time-another-place.txt', '--json');
    expect(run.status).toBe(0);
    const dialogue = JSON.parse(run.stdout);
    expect(Object.keys(dialogue)).toEqual(['narrator', 'characters', 'quotes']);
    for (const member of dialogue.characters) {
      expect(Object.keys(member)).toEqual(['name', 'aliases', 'gender', 'lines']);
    }
    expect(dialogue.quotes.length).toBeGreaterThan(0);
    for (const quote of dialogue.quotes) {
      expect(Object.keys(quote)).toEqual([
        'start',
        'end',
        'text',
        'speaker',
        'type',
        'confidence',
        'eligible',
      ]);
    }
  });
});
