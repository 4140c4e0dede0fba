import { afterEach, describe, expect, test } from 'vitest';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { fixtureLibrary } from './library.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

describe('/warnings', () => {
  test('rating, warnings as written and as categories, and what happens here', async () => {
    harness = await startShell();
    await harness.send(':channel lounge nsfw');
    const out = await harness.send('/warnings story:war-verse-first-person');
    expect(out).toContain('Rating: 🟠 Mature · as written: R');
    expect(out).toContain('Warnings as written: • Allusions to non-con and gore');
    expect(out).toMatch(/Categories: • non con\n.*• gore/);
    expect(out).toContain('Here: Served in this channel (it allows up to Explicit)');
    expect(out).toContain('as labelled spoilers');
  });

  test('a story this channel may not serve: the reason, privately', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const out = await harness.send('/warnings story:dark-water');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain('Here: That story is rated Mature, and this channel allows at most Teen');
  });

  test('a story hidden by category is not described at all', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.script([':mod on', '/config hide category:gore hidden:true', ':channel after-dark nsfw']);
    const out = await harness.send('/warnings story:dark-water');
    expect(out).toContain('carries a warning this server hides (gore)');
    expect(out).not.toContain('Graphic depictions');
  });

  test('plain display is reported', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.script([':mod on', '/config warnings display:plain']);
    expect(await harness.send('/warnings story:last-light')).toContain('plainly above the text');
  });

  test('a bad story option', async () => {
    harness = await startShell({ library: fixtureLibrary });
    expect(await harness.send('/warnings story:xyzzy-nothing')).toContain('no story called "xyzzy-nothing"');
  });
});
