import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { paragraphTexts, parseStory, sceneText } from '../../src/library/index.ts';
import { FIXTURES, firstProse, lastProse, proseParagraphs, storyFrom } from './helpers.ts';

const fixture = (name: string) => parseStory(readFileSync(`${FIXTURES}${name}`), name);

describe('AO3 download (multi-chapter)', () => {
  const story = fixture('ao3-multi-chapter.html');

  test('is recognised as an AO3 download', () => {
    expect(story.format).toBe('ao3-html');
  });

  test('reads the preface tags', () => {
    expect(story).toMatchObject({
      title: 'The Long Way Round',
      author: 'Example_Author',
      rating: 'Mature',
      ratingLevel: 'mature',
      warnings: ['Graphic Depictions Of Violence', 'Major Character Death'],
      warningCategories: ['graphic-violence', 'major-character-death'],
      fandoms: ['Buffy the Vampire Slayer (TV)'],
      pairings: ['Spike/Xander Harris'],
      characters: ['Spike (Buffyverse)', 'Xander Harris', 'Willow Rosenberg'],
      tags: ['Post-Canon', 'Road Trip', 'Hurt/Comfort'],
    });
    expect(story.extra).toMatchObject({
      category: 'M/M',
      language: 'English',
      series: 'Roads',
      stats: 'Published: 2019-03-02 Completed: 2019-04-10 Words: 642 Chapters: 2/2',
    });
  });

  test('reads summary and notes, decoding entities', () => {
    expect(story.summary).toBe(
      "Sunnydale is a crater, the Slayers are everywhere, and Xander has a car, a map and a vampire who won't stop fiddling with the radio.",
    );
    expect(story.notes).toBe(
      'Written for the 2019 Road Trip Challenge. Thanks to my beta for the patience.\n\nTitle from an old song.',
    );
    expect(story.extra['end notes']).toBe('Thank you for reading! Part three is in progress.');
  });

  test('chapters carry their titles; chapter notes are metadata, not prose', () => {
    expect(story.chapters).toEqual([
      { index: 0, title: 'Sunnydale Crater' },
      { index: 1, title: 'Las Vegas' },
    ]);
    expect(story.extra['chapter notes']).toContain('Set a week after Chosen.');
    expect(proseParagraphs(story).join('\n')).not.toMatch(
      /Chapter Notes|Set a week after|More soon|Chapter 1/,
    );
  });

  test('scenes split at the centred * * *, at <hr> and at chapter boundaries', () => {
    expect(story.scenes.map((scene) => [scene.chapter, scene.chapterTitle, scene.paragraphs.length])).toEqual(
      [
        [0, 'Sunnydale Crater', 4],
        [0, 'Sunnydale Crater', 2],
        [1, 'Las Vegas', 1],
        [1, 'Las Vegas', 2],
      ],
    );
  });

  test('prose starts and ends where the story does; "The End" is a credit', () => {
    expect(firstProse(story)).toMatch(/^The crater was still smoking .* running & his hands/);
    expect(lastProse(story)).toBe('He dreamed of nothing at all.');
    expect(story.credits).toEqual(['The End']);
    expect(sceneText(story, story.scenes[0]!)).toContain(
      '“You planning to stare at it all day?” Spike asked',
    );
  });

  test('every paragraph offset points into the extracted text', () => {
    for (const scene of story.scenes) {
      const written = scene.paragraphs.map((paragraph) => story.text.slice(paragraph.start, paragraph.end));
      expect(written).toEqual(paragraphTexts(story, scene));
      expect([scene.start, scene.end]).toEqual([scene.paragraphs[0]!.start, scene.paragraphs.at(-1)!.end]);
    }
  });

  test('AO3 boilerplate (posted-on message, feedback request) is not prose', () => {
    expect(story.text).not.toMatch(/Posted originally|drop by the archive/);
  });
});

describe('AO3 download (one-shot with a banner)', () => {
  const story = fixture('ao3-one-shot.html');

  test('reads the preface', () => {
    expect(story).toMatchObject({
      format: 'ao3-html',
      title: 'Small Hours',
      author: 'quietwriter',
      rating: 'Teen And Up Audiences',
      ratingLevel: 'teen',
      warnings: ['No Archive Warnings Apply'],
      warningCategories: ['no-warnings-apply'],
      summary: 'Three in the morning, and nobody in the house is asleep.',
      notes: null,
    });
  });

  test('banner credits are kept as credits, never served as prose', () => {
    expect(story.credits).toEqual(['Click for full size image', 'Banner by the lovely artemis_art']);
    expect(firstProse(story)).toBe(
      'Willow gave up on sleep at ten past three and went downstairs in her socks.',
    );
    expect(lastProse(story)).toBe('"Me too," Tara said, and pushed the second mug across.');
    expect(story.scenes).toHaveLength(1);
  });
});

describe('other HTML pages', () => {
  const story = fixture('saved-web-page.html');

  test('a saved web page is read like a text file with a header', () => {
    expect(story).toMatchObject({
      format: 'html',
      title: 'Porch Light',
      author: 'moonlitmuse',
      rating: 'PG-13',
      ratingLevel: 'teen',
      warnings: ['Mild language'],
      summary: 'Joyce leaves the porch light on, just in case.',
    });
  });

  test('scripts are dropped, entities decoded, trailing page furniture set aside', () => {
    expect(story.text).not.toContain('var Site');
    expect(proseParagraphs(story)).toEqual([
      'Joyce Summers left the porch light on every night that summer.',
      '“Mom, she’s not coming back tonight,” Dawn said from the stairs.',
      '“I know,” Joyce said. She left it on anyway.',
    ]);
    expect(story.credits).toEqual(['The End', '3 comments | Leave a comment']);
  });

  test('without a stated title, the page <title> is used', () => {
    const page = storyFrom(
      '<html><head><title>Quiet Night</title></head><body><p>It was late.</p><p>Nobody came.</p></body></html>',
      'page.htm',
    );
    expect(page.title).toBe('Quiet Night');
    expect(proseParagraphs(page)).toEqual(['It was late.', 'Nobody came.']);
  });

  test('<br> line breaks inside a paragraph separate paragraphs', () => {
    const page = storyFrom('<html><body><p>One.<br>Two.<br><br>Three.</p></body></html>', 'page.html');
    expect(proseParagraphs(page)).toEqual(['One.', 'Two.', 'Three.']);
  });

  test('an .html file without AO3 structure is plain HTML', () => {
    expect(storyFrom('<p>Just a paragraph of story text.</p>', 'bare.html').format).toBe('html');
  });
});
