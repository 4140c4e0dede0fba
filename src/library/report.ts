/** Plain-data views of stories for machines (the CLI's --json output). */
import { sceneText } from './query.ts';
import type { Dialogue, Library, Story } from './types.ts';

export interface StorySummary {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly format: Story['format'];
  readonly rating: string | null;
  readonly ratingLevel: Story['ratingLevel'];
  readonly warningCategories: Story['warningCategories'];
  readonly scenes: number;
  readonly words: number;
  readonly quotes: number;
  readonly eligibleQuotes: number;
}

export function storySummary(story: Story): StorySummary {
  return {
    id: story.id,
    title: story.title,
    file: story.file,
    format: story.format,
    rating: story.rating,
    ratingLevel: story.ratingLevel,
    warningCategories: story.warningCategories,
    scenes: story.scenes.length,
    words: story.words,
    quotes: story.dialogue.quotes.length,
    eligibleQuotes: story.dialogue.quotes.filter((quote) => quote.eligible).length,
  };
}

export function libraryReport(library: Library): { stories: StorySummary[]; problems: Library['problems'] } {
  return { stories: library.stories.map(storySummary), problems: library.problems };
}

/** The whole story: metadata and every scene's text (no offsets, no dialogue). */
export function storyDetails(story: Story) {
  return {
    id: story.id,
    title: story.title,
    author: story.author,
    file: story.file,
    format: story.format,
    rating: story.rating,
    ratingLevel: story.ratingLevel,
    warnings: story.warnings,
    warningCategories: story.warningCategories,
    summary: story.summary,
    notes: story.notes,
    pov: story.pov,
    fandoms: story.fandoms,
    pairings: story.pairings,
    characters: story.characters,
    tags: story.tags,
    credits: story.credits,
    extra: story.extra,
    chapters: story.chapters,
    words: story.words,
    scenes: story.scenes.map((scene) => ({
      index: scene.index,
      chapter: scene.chapter,
      chapterTitle: scene.chapterTitle,
      paragraphs: scene.paragraphs.length,
      words: scene.words,
      text: sceneText(story, scene),
    })),
  };
}

/** The story's dialogue as the quote scorer reads it. */
export function dialogueReport(dialogue: Dialogue) {
  return {
    narrator: dialogue.narrator,
    characters: dialogue.characters.map(({ name, aliases, gender, lines }) => ({
      name,
      aliases,
      gender,
      lines,
    })),
    quotes: dialogue.quotes.map(({ start, end, text, speaker, type, confidence, eligible }) => ({
      start,
      end,
      text,
      speaker,
      type,
      confidence,
      eligible,
    })),
  };
}
