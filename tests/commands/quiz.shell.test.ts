/** /quiz through the terminal shell: two members play a whole game with :as and :press. */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createLibraryHolder } from '../../src/discord/services.ts';
import { QUIZ_KEYS, quizBusy, quizIdle, stopQuizTimers, tuneQuiz } from '../../src/game/index.ts';
import type { GameState } from '../../src/game/types.ts';
import { createManualClock, type ManualClock } from '../../src/shell/clock.ts';
import { SHELL_GUILD_ID, shellChannelId } from '../../src/shell/ids.ts';
import { createShell, type Shell } from '../../src/shell/shell.ts';
import { openStore } from '../../src/state/store.ts';
import type { Store } from '../../src/state/types.ts';
import { scoobyStory } from '../game/fixtures.ts';
import { memoryLogger } from '../state/helpers.ts';

interface QuizShell {
  readonly shell: Shell;
  readonly store: Store;
  printed: string;
  close(): Promise<void>;
}

let harness: QuizShell;
let clock: ManualClock;
afterEach(async () => {
  stopQuizTimers(harness.shell.services);
  await harness.close();
});

/** The real shell over a SQLite store in a temp folder, with a manual clock and captured output. */
async function start(): Promise<void> {
  clock = createManualClock(Date.UTC(2026, 10, 20, 12));
  const dir = await mkdtemp(join(tmpdir(), 'ficbot-quiz-'));
  const logger = memoryLogger();
  const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`, { logger });
  const output = new PassThrough();
  const shell = createShell({
    input: new PassThrough(),
    output,
    library: createLibraryHolder({ dir: 'test', stories: [scoobyStory('hush', 5, 4)], problems: [] }),
    store,
    logger,
    commands,
    clock,
  });
  harness = {
    shell,
    store,
    printed: '',
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  output.on('data', (chunk: Buffer) => {
    harness.printed += chunk.toString('utf8');
  });
  tuneQuiz(shell.services, { timing: { gapMs: 3_000, minRoundIntervalMs: 3_000 } });
}

/** Runs a line, lets the quiz's timer work finish, and returns everything printed meanwhile. */
async function line(text: string): Promise<string> {
  const before = harness.printed.length;
  await harness.shell.execute(text);
  const services = harness.shell.services;
  for (let turn = 0; turn < 20; turn++) {
    await quizIdle(services);
    await clock.advance(0);
    if (!quizBusy(services)) break;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  return harness.printed.slice(before);
}

async function currentGame(channel = 'general'): Promise<GameState> {
  const store = harness.store.guild(SHELL_GUILD_ID);
  const gameId = await store.get<string>(QUIZ_KEYS.channel(shellChannelId(SHELL_GUILD_ID, channel)));
  return (await store.get<GameState>(QUIZ_KEYS.game(gameId!)))!;
}

/** The button numbers (1-based) of the right answer and a wrong one in the current round. */
async function buttons(): Promise<{ right: number; wrong: number; speaker: string }> {
  const game = await currentGame();
  const question = game.questions[game.rounds.length - 1]!;
  return { right: question.answer + 1, wrong: ((question.answer + 1) % 4) + 1, speaker: question.speaker };
}

describe('/quiz in the shell', () => {
  test('alice and bob play a whole game', async () => {
    await start();
    await line(':as alice');
    const started = await line('/quiz start rounds:2 seconds:20');
    expect(started).toContain(
      '**Quote quiz!** 2 rounds · who said it? · 20 seconds each · started by alice.',
    );

    const round1 = await line(':wait 3');
    expect(round1).toContain('== Round 1 of 2 · Who said it? ==');
    expect(round1).toMatch(/\[1\] .+ {2}\[2\] .+ {2}\[3\] .+ {2}\[4\] /);
    const r1 = await buttons();

    await line(':as bob');
    const wrong = await line(`:press ${r1.wrong}`);
    expect(wrong).toContain('(only you can see this)');
    expect(wrong).toContain('You are out for this round.');
    expect(await line(`:press ${r1.right}`)).toContain('You already answered this round');

    await line(':as alice');
    const win = await line(`:press ${r1.right}`);
    expect(win).toContain('(edited)');
    expect(win).toContain(`== Round 1 of 2 · It was ${r1.speaker} ==`);
    expect(win).toMatch(/Winner: alice: \+150 points \(100 \+ 50 speed\)/);
    expect(win).toContain('Wrong answers: bob');
    expect(win).toMatch(/\(disabled\)/);
    expect(await line(`:press ${r1.right}`)).toContain('is disabled');

    const round2 = await line(':wait 3');
    expect(round2).toContain('== Round 2 of 2 · Who said it? ==');
    const r2 = await buttons();
    await line(':as bob');
    await line(':wait 10');
    const bobWins = await line(`:press ${r2.right}`);
    expect(bobWins).toMatch(/Winner: bob: \+125 points \(100 \+ 25 speed\)/);
    expect(bobWins).toMatch(
      /== Quote quiz · final scores ==[\s\S]*2 rounds played\.[\s\S]*🥇 \*\*alice\*\*: 150 points · 1 round won · best streak 1[\s\S]*🥈 \*\*bob\*\*: 125 points · 1 round won · best streak 1/,
    );

    const stats = await line('/quiz stats member:alice');
    expect(stats).toMatch(
      /Quote quiz stats · alice[\s\S]*All time: \*\*150\*\* points \(#1\)\n\s*\|? ?1 round won/,
    );
    const mine = await line('/quiz stats');
    expect(mine).toMatch(
      /Quote quiz stats · bob[\s\S]*\*\*125\*\* points \(#2\)[\s\S]*50% accuracy \(1\/2\)/,
    );
    const board = await line('/quiz leaderboard period:month');
    expect(board).toMatch(
      /leaderboard · this month \(2026-11\)[\s\S]*1\. \*\*alice\*\*: 150 points · 1 won · 100% accuracy[\s\S]*2\. \*\*bob\*\*: 125 points · 1 won · 50% accuracy/,
    );
  });

  test('stop needs the starter or Manage Server; a second game in the channel is refused', async () => {
    await start();
    await line(':as alice');
    await line('/quiz start rounds:3');
    await line(':wait 3');
    await line(':as bob');
    const second = await line('/quiz start');
    expect(second).toContain('(only you can see this)');
    expect(second).toMatch(/A quiz is already running in <#\d+> \(round 1 of 3\)/);
    expect(await line('/quiz stop')).toContain(
      'Only alice, who started this quiz, or a member with Manage Server can stop it.',
    );
    await line(':mod on');
    const stopped = await line('/quiz stop');
    expect(stopped).toContain('Quiz stopped by bob.');
    expect(stopped).toContain('Nobody: the quiz was stopped');
    expect(stopped).toContain('Stopped after 1 of 3 rounds by bob.');
  });

  test('a round nobody answers is revealed when time runs out', async () => {
    await start();
    await line('/quiz start rounds:1 seconds:10');
    await line(':wait 3');
    const { speaker } = await buttons();
    const timedOut = await line(':wait 10');
    expect(timedOut).toContain('(edited)');
    expect(timedOut).toContain(`It was ${speaker}`);
    expect(timedOut).toContain('Winner: Nobody: time ran out');
    expect(timedOut).toContain('Nobody answered this time.');
  });
});
