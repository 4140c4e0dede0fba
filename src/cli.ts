/**
 * ficbot's command-line tool: `npm run cli -- <command>`. Argument parsing and printing only;
 * everything else lives in src/library.
 */
import { existsSync } from 'node:fs';
import {
  dialogueReport,
  libraryReport,
  loadLibrary,
  loadStoryFile,
  type Story,
  StoryFileError,
  type StorySummary,
  storyDetails,
  storySummary,
} from './library/index.ts';
import { terminalProgress } from './progress.ts';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  check [dir] [--json]    load every story under dir (default: data/); one line per story and
                          per problem; exits 1 when any file could not be loaded
  parse <file> [--json]   parse one story file and show its metadata and scenes
  quotes <file> [--json]  list the story's quotes, their speakers and the cast

Use \`npm run --silent cli -- ...\` when piping --json output.`;

/** Exit statuses: 0 fine, 1 some story file failed, 2 the command line was wrong. */
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;

interface Arguments {
  readonly command: string | undefined;
  readonly positional: string[];
  readonly json: boolean;
  readonly help: boolean;
  readonly unknownFlags: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  const positional: string[] = [];
  const unknownFlags: string[] = [];
  let json = false;
  let help = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-')) unknownFlags.push(arg);
    else positional.push(arg);
  }
  return { command: positional.shift(), positional, json, help, unknownFlags };
}

function fail(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return EXIT_USAGE;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function summaryLine(story: StorySummary): string {
  const rating = story.rating === null ? `unrated` : `${story.rating} (${story.ratingLevel})`;
  const warnings = story.warningCategories.length > 0 ? story.warningCategories.join(', ') : 'none';
  return [
    story.id,
    `"${story.title}"`,
    rating,
    `warnings: ${warnings}`,
    `${story.scenes} scenes`,
    `${story.words} words`,
    `${story.quotes} quotes (${story.eligibleQuotes} eligible)`,
  ].join('  ');
}

async function check(args: Arguments): Promise<number> {
  if (args.positional.length > 1) return fail(`check takes one folder, got: ${args.positional.join(' ')}`);
  const dir = args.positional[0] ?? 'data';
  if (!existsSync(dir)) return fail(`No such folder: ${dir}`);
  const onProgress = terminalProgress();
  const library = await loadLibrary(dir, onProgress ? { onProgress } : {});
  const report = libraryReport(library);
  if (args.json) {
    printJson(report);
  } else {
    for (const story of report.stories) process.stdout.write(`${summaryLine(story)}\n`);
    for (const problem of report.problems)
      process.stdout.write(`PROBLEM ${problem.file}: ${problem.reason}\n`);
    process.stdout.write(`${report.stories.length} stories, ${report.problems.length} problems in ${dir}\n`);
  }
  return report.problems.length > 0 ? EXIT_PROBLEMS : 0;
}

async function loadOne(args: Arguments, command: string): Promise<Story | number> {
  const file = args.positional[0];
  if (!file || args.positional.length > 1) return fail(`${command} takes exactly one story file`);
  if (!existsSync(file)) return fail(`No such file: ${file}`);
  try {
    return await loadStoryFile(file);
  } catch (error) {
    if (!(error instanceof StoryFileError)) throw error;
    process.stderr.write(`${file}: ${error.reason}\n`);
    return EXIT_PROBLEMS;
  }
}

async function parse(args: Arguments): Promise<number> {
  const story = await loadOne(args, 'parse');
  if (typeof story === 'number') return story;
  const details = storyDetails(story);
  if (args.json) {
    printJson(details);
    return 0;
  }
  const { scenes, ...metadata } = details;
  process.stdout.write(`${summaryLine(storySummary(story))}\n`);
  for (const [key, value] of Object.entries(metadata))
    process.stdout.write(`${key}: ${JSON.stringify(value)}\n`);
  for (const scene of scenes) {
    const opening = scene.text.slice(0, 100).replace(/\s+/g, ' ');
    process.stdout.write(
      `scene ${scene.index} (chapter ${scene.chapter}, ${scene.words} words): ${opening}…\n`,
    );
  }
  return 0;
}

async function quotes(args: Arguments): Promise<number> {
  const story = await loadOne(args, 'quotes');
  if (typeof story === 'number') return story;
  const report = dialogueReport(story.dialogue);
  if (args.json) {
    printJson(report);
    return 0;
  }
  process.stdout.write(`narrator: ${report.narrator ?? '(third person)'}\n`);
  for (const member of report.characters) {
    process.stdout.write(
      `cast: ${member.name} (${member.gender}, ${member.lines} lines) aka ${member.aliases.join(', ')}\n`,
    );
  }
  for (const quote of report.quotes) {
    const mark = quote.eligible ? '*' : ' ';
    process.stdout.write(
      `${mark} ${quote.speaker ?? '?'} [${quote.type} ${quote.confidence.toFixed(2)}]: "${quote.text}"\n`,
    );
  }
  return 0;
}

const COMMANDS: Readonly<Record<string, (args: Arguments) => Promise<number>>> = { check, parse, quotes };

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args.help || args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.command) return fail('No command given.');
  const run = COMMANDS[args.command];
  if (!run) return fail(`Unknown command: ${args.command}`);
  if (args.unknownFlags.length > 0) return fail(`Unknown option: ${args.unknownFlags.join(' ')}`);
  return run(args);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof StoryFileError) {
      process.stderr.write(`${error.reason}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`ficbot cli crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = EXIT_PROBLEMS;
  },
);
