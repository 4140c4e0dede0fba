import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseStory } from '../../src/library/index.ts';
import { FIXTURES, firstProse, lastProse, proseParagraphs } from './helpers.ts';

const fixture = (name: string) => parseStory(readFileSync(`${FIXTURES}${name}`), name);

describe('LiveJournal-style post with a full header block', () => {
  const story = fixture('livejournal-header.txt');

  test('every header line lands in its field', () => {
    expect(story).toMatchObject({
      format: 'text',
      id: 'nine-lives',
      title: 'Nine Lives',
      author: '[info]moonlitmuse',
      fandoms: ['Buffy the Vampire Slayer'],
      pairings: ['Spike/Buffy'],
      characters: ['Spike', 'Buffy Summers', 'Dawn Summers'],
      rating: 'NC-17',
      ratingLevel: 'explicit',
      warnings: ['Major character death (temporary)', 'violence', 'self-harm'],
      warningCategories: ['major-character-death', 'violence', 'self-harm'],
      pov: 'third',
      summary:
        'Every time Spike dies, he wakes up a little earlier in the same long Tuesday. Buffy is not amused.',
      notes: 'For the Halloween ficathon. Prompt: "again, again."',
      extra: { 'word count': '1,050', spoilers: 'Through "Fool for Love".' },
    });
  });

  test('scenes split at * * *; the opening ~*~*~*~ and the closing "~ Fin ~" are not prose', () => {
    expect(story.scenes).toHaveLength(3);
    expect(firstProse(story)).toBe('The first time, the stake came out of nowhere.');
    expect(lastProse(story)).toBe('He let her smile that time. He figured he had earned it.');
    expect(story.credits).toEqual(['Disclaimer: Joss owns them; I just borrow them.', '~ Fin ~']);
  });
});

describe('plain text whose first line is the title', () => {
  const story = fixture('title-first-line.txt');

  test('title, author from the "by" line, o0o scene break, "The End" credit', () => {
    expect([story.title, story.author]).toEqual(['Where the River Bends', 'Hollis Grey']);
    expect(story.scenes).toHaveLength(2);
    expect(firstProse(story)).toMatch(/^The boat was older than both of them/);
    expect(lastProse(story)).toBe('"It was always the plan."');
    expect(story.credits).toEqual(['The End']);
    expect(proseParagraphs(story)).not.toContain('o0o');
  });
});

describe('Markdown with YAML front matter', () => {
  const story = fixture('markdown-front-matter.md');

  test('front matter, chapters from # headings, *** scene break', () => {
    expect(story).toMatchObject({
      format: 'markdown',
      title: 'Lanterns',
      author: 'Ravenna Holt',
      rating: 'T',
      ratingLevel: 'teen',
      fandoms: ['Avatar - The Last Airbender'],
      pairings: ['Zuko/Katara'],
      characters: ['Zuko', 'Katara'],
      pov: 'third',
      summary: 'A year after the war, Zuko and Katara light lanterns for the people they lost.',
    });
    expect(story.chapters).toEqual([
      { index: 0, title: 'The River' },
      { index: 1, title: 'The Names' },
    ]);
    expect(story.scenes.map((scene) => scene.chapter)).toEqual([0, 0, 1]);
    expect(lastProse(story)).toBe('He didn\'t answer for a long time. "Everyone\'s," he said finally.');
  });
});
