/**
 * What must hold for any Story the library returns, whatever the input: every offset (paragraph,
 * scene, quote and quote part) points inside `story.text`, in order, and the counts add up.
 * Plain functions throwing `InvariantError` (usable in worker threads, where vitest's `expect` is not).
 */
import { type Story, StoryFileError } from '../../../src/library/index.ts';

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

function check(condition: boolean, what: () => string): void {
  if (!condition) throw new InvariantError(what());
}

const isIndex = (value: unknown, length: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= length;

/** Throws InvariantError naming the first broken rule. */
export function checkStory(story: Story): void {
  const { text } = story;
  const length = text.length;
  check(typeof text === 'string' && text.length > 0, () => 'story.text is empty');
  check(story.title.trim() !== '', () => 'story has an empty title');
  check(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(story.id),
    () => `story id ${JSON.stringify(story.id)} is not a slug`,
  );
  check(story.scenes.length > 0, () => 'a story without scenes was returned instead of a problem');
  let previousEnd = -1;
  let words = 0;
  story.scenes.forEach((scene, index) => {
    const where = `scene ${index}`;
    check(scene.index === index, () => `${where} has index ${scene.index}`);
    check(scene.paragraphs.length > 0, () => `${where} has no paragraphs`);
    check(
      story.chapters[scene.chapter] !== undefined,
      () => `${where} is in chapter ${scene.chapter} of ${story.chapters.length}`,
    );
    for (const paragraph of scene.paragraphs) {
      check(
        isIndex(paragraph.start, length) && isIndex(paragraph.end, length),
        () => `${where}: paragraph [${paragraph.start}, ${paragraph.end}] outside text of ${length}`,
      );
      check(paragraph.start < paragraph.end, () => `${where}: empty paragraph at ${paragraph.start}`);
      check(
        paragraph.start > previousEnd,
        () => `${where}: paragraph at ${paragraph.start} overlaps the one before`,
      );
      previousEnd = paragraph.end;
    }
    check(scene.start === scene.paragraphs[0]!.start, () => `${where}: start is not its first paragraph's`);
    check(scene.end === scene.paragraphs.at(-1)!.end, () => `${where}: end is not its last paragraph's`);
    check(Number.isInteger(scene.words) && scene.words >= 0, () => `${where}: words ${scene.words}`);
    words += scene.words;
  });
  check(story.words === words, () => `story.words ${story.words} is not the scenes' sum ${words}`);

  const { quotes, characters } = story.dialogue;
  quotes.forEach((quote, index) => {
    const where = `quote ${index} (${JSON.stringify(quote.text.slice(0, 40))})`;
    check(
      isIndex(quote.start, length) && isIndex(quote.end, length),
      () => `${where}: [${quote.start}, ${quote.end}] outside text of ${length}`,
    );
    check(quote.start <= quote.end, () => `${where}: start ${quote.start} after end ${quote.end}`);
    check(quote.parts.length > 0, () => `${where}: no parts`);
    let partEnd = quote.start;
    for (const [start, end] of quote.parts) {
      check(
        isIndex(start, length) && isIndex(end, length),
        () => `${where}: part [${start}, ${end}] outside text of ${length}`,
      );
      check(start <= end, () => `${where}: part [${start}, ${end}] runs backwards`);
      check(start >= partEnd, () => `${where}: part [${start}, ${end}] starts before the previous part ends`);
      partEnd = end;
    }
    check(quote.parts[0]![0] === quote.start, () => `${where}: start is not its first part's start`);
    check(quote.parts.at(-1)![1] === quote.end, () => `${where}: end is not its last part's end`);
    const scene = story.scenes[quote.scene];
    check(scene !== undefined, () => `${where}: scene ${quote.scene} of ${story.scenes.length}`);
    check(
      scene !== undefined && quote.start >= scene.start && quote.end <= scene.end,
      () => `${where}: [${quote.start}, ${quote.end}] outside its scene [${scene?.start}, ${scene?.end}]`,
    );
    check(
      Number.isFinite(quote.confidence) && quote.confidence >= 0 && quote.confidence <= 1,
      () => `${where}: confidence ${quote.confidence}`,
    );
    check(quote.speaker === null || typeof quote.speaker === 'string', () => `${where}: speaker`);
  });
  for (const member of characters) {
    check(member.name.trim() !== '', () => 'a cast member has an empty name');
    check(Number.isInteger(member.lines) && member.lines >= 0, () => `${member.name}: lines ${member.lines}`);
  }
}

export type Outcome =
  | { readonly kind: 'story'; readonly story: Story }
  | { readonly kind: 'problem'; readonly reason: string };

/**
 * Runs `read` and classifies what came back: a well-formed story, or a StoryFileError with a
 * readable reason. Anything else (another exception, a malformed story) throws InvariantError.
 */
export async function classify(read: () => Story | Promise<Story>): Promise<Outcome> {
  let story: Story;
  try {
    story = await read();
  } catch (error) {
    if (error instanceof StoryFileError) {
      check(
        typeof error.reason === 'string' && error.reason.trim().length >= 5,
        () => `StoryFileError without a readable reason: ${JSON.stringify(error.reason)}`,
      );
      return { kind: 'problem', reason: error.reason };
    }
    const described =
      error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
    throw new InvariantError(`the library threw something other than StoryFileError: ${described}`);
  }
  checkStory(story);
  return { kind: 'story', story };
}
