/** Typed story fixtures built from plain scene text, with offsets that really point into `text`. */
import type {
  Dialogue,
  Library,
  Paragraph,
  RatingLevel,
  Scene,
  Story,
  WarningCategory,
} from '../../src/library/types.ts';

export interface StoryFixture {
  readonly id: string;
  readonly title?: string;
  readonly author?: string | null;
  readonly ratingLevel?: RatingLevel;
  readonly rating?: string | null;
  readonly warnings?: readonly string[];
  readonly warningCategories?: readonly WarningCategory[];
  readonly summary?: string | null;
  /** Each scene is a list of paragraphs. */
  readonly scenes?: readonly (readonly string[])[];
  readonly dialogue?: Dialogue;
}

const countWords = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;

export function makeStory(fixture: StoryFixture): Story {
  const sceneTexts = fixture.scenes ?? [['A quiet opening paragraph about the sea and the long road home.']];
  let text = '';
  const scenes: Scene[] = [];
  sceneTexts.forEach((paragraphTexts, index) => {
    if (index > 0) text += '\n\n* * *\n\n';
    const start = text.length;
    const paragraphs: Paragraph[] = [];
    paragraphTexts.forEach((paragraph, at) => {
      if (at > 0) text += '\n\n';
      paragraphs.push({ start: text.length, end: text.length + paragraph.length });
      text += paragraph;
    });
    scenes.push({
      index,
      chapter: 0,
      chapterTitle: null,
      paragraphs,
      start,
      end: text.length,
      words: countWords(paragraphTexts.join(' ')),
    });
  });
  return {
    id: fixture.id,
    file: `${fixture.id}.txt`,
    format: 'text',
    title: fixture.title ?? fixture.id,
    author: fixture.author ?? null,
    rating: fixture.rating ?? null,
    ratingLevel: fixture.ratingLevel ?? 'general',
    warnings: fixture.warnings ?? [],
    warningCategories: fixture.warningCategories ?? [],
    summary: fixture.summary ?? null,
    notes: null,
    pov: null,
    fandoms: [],
    pairings: [],
    characters: [],
    tags: [],
    credits: [],
    extra: {},
    chapters: [{ index: 0, title: null }],
    text,
    scenes,
    words: countWords(text),
    dialogue: fixture.dialogue ?? { narrator: null, characters: [], quotes: [] },
  };
}

export function makeLibrary(stories: readonly Story[]): Library {
  return { dir: '/fixtures', stories, problems: [] };
}
