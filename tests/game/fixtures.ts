/** Typed fixture factories for the quote game: stories with a cast and attributed lines. */
import type { CastMember, Quote, Story } from '../../src/library/types.ts';

export interface LineSpec {
  readonly speaker: string | null;
  readonly text: string;
  /** Narration before the line in its paragraph. */
  readonly before?: string;
  /** Narration after the line (e.g. the tag). */
  readonly after?: string;
  readonly eligible?: boolean;
}

export interface StorySpec {
  readonly id: string;
  readonly title?: string;
  readonly fandoms?: readonly string[];
  readonly ratingLevel?: Story['ratingLevel'];
  readonly warningCategories?: Story['warningCategories'];
  readonly cast: readonly CastMember[];
  readonly lines: readonly LineSpec[];
  /** Lines per scene (the last scene takes the rest). */
  readonly linesPerScene?: number;
}

export function member(
  name: string,
  gender: CastMember['gender'],
  lines = 5,
  aliases: string[] = [],
): CastMember {
  return { name, aliases, gender, lines };
}

/** Builds a story whose text holds each line as a paragraph: `before "text" after`. */
export function makeStory(spec: StorySpec): Story {
  const perScene = spec.linesPerScene ?? Number.POSITIVE_INFINITY;
  let text = '';
  const quotes: Quote[] = [];
  const scenes: {
    index: number;
    start: number;
    end: number;
    paragraphs: { start: number; end: number }[];
  }[] = [];
  spec.lines.forEach((line, index) => {
    const sceneIndex = Math.floor(index / perScene);
    if (!scenes[sceneIndex]) {
      if (sceneIndex > 0) text += '\n\n* * *\n\n';
      scenes[sceneIndex] = { index: sceneIndex, start: text.length, end: text.length, paragraphs: [] };
    } else {
      text += '\n\n';
    }
    const paragraphStart = text.length;
    text += line.before ? `${line.before} “` : '“';
    const start = text.length;
    text += line.text;
    const end = text.length;
    text += line.after ? `” ${line.after}` : '”';
    const scene = scenes[sceneIndex]!;
    scene.paragraphs.push({ start: paragraphStart, end: text.length });
    scene.end = text.length;
    quotes.push({
      start,
      end,
      parts: [[start, end]],
      text: line.text,
      speaker: line.speaker,
      type: 'explicit',
      confidence: 0.99,
      eligible: line.eligible ?? true,
      scene: sceneIndex,
    });
  });
  return {
    id: spec.id,
    file: `${spec.id}.txt`,
    format: 'text',
    title: spec.title ?? `Story ${spec.id}`,
    author: 'Tester',
    rating: null,
    ratingLevel: spec.ratingLevel ?? 'general',
    warnings: [],
    warningCategories: spec.warningCategories ?? [],
    summary: null,
    notes: null,
    pov: 'third',
    fandoms: spec.fandoms ?? ['Buffy the Vampire Slayer'],
    pairings: [],
    characters: spec.cast.map((c) => c.name),
    tags: [],
    credits: [],
    extra: {},
    chapters: [{ index: 0, title: null }],
    text,
    scenes: scenes.map((scene) => ({
      index: scene.index,
      chapter: 0,
      chapterTitle: null,
      paragraphs: scene.paragraphs,
      start: scene.start,
      end: scene.end,
      words: 10,
    })),
    words: text.split(/\s+/).length,
    dialogue: { narrator: null, characters: spec.cast, quotes },
  };
}

export const SCOOBIES = [
  member('Buffy Summers', 'female', 40, ['Buffy', 'Buff']),
  member('Willow Rosenberg', 'female', 30, ['Willow', 'Will']),
  member('Xander Harris', 'male', 25, ['Xander']),
  member('Rupert Giles', 'male', 20, ['Giles', 'Rupert']),
  member('Spike', 'male', 15, ['William']),
  member('Anya', 'female', 0, []),
];

const PLAIN_LINES = [
  'We need to get to the library before sundown.',
  'I found something in the old newspaper archives.',
  'Nobody ever tells me anything around here, do they?',
  'The prophecy is quite specific about the timing.',
  'I could do with a nice cup of blood right about now.',
  'Is anyone else getting a really bad feeling about this?',
  'Let me check the books again before we do anything rash.',
  'This is so not how I pictured spending my Saturday night.',
  'Has anyone seen my stake? I had it a minute ago.',
  'I think the computer is trying to tell us something.',
  'We should split up and search the school.',
  'Somebody has to keep watch by the door tonight.',
];

/** A story where each of the first `speakers` cast members says `perSpeaker` distinct, playable lines. */
export function scoobyStory(
  id = 'hush',
  speakers = 5,
  perSpeaker = 2,
  title = 'Hush Little Sunnydale',
): Story {
  const lines: LineSpec[] = [];
  for (let round = 0; round < perSpeaker; round++) {
    for (let s = 0; s < speakers; s++) {
      const who = SCOOBIES[s]!;
      const base = PLAIN_LINES[(round * speakers + s) % PLAIN_LINES.length]!;
      lines.push({
        speaker: who.name,
        text: `${base} (${id} ${round}-${s})`,
        before: `The clock ticked over line ${round}-${s}.`,
        after: 'said someone. The room went quiet.',
      });
    }
  }
  return makeStory({ id, title, cast: SCOOBIES, lines, linesPerScene: 4 });
}
