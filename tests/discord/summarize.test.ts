import { describe, expect, test } from 'vitest';
import { writeSummary } from '../../src/discord/summarize.ts';
import { makeStory } from './fixtures.ts';

describe('writeSummary', () => {
  const story = makeStory({
    id: 'harbour',
    scenes: [
      [
        'Mara walked the harbour wall every evening, counting the boats that came home from the sea.',
        '"Hello," she said. "Are you here for the boats too?"',
      ],
      ['The storm reached the harbour at midnight and Mara watched the boats pull at their ropes.'],
      ['By morning the harbour was quiet again, and Mara counted every boat safely home.'],
      ['A fourth scene nobody reads for the summary, about something else entirely different.'],
    ],
  });

  test('picks whole narrative sentences from the opening scenes, spread across them, in story order', () => {
    const summary = writeSummary(story)!;
    const sentences = summary.split(/(?<=\.)\s/);
    expect(sentences).toEqual([
      'Mara walked the harbour wall every evening, counting the boats that came home from the sea.',
      'The storm reached the harbour at midnight and Mara watched the boats pull at their ropes.',
      'By morning the harbour was quiet again, and Mara counted every boat safely home.',
    ]);
  });

  test('skips dialogue and gives up on stories without usable prose', () => {
    expect(
      writeSummary(makeStory({ id: 'talk', scenes: [['"Yes."', '"No, never, not in a hundred years."']] })),
    ).toBeNull();
  });

  test('respects the length bound', () => {
    expect(writeSummary(story, { maxLength: 100 })!.length).toBeLessThanOrEqual(100);
  });
});
