/**
 * `npm run bench`: ficbot's speed and memory on this machine, printed as a table (progress lines
 * on stderr while it works) and written to bench/results.json. See bench/README.md.
 *
 * - ingest: every ../shared/pdnc novel through parseStory (dialogue included), best of N runs, as
 *   a multiple of ../shared/tools/bare-scan.mjs run in the same bench; plus pathological files.
 * - startup: process start → gateway READY for the real bot (`node <npm start's node flags>
 *   --import tsx src/index.ts`) with a ~100 MB library (bench/corpus/): a cold start that fills
 *   the parsed-library cache, then the warm start, which is the figure.
 * - memory: RSS and heap of that warm bot process once ready (via scripts/bench/diagnostics.ts).
 * - interaction: round trips through the Discord stand-in for /excerpt, /summary, story
 *   autocomplete and a quiz answer button, against ficbot's discord.js client with a handler that
 *   does nothing (scripts/bench/noop-bot.ts), on the same stand-in in the same run.
 * - throughput: interactions per second for 30 s with 50 in flight against the real bot.
 *
 * `npm run bench -- --only interaction,memory` measures only the sections named (any of
 * SECTIONS); results.json then holds those and says which ran. The default is every section.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { libraryCodeVersion } from '../src/library/cache.ts';
import { loadStoryFile } from '../src/library/index.ts';
import type { BotEnvironment } from '../tests/support/bot-process.ts';
import { type DiscordStandin, type JsonObject, startStandin } from '../tests/support/discord-standin.ts';
import { buildFicWorld, fixtureId, type UserFixture } from '../tests/support/standin-fixtures.ts';
import { buildCorpus, PDNC_DIR, pdncNovels, QUIZ_STORY } from './bench/corpus.ts';
import {
  type Kind,
  measureKinds,
  openQuizRound,
  type Scenario,
  summarise,
  throughput,
} from './bench/interactions.ts';
import { type Child, ROOT, residentMb, runNode, startChild } from './bench/processes.ts';
import { type CodeSnapshot, snapshotCode } from './bench/snapshot.ts';

const RESULTS = resolve(ROOT, 'bench', 'results.json');
const BARE_SCAN = resolve(ROOT, '..', 'shared', 'tools', 'bare-scan.mjs');
const INGEST_RUNS = 5;
const SAMPLES = 300;
const WARMUP = 50;
const THROUGHPUT_SECONDS = 30;
const IN_FLIGHT = 50;
const QUIZ_PLAYERS = SAMPLES + WARMUP;

/** What `--only` can name. startup, memory, interaction and throughput share one bot start. */
const SECTIONS = ['ingest', 'startup', 'memory', 'interaction', 'throughput'] as const;
type Section = (typeof SECTIONS)[number];
const USAGE = `usage: npm run bench [-- --only ${SECTIONS.join(',')}]`;

/** The sections to measure: every one, or those `--only a,b` names; exits with the usage otherwise. */
function sectionsFromArgs(args: readonly string[]): ReadonlySet<Section> {
  if (args.length === 0) return new Set(SECTIONS);
  const names = args[0] === '--only' && args.length === 2 ? (args[1] ?? '').split(',') : [];
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(
      `bench: ${unknown.length > 0 ? `unknown section ${unknown.join(', ')}` : `unknown option ${args.join(' ')}`}\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return new Set(names as Section[]);
}

const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const epochNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// Ingest

interface IngestChildResult {
  files: number;
  bytes: number;
  ms: number;
  runs: number[];
  quotes: number;
  mbPerS: number;
  withoutDialogueMs: number | null;
  pathological: Record<string, unknown>;
}

async function bareScan() {
  return JSON.parse(await runNode([BARE_SCAN, PDNC_DIR, '--repeat', String(INGEST_RUNS)], 120_000)) as {
    ms: number;
    bytes: number;
    files: number;
    mbPerS: number;
  };
}

async function benchIngest(code: string) {
  // The floor is run before and after ours, and the better of the two kept: on a shared machine
  // the load can change between the two measurements.
  log(`ingest: bare-scan.mjs over ${PDNC_DIR}, best of ${INGEST_RUNS}`);
  const bareBefore = await bareScan();
  log(`ingest: parseStory + dialogue, best of ${INGEST_RUNS}, then pathological files`);
  const ours = JSON.parse(
    await runNode(
      ['--import', 'tsx', 'scripts/bench/ingest.ts', '--repeat', String(INGEST_RUNS), '--pdnc', PDNC_DIR],
      300_000,
      code,
    ),
  ) as IngestChildResult;
  const bareAfter = await bareScan();
  const bare = bareAfter.ms < bareBefore.ms ? bareAfter : bareBefore;
  log(
    `ingest: bare scan ${bareBefore.ms} ms before, ${bareAfter.ms} ms after, for ${round1(bare.bytes / 1e6)} MB`,
  );
  return {
    ms: ours.ms,
    mb: round2(ours.bytes / 1e6),
    ratioToBareScan: round2(ours.ms / bare.ms),
    mbPerS: ours.mbPerS,
    runsMs: ours.runs,
    withoutDialogueMs: ours.withoutDialogueMs,
    dialogueShare: ours.withoutDialogueMs === null ? null : round2(1 - ours.withoutDialogueMs / ours.ms),
    files: ours.files,
    quotes: ours.quotes,
    bareScan: {
      ms: bare.ms,
      mb: round2(bare.bytes / 1e6),
      files: bare.files,
      mbPerS: bare.mbPerS,
      repeat: INGEST_RUNS,
    },
    pathological: ours.pathological,
  };
}

// ---------------------------------------------------------------------------------------------
// The bot

/** Only what a server would set: nothing inherited from the developer's shell (DISCORD_*, STORE_URL). */
function childEnv(env: Partial<BotEnvironment>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env };
}

/** The node flags `npm start` runs the measured code with (its src/node-flags.ts). */
async function nodeFlagsOf(code: string): Promise<readonly string[]> {
  const file = join(code, 'src', 'node-flags.ts');
  if (!existsSync(file)) return [];
  const module = (await import(pathToFileURL(file).href)) as {
    NODE_FLAGS: readonly string[];
  };
  return module.NODE_FLAGS;
}

/**
 * The real entry point with `npm start`'s node flags, plus the bench-only diagnostics preload (a
 * SIGUSR2 memory report).
 */
function spawnBot(env: BotEnvironment, code: string, nodeFlags: readonly string[]): Child {
  return startChild(
    [
      ...nodeFlags,
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      './scripts/bench/diagnostics.ts',
      'src/index.ts',
    ],
    childEnv(env),
    code,
  );
}

interface Start {
  bot: Child;
  msToReady: number;
  msToClientReady: number;
  msToLibraryLoaded: number;
  stories: number;
  cache: Record<string, unknown>;
}

/** Spawns the bot and times process start → the stand-in's READY for its new gateway session. */
async function timedStart(
  standin: DiscordStandin,
  env: BotEnvironment,
  code: string,
  label: string,
  nodeFlags: readonly string[],
): Promise<Start> {
  const sessionsBefore = standin.gateway.sessions.length;
  const spawnedAt = epochNow();
  const bot = spawnBot(env, code, nodeFlags);
  try {
    const loaded = await bot.waitForJson(
      (line) => line.msg === 'library loaded',
      600_000,
      'the "library loaded" log line',
    );
    const msToLibraryLoaded = Number(loaded.time) - spawnedAt;
    log(
      `${label}: library loaded after ${Math.round(msToLibraryLoaded)} ms (${String(loaded.stories)} stories)`,
    );
    const session = await standin.waitFor(
      () => standin.gateway.sessions.slice(sessionsBefore).find((s) => s.events.some((e) => e.t === 'READY')),
      120_000,
      'the bot identifying on the gateway',
    );
    const ready = session.events.find((event) => event.t === 'READY');
    const clientReady = await bot.waitForJson(
      (line) => line.msg === 'connected to Discord',
      60_000,
      'clientReady',
    );
    const start: Start = {
      bot,
      msToReady: Math.round((ready?.at ?? Number.NaN) - spawnedAt),
      msToClientReady: Math.round(Number(clientReady.time) - spawnedAt),
      msToLibraryLoaded: Math.round(msToLibraryLoaded),
      stories: Number(loaded.stories),
      cache: (loaded.cache ?? {}) as Record<string, unknown>,
    };
    log(
      `${label}: gateway READY after ${start.msToReady} ms, clientReady after ${start.msToClientReady} ms (cache ${JSON.stringify(start.cache)})`,
    );
    return start;
  } catch (error) {
    await bot.stop();
    throw error;
  }
}

async function memoryOf(bot: Child) {
  const pid = bot.process.pid;
  const rssBeforeGcMb = residentMb(pid);
  const before = bot.jsonLines().length;
  bot.process.kill('SIGUSR2');
  const report = await bot.waitForJson(
    (line) => line.msg === 'bench memory' && bot.jsonLines().indexOf(line) >= before,
    30_000,
    'the bench memory report',
  );
  return {
    rssMb: round1(residentMb(pid) ?? Number(report.rssMb)),
    heapMb: round1(Number(report.heapUsedMb)),
    rssBeforeGcMb: rssBeforeGcMb === undefined ? null : round1(rssBeforeGcMb),
    peakRssMb: round1(residentMb(pid, 'VmHWM') ?? Number.NaN),
    rssAnonMb: round1(residentMb(pid, 'RssAnon') ?? Number.NaN),
    rssFileMb: round1(residentMb(pid, 'RssFile') ?? Number.NaN),
    heapTotalMb: Number(report.heapTotalMb),
    externalMb: Number(report.externalMb),
  };
}

// ---------------------------------------------------------------------------------------------

async function speakerFinder(): Promise<(shown: string) => string | undefined> {
  const story = await loadStoryFile(QUIZ_STORY);
  const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
  return (shown) =>
    story.dialogue.quotes
      .filter((quote) => quote.eligible && quote.speaker !== null && shown.includes(letters(quote.text)))
      .sort((a, b) => b.text.length - a.text.length)[0]?.speaker ?? undefined;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round1(os.totalmem() / 1e9),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map(round2),
  };
}

async function main(): Promise<void> {
  const sections = sectionsFromArgs(process.argv.slice(2));
  const startedAt = new Date();
  pdncNovels(); // a clear error now if ../shared/pdnc is missing
  const facts = machine();
  log(
    `machine: ${facts.cpuModel}, ${facts.cores} cores, ${facts.memoryGb} GB, node ${facts.node}, load ${facts.loadAverageAtStart.join(' ')}`,
  );
  if (sections.size < SECTIONS.length) log(`sections: only ${[...sections].join(', ')}`);

  const snapshot = await snapshotCode();
  log(
    `code: measuring a frozen copy of the working tree in ${snapshot.dir} (git ${snapshot.git?.head ?? '?'}${snapshot.git?.dirty ? ' + uncommitted changes' : ''})`,
  );
  try {
    await runBench(snapshot, facts, startedAt, sections);
  } finally {
    await snapshot.remove();
  }
}

type Ingest = Awaited<ReturnType<typeof benchIngest>>;
type Memory = Awaited<ReturnType<typeof memoryOf>>;

interface BotFigures {
  startup?: TableInput['startup'] & Record<string, unknown>;
  memory?: TableInput['memory'] & Record<string, unknown>;
  interaction?: Record<string, unknown>;
  throughput?: Awaited<ReturnType<typeof throughput>>;
}

async function runBench(
  snapshot: CodeSnapshot,
  facts: ReturnType<typeof machine>,
  startedAt: Date,
  sections: ReadonlySet<Section>,
): Promise<void> {
  const code = snapshot.dir;
  const codeVersion = await libraryCodeVersion(join(code, 'src', 'library'));
  let ingest: Ingest | undefined;
  if (sections.has('ingest')) {
    ingest = await benchIngest(code);
    log(`ingest: ${ingest.ms} ms, ${ingest.ratioToBareScan}× bare scan`);
  }
  const needsBot = SECTIONS.some((section) => section !== 'ingest' && sections.has(section));
  const figures = needsBot ? await benchBot(code, sections) : {};

  const results = {
    machine: { ...facts, loadAverageAtEnd: os.loadavg().map(round2) },
    startedAt: startedAt.toISOString(),
    code: { git: snapshot.git, libraryCodeVersion: codeVersion },
    sections: SECTIONS.filter((section) => sections.has(section)),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    ...(ingest === undefined ? {} : { ingest }),
    ...figures,
  };
  await mkdir(resolve(ROOT, 'bench'), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

/**
 * Everything measured on the running bot. Whatever is selected, the bot is started cold (which
 * fills the parsed-library cache of the frozen copy) and then warm, and the warm bot is measured,
 * as `npm start` runs after its first start.
 */
async function benchBot(code: string, sections: ReadonlySet<Section>): Promise<BotFigures> {
  log('building (or reusing) the ~100 MB library in bench/corpus/');
  const corpus = await buildCorpus(log);
  const corpusMb = round1(corpus.bytes / 1e6);
  log(`library: ${corpus.files} files, ${corpusMb} MB${corpus.built ? ' (built now)' : ' (reused)'}`);

  const world = buildFicWorld();
  const players: UserFixture[] = Array.from({ length: QUIZ_PLAYERS }, (_, index) => ({
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
  // The no-op bot gets its own stand-in of the same world, so both bots can stay connected and
  // be sampled in alternation.
  const noopStandin = await startStandin({
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
  const children: Child[] = [];
  const figures: BotFigures = {};
  try {
    await runNode(['--import', 'tsx', 'scripts/deploy-commands.ts'], 60_000, code, childEnv(env));

    const nodeFlags = await nodeFlagsOf(code);
    // Startup: cold (the copy has no parsed-library cache yet), then warm.
    log(
      `startup: cold start with ${corpusMb} MB (empty cache), node flags: ${nodeFlags.join(' ') || 'none'}`,
    );
    const cold = await timedStart(standin, env, code, 'cold start', nodeFlags);
    await cold.bot.stop();
    log('startup: warm start');
    let warm = await timedStart(standin, env, code, 'warm start', nodeFlags);
    children.push(warm.bot);
    for (
      let attempt = 2;
      attempt <= 3 && !(warm.stories > 0 && Number(warm.cache.hits) === warm.stories);
      attempt++
    ) {
      // Should not happen (the code is a frozen copy); if it does, this start refilled the cache.
      log(
        `startup: that start missed the cache (cache ${JSON.stringify(warm.cache)}); warm start attempt ${attempt}`,
      );
      await warm.bot.stop();
      warm = await timedStart(standin, env, code, `warm start, attempt ${attempt}`, nodeFlags);
      children.push(warm.bot);
    }
    if (sections.has('startup')) {
      figures.startup = {
        corpusMb,
        msToReady: warm.msToReady,
        msToClientReady: warm.msToClientReady,
        msToLibraryLoaded: warm.msToLibraryLoaded,
        cache: warm.cache,
        files: corpus.files,
        stories: warm.stories,
        cold: {
          msToReady: cold.msToReady,
          msToClientReady: cold.msToClientReady,
          msToLibraryLoaded: cold.msToLibraryLoaded,
          cache: cold.cache,
        },
      };
    }
    const bot = warm.bot;
    let memoryAfterLoad: Memory | undefined;
    if (sections.has('memory')) {
      await new Promise((done) => setTimeout(done, 2_000));
      log('memory: asking the warm bot for a post-GC report');
      memoryAfterLoad = await memoryOf(bot);
      log(`memory: RSS ${memoryAfterLoad.rssMb} MB, heap ${memoryAfterLoad.heapMb} MB`);
    }

    const scenario: Scenario = {
      standin,
      guildId: world.main.id,
      channelId: world.main.channels.general,
      moderatorId: world.users.moderator.id,
      players,
      storyId: '',
    };
    const lookup = standin.autocomplete({
      guildId: scenario.guildId,
      channelId: scenario.channelId,
      userId: world.users.reader.id,
      name: 'excerpt',
      focused: 'story',
      focusedValue: 'emm',
    });
    await lookup.response(10_000);
    const firstChoice = lookup.choices()?.[0] as JsonObject | undefined;
    if (!firstChoice) throw new Error('story autocomplete offered nothing for "emm"');
    scenario.storyId = String(firstChoice.value);

    if (sections.has('interaction')) {
      figures.interaction = await benchInteraction(scenario, { env, code, noopStandin, children, players });
    }

    let afterTraffic: Memory | undefined;
    if (sections.has('throughput')) {
      log(`throughput: ${THROUGHPUT_SECONDS} s at ${IN_FLIGHT} in flight`);
      figures.throughput = await throughput(scenario, THROUGHPUT_SECONDS, IN_FLIGHT);
      log(`throughput: ${figures.throughput.perSecond}/s, ${figures.throughput.failures} failures`);
      if (sections.has('memory')) {
        log('memory: 10 s idle after the traffic, then another post-GC report');
        await new Promise((done) => setTimeout(done, 10_000));
        afterTraffic = await memoryOf(bot);
        log(
          `memory after the traffic: RSS ${afterTraffic.rssMb} MB (before GC ${afterTraffic.rssBeforeGcMb} MB), heap ${afterTraffic.heapMb} MB`,
        );
      }
    }
    await bot.stop();

    if (memoryAfterLoad !== undefined) {
      // For comparison (not the figure): the same start with Node's defaults instead of npm start's flags.
      log("memory: one more warm start with Node's defaults (no node flags), for comparison");
      const defaults = await timedStart(standin, env, code, "warm start, Node's defaults", []);
      children.push(defaults.bot);
      await new Promise((done) => setTimeout(done, 2_000));
      const defaultsMemory = await memoryOf(defaults.bot);
      log(`memory with Node's defaults: RSS ${defaultsMemory.rssMb} MB, heap ${defaultsMemory.heapMb} MB`);
      await defaults.bot.stop();
      figures.memory = {
        corpusMb,
        nodeFlags,
        ...memoryAfterLoad,
        targetRssMb: round1(corpusMb * 3 + 100),
        ...(afterTraffic === undefined ? {} : { afterTraffic }),
        withNodeDefaults: { ...defaultsMemory, msToReady: defaults.msToReady },
      };
    }
    return figures;
  } finally {
    for (const child of children) await child.stop();
    await standin.close();
    await noopStandin.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The paired round trips (real bot and no-op bot in alternation), summarised per kind. */
async function benchInteraction(
  scenario: Scenario,
  context: {
    env: BotEnvironment;
    code: string;
    noopStandin: DiscordStandin;
    children: Child[];
    players: readonly UserFixture[];
  },
): Promise<Record<string, unknown>> {
  const { env, code, noopStandin, children, players } = context;
  log(`interaction: bench story ${scenario.storyId}; opening a quiz round on harbour-lights`);
  const quiz = await openQuizRound(scenario, 'harbour-lights', await speakerFinder()).catch(
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  if (quiz instanceof Error) log(`interaction: no quiz button figures: ${quiz.message}`);

  log('interaction: starting the no-op bot (scripts/bench/noop-bot.ts) on its own stand-in');
  const noopEnv = { ...env, DISCORD_API_URL: noopStandin.apiUrl };
  await runNode(['--import', 'tsx', 'scripts/deploy-commands.ts'], 60_000, code, childEnv(noopEnv));
  const noop = startChild(
    ['--import', 'tsx', 'scripts/bench/noop-bot.ts'],
    childEnv({ DISCORD_TOKEN: noopEnv.DISCORD_TOKEN, DISCORD_API_URL: noopEnv.DISCORD_API_URL }),
    code,
  );
  children.push(noop);
  await noop.waitForJson((line) => line.msg === 'connected to Discord', 60_000, 'the no-op bot connecting');
  // The same round message, so the no-op bot is pressed the same button.
  if (!(quiz instanceof Error)) noopStandin.messages.set(quiz.message.id, quiz.message);
  const noopScenario: Scenario = { ...scenario, standin: noopStandin };

  log(`interaction: real bot and no-op bot in alternation, ${SAMPLES} samples each after ${WARMUP} warm-up`);
  const paired = await measureKinds({ ours: scenario, noop: noopScenario }, quiz, {
    count: SAMPLES,
    warmup: WARMUP,
    log,
    quizPlayers: players,
  });
  await noop.stop();

  const interaction: Record<string, unknown> = {};
  for (const kind of Object.keys(paired) as Kind[]) {
    const pair = paired[kind];
    if (pair instanceof Error) {
      interaction[kind] = { error: pair.message };
      continue;
    }
    const mine = summarise(pair.ours);
    const theirs = summarise(pair.noop);
    interaction[kind] = {
      ...mine,
      p50RatioToNoop: round2(mine.p50Ms / theirs.p50Ms),
      noop: theirs,
      ...(pair.ours.failures.length > 0 ? { failureReasons: [...new Set(pair.ours.failures)] } : {}),
    };
  }
  return interaction;
}

interface TableInput {
  ingest?: {
    ms: number;
    mb: number;
    ratioToBareScan: number;
    mbPerS: number;
    pathological: Record<string, unknown>;
  };
  startup?: {
    corpusMb: number;
    msToReady: number;
    msToClientReady: number;
    cold: { msToReady: number; [more: string]: unknown };
  };
  memory?: {
    corpusMb: number;
    rssMb: number;
    heapMb: number;
    targetRssMb: number;
    nodeFlags: readonly string[];
    withNodeDefaults: { rssMb: number; heapMb: number; [more: string]: unknown };
  };
  interaction?: Record<string, unknown>;
  throughput?: { perSecond: number; failures: number };
}

/** The table of what was measured (sections left out by --only have no rows). */
function printTable(results: TableInput): void {
  const { ingest, startup, memory, throughput: sustained } = results;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rows: string[][] = [['measure', 'result', 'target', '']];
  if (ingest !== undefined) {
    rows.push([
      'ingest (PDNC)',
      `${ingest.mb} MB in ${ingest.ms} ms (${ingest.mbPerS} MB/s) = ${ingest.ratioToBareScan}× bare scan`,
      '≤ 8×',
      verdict(ingest.ratioToBareScan <= 8),
    ]);
    for (const [name, value] of Object.entries(ingest.pathological)) {
      const entry = value as { mb: number; ms: number; mbPerS: number; perMbCostGrowthAt3x: number | null };
      const growth = entry.perMbCostGrowthAt3x;
      rows.push([
        `  pathological ${name}`,
        `${entry.mb} MB in ${entry.ms} ms (${entry.mbPerS} MB/s vs ${ingest.mbPerS} normal); ${growth === null ? '3× size skipped (too slow)' : `per-MB cost ×${growth} at 3× size`}`,
        'linear (≈1×)',
        growth !== null && growth <= 1.5 ? 'ok' : 'NON-LINEAR?',
      ]);
    }
  }
  if (startup !== undefined) {
    rows.push([
      'startup (warm cache)',
      `${startup.corpusMb} MB: READY after ${startup.msToReady} ms (clientReady ${startup.msToClientReady} ms; cold ${startup.cold.msToReady} ms)`,
      '< 5000 ms',
      verdict(startup.msToReady < 5000),
    ]);
  }
  if (memory !== undefined) {
    rows.push([
      'memory',
      `RSS ${memory.rssMb} MB, heap ${memory.heapMb} MB for ${memory.corpusMb} MB of stories (node ${memory.nodeFlags.join(' ') || 'defaults'})`,
      `RSS ≤ ${memory.targetRssMb} MB`,
      verdict(memory.rssMb <= memory.targetRssMb),
    ]);
    rows.push([
      "  with Node's defaults",
      `RSS ${memory.withNodeDefaults.rssMb} MB, heap ${memory.withNodeDefaults.heapMb} MB (without npm start's ${memory.nodeFlags.join(' ')}, for comparison)`,
      '',
      '',
    ]);
  }
  for (const [kind, value] of Object.entries(results.interaction ?? {})) {
    if ((value as { error?: string }).error !== undefined) {
      rows.push([
        `interaction ${kind}`,
        `not measured: ${(value as { error: string }).error.slice(0, 100)}`,
        'p50 ≤ 1.5× no-op',
        'MISSED',
      ]);
      continue;
    }
    const entry = value as {
      p50Ms: number;
      p99Ms: number;
      p50RatioToNoop: number;
      failures: number;
      noop: { p50Ms: number };
    };
    rows.push([
      `interaction ${kind}`,
      `p50 ${entry.p50Ms} ms, p99 ${entry.p99Ms} ms; no-op p50 ${entry.noop.p50Ms} ms → ${entry.p50RatioToNoop}×${entry.failures ? `, ${entry.failures} failed` : ''}`,
      'p50 ≤ 1.5× no-op',
      verdict(entry.p50RatioToNoop <= 1.5 && entry.failures === 0),
    ]);
  }
  if (sustained !== undefined) {
    rows.push([
      'throughput',
      `${sustained.perSecond} interactions/s for ${THROUGHPUT_SECONDS} s at ${IN_FLIGHT} in flight, ${sustained.failures} failures`,
      'no failures',
      verdict(sustained.failures === 0),
    ]);
  }
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const [index, row] of rows.entries()) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' │ ')}\n`);
    if (index === 0) process.stdout.write(`${widths.map((width) => '─'.repeat(width)).join('─┼─')}\n`);
  }
  process.stdout.write(`\nwritten to ${RESULTS}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
