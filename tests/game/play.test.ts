/** The game in motion through /quiz and its buttons, on a real store (Redis), with a manual clock. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { pendingQuizTimers, QUIZ_KEYS, RETRY_MS, stopQuizTimers, tuneQuiz } from '../../src/game/index.ts';
import type { GameState } from '../../src/game/types.ts';
import { SETTINGS_KEY } from '../../src/gating/settings.ts';
import { openStore } from '../../src/state/store.ts';
import { type GuildStore, type Store, StoreUnavailableError } from '../../src/state/types.ts';
import { memoryLogger, purgePrefix, REDIS_URL, randomGuildId, runPrefix } from '../state/helpers.ts';
import { scoobyStory } from './fixtures.ts';
import {
  buttonIds,
  buttonsDisabled,
  ChannelLog,
  pressButton,
  quizServices,
  runQuizCommand,
  type TestServices,
  textOf,
  tick,
} from './support.ts';

const prefix = runPrefix();
let store: Store;
const alice = { id: '200000000000000001', name: 'alice' };
const bob = { id: '200000000000000002', name: 'bob' };
const carol = { id: '200000000000000003', name: 'carol' };

beforeAll(async () => {
  store = await openStore(REDIS_URL, { logger: memoryLogger(), prefix });
});
afterAll(async () => {
  await store.close();
  await purgePrefix('redis', prefix);
});

let services: TestServices;
let log: ChannelLog;
let where: { guildId: string; channelId: string };

beforeEach(() => {
  log = new ChannelLog();
  services = quizServices({ store, stories: [scoobyStory('hush', 5, 4)], logger: memoryLogger(), log });
  tuneQuiz(services, { timing: { gapMs: 2_000, minRoundIntervalMs: 3_000 } });
  where = { guildId: randomGuildId(), channelId: '300000000000000001' };
});
afterEach(() => stopQuizTimers(services));

async function gameOf(gameId: string): Promise<GameState> {
  return (await store.guild(where.guildId).get<GameState>(QUIZ_KEYS.game(gameId)))!;
}

/** The round on screen: its message, game id, round index and the right and a wrong button. */
async function currentRound() {
  const posted = log.lastRound()!;
  const ids = buttonIds(posted.message);
  const [, , gameId, round] = ids[0]!.split(':');
  const game = await gameOf(gameId!);
  const answer = game.questions[Number(round)]!.answer;
  return {
    posted,
    gameId: gameId!,
    round: Number(round),
    right: ids[answer]!,
    wrong: ids[(answer + 1) % 4]!,
    question: game.questions[Number(round)]!,
    postedAt: game.rounds[Number(round)]!.postedAt,
  };
}

describe('a whole game', () => {
  test('rounds follow by themselves; wins, lockouts, timeouts; a summary ranks the players; scores persist', async () => {
    const start = await runQuizCommand(services, alice, where, 'start', { rounds: 3, seconds: 20 });
    expect(start).toHaveLength(1);
    expect(textOf(start[0]!.message)).toMatch(/Quote quiz!\*\* 3 rounds · who said it\? · 20 seconds each/);
    expect(start[0]!.message.ephemeral).not.toBe(true);
    expect(log.all()).toHaveLength(0);

    await tick(services, 2_000);
    const r1 = await currentRound();
    expect(textOf(r1.posted.message)).toContain('Round 1 of 3 · Who said it?');
    expect(textOf(r1.posted.message)).toContain(r1.question.text.slice(0, 20));

    // bob answers wrong: told privately, and out for the round even with the right answer.
    const wrong = await pressButton(services, bob, where, r1.posted.messageId, r1.wrong);
    expect(wrong).toEqual([{ how: 'reply', message: expect.objectContaining({ ephemeral: true }) }]);
    expect(wrong[0]!.message.content).toMatch(/^Not .*out for this round/);
    const again = await pressButton(services, bob, where, r1.posted.messageId, r1.right);
    expect(again[0]!.message.content).toMatch(/already answered/);

    // alice answers right 5 seconds into the round: the message becomes the reveal with buttons disabled.
    await tick(services, r1.postedAt + 5_000 - services.clock.now());
    const win = await pressButton(services, alice, where, r1.posted.messageId, r1.right);
    expect(win).toHaveLength(1);
    expect(win[0]!.how).toBe('update');
    const reveal = textOf(win[0]!.message);
    expect(reveal).toContain(`It was ${r1.question.speaker}`);
    expect(reveal).toMatch(/Winner: alice: \+138 points \(100 \+ 38 speed\)/);
    expect(reveal).toMatch(/Scene: Scene \d+ of “Hush Little Sunnydale”/);
    expect(reveal).toContain('The clock ticked over line');
    expect(reveal).toContain('Wrong answers: bob');
    expect(buttonsDisabled(win[0]!.message)).toEqual([true, true, true, true]);

    // A late press on the finished round is told it is over.
    const late = await pressButton(services, carol, where, r1.posted.messageId, r1.right);
    expect(late[0]!.message).toMatchObject({ ephemeral: true, content: 'This round is over: alice got it.' });

    // Round 2 comes by itself; nobody answers; the deadline reveals it without a winner.
    await tick(services, 3_000);
    const r2 = await currentRound();
    expect(r2.round).toBe(1);
    expect(r2.posted.messageId).not.toBe(r1.posted.messageId);
    await tick(services, 20_000);
    const timedOut = log.messages.get(r2.posted.messageId)!;
    expect(textOf(timedOut.message)).toContain('Winner: Nobody: time ran out');
    expect(buttonsDisabled(timedOut.message)).toEqual([true, true, true, true]);

    // Round 3: bob wins instantly; the game ends with a summary ranking its players.
    await tick(services, 2_000);
    const r3 = await currentRound();
    expect(r3.round).toBe(2);
    await tick(services, r3.postedAt + 1_000 - services.clock.now()); // answers 1 s after the round was posted
    const bobWins = await pressButton(services, bob, where, r3.posted.messageId, r3.right);
    expect(textOf(bobWins[0]!.message)).toContain('Winner: bob: +148 points (100 + 48 speed)');
    const summary = log.all().at(-1)!;
    expect(textOf(summary.message)).toMatch(
      /final scores[\s\S]*3 rounds played[\s\S]*🥇 \*\*bob\*\*: 148 points[\s\S]*🥈 \*\*alice\*\*: 138 points/,
    );
    expect(pendingQuizTimers(services)).toBe(0);

    // A press on the ended game's buttons says so.
    const over = await pressButton(services, alice, where, r1.posted.messageId, r1.right);
    expect(over[0]!.message.content).toMatch(/This quiz is over/);

    const board = await runQuizCommand(services, carol, where, 'leaderboard', { period: 'week' });
    expect(textOf(board[0]!.message)).toMatch(
      /leaderboard · this week \(2026-W47\)[\s\S]*1\. \*\*bob\*\*: 148 points · 1 won · 50% accuracy[\s\S]*2\. \*\*alice\*\*: 138 points · 1 won · 100% accuracy/,
    );
    const stats = await runQuizCommand(services, carol, where, 'stats', { member: bob });
    expect(textOf(stats[0]!.message)).toMatch(
      /stats · bob[\s\S]*All time: \*\*148\*\* points \(#1\)\n1 round won\n50% accuracy \(1\/2\)\nbest streak 1\n1 game played/,
    );
    const mine = await runQuizCommand(services, carol, where, 'stats');
    expect(textOf(mine[0]!.message)).toContain('All time: No games yet');

    // The channel is free again.
    const next = await runQuizCommand(services, carol, where, 'start', { rounds: 1 });
    expect(textOf(next[0]!.message)).toContain('Quote quiz!');
  });

  test('streaks add their bonus and best streak is kept', async () => {
    await runQuizCommand(services, alice, where, 'start', { rounds: 3, seconds: 10 });
    for (let round = 0; round < 3; round++) {
      await tick(services, 5_000);
      const r = await currentRound();
      expect(r.round).toBe(round);
      await tick(services, r.postedAt + 10_000 - 1 - services.clock.now()); // at the buzzer: no speed bonus
      const win = await pressButton(services, alice, where, r.posted.messageId, r.right);
      expect(win[0]!.how).toBe('update');
    }
    const stats = await runQuizCommand(services, alice, where, 'stats');
    // 100, 125 and 150 points (streak bonus 0, 25, 50).
    expect(textOf(stats[0]!.message)).toMatch(
      /All time: \*\*375\*\* points \(#1\)\n3 rounds won\n100% accuracy \(3\/3\)\nbest streak 3/,
    );
  });
});

describe('story mode', () => {
  test('asks which story a line is from, among four titles, and reveals who said it', async () => {
    const titles = ['Hush', 'Restless', 'Once More', 'Chosen', 'Fool for Love'];
    services.library.replace({
      dir: 'x',
      stories: titles.map((title, i) => scoobyStory(`s${i}`, 5, 1, title)),
      problems: [],
    });
    await runQuizCommand(services, alice, where, 'start', { mode: 'story', rounds: 2 });
    await tick(services, 2_000);
    const r1 = await currentRound();
    const question = textOf(r1.posted.message);
    expect(question).toContain('Round 1 of 2 · Which story is it from?');
    expect(question).not.toContain(r1.question.storyTitle);
    const labels = (r1.posted.message.components ?? []).flatMap((row) =>
      row.components.map((button) => ('label' in button ? button.label : '')),
    );
    expect(labels).toHaveLength(4);
    expect(labels.every((label) => titles.includes(label ?? ''))).toBe(true);
    const win = await pressButton(services, bob, where, r1.posted.messageId, r1.right);
    expect(textOf(win[0]!.message)).toContain(`It was “${r1.question.storyTitle}”`);
    expect(textOf(win[0]!.message)).toContain(
      `Answer: ${r1.question.storyTitle} (said by ${r1.question.speaker})`,
    );
  });
});

describe('starting and stopping', () => {
  test('one game per channel: a second start says one is running and where', async () => {
    await runQuizCommand(services, alice, where, 'start', { rounds: 2 });
    await tick(services, 2_000);
    const second = await runQuizCommand(services, bob, where, 'start');
    expect(second[0]!.message.ephemeral).toBe(true);
    expect(second[0]!.message.content).toContain(
      `A quiz is already running in <#${where.channelId}> (round 1 of 2)`,
    );
    expect(second[0]!.message.content).toContain(
      `https://discord.com/channels/${where.guildId}/${where.channelId}/`,
    );
    // Another channel may have its own game.
    const elsewhere = await runQuizCommand(
      services,
      bob,
      { ...where, channelId: '300000000000000002' },
      'start',
    );
    expect(textOf(elsewhere[0]!.message)).toContain('Quote quiz!');
  });

  test('a member waits between starting quizzes', async () => {
    await runQuizCommand(services, alice, where, 'start', { rounds: 1 });
    await runQuizCommand(services, alice, where, 'stop');
    const soon = await runQuizCommand(services, alice, where, 'start', { rounds: 1 });
    expect(soon[0]!.message.content).toMatch(/you can start another in \d+ seconds/);
    await tick(services, 30_000);
    const later = await runQuizCommand(services, alice, where, 'start', { rounds: 1 });
    expect(textOf(later[0]!.message)).toContain('Quote quiz!');
  });

  test('/quiz stop: the starter or Manage Server; the round is revealed and the summary posted', async () => {
    await runQuizCommand(services, alice, where, 'start', { rounds: 5 });
    await tick(services, 2_000);
    const r1 = await currentRound();
    const refused = await runQuizCommand(services, bob, where, 'stop');
    expect(refused[0]!.message).toMatchObject({ ephemeral: true });
    expect(refused[0]!.message.content).toMatch(
      /Only alice, who started this quiz, or a member with Manage Server/,
    );
    const stopped = await runQuizCommand(services, bob, { ...where, canManageGuild: true }, 'stop');
    expect(stopped[0]!.message.content).toBe('Quiz stopped by bob.');
    const revealed = log.messages.get(r1.posted.messageId)!;
    expect(textOf(revealed.message)).toContain('Nobody: the quiz was stopped');
    expect(buttonsDisabled(revealed.message)).toEqual([true, true, true, true]);
    expect(textOf(log.all().at(-1)!.message)).toContain('Stopped after 1 of 5 rounds by bob.');
    const press = await pressButton(services, carol, where, r1.posted.messageId, r1.right);
    expect(press[0]!.message.content).toMatch(/This quiz is over/);
    const none = await runQuizCommand(services, alice, where, 'stop');
    expect(none[0]!.message.content).toBe('No quiz is running in this channel.');
  });

  test('defaults come from /config game settings; options override them', async () => {
    await store.guild(where.guildId).set(SETTINGS_KEY, { game: { seconds: 12, rounds: 2, mode: 'speaker' } });
    const defaults = await runQuizCommand(services, alice, where, 'start');
    expect(textOf(defaults[0]!.message)).toContain('2 rounds · who said it? · 12 seconds each');
    const overridden = await runQuizCommand(
      services,
      bob,
      { ...where, channelId: '300000000000000009' },
      'start',
      {
        rounds: 4,
        seconds: 45,
      },
    );
    expect(textOf(overridden[0]!.message)).toContain('4 rounds · who said it? · 45 seconds each');
  });

  test.each([
    [{ rounds: 0 }, '`rounds` must be a whole number from 1 to 50 (got 0).'],
    [{ seconds: 500 }, '`seconds` must be a whole number from 5 to 120 (got 500).'],
    [{ mode: 'chaos' }, '`mode` must be one of: speaker, story (got "chaos").'],
    [
      { story: 'no-such-story' },
      '`story`: no story called "no-such-story". Use /stories to see the library.',
    ],
    [{ mode: 'story' }, 'Story mode needs at least four stories this channel may show; there is 1.'],
  ])('bad options %o are refused: %s', async (values, message) => {
    const answers = await runQuizCommand(services, alice, where, 'start', values);
    expect(answers[0]!.message).toEqual({ content: message, ephemeral: true });
    expect(await store.guild(where.guildId).get(QUIZ_KEYS.channel(where.channelId))).toBeUndefined();
  });
});

describe('gating', () => {
  test('never a quote from a story the channel or the server would hide', async () => {
    const mature = { ...scoobyStory('dark', 5, 4, 'Dark Things'), ratingLevel: 'mature' as const };
    const gory = { ...scoobyStory('gory', 5, 4, 'Gory Things'), warningCategories: ['gore' as const] };
    services.library.replace({ dir: 'x', stories: [mature, gory], problems: [] });

    const named = await runQuizCommand(services, alice, where, 'start', { story: 'dark' });
    expect(named[0]!.message.content).toMatch(/rated Mature, and this channel allows at most Teen/);
    await store.guild(where.guildId).set(SETTINGS_KEY, { hiddenCategories: ['gore'] });
    const anything = await runQuizCommand(services, alice, where, 'start');
    expect(anything[0]!.message.content).toMatch(/No story this channel may show has lines ready/);

    // In an age-restricted channel the mature story is fine; the gory one stays hidden.
    const nsfw = { ...where, channelId: '300000000000000005', ageRestricted: true };
    await runQuizCommand(services, alice, nsfw, 'start', { rounds: 8 });
    const gameId = (await store.guild(where.guildId).get<string>(QUIZ_KEYS.channel(nsfw.channelId)))!;
    const game = await gameOf(gameId);
    expect(new Set(game.questions.map((q) => q.storyId))).toEqual(new Set(['dark']));
  });
});

describe('gating during a game', () => {
  test('a story hidden after the start is never asked about again', async () => {
    const other = scoobyStory('other', 5, 4, 'Another Night');
    const gory = { ...scoobyStory('gory', 5, 4, 'Gory Things'), warningCategories: ['gore' as const] };
    services.library.replace({ dir: 'x', stories: [other, gory], problems: [] });
    await runQuizCommand(services, alice, where, 'start', { rounds: 10, seconds: 10 });
    const gameId = (await store.guild(where.guildId).get<string>(QUIZ_KEYS.channel(where.channelId)))!;
    expect(new Set((await gameOf(gameId)).questions.map((q) => q.storyId))).toEqual(
      new Set(['other', 'gory']),
    );
    await tick(services, 2_000);
    await store.guild(where.guildId).set(SETTINGS_KEY, { hiddenCategories: ['gore'] });
    for (let round = 0; round < 12; round++) await tick(services, 13_000);
    const game = await gameOf(gameId);
    expect(game.phase).toBe('ended');
    const asked = game.questions.slice(1);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((q) => q.storyId === 'other')).toBe(true);
    expect(game.rounds).toHaveLength(game.questions.length);
  });
});

describe('a store outage', () => {
  test('delays the next round instead of stranding the game', async () => {
    let failing = false;
    const flaky: Store = {
      backend: store.backend,
      location: store.location,
      close: () => store.close(),
      guild(guildId) {
        const real = store.guild(guildId);
        const guard = <R>(run: () => Promise<R>): Promise<R> =>
          failing ? Promise.reject(new StoreUnavailableError('redis is down')) : run();
        const wrapped: GuildStore = {
          guildId,
          get: <T>(key: string) => guard(() => real.get<T>(key)),
          set: (key, value, ttl) => guard(() => real.set(key, value, ttl)),
          delete: (key) => guard(() => real.delete(key)),
          setIfAbsent: (key, value, ttl) => guard(() => real.setIfAbsent(key, value, ttl)),
          update: <T>(key: string, change: (current: T | undefined) => T, ttl?: number) =>
            guard(() => real.update<T>(key, change, ttl)),
        };
        return wrapped;
      },
    };
    const logger = memoryLogger();
    const flakyServices = quizServices({ store: flaky, stories: [scoobyStory('hush', 5, 4)], logger, log });
    tuneQuiz(flakyServices, { timing: { gapMs: 2_000, minRoundIntervalMs: 2_000 } });
    await runQuizCommand(flakyServices, alice, where, 'start', { rounds: 2 });
    failing = true;
    await tick(flakyServices, 2_000);
    expect(log.lastRound()).toBeUndefined();
    expect(logger.lines.some((line) => line.includes('quiz step failed; retrying shortly'))).toBe(true);
    expect(pendingQuizTimers(flakyServices)).toBe(1);
    failing = false;
    await tick(flakyServices, RETRY_MS);
    expect(textOf(log.lastRound()!.message)).toContain('Round 1 of 2');
    stopQuizTimers(flakyServices);
  });
});
