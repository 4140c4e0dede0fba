/**
 * A data folder full of hostile files, generated in a temp folder at test time (nothing big is
 * committed), loaded with loadLibrary in a child process that is killed if it runs too long.
 * Every good story loads next to the bad files; every bad file is one problem naming it with a
 * clear reason; nothing hangs. The folder is loaded twice: as the test runner (root here) and
 * without the right to bypass file permissions, for which a chmod-000 file is really unreadable.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadStoryFile, StoryFileError } from '../../src/library/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHILD = join(ROOT, 'tests/reliability/support/load-library-child.ts');
/** The whole folder (about 60 MB on disk, ~15 MB of it parsed) must load within this. */
const LOAD_BUDGET_MS = 60_000;
/**
 * Tests usually run as root, who reads a chmod-000 file anyway. The unprivileged run then starts
 * the child through `setpriv` without the capabilities that let root bypass file permissions
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): it still reads the checkout wherever it lies (a
 * private temp folder that an unprivileged user could not enter), but a chmod-000 file is unreadable to it.
 * Run as anyone else, the child simply runs as that user.
 */
const RUNNING_AS_ROOT = process.getuid?.() === 0;
const WITHOUT_FILE_OVERRIDE = [
  '--inh-caps=-dac_override,-dac_read_search',
  '--bounding-set=-dac_override,-dac_read_search',
  '--',
];

interface LoadedStory {
  file: string;
  title: string;
  scenes: number;
  quotes: number;
  prose: string[] | null;
  invalid: string | null;
}
interface LoadResult {
  uid: number;
  ms: number;
  stories: LoadedStory[];
  problems: { file: string; reason: string }[];
}

function loadInChild(dir: string, unprivileged = false): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--import', 'tsx', CHILD, dir];
    const [command, ...args] =
      unprivileged && RUNNING_AS_ROOT ? ['setpriv', ...WITHOUT_FILE_OVERRIDE, ...node] : node;
    const child = spawn(command!, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loadLibrary did not finish within ${LOAD_BUDGET_MS} ms: it hangs on some file`));
    }, LOAD_BUDGET_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`loadLibrary child exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

const paragraph = (n: number) =>
  `Paragraph ${n} begins here. "We should go," Mara said, and Tobin shook his head. "Not yet," he answered.`;

const GOOD: Record<string, string> = {
  'good-one.txt': `Title: Good One\nAuthor: Someone\nRating: G\n\n${[1, 2, 3].map(paragraph).join('\n\n')}\n`,
  'good-two.md': `---\ntitle: Good Two\n---\n# Chapter 1\n\n${[4, 5].map(paragraph).join('\n\n')}\n`,
  // A folder whose name looks like a story file: it is a folder, and the story inside loads.
  'foo.txt/inside.txt': `Title: Inside A Folder Named Like A Story\n\n${paragraph(6)}\n`,
  'deep/a/b/c/d/e/f/g/h/i/j/deep.txt': `Title: Deep Down\n\n${paragraph(7)}\n`,
  'name with spaces & ünïcödé (1).txt': `Title: Odd Name\n\n${paragraph(8)}\n`,
};

/** Bad files and the reason each must be reported with (a regexp on the reason). */
const EXPECTED_PROBLEMS: Record<string, RegExp> = {
  'binary.txt': /^binary file: looks like a PNG image$/,
  'random-bytes.txt': /^binary file: /,
  'pdf-named-txt.txt': /^binary file: looks like a PDF document$/,
  'empty.txt': /^empty file$/,
  'only-newlines.txt': /^empty file \(only whitespace\)$/,
  'fifty-megabytes-one-line.txt': /^file is 50 MiB, over the 20 MiB limit$/,
  'header-no-story.txt': /^no story text found/,
  'front-matter-no-story.md': /^no story text found/,
  'fifo.txt': /^cannot read: not a regular file$/,
  'dangling-link.txt': /^cannot read: file not found \(a broken link\?\)$/,
  'loop-a.txt': /^cannot read: symbolic link loop$/,
  'loop-b.txt': /^cannot read: symbolic link loop$/,
  'self-loop.txt': /^cannot read: symbolic link loop$/,
  'cover.jpg': /^unknown format: "\.jpg"/,
  'sidecar-junk.txt': /sidecar sidecar-junk\.txt\.meta\.yaml/,
};

/** Readable by root, not by anyone else. */
const UNREADABLE = { file: 'unreadable.txt', folder: 'unreadable-folder' };

describe('a data folder of hostile files', () => {
  let dir: string;
  const put = async (name: string, content: string | Uint8Array) => {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ficbot-hostile-'));
    await chmod(dir, 0o755);
    for (const [name, content] of Object.entries(GOOD)) await put(name, content);
    // The seed stories, to prove real ones load among the hostile ones.
    for (const seed of ['another-time-another-place.txt', 'war-verse-first-person.txt']) {
      await put(`seeds/${seed}`, await readFile(join(ROOT, 'data', seed)));
    }

    // Files that can still be read as stories.
    const smart = [
      0x93, 0x57, 0x61, 0x69, 0x74, 0x2c, 0x94, 0x20, 0x73, 0x68, 0x65, 0x20, 0x73, 0x61, 0x69, 0x64, 0x2e,
    ];
    await put(
      'invalid-utf8.txt',
      Buffer.concat([
        Buffer.from('Title: Windows Quotes\n\n'),
        Buffer.from(smart),
        Buffer.from([0xff, 0xfe, 0x0a]),
      ]),
    );
    await put(
      'utf16-no-bom.txt',
      Buffer.from(`Title: Sixteen Bits\n\n${paragraph(9)}\n\n${paragraph(10)}\n`, 'utf16le'),
    );
    await put(
      'mixed-line-ends.txt',
      `Title: Mixed Ends\r\n\r\nFirst paragraph.\r\rSecond paragraph.\n\nThird paragraph.\r\n\nFourth.\n`,
    );
    await put(
      'unclosed-quotes.txt',
      `Title: Unclosed\n\n${Array.from({ length: 300 }, (_, n) => `"Paragraph ${n} opens a quote and never closes it, she said`).join('\n\n')}\n`,
    );
    await put(
      'ten-thousand-scene-breaks.txt',
      `Title: Many Scenes\n\n${Array.from({ length: 10_001 }, (_, n) => `Scene ${n} is short.`).join('\n\n* * *\n\n')}\n`,
    );
    await put(
      'ten-thousand-breaks-in-a-row.txt',
      `Title: Dividers\n\nThe first words.\n\n${'* * *\n\n'.repeat(10_000)}The last words.\n`,
    );
    await put(
      'scripts-and-styles.html',
      `<!DOCTYPE html><html><head><title>Scripted Page</title><style>body { SECRET_STYLE_HEAD }</style>
<script>var secret = "SECRET_SCRIPT_HEAD";</script></head><body>
<p>Title: Scripted Page</p>
<p>The real story starts here. "Hello," said Mara.</p>
<script>document.write("SECRET_SCRIPT_BODY")</script>
<style>p::after { content: "SECRET_STYLE_BODY" }</style>
<p>It goes on <script>alert("SECRET_SCRIPT_INLINE")</script>after the script.</p>
<noscript>SECRET_NOSCRIPT</noscript>
<p>And ends here.</p></body></html>`,
    );
    // A large story just below any trouble: 5 MiB of prose and dialogue in many paragraphs.
    await put(
      'five-megabytes.txt',
      `Title: Five Megabytes\n\n${Array.from({ length: 50_000 }, (_, n) => paragraph(n)).join('\n\n')}\n`,
    );

    // Files that cannot be stories.
    await put(
      'binary.txt',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), randomBytes(2048)]),
    );
    await put('random-bytes.txt', Buffer.concat([Buffer.from([0x01, 0x00, 0x02]), randomBytes(4096)]));
    await put('pdf-named-txt.txt', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n'));
    await put('empty.txt', '');
    await put('only-newlines.txt', '\n'.repeat(100_000));
    await put('fifty-megabytes-one-line.txt', Buffer.alloc(50 * 1024 * 1024, 'a'));
    await put('header-no-story.txt', 'Title: Only A Header\nAuthor: Nobody\nRating: Teen\nWarnings: none\n');
    await put('front-matter-no-story.md', '---\ntitle: Only Front Matter\nrating: T\n---\n');
    execFileSync('mkfifo', [join(dir, 'fifo.txt')]);
    await symlink(join(dir, 'nowhere.txt'), join(dir, 'dangling-link.txt'));
    await symlink(join(dir, 'loop-b.txt'), join(dir, 'loop-a.txt'));
    await symlink(join(dir, 'loop-a.txt'), join(dir, 'loop-b.txt'));
    await symlink(join(dir, 'self-loop.txt'), join(dir, 'self-loop.txt'));
    await symlink(dir, join(dir, 'seeds', 'back-to-the-top'));
    await put('cover.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await put('sidecar-junk.txt', `Title: Sidecar Junk\n\n${paragraph(11)}\n`);
    await put('sidecar-junk.txt.meta.yaml', Buffer.concat([Buffer.from('title: [\n'), randomBytes(64)]));

    await put(UNREADABLE.file, `Title: Secret\n\n${paragraph(12)}\n`);
    await chmod(join(dir, UNREADABLE.file), 0o000);
    await put(`${UNREADABLE.folder}/hidden.txt`, `Title: Hidden\n\n${paragraph(13)}\n`);
    await chmod(join(dir, UNREADABLE.folder), 0o000);
  }, 60_000);

  afterAll(async () => {
    if (!dir) return;
    await chmod(join(dir, UNREADABLE.folder), 0o755).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  function expectEveryBadFileNamed(result: LoadResult): void {
    const reasons = new Map(result.problems.map((problem) => [problem.file, problem.reason]));
    for (const [file, reason] of Object.entries(EXPECTED_PROBLEMS)) {
      expect(reasons.get(file), `problem for ${file}`).toMatch(reason);
    }
    // One problem per file, never a duplicate.
    expect(new Set(result.problems.map((problem) => problem.file)).size).toBe(result.problems.length);
  }

  function expectGoodStoriesLoaded(result: LoadResult): void {
    const files = result.stories.map((story) => story.file);
    for (const file of [
      ...Object.keys(GOOD),
      'seeds/another-time-another-place.txt',
      'seeds/war-verse-first-person.txt',
      'invalid-utf8.txt',
      'utf16-no-bom.txt',
      'mixed-line-ends.txt',
      'unclosed-quotes.txt',
      'ten-thousand-scene-breaks.txt',
      'ten-thousand-breaks-in-a-row.txt',
      'scripts-and-styles.html',
      'five-megabytes.txt',
    ]) {
      expect(files, `${file} should load`).toContain(file);
    }
    // The link back to the top was followed once, never into a loop: each story exactly once.
    expect(new Set(files).size).toBe(files.length);
    for (const story of result.stories) expect(story.invalid, story.file).toBeNull();
  }

  test('as the test runner (root here): every good story loads, every bad file is a problem naming it, within the budget', async () => {
    const result = await loadInChild(dir);
    expect(result.uid).toBe(process.getuid?.());
    expectGoodStoriesLoaded(result);
    expectEveryBadFileNamed(result);
    const story = (file: string) => result.stories.find((candidate) => candidate.file === file)!;

    expect(story('invalid-utf8.txt').prose).toEqual(['\u201cWait,\u201d she said.\u00ff\u00fe']);
    expect(story('utf16-no-bom.txt').title).toBe('Sixteen Bits');
    expect(story('utf16-no-bom.txt').prose).toEqual([paragraph(9), paragraph(10)]);
    expect(story('mixed-line-ends.txt').prose).toEqual([
      'First paragraph.',
      'Second paragraph.',
      'Third paragraph.',
      'Fourth.',
    ]);
    expect(story('unclosed-quotes.txt').prose).toHaveLength(300);
    expect(story('ten-thousand-scene-breaks.txt').scenes).toBe(10_001);
    expect(story('ten-thousand-breaks-in-a-row.txt').prose).toEqual(['The first words.', 'The last words.']);
    const scripted = story('scripts-and-styles.html');
    expect(scripted.title).toBe('Scripted Page');
    expect(scripted.prose!.join('\n')).toContain('The real story starts here.');
    expect(scripted.prose!.join('\n')).toContain('And ends here.');
    expect(scripted.prose!.join('\n')).not.toMatch(/SECRET_/);
    expect(story('five-megabytes.txt').quotes).toBeGreaterThan(10_000);

    // Root reads chmod-000 files anyway (the caveat the unprivileged run below covers).
    if (RUNNING_AS_ROOT) {
      expect(result.stories.map((s) => s.file)).toEqual(
        expect.arrayContaining([UNREADABLE.file, `${UNREADABLE.folder}/hidden.txt`]),
      );
    }
    process.stdout.write(
      `[hostile] as root: ${result.stories.length} stories, ${result.problems.length} problems in ${Math.round(result.ms)} ms\n`,
    );
  }, 120_000);

  test('as an unprivileged user: unreadable files and folders are problems too, and the rest still loads', async () => {
    const result = await loadInChild(dir, true);
    expectGoodStoriesLoaded(result);
    expectEveryBadFileNamed(result);
    const reasons = new Map(result.problems.map((problem) => [problem.file, problem.reason]));
    expect(reasons.get(UNREADABLE.file)).toBe('cannot read: permission denied');
    expect(reasons.get(UNREADABLE.folder)).toBe('cannot read: permission denied');
    expect(result.stories.map((s) => s.file)).not.toContain(UNREADABLE.file);
    process.stdout.write(
      `[hostile] without permission to bypass file modes: ${result.stories.length} stories, ${result.problems.length} problems in ${Math.round(result.ms)} ms\n`,
    );
  }, 120_000);

  test('loadStoryFile refuses a FIFO, a folder and a link loop at once instead of blocking', async () => {
    const refuse = async (name: string) => {
      const started = Date.now();
      const error = await loadStoryFile(join(dir, name), { root: dir }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(Date.now() - started, name).toBeLessThan(2_000);
      expect(error, name).toBeInstanceOf(StoryFileError);
      return (error as StoryFileError).reason;
    };
    const watchdog = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('loadStoryFile blocked on a FIFO')), 10_000).unref(),
    );
    expect(await Promise.race([refuse('fifo.txt'), watchdog])).toBe('cannot read: not a regular file');
    expect(await refuse('foo.txt')).toBe('cannot read: it is a folder');
    expect(await refuse('self-loop.txt')).toBe('cannot read: symbolic link loop');
    expect(await refuse('fifty-megabytes-one-line.txt')).toBe('file is 50 MiB, over the 20 MiB limit');
  }, 30_000);
});
