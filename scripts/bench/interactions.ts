/**
 * Interaction round trips through the Discord stand-in: the stand-in dispatches
 * INTERACTION_CREATE and times until the bot's first callback request for it arrives.
 */
import {
  buttonsOf,
  type DiscordStandin,
  type InteractionHandle,
  type JsonObject,
  type StoredMessage,
} from '../../tests/support/discord-standin.ts';
import type { UserFixture } from '../../tests/support/standin-fixtures.ts';

export interface Scenario {
  readonly standin: DiscordStandin;
  readonly guildId: string;
  readonly channelId: string;
  readonly moderatorId: string;
  readonly players: readonly UserFixture[];
  storyId: string;
}

export type Kind = '/excerpt' | '/summary' | 'autocomplete' | 'quiz button';

export interface Samples {
  readonly latencies: number[];
  readonly failures: string[];
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  failures: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function summarise(samples: Samples): LatencySummary {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  return {
    p50Ms: round2(percentile(sorted, 50)),
    p99Ms: round2(percentile(sorted, 99)),
    samples: sorted.length,
    failures: samples.failures.length,
  };
}

const userAt = (scenario: Scenario, index: number) =>
  scenario.players[index % scenario.players.length]?.id ?? scenario.moderatorId;

export const send = {
  excerpt: (scenario: Scenario, userId: string) =>
    scenario.standin.slashCommand({
      guildId: scenario.guildId,
      channelId: scenario.channelId,
      userId,
      name: 'excerpt',
      options: { story: scenario.storyId, scene: 1 },
    }),
  summary: (scenario: Scenario, userId: string) =>
    scenario.standin.slashCommand({
      guildId: scenario.guildId,
      channelId: scenario.channelId,
      userId,
      name: 'summary',
      options: { story: scenario.storyId },
    }),
  warnings: (scenario: Scenario, userId: string) =>
    scenario.standin.slashCommand({
      guildId: scenario.guildId,
      channelId: scenario.channelId,
      userId,
      name: 'warnings',
      options: { story: scenario.storyId },
    }),
  autocomplete: (scenario: Scenario, userId: string) =>
    scenario.standin.autocomplete({
      guildId: scenario.guildId,
      channelId: scenario.channelId,
      userId,
      name: 'excerpt',
      focused: 'story',
      focusedValue: 'emm',
    }),
};

function failureOf(response: { status: number; errorCode?: number } | undefined): string | null {
  if (!response) return 'no answer within the time limit';
  return response.status < 300
    ? null
    : `HTTP ${response.status}${response.errorCode ? ` (${response.errorCode})` : ''}`;
}

async function once(handle: InteractionHandle, into: Samples, record: boolean): Promise<void> {
  const response = await handle.response(10_000).catch(() => undefined);
  if (!record) return;
  const failure = failureOf(response);
  if (failure !== null || !response) into.failures.push(failure ?? 'no answer');
  else into.latencies.push(response.at - handle.sentAt);
}

export interface Paired {
  readonly ours: Samples;
  readonly noop: Samples;
}

/**
 * `warmup` unrecorded rounds, then `count` recorded ones, one interaction at a time, alternating
 * between the real bot and the no-op bot so both see the same machine load at the same moments.
 */
async function samplePaired(
  make: (scenario: Scenario, index: number) => InteractionHandle,
  scenarios: { ours: Scenario; noop: Scenario },
  count: number,
  warmup: number,
): Promise<Paired> {
  const result: Paired = { ours: { latencies: [], failures: [] }, noop: { latencies: [], failures: [] } };
  for (let index = 0; index < warmup + count; index++) {
    const record = index >= warmup;
    // Alternate which goes first, so neither always runs just after the other.
    const order = index % 2 === 0 ? (['ours', 'noop'] as const) : (['noop', 'ours'] as const);
    for (const side of order) await once(make(scenarios[side], index), result[side], record);
  }
  return result;
}

export interface QuizRound {
  readonly message: StoredMessage;
  readonly wrongId: string;
}

const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

/**
 * Starts a one-round quiz on `storyId` and returns the round message and a wrong answer's button
 * (a wrong answer leaves the round open, so hundreds of players can press it in turn).
 */
export async function openQuizRound(
  scenario: Scenario,
  storyId: string,
  speakerOf: (shownLetters: string) => string | undefined,
): Promise<QuizRound> {
  const start = scenario.standin.slashCommand({
    guildId: scenario.guildId,
    channelId: scenario.channelId,
    userId: scenario.moderatorId,
    name: 'quiz',
    subcommand: 'start',
    options: { story: storyId, rounds: 1, seconds: 120 },
  });
  await start.response(10_000);
  const message = await scenario.standin
    .waitForMessage(
      (candidate) =>
        candidate.origin === 'channel' &&
        buttonsOf(candidate).some((b) => String(b.custom_id).startsWith('quiz:guess:')),
      30_000,
    )
    .catch(() => {
      const reply = start.message();
      const said = reply
        ? [reply.content, ...reply.embeds.map((embed) => JSON.stringify(embed))].join(' ')
        : 'nothing';
      throw new Error(
        `/quiz start posted no round with answer buttons within 30 s; its reply: ${said.slice(0, 500)}`,
      );
    });
  const shown = letters(String((message.embeds[0] as JsonObject | undefined)?.description ?? ''));
  const speaker = speakerOf(shown);
  if (speaker === undefined) throw new Error('could not tell the right answer from the quiz round message');
  const wrong = buttonsOf(message).find(
    (button) => String(button.custom_id).startsWith('quiz:guess:') && button.label !== speaker,
  );
  if (!wrong) throw new Error('the quiz round message has no wrong answer to press');
  return { message, wrongId: String(wrong.custom_id) };
}

/** Latency samples of every kind, the real bot and the no-op bot in alternation. */
export async function measureKinds(
  scenarios: { ours: Scenario; noop: Scenario },
  quiz: QuizRound | Error,
  options: {
    count: number;
    warmup: number;
    log: (line: string) => void;
    quizPlayers: readonly UserFixture[];
  },
): Promise<Record<Kind, Paired | Error>> {
  const { count, warmup, log } = options;
  log(`  /excerpt × ${count}`);
  const excerpt = await samplePaired(
    (scenario, i) => send.excerpt(scenario, userAt(scenario, i)),
    scenarios,
    count,
    warmup,
  );
  log(`  /summary × ${count}`);
  const summary = await samplePaired(
    (scenario, i) => send.summary(scenario, userAt(scenario, i)),
    scenarios,
    count,
    warmup,
  );
  log(`  story autocomplete × ${count}`);
  const autocomplete = await samplePaired(
    (scenario, i) => send.autocomplete(scenario, userAt(scenario, i)),
    scenarios,
    count,
    warmup,
  );
  if (quiz instanceof Error)
    return { '/excerpt': excerpt, '/summary': summary, autocomplete, 'quiz button': quiz };
  // Each press comes from a member who has not answered this round yet (a wrong answer).
  const presses = Math.min(count, options.quizPlayers.length - warmup);
  log(`  quiz answer button × ${presses}`);
  const quizButton = await samplePaired(
    (scenario, i) =>
      scenario.standin.pressButton({
        message: quiz.message,
        customId: quiz.wrongId,
        userId: options.quizPlayers[i]?.id ?? scenario.moderatorId,
        forge: true,
      }),
    scenarios,
    presses,
    warmup,
  );
  return { '/excerpt': excerpt, '/summary': summary, autocomplete, 'quiz button': quizButton };
}

/** Interactions per second with `inFlight` outstanding at all times, for `seconds`. */
export async function throughput(scenario: Scenario, seconds: number, inFlight: number) {
  const { standin } = scenario;
  standin.recordBodies = false;
  standin.clearRecords();
  const kinds = [send.excerpt, send.summary, send.autocomplete, send.warnings];
  const deadline = performance.now() + seconds * 1000;
  let completed = 0;
  let counter = 0;
  const failureKinds: Record<string, number> = {};
  const worker = async () => {
    while (performance.now() < deadline) {
      counter++;
      const make = kinds[counter % kinds.length] ?? send.excerpt;
      const handle = make(scenario, userAt(scenario, counter));
      const failure = failureOf(await handle.response(5_000).catch(() => undefined));
      if (failure === null) completed++;
      else failureKinds[failure] = (failureKinds[failure] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - started) / 1000;
  standin.recordBodies = true;
  standin.clearRecords();
  return {
    perSecond: Math.round((completed / elapsed) * 10) / 10,
    failures: Object.values(failureKinds).reduce((sum, n) => sum + n, 0),
    failureKinds,
    completed,
    seconds: Math.round(elapsed * 10) / 10,
    inFlight,
    mix: ['/excerpt', '/summary', 'autocomplete', '/warnings'],
  };
}
