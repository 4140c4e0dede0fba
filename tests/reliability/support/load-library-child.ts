/**
 * Loads a data folder and prints `{ stories, problems, ms }` as JSON, each story checked against
 * the library's invariants (`invalid` names the first broken one). Run as a child process,
 * optionally as an unprivileged user, so permission-denied files are really unreadable (tests run
 * as root, for whom chmod 000 changes nothing).
 */
import { loadLibrary } from '../../../src/library/index.ts';
import { checkStory } from './story-invariants.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: load-library-child.ts <data folder>');
const started = performance.now();
const library = await loadLibrary(dir);
process.stdout.write(
  JSON.stringify({
    uid: process.getuid?.(),
    ms: performance.now() - started,
    stories: library.stories.map((story) => {
      let invalid: string | null = null;
      try {
        checkStory(story);
      } catch (error) {
        invalid = error instanceof Error ? error.message : String(error);
      }
      return {
        file: story.file,
        title: story.title,
        scenes: story.scenes.length,
        quotes: story.dialogue.quotes.length,
        // Prose of small stories only, so the output stays small.
        prose:
          story.text.length > 100_000
            ? null
            : story.scenes.flatMap((scene) => scene.paragraphs.map((p) => story.text.slice(p.start, p.end))),
        invalid,
      };
    }),
    problems: library.problems,
  }),
);
