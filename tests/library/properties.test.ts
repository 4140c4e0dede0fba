import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Story, StoryFileError } from '../../src/library/index.ts';
import { proseParagraphs, storyFrom } from './helpers.ts';

function expectWellFormed(story: Story): void {
  let previousEnd = -1;
  let words = 0;
  story.scenes.forEach((scene, index) => {
    expect(scene.index).toBe(index);
    expect(scene.paragraphs.length).toBeGreaterThan(0);
    expect(scene.start).toBe(scene.paragraphs[0]!.start);
    expect(scene.end).toBe(scene.paragraphs.at(-1)!.end);
    expect(story.chapters[scene.chapter]?.title).toBe(scene.chapterTitle);
    for (const paragraph of scene.paragraphs) {
      expect(paragraph.start).toBeGreaterThan(previousEnd);
      expect(paragraph.end).toBeGreaterThan(paragraph.start);
      expect(paragraph.end).toBeLessThanOrEqual(story.text.length);
      const text = story.text.slice(paragraph.start, paragraph.end);
      expect(text.trim()).toBe(text);
      previousEnd = paragraph.end;
    }
    words += scene.words;
  });
  expect(story.words).toBe(words);
}

const word = fc.stringMatching(/^[A-Za-z]{1,10}$/);
const sentence = fc
  .array(word, { minLength: 3, maxLength: 14 })
  .map((words) => `${words.join(' ').replace(/^\w/, (c) => c.toUpperCase())}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((sentences) => sentences.join(' '));
const divider = fc.constantFrom('* * *', '***', '~~~', 'o0o', '###', '-x-', '<hr>');

describe('parseStory on any input', () => {
  test('either parses into well-formed scenes or refuses with a StoryFileError', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.constantFrom('a.txt', 'a.md', 'a.html'),
        (text, file) => {
          try {
            expectWellFormed(storyFrom(text, file));
          } catch (error) {
            expect(error).toBeInstanceOf(StoryFileError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('stories made of paragraphs and dividers', () => {
  test('every paragraph written is a paragraph read, and every divider a scene break', () => {
    const sceneArbitrary = fc.array(paragraph, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(sceneArbitrary, { minLength: 1, maxLength: 5 }), divider, (scenes, mark) => {
        const text = `Title: Generated\n\n${scenes.map((s) => s.join('\n\n')).join(`\n\n${mark}\n\n`)}\n`;
        const story = storyFrom(text);
        expectWellFormed(story);
        expect(proseParagraphs(story)).toEqual(scenes.flat());
        expect(story.scenes.map((scene) => scene.paragraphs.length)).toEqual(scenes.map((s) => s.length));
      }),
      { numRuns: 200 },
    );
  });

  test('one line per paragraph without blank lines reads the same paragraphs', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 2, maxLength: 12 }), (paragraphs) => {
        const story = storyFrom(`Title: Generated\n\n${paragraphs.join('\n')}\n`);
        expect(proseParagraphs(story)).toEqual(paragraphs);
      }),
      { numRuns: 200 },
    );
  });
});
