import { type ParseOptions, parseStory, type Story } from '../../src/library/index.ts';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Parses `text` as the story file `file` (its extension picks the format). */
export function storyFrom(text: string, file = 'story.txt', options?: ParseOptions): Story {
  return parseStory(encode(text), file, options);
}

/** Every prose paragraph of the story, in order, as written. */
export function proseParagraphs(story: Story): string[] {
  return story.scenes.flatMap((scene) => scene.paragraphs.map((p) => story.text.slice(p.start, p.end)));
}

export function firstProse(story: Story): string {
  return proseParagraphs(story)[0] ?? '';
}

export function lastProse(story: Story): string {
  return proseParagraphs(story).at(-1) ?? '';
}

export const FIXTURES = new URL('../fixtures/stories/', import.meta.url).pathname;
