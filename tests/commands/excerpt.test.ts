import { afterEach, describe, expect, test } from 'vitest';
import { ZWJ } from '../../src/discord/escape.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { fixtureLibrary } from './library.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

describe('/excerpt', () => {
  test('the seed story: a scene in an embed with page and scene buttons', async () => {
    harness = await startShell();
    await harness.send(':channel lounge nsfw');
    const out = await harness.send('/excerpt story:another-time-another-place scene:1');
    expect(out).toContain('== Another Time, Another Place ==');
    expect(out).toContain('Metal clanged against metal');
    expect(out).toMatch(/Scene 1 of \d+ · page 1 of \d+/);
    expect(out).toContain('[1] ◀ Previous page (disabled)');
    expect(out).toContain('[3] Next scene ⏭');
    expect(out).not.toContain('only you can see this');
  });

  test('buttons page through the scene and on to the next one', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const first = await harness.send('/excerpt story:gentle-tide scene:1');
    expect(first).toMatch(/page 1 of (\d+)/);
    const pages = Number(/page 1 of (\d+)/.exec(first)![1]);
    expect(pages).toBeGreaterThan(1);
    const second = await harness.send(':press 2');
    expect(second).toContain('(edited)');
    expect(second).toContain(`page 2 of ${pages}`);
    const back = await harness.send(':press 1');
    expect(back).toContain(`page 1 of ${pages}`);
    const nextScene = await harness.send(':press 3');
    expect(nextScene).toContain('Scene 2 of 3');
    expect(nextScene).toContain('The second scene is short and kind.');
  });

  test('page option and a random scene when none is given', async () => {
    harness = await startShell({ library: fixtureLibrary });
    expect(await harness.send('/excerpt story:gentle-tide scene:1 page:2')).toContain('page 2 of');
    const random = await harness.send('/excerpt story:"Gentle Tide"');
    expect(random).toMatch(/Scene [1-3] of 3/);
  });

  test.each([
    ['/excerpt story:gentle-tide scene:9', /`scene`: "Gentle Tide" has 3 scenes; pick 1 to 3/],
    ['/excerpt story:gentle-tide scene:2 page:5', /`page`: scene 2 of "Gentle Tide" has 1 page; pick 1 to 1/],
    ['/excerpt story:no-such-story', /no story called "no-such-story"/],
  ])('bad option %s gets a clear private answer', async (line, message) => {
    harness = await startShell({ library: fixtureLibrary });
    const out = await harness.send(line);
    expect(out).toContain('(only you can see this)');
    expect(out).toMatch(message);
  });

  test('the shell refuses what Discord would (not a number, below the minimum)', async () => {
    harness = await startShell({ library: fixtureLibrary });
    expect(await harness.send('/excerpt story:gentle-tide scene:two')).toContain(
      '`scene` must be a whole number',
    );
    expect(await harness.send('/excerpt story:gentle-tide scene:0')).toContain('`scene` must be at least 1');
    expect(await harness.send('/excerpt')).toContain('`story` is required');
  });

  test('gating: mature stories only in age-restricted channels by default', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const refused = await harness.send('/excerpt story:dark-water');
    expect(refused).toContain('(only you can see this)');
    expect(refused).toContain('rated Mature');
    expect(refused).not.toContain('Blood in the water');
    await harness.send(':channel after-dark nsfw');
    const served = await harness.send('/excerpt story:dark-water');
    expect(served).toContain('Blood in the water');
  });

  test('warnings come first, as a labelled spoiler by default and plainly when configured', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.send(':channel after-dark nsfw');
    const spoiler = await harness.send('/excerpt story:dark-water');
    expect(spoiler).toMatch(/\*\*CW: gore\*\*\n {2}\| \[spoiler: Blood in the water/);
    await harness.script([':mod on', '/config warnings display:plain']);
    const plain = await harness.send('/excerpt story:dark-water');
    expect(plain).toMatch(/\*\*CW: gore\*\*\n {2}\| \n {2}\| Blood in the water/);
    expect(plain).not.toContain('[spoiler:');
  });

  test('gating: a hidden category and a switched-off story are never served', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.script([':mod on', '/config hide category:major-character-death hidden:true']);
    const hidden = await harness.send('/excerpt story:last-light');
    expect(hidden).toContain('carries a warning this server hides (major-character-death)');
    expect(hidden).not.toContain('lighthouse keeper');
    await harness.send('/config story story:gentle-tide enabled:false');
    const disabled = await harness.send('/excerpt story:gentle-tide');
    expect(disabled).toContain('switched off');
    expect(await harness.send(':complete /excerpt story:')).not.toMatch(/gentle-tide|last-light/);
  });

  test('a button pressed after the story was hidden is refused', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.send('/excerpt story:gentle-tide scene:1');
    await harness.script([':mod on', '/config story story:gentle-tide enabled:false']);
    const out = await harness.send(':press 2');
    expect(out).toContain('switched off');
  });

  test('story text cannot ping anyone or break the formatting', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const out = await harness.send('/excerpt story:ping-storm scene:1');
    expect(out).toContain(`@${ZWJ}everyone`);
    expect(out).not.toMatch(/@everyone/);
    expect(out).toContain(`<${ZWJ}@123456789012345678>`);
    expect(out).not.toMatch(/<@!?\d/);
    // The story's own "||" is shown literally, never as a spoiler.
    expect(out).toContain('||no spoilers||');
    expect(out).not.toContain('[spoiler:');
  });

  test('autocomplete: fuzzy on title and id, only what this channel may serve', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const ordinary = await harness.send(':complete /excerpt story:');
    expect(ordinary).toContain('story:gentle-tide');
    expect(ordinary).not.toContain('story:dark-water');
    expect(ordinary).not.toContain('story:red-lantern');
    expect(await harness.send(':complete /excerpt story:gntl')).toContain(
      'Gentle Tide (General) → story:gentle-tide',
    );
    await harness.send(':channel after-dark nsfw');
    expect(await harness.send(':complete /excerpt story:red')).toContain('story:red-lantern');
  });

  test('in DMs: the default gating of an ordinary channel', async () => {
    harness = await startShell({ library: fixtureLibrary });
    await harness.send(':dm');
    expect(await harness.send('/excerpt story:gentle-tide scene:2')).toContain(
      'The second scene is short and kind.',
    );
    expect(await harness.send('/excerpt story:red-lantern')).toContain('rated Explicit');
  });
});
