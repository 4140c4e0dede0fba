import { afterEach, describe, expect, test } from 'vitest';
import { ZWJ } from '../../src/discord/escape.ts';
import { makeLibrary, makeStory } from '../discord/fixtures.ts';
import { member } from '../game/fixtures.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { fixtureLibrary } from './library.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

describe('/summary', () => {
  test("the author's summary with the story's facts", async () => {
    harness = await startShell();
    await harness.send(':channel lounge nsfw');
    const out = await harness.send('/summary story:war-verse-first-person');
    expect(out).toContain('Spike and Xander get sucked into another world');
    expect(out).toContain('**CW: non con, gore**');
    expect(out).toMatch(/Rating: 🟠 Mature \(R\)/);
    expect(out).toMatch(/Words: [\d,]+/);
    expect(out).toMatch(/Scenes: \d+/);
    expect(out).toContain('Point of view: First person');
    expect(out).toMatch(/Main characters: .+/);
    expect(out).not.toContain('Summary written by ficbot');
  });

  test('a summary ficbot writes when the author wrote none, marked as such', async () => {
    harness = await startShell();
    await harness.send(':channel lounge nsfw');
    const out = await harness.send('/summary story:another-time-another-place');
    expect(out).toContain('Summary written by ficbot');
    // Extractive: the sentences come from the story's opening scenes.
    const summaryLine = out.split('\n').find((line) => line.startsWith('  | ') && line.length > 60)!;
    const firstSentence = summaryLine.slice(4).split(/(?<=[.!?])\s/)[0]!;
    const { loadSeedLibrary } = await import('../shell/harness.ts');
    const story = (await loadSeedLibrary()).stories.find(
      (candidate) => candidate.id === 'another-time-another-place',
    )!;
    expect(story.text.replace(/\s+/g, ' ')).toContain(firstSentence);
  });

  test('main characters by lines spoken, one name for whoever may be one person under two', async () => {
    const story = makeStory({
      id: 'twist',
      ratingLevel: 'general',
      dialogue: {
        narrator: null,
        characters: [
          member('Oliver', 'male', 280),
          member('Sikes', 'male', 220),
          member('Mr. Sikes', 'male', 27),
          member('Nancy', 'female', 175),
          member('Mr. Bumble', 'male', 210),
          member('Mrs. Bumble', 'female', 44),
          member('Mr. Brownlow', 'male', 170),
          member('Monks', 'male', 108),
        ],
        quotes: [],
      },
    });
    harness = await startShell({ library: makeLibrary([story]) });
    const out = await harness.send('/summary story:twist');
    expect(out).toContain('Main characters: Oliver, Sikes, Mr. Bumble, Nancy, Mr. Brownlow');
  });

  test('gating and a bad story option', async () => {
    harness = await startShell({ library: fixtureLibrary });
    expect(await harness.send('/summary story:red-lantern')).toContain('rated Explicit');
    const missing = await harness.send('/summary story:nothing-like-this');
    expect(missing).toContain('(only you can see this)');
    expect(missing).toContain('no story called "nothing-like-this"');
  });

  test('summary text cannot ping or break spoilers', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const out = await harness.send('/summary story:ping-storm');
    expect(out).toContain(`@${ZWJ}here`);
    expect(out).toContain(`<${ZWJ}@&987654321098765432>`);
    expect(out).toContain('read ||this|| now');
  });
});
