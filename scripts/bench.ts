/**
 * `npm run bench`: ficbot's speed and memory, measured on this machine, printed as a table and
 * written to bench/results.json.
 *
 * - ingest: every PDNC novel (../shared/pdnc) through parse and dialogue analysis, best of 3,
 *   against ../shared/tools/bare-scan.mjs (one regex pass) on the same files in the same run.
 * - startup: process start to "connected to Discord" with a ~100 MB library built from the PDNC
 *   texts (bench/corpus/), first start and second start (a parsed-library cache may help the second).
 * - interaction: round trips through the local Discord stand-in (dispatch → the bot's initial
 *   response) for /excerpt, /summary, story autocomplete and a quiz answer button, against a
 *   discord.js client whose handler does nothing, on the same stand-in in the same run.
 * - throughput: interactions per second sustained for 30 s with 50 in flight.
 * - memory: RSS and heap of a process holding the 100 MB library (and the bot's own RSS).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStoryFile } from '../src/library/index.ts';
import { type BotEnvironment, type RunningBot, runDeploy, startBot } from '../tests/e2e/bot-process.ts';
import {
  type DiscordStandin,
  type InteractionHandle,
  type JsonObject,
  type StoredMessage,
  startStandin,
} from '../tests/support/discord-standin.ts';
import { buildFicWorld, fixtureId, type UserFixture } from '../tests/support/standin-fixtures.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PDNC = resolve(ROOT, '..', 'shared', 'pdnc');
const BARE_SCAN = resolve(ROOT, '..', 'shared', 'tools', 'bare-scan.mjs');
const CORPUS_DIR = resolve(ROOT, 'bench', 'corpus');
const RESULTS = resolve(ROOT, 'bench', 'results.json');
const QUIZ_STORY = resolve(ROOT, 'tests', 'e2e', 'stories', 'harbour-lights.txt');
const CORPUS_TARGET_BYTES = 100e6;
const SAMPLES = 200;
const WARMUP = 20;
const THROUGHPUT_SECONDS = 30;
const IN_FLIGHT = 50;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

function novelFiles(): string[] {
  if (!existsSync(PDNC)) throw new Error(`the PDNC corpus is missing at ${PDNC}`);
  return readdirSync(PDNC)
    .sort()
    .map((name) => join(PDNC, name, 'novel_text.txt'))
    .filter((path) => existsSync(path));
}

function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Ingest

async function benchIngest() {
  const files = novelFiles();
  const bare = JSON.parse(await runNode([BARE_SCAN, ...files, '--repeat', '3'])) as {
    ms: number;
    bytes: number;
  };
  let best = Number.POSITIVE_INFINITY;
  let quotes = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    quotes = 0;
    for (const file of files) quotes += (await loadStoryFile(file)).dialogue.quotes.length;
    best = Math.min(best, performance.now() - started);
    log(`ingest attempt ${attempt + 1}: ${round1(performance.now() - started)} ms`);
  }
  return {
    ms: round1(best),
    mb: round2(bare.bytes / 1e6),
    ratioToBareScan: round2(best / bare.ms),
    bareScanMs: bare.ms,
    files: files.length,
    quotes,
  };
}

// ---------------------------------------------------------------------------------------------
// The 100 MB library

function displayName(folder: string): string {
  return folder.replace(/([a-z])([A-Z])/g, '$1 $2');
}

async function buildCorpus(): Promise<{ dir: string; bytes: number; files: number }> {
  const marker = join(CORPUS_DIR, '.built.json');
  if (existsSync(marker)) {
    const built = JSON.parse(await readFile(marker, 'utf8')) as { bytes: number; files: number };
    if (built.bytes >= CORPUS_TARGET_BYTES) return { dir: CORPUS_DIR, ...built };
  }
  await rm(CORPUS_DIR, { recursive: true, force: true });
  await mkdir(CORPUS_DIR, { recursive: true });
  const novels = await Promise.all(
    novelFiles().map(async (path) => ({
      name: displayName(path.split('/').at(-2) ?? 'Novel'),
      text: await readFile(path, 'utf8'),
    })),
  );
  let bytes = 0;
  let files = 0;
  for (let copy = 1; bytes < CORPUS_TARGET_BYTES; copy += 1) {
    for (const novel of novels) {
      const header = `Title: ${novel.name} (volume ${copy})\nAuthor: PDNC\nRating: General Audiences\nWarnings: No Archive Warnings Apply\n\n~*~*~*~\n\n`;
      const body = header + novel.text;
      const file = `${novel.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${copy}.txt`;
      await writeFile(join(CORPUS_DIR, file), body);
      bytes += Buffer.byteLength(body);
      files += 1;
    }
  }
  await copyFile(QUIZ_STORY, join(CORPUS_DIR, 'harbour-lights.txt'));
  bytes += (await stat(QUIZ_STORY)).size;
  files += 1;
  await writeFile(marker, JSON.stringify({ bytes, files }));
  return { dir: CORPUS_DIR, bytes, files };
}

// ---------------------------------------------------------------------------------------------
// Interactions

interface Samples {
  latencies: number[];
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function summarise(samples: Samples) {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  return {
    p50Ms: round2(percentile(sorted, 50)),
    p99Ms: round2(percentile(sorted, 99)),
    failures: samples.failures,
  };
}

async function sample(make: (index: number) => InteractionHandle, count = SAMPLES): Promise<Samples> {
  const result: Samples = { latencies: [], failures: 0 };
  for (let index = 0; index < WARMUP + count; index += 1) {
    const handle = make(index);
    const response = await handle.response(10_000).catch(() => undefined);
    if (index < WARMUP) continue;
    if (!response || response.status >= 300) result.failures += 1;
    else result.latencies.push(response.at - handle.sentAt);
  }
  return result;
}

interface Scenario {
  standin: DiscordStandin;
  guildId: string;
  channelId: string;
  moderatorId: string;
  players: UserFixture[];
  storyId: string;
}

function excerpt(scenario: Scenario, userId: string): InteractionHandle {
  return scenario.standin.slashCommand({
    guildId: scenario.guildId,
    channelId: scenario.channelId,
    userId,
    name: 'excerpt',
    options: { story: scenario.storyId, scene: 1 },
  });
}

function summary(scenario: Scenario, userId: string): InteractionHandle {
  return scenario.standin.slashCommand({
    guildId: scenario.guildId,
    channelId: scenario.channelId,
    userId,
    name: 'summary',
    options: { story: scenario.storyId },
  });
}

function autocomplete(scenario: Scenario, userId: string): InteractionHandle {
  return scenario.standin.autocomplete({
    guildId: scenario.guildId,
    channelId: scenario.channelId,
    userId,
    name: 'excerpt',
    focused: 'story',
    focusedValue: 'emm',
  });
}

const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

function buttonsOf(message: StoredMessage): JsonObject[] {
  return (message.components as JsonObject[]).flatMap((row) =>
    Array.isArray(row.components) ? (row.components as JsonObject[]) : [],
  );
}

/** Starts a one-round quiz on the quiz story and returns its round message and a wrong answer's id. */
async function openQuizRound(
  scenario: Scenario,
): Promise<{ message: StoredMessage; wrongId: string } | string> {
  const start = scenario.standin.slashCommand({
    guildId: scenario.guildId,
    channelId: scenario.channelId,
    userId: scenario.moderatorId,
    name: 'quiz',
    subcommand: 'start',
    options: { story: 'harbour-lights', rounds: 1, seconds: 120 },
  });
  await start.response(10_000);
  const announcement = await scenario.standin.waitFor(() => start.message(), 5_000, 'the quiz answer');
  if (!announcement.content.includes('Quote quiz!')) return `the quiz did not start: ${announcement.content}`;
  const message = await scenario.standin.waitForMessage(
    (candidate) =>
      candidate.origin === 'channel' &&
      buttonsOf(candidate).some((b) => String(b.custom_id).startsWith('quiz:guess:')),
    20_000,
  );
  const story = await loadStoryFile(QUIZ_STORY);
  const shown = letters(String((message.embeds[0] as JsonObject).description));
  const quote = story.dialogue.quotes
    .filter((candidate) => candidate.eligible && shown.includes(letters(candidate.text)))
    .sort((a, b) => b.text.length - a.text.length)[0];
  const wrong = buttonsOf(message).find((button) => button.label !== quote?.speaker);
  if (!quote || !wrong) return 'could not tell the right answer from the round message';
  return { message, wrongId: String(wrong.custom_id) };
}

async function measureKinds(
  scenario: Scenario,
  quiz: { message: StoredMessage; wrongId: string } | string,
  forge: boolean,
) {
  const users = scenario.players;
  const user = (index: number) => users[index % users.length]?.id ?? scenario.moderatorId;
  const results: Record<string, Samples | string> = {};
  log('sampling /excerpt');
  results.excerpt = await sample((index) => excerpt(scenario, user(index)));
  log('sampling /summary');
  results.summary = await sample((index) => summary(scenario, user(index)));
  log('sampling story autocomplete');
  results.autocomplete = await sample((index) => autocomplete(scenario, user(index)));
  if (typeof quiz === 'string') {
    results.quizButton = quiz;
  } else {
    log('sampling quiz answer buttons');
    // Each press comes from a member who has not answered this round yet (a wrong answer: "you are out").
    results.quizButton = await sample(
      (index) =>
        scenario.standin.pressButton({
          message: quiz.message,
          customId: quiz.wrongId,
          userId: user(index),
          forge,
        }),
      Math.min(SAMPLES, users.length - WARMUP),
    );
  }
  return results;
}

async function throughput(scenario: Scenario) {
  const { standin } = scenario;
  standin.recordBodies = false;
  standin.clearRecords();
  const kinds = [excerpt, summary, autocomplete];
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  let completed = 0;
  let failures = 0;
  let counter = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      counter += 1;
      const make = kinds[counter % kinds.length]!;
      const handle = make(
        scenario,
        scenario.players[counter % scenario.players.length]?.id ?? scenario.moderatorId,
      );
      const response = await handle.response(5_000).catch(() => undefined);
      if (response && response.status < 300) completed += 1;
      else failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  standin.recordBodies = true;
  return { perSecond: round1(completed / seconds), failures, seconds: round1(seconds), inFlight: IN_FLIGHT };
}

function rssOf(child: ChildProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? round1((kb * 1024) / 1e6) : undefined;
  } catch {
    return undefined;
  }
}

async function timedStart(env: BotEnvironment): Promise<{ bot: RunningBot; ms: number; libraryMs?: number }> {
  const started = performance.now();
  const bot = startBot(env);
  const loaded = await bot.waitForLog((line) => line.msg === 'library loaded', 600_000);
  const libraryMs = performance.now() - started;
  await bot.waitForLog((line) => line.msg === 'connected to Discord', 600_000);
  const ms = performance.now() - started;
  log(
    `ready in ${round1(ms)} ms (library loaded after ${round1(libraryMs)} ms, ${String(loaded.stories)} stories)`,
  );
  return { bot, ms, libraryMs };
}

function startNoop(env: BotEnvironment): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-noop-bot.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DISCORD_TOKEN: env.DISCORD_TOKEN,
      DISCORD_API_URL: env.DISCORD_API_URL,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolvePromise, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('connected to Discord')) resolvePromise();
    });
    child.stdout.resume();
    child.on('close', (code) => reject(new Error(`noop bot exited ${code}: ${output}`)));
  });
  return { child, ready };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolvePromise();
      return;
    }
    child.once('close', () => resolvePromise());
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  log('ingest: PDNC through parse and dialogue vs bare-scan');
  const ingest = await benchIngest();

  log('building the 100 MB library');
  const corpus = await buildCorpus();
  const corpusMb = round1(corpus.bytes / 1e6);

  const world = buildFicWorld();
  const players: UserFixture[] = Array.from({ length: 260 }, (_, index) => ({
    id: fixtureId(),
    username: `player${index}`,
  }));
  world.main.fixture.members.push(...players.map((player) => ({ userId: player.id, roleIds: [] })));
  const standin = await startStandin({
    applicationId: world.applicationId,
    botToken: world.botToken,
    guilds: world.guilds,
    users: [...world.allUsers, ...players],
  });
  const workDir = await mkdtemp(join(os.tmpdir(), 'ficbot-bench-'));
  const env: BotEnvironment = {
    DISCORD_TOKEN: world.botToken,
    DISCORD_CLIENT_ID: world.applicationId,
    DISCORD_GUILD_ID: world.main.id,
    DISCORD_API_URL: standin.apiUrl,
    STORE_URL: `sqlite://${join(workDir, 'bench.sqlite')}`,
    DATA_DIR: corpus.dir,
    LOG_LEVEL: 'info',
  };
  try {
    const deployed = await runDeploy(env);
    if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);

    log(`startup with ${corpusMb} MB (${corpus.files} files): first start`);
    const first = await timedStart(env);
    await first.bot.stop();
    log('startup: second start');
    const second = await timedStart(env);
    const bot = second.bot;
    const botRssMb = rssOf(bot.child);

    const scenario: Scenario = {
      standin,
      guildId: world.main.id,
      channelId: world.main.channels.general,
      moderatorId: world.users.moderator.id,
      players,
      storyId: '',
    };
    const lookup = autocomplete(scenario, world.users.reader.id);
    await lookup.response(10_000);
    const firstChoice = lookup.choices()?.[0] as JsonObject | undefined;
    if (!firstChoice) throw new Error('story autocomplete offered nothing for "emm"');
    scenario.storyId = String(firstChoice.value);
    log(`bench story: ${scenario.storyId}`);

    const quiz = await openQuizRound(scenario);
    if (typeof quiz === 'string') log(`quiz button: ${quiz}`);
    const botSamples = await measureKinds(scenario, quiz, false);
    log(`throughput: ${THROUGHPUT_SECONDS} s at ${IN_FLIGHT} in flight`);
    const sustained = await throughput(scenario);
    await bot.stop();

    log('baseline: a handler that does nothing');
    const noop = startNoop(env);
    await noop.ready;
    const noopSamples = await measureKinds(scenario, quiz, true);
    await stopChild(noop.child);

    log('memory: a process holding the 100 MB library');
    const memory = JSON.parse(
      await runNode(['--expose-gc', '--import', 'tsx', 'scripts/bench-library-memory.ts', corpus.dir]),
    ) as { rssMb: number; heapMb: number; stories: number };

    const interaction: Record<string, unknown> = {};
    for (const [kind, result] of Object.entries(botSamples)) {
      const baseline = noopSamples[kind];
      if (typeof result === 'string' || typeof baseline === 'string' || baseline === undefined) {
        interaction[kind] = { error: typeof result === 'string' ? result : 'no baseline' };
        continue;
      }
      const ours = summarise(result);
      const theirs = summarise(baseline);
      interaction[kind] = {
        ...ours,
        p50RatioToNoop: round2(ours.p50Ms / theirs.p50Ms),
        noopP50Ms: theirs.p50Ms,
        noopP99Ms: theirs.p99Ms,
        samples: result.latencies.length,
      };
    }
    const cpus = os.cpus();
    const results = {
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGb: round1(os.totalmem() / 1e9),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        at: new Date().toISOString(),
      },
      ingest,
      startup: {
        corpusMb,
        msToReady: Math.round(second.ms),
        msToReadyFirstStart: Math.round(first.ms),
        msToLibraryLoaded: Math.round(second.libraryMs ?? 0),
        files: corpus.files,
      },
      interaction,
      throughput: sustained,
      memory: {
        corpusMb,
        rssMb: round1(memory.rssMb),
        heapMb: round1(memory.heapMb),
        botRssMb,
        stories: memory.stories,
      },
    };
    await mkdir(resolve(ROOT, 'bench'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
  } finally {
    await standin.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

function printTable(results: {
  ingest: { ms: number; mb: number; ratioToBareScan: number };
  startup: { corpusMb: number; msToReady: number; msToReadyFirstStart: number };
  interaction: Record<string, unknown>;
  throughput: { perSecond: number; failures: number };
  memory: { corpusMb: number; rssMb: number; heapMb: number };
}): void {
  const rows: [string, string, string][] = [
    [
      'ingest',
      `${results.ingest.mb} MB in ${results.ingest.ms} ms, ${results.ingest.ratioToBareScan}× bare scan`,
      'ratio ≤ 8',
    ],
    [
      'startup',
      `${results.startup.corpusMb} MB ready in ${results.startup.msToReady} ms (first start ${results.startup.msToReadyFirstStart} ms)`,
      '< 5000 ms',
    ],
  ];
  for (const [kind, value] of Object.entries(results.interaction)) {
    const entry = value as { p50Ms?: number; p99Ms?: number; p50RatioToNoop?: number; error?: string };
    rows.push([
      `interaction ${kind}`,
      entry.error ?? `p50 ${entry.p50Ms} ms, p99 ${entry.p99Ms} ms, ${entry.p50RatioToNoop}× noop`,
      'p50 ratio ≤ 1.5',
    ]);
  }
  rows.push([
    'throughput',
    `${results.throughput.perSecond}/s, ${results.throughput.failures} failures`,
    `30 s at ${IN_FLIGHT} in flight`,
  ]);
  rows.push([
    'memory',
    `RSS ${results.memory.rssMb} MB, heap ${results.memory.heapMb} MB for ${results.memory.corpusMb} MB`,
    `RSS ≤ ${round1(results.memory.corpusMb * 3 + 100)} MB`,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column as 0 | 1 | 2].length)));
  for (const row of rows) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  │  ')}\n`);
  }
  process.stdout.write(`\nwritten to ${RESULTS}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
