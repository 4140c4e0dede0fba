import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseStory, sceneText } from '../../src/library/index.ts';
import { firstProse, lastProse, proseParagraphs } from './helpers.ts';

const DATA = new URL('../../data/', import.meta.url).pathname;
const seed = (name: string) => parseStory(readFileSync(`${DATA}${name}`), name);

describe('seed: war-verse-first-person.txt (header block, banner credits, first person)', () => {
  const story = seed('war-verse-first-person.txt');

  test('title falls back to the file name (the file states none)', () => {
    expect(story.title).toBe('War Verse First Person');
    expect(story.id).toBe('war-verse-first-person');
  });

  test('Rating/Warnings gives rating R, the warnings and first-person POV', () => {
    expect(story.rating).toBe('R');
    expect(story.ratingLevel).toBe('mature');
    expect(story.warnings).toEqual(['Allusions to non-con and gore']);
    expect(story.warningCategories).toEqual(['non-con', 'gore']);
    expect(story.pov).toBe('first');
  });

  test('summary and notes', () => {
    expect(story.summary).toBe(
      'Post "Hush"; Spike and Xander get sucked into another world where vamps must fight each other to survive and humans are their caretakers. After years of having no one but each other for comfort, one impossible battle starts them down a road they never expected.',
    );
    expect(story.notes).toBe(
      "This is just a snippet in time, out of a much larger War!Verse, that's only in my head. *bg*",
    );
  });

  test('betas, disclaimer, banner credits and "The End" are credits, not prose', () => {
    expect(story.credits).toEqual([
      'Betas: Much thanks to [info]spikesgurl, [info]beanbeans, [info]elizabeth_cs, and [info]sexymermaid.',
      'Disclaimer: Not mine, wish they were.',
      'Click for full size image',
      'Banner by the very talented [info]kazzy_cee',
      'The End',
    ]);
    const prose = proseParagraphs(story).join('\n');
    expect(prose).not.toMatch(/Click for full size|Banner by|Disclaimer|Betas:|The End/);
  });

  test('prose starts at the wooden table and ends with "not alone"', () => {
    expect(firstProse(story)).toMatch(
      /^The wooden table is clear, the small bed made, the broken shutters closed\./,
    );
    expect(lastProse(story)).toBe("But this time, he's not alone.");
  });

  test('one scene; lines without a blank line between them are still separate paragraphs', () => {
    expect(story.scenes).toHaveLength(1);
    expect(proseParagraphs(story)).toContain(
      "We'd both be dead if Spike weren't the best fighter here. Problem was, that's what made tonight my worst nightmare.",
    );
    expect(proseParagraphs(story)).toContain('Hoping for a rescue only got you killed.');
    expect(story.words).toBeGreaterThan(1900);
  });
});

describe('seed: another-time-another-place.txt (title line, X scene breaks)', () => {
  const story = seed('another-time-another-place.txt');

  test('the first line is the title', () => {
    expect(story.title).toBe('Another Time, Another Place');
    expect(story.id).toBe('another-time-another-place');
  });

  test('no rating, warnings or summary are stated', () => {
    expect(story.rating).toBeNull();
    expect(story.ratingLevel).toBe('unrated');
    expect(story.warnings).toEqual([]);
    expect(story.warningCategories).toEqual([]);
    expect(story.summary).toBeNull();
    expect(story.pov).toBe('third');
  });

  test('each lone X starts a new scene: 15 breaks, 16 scenes', () => {
    expect(story.scenes).toHaveLength(16);
    expect(proseParagraphs(story)).not.toContain('X');
  });

  test('prose starts with the battle in the rain and ends with "nothing but time"', () => {
    expect(firstProse(story)).toMatch(
      /^Metal clanged against metal as torrents of rain washed over the warriors\./,
    );
    expect(lastProse(story)).toMatch(/He had nothing but time\.$/);
    expect(story.credits).toEqual(['The End']);
    expect(sceneText(story, story.scenes[15]!)).toMatch(/^Spike lay back in the ocean of green/);
  });
});
