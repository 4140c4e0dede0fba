// ficbot end to end: the real entry points (`npm run deploy`, `npm start`) as child processes,
// talking to the local Discord stand-in exactly as they would talk to Discord.
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../src/library/index.ts';
import type { Story } from '../../src/library/types.ts';
import {
  type BotEnvironment,
  PROJECT_ROOT,
  type RunningBot,
  runDeploy,
  startBot,
} from '../support/bot-process.ts';
import {
  buttonsOf,
  type DiscordStandin,
  type InteractionHandle,
  type Json,
  type JsonObject,
  type StoredMessage,
  startStandin,
} from '../support/discord-standin.ts';
import { buildFicWorld, type FicWorld } from '../support/standin-fixtures.ts';
import type { SlashCommandInput } from '../support/standin-interactions.ts';

const STORIES_DIR = join(PROJECT_ROOT, 'tests', 'e2e', 'stories');

/** One long general-audience scene, so /excerpt has pages to turn. */
function longVoyage(): string {
  const paragraphs = Array.from(
    { length: 40 },
    (_, index) =>
      `Day ${index + 1}. The ship held its course through grey water, and the crew counted the hours by the bell. ` +
      'Ropes were checked, sails were mended, and the cook argued with the gulls over the last of the bread. ' +
      'Nobody spoke of home, though everybody thought of it.',
  );
  return ['Title: The Long Voyage', 'Author: Ada Marsh', 'Rating: General Audiences', '', ...paragraphs].join(
    '\n\n',
  );
}

function embedOf(message: StoredMessage | undefined): JsonObject {
  const embed = message?.embeds[0];
  if (!embed || typeof embed !== 'object' || Array.isArray(embed)) throw new Error('expected an embed');
  return embed;
}

/** All text a user sees in a message: content, embed title/description/fields/footer/author. */
function visibleText(message: StoredMessage | undefined): string {
  if (!message) return '';
  const parts: string[] = [message.content];
  for (const embed of message.embeds as JsonObject[]) {
    const fields = Array.isArray(embed.fields) ? (embed.fields as JsonObject[]) : [];
    const footer = embed.footer as JsonObject | undefined;
    const author = embed.author as JsonObject | undefined;
    parts.push(
      String(embed.title ?? ''),
      String(embed.description ?? ''),
      ...fields.flatMap((field) => [String(field.name), String(field.value)]),
      String(footer?.text ?? ''),
      String(author?.name ?? ''),
    );
  }
  return parts.join('\n');
}

const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

describe('ficbot against the Discord stand-in', () => {
  let world: FicWorld;
  let standin: DiscordStandin;
  let workDir: string;
  let env: BotEnvironment;
  let bot: RunningBot;
  let library: Story[];
  let botStartedAtRequest = 0;

  beforeAll(async () => {
    world = buildFicWorld();
    standin = await startStandin({
      applicationId: world.applicationId,
      botToken: world.botToken,
      guilds: world.guilds,
      users: world.allUsers,
      heartbeatIntervalMs: 2_000,
    });
    workDir = await mkdtemp(join(tmpdir(), 'ficbot-e2e-'));
    const dataDir = join(workDir, 'data');
    await mkdir(dataDir);
    for (const file of await readdir(STORIES_DIR))
      await copyFile(join(STORIES_DIR, file), join(dataDir, file));
    await writeFile(join(dataDir, 'long-voyage.txt'), longVoyage());
    library = [...(await loadLibrary(dataDir)).stories];
    env = {
      DISCORD_TOKEN: world.botToken,
      DISCORD_CLIENT_ID: world.applicationId,
      DISCORD_GUILD_ID: world.main.id,
      DISCORD_API_URL: standin.apiUrl,
      STORE_URL: `sqlite://${join(workDir, 'store.sqlite')}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await standin?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  function run(input: Partial<SlashCommandInput> & { name: string }): InteractionHandle {
    return standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      ...input,
    });
  }

  /** The message the interaction's answer shows once the bot has answered (reply or defer + edit). */
  async function answerOf(handle: InteractionHandle): Promise<StoredMessage> {
    const first = await handle.response(5_000);
    expect(first.status, JSON.stringify(first.response)).toBeLessThan(300);
    return standin.waitFor(
      () => {
        const message = handle.message();
        return message && (message.flags & 128) === 0 ? message : undefined;
      },
      5_000,
      `the answer to interaction ${handle.id}`,
    );
  }

  test('npm run deploy registers every command with one guild bulk overwrite', async () => {
    const result = await runDeploy(env);
    expect(result.code, result.stderr).toBe(0);
    const puts = standin.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => `${request.route} ${request.status}`)).toEqual([
      'PUT /applications/:app/guilds/:guild/commands 200',
    ]);
    expect(puts[0]?.path).toBe(`/v10/applications/${world.applicationId}/guilds/${world.main.id}/commands`);
    const names = standin.commandsFor(world.main.id).map((command) => command.name);
    expect(names.sort()).toEqual(['config', 'excerpt', 'help', 'quiz', 'stories', 'summary', 'warnings']);
    expect(result.stdout).toContain('Registered 7 commands');
    expect(standin.commandsFor(world.other.id)).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(world.botToken);
    // A second development server gets its own overwrite.
    const second = await runDeploy({ ...env, DISCORD_GUILD_ID: world.other.id });
    expect(second.code, second.stderr).toBe(0);
    expect(standin.commandsFor(world.other.id)).toHaveLength(7);
  }, 60_000);

  test('npm start logs in through the stand-in and reaches the gateway', async () => {
    botStartedAtRequest = standin.requests.length;
    bot = startBot(env);
    await bot.waitForLog((line) => line.msg === 'connected to Discord', 30_000);
    const [session] = await standin.waitForShards(1);
    expect(session?.guildIds.sort()).toEqual([world.main.id, world.other.id].sort());
    expect(standin.requests[botStartedAtRequest]?.route).toBe('GET /gateway/bot');
    expect(bot.output()).not.toContain(world.botToken);
  }, 60_000);

  test('the running bot never registers commands itself', () => {
    const later = standin.requests.slice(botStartedAtRequest);
    expect(later.filter((request) => request.method === 'PUT')).toEqual([]);
  });

  test('/help answers privately with every command', async () => {
    const message = await answerOf(run({ name: 'help' }));
    expect(message.ephemeralFor).toBe(world.users.reader.id);
    const text = visibleText(message);
    for (const name of ['/stories', '/excerpt', '/summary', '/warnings', '/quiz', '/config', '/help']) {
      expect(text).toContain(name);
    }
  });

  test('/stories lists what an ordinary channel may show, and more in an age-restricted one', async () => {
    const ordinary = visibleText(await answerOf(run({ name: 'stories' })));
    expect(ordinary).toContain('Harbour Lights');
    expect(ordinary).toContain('The Long Voyage');
    expect(ordinary).not.toContain('Midnight Oath');
    const restricted = visibleText(
      await answerOf(run({ name: 'stories', channelId: world.main.channels.afterDark })),
    );
    expect(restricted).toContain('Midnight Oath');
    expect(restricted).toContain('Harbour Lights');
  });

  test('story autocomplete offers only what the channel may show', async () => {
    const harbour = standin.autocomplete({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'excerpt',
      focused: 'story',
      focusedValue: 'harb',
    });
    await harbour.response();
    expect(harbour.choices()).toEqual([expect.objectContaining({ value: 'harbour-lights' })]);
    const hidden = standin.autocomplete({
      guildId: world.main.id,
      channelId: world.main.channels.general,
      userId: world.users.reader.id,
      name: 'summary',
      focused: 'story',
      focusedValue: 'midnight',
    });
    await hidden.response();
    expect(hidden.choices()).toEqual([]);
    const shown = standin.autocomplete({
      guildId: world.main.id,
      channelId: world.main.channels.afterDark,
      userId: world.users.reader.id,
      name: 'summary',
      focused: 'story',
      focusedValue: 'midnight',
    });
    await shown.response();
    expect(shown.choices()).toEqual([expect.objectContaining({ value: 'midnight-oath' })]);
  });

  test('/excerpt shows a page of a scene, and its buttons turn the pages', async () => {
    const handle = run({ name: 'excerpt', options: { story: 'long-voyage', scene: 1 } });
    const first = await answerOf(handle);
    expect(first.ephemeralFor).toBeUndefined();
    const footer = String((embedOf(first).footer as JsonObject).text);
    const pageCount = Number(/page 1 of (\d+)/.exec(footer)?.[1]);
    expect(pageCount).toBeGreaterThan(1);
    expect(String(embedOf(first).description)).toContain('Day 1.');
    const next = buttonsOf(first).find((button) => button.label === 'Next page ▶');
    expect(next?.disabled).toBe(false);
    const press = standin.pressButton({
      message: first,
      customId: String(next?.custom_id),
      userId: world.users.reader2.id,
    });
    expect((await press.response()).body).toMatchObject({ type: 7 });
    const second = standin.message(first.id);
    expect(String((embedOf(second).footer as JsonObject).text)).toContain(`page 2 of ${pageCount}`);
    expect(String(embedOf(second).description)).not.toContain('Day 1.');
    const previous = buttonsOf(second).find((button) => button.label === '◀ Previous page');
    expect(previous?.disabled).toBe(false);
  });

  test('a tampered page button gets a clear private answer and leaves the message alone', async () => {
    const first = await answerOf(run({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } }));
    const before = JSON.stringify(first.embeds);
    const press = standin.pressButton({
      message: first,
      customId: 'excerpt:page:harbour-lights:99:0',
      userId: world.users.reader.id,
      forge: true,
    });
    const answer = await answerOf(press);
    expect(answer.id).not.toBe(first.id);
    expect(answer.ephemeralFor).toBe(world.users.reader.id);
    expect(answer.content).toMatch(/scene/i);
    expect(JSON.stringify(standin.message(first.id)?.embeds)).toBe(before);
  });

  test('/summary shows the summary and the facts of a story', async () => {
    const message = await answerOf(run({ name: 'summary', options: { story: 'harbour-lights' } }));
    const embed = embedOf(message);
    expect(embed.title).toBe('Harbour Lights');
    expect(String(embed.description)).toContain('lighthouse');
    const fields = (embed.fields as JsonObject[]).map((field) => field.name);
    expect(fields).toEqual(
      expect.arrayContaining(['Rating', 'Warnings', 'Words', 'Scenes', 'Main characters']),
    );
  });

  test('/warnings explains a story that this channel may not show, privately, and shows it where allowed', async () => {
    const refused = await answerOf(run({ name: 'warnings', options: { story: 'midnight-oath' } }));
    expect(refused.ephemeralFor).toBe(world.users.reader.id);
    expect(visibleText(refused)).toContain('Graphic violence');
    const allowed = await answerOf(
      run({
        name: 'warnings',
        channelId: world.main.channels.afterDark,
        options: { story: 'midnight-oath' },
      }),
    );
    expect(allowed.ephemeralFor).toBeUndefined();
    expect(visibleText(allowed)).toMatch(/Served in this channel/);
  });

  test('gating: an explicit story is refused in an ordinary channel and served in age-restricted ones', async () => {
    const refused = await answerOf(run({ name: 'excerpt', options: { story: 'midnight-oath' } }));
    expect(refused.ephemeralFor).toBe(world.users.reader.id);
    expect(refused.embeds).toEqual([]);
    expect(refused.content).not.toContain('The candles guttered');
    const served = await answerOf(
      run({
        name: 'excerpt',
        channelId: world.main.channels.afterDark,
        options: { story: 'midnight-oath', scene: 1 },
      }),
    );
    expect(String(embedOf(served).description)).toContain('The candles guttered');
    const inThread = await answerOf(
      run({
        name: 'excerpt',
        channelId: world.main.channels.nsfwThread,
        options: { story: 'midnight-oath', scene: 1 },
      }),
    );
    expect(String(embedOf(inThread).description)).toContain('The candles guttered');
    const ordinaryThread = await answerOf(
      run({ name: 'excerpt', channelId: world.main.channels.thread, options: { story: 'midnight-oath' } }),
    );
    expect(ordinaryThread.embeds).toEqual([]);
  });

  test('story text carrying @everyone and role or user mentions pings nobody', async () => {
    const message = await answerOf(
      run({ name: 'excerpt', options: { story: 'everyone-is-here', scene: 1 } }),
    );
    expect(visibleText(message)).toContain('everyone');
    const request = standin.messageRequests().at(-1)!;
    expect(request.pings).toEqual({ everyone: false, users: [], roles: [] });
    expect(message.pings).toEqual({ everyone: false, users: [], roles: [] });
  });

  test('a member without Manage Server is refused /config even where the server overrode its permissions', async () => {
    const handle = run({
      name: 'config',
      subcommand: 'rating',
      options: { ordinary: 'explicit' },
      userId: world.users.reader.id,
      permissionOverride: true,
    });
    const answer = await answerOf(handle);
    expect(answer.ephemeralFor).toBe(world.users.reader.id);
    expect(visibleText(answer)).toContain('Manage Server');
    const still = await answerOf(run({ name: 'excerpt', options: { story: 'midnight-oath' } }));
    expect(still.embeds).toEqual([]);
  });

  test('a moderator changes the rating setting; it applies in that server only', async () => {
    const change = await answerOf(
      run({
        name: 'config',
        subcommand: 'rating',
        options: { ordinary: 'explicit' },
        userId: world.users.moderator.id,
      }),
    );
    expect(change.ephemeralFor).toBe(world.users.moderator.id);
    expect(visibleText(change)).toMatch(/explicit/i);
    const served = await answerOf(run({ name: 'excerpt', options: { story: 'midnight-oath', scene: 1 } }));
    expect(String(embedOf(served).description)).toContain('The candles guttered');
    const inMain = visibleText(await answerOf(run({ name: 'stories' })));
    expect(inMain).toContain('Midnight Oath');
    const elsewhere = await answerOf(
      standin.slashCommand({
        guildId: world.other.id,
        channelId: world.other.channels.general,
        userId: world.users.reader.id,
        name: 'stories',
      }),
    );
    expect(visibleText(elsewhere)).not.toContain('Midnight Oath');
    expect(visibleText(elsewhere)).toContain('Harbour Lights');
    const reset = await answerOf(
      run({ name: 'config', subcommand: 'reset', userId: world.users.moderator.id }),
    );
    expect(visibleText(reset)).toMatch(/defaults/i);
    const refusedAgain = await answerOf(run({ name: 'excerpt', options: { story: 'midnight-oath' } }));
    expect(refusedAgain.embeds).toEqual([]);
  });

  test('a whole quiz round with two members: a wrong answer is out, the right one wins, scores are kept', async () => {
    const eligible = library
      .find((candidate) => candidate.id === 'harbour-lights')
      ?.dialogue.quotes.filter((quote) => quote.eligible);
    expect(
      eligible?.length,
      'the library marks no line of harbour-lights eligible for the quiz, so no quiz can start',
    ).toBeGreaterThanOrEqual(4);
    const start = run({
      name: 'quiz',
      subcommand: 'start',
      options: { story: 'harbour-lights', rounds: 1, seconds: 20 },
      userId: world.users.reader.id,
    });
    const announcement = await answerOf(start);
    expect(announcement.content).toContain('Quote quiz!');
    const round = await standin.waitForMessage(
      (message) =>
        message.origin === 'channel' &&
        message.channelId === world.main.channels.general &&
        buttonsOf(message).some((button) => String(button.custom_id).startsWith('quiz:guess:')),
      15_000,
    );
    const buttons = buttonsOf(round);
    expect(buttons).toHaveLength(4);
    const story = library.find((candidate) => candidate.id === 'harbour-lights')!;
    const shown = letters(String(embedOf(round).description));
    const quote = story.dialogue.quotes
      .filter((candidate) => candidate.eligible && shown.includes(letters(candidate.text)))
      .sort((a, b) => b.text.length - a.text.length)[0];
    expect(quote?.speaker).toBeTruthy();
    const right = buttons.find((button) => button.label === quote?.speaker)!;
    const wrong = buttons.find((button) => button.label !== quote?.speaker)!;

    const wrongPress = standin.pressButton({
      message: round,
      customId: String(wrong.custom_id),
      userId: world.users.reader2.id,
    });
    const wrongAnswer = await answerOf(wrongPress);
    expect(wrongAnswer.ephemeralFor).toBe(world.users.reader2.id);
    expect(wrongAnswer.content).toContain(`Not ${String(wrong.label)}`);

    const again = standin.pressButton({
      message: round,
      customId: String(right.custom_id),
      userId: world.users.reader2.id,
    });
    expect((await answerOf(again)).content).toMatch(/already answered|out/i);

    const win = standin.pressButton({
      message: round,
      customId: String(right.custom_id),
      userId: world.users.reader.id,
    });
    expect((await win.response()).body).toMatchObject({ type: 7 });
    const revealed = standin.message(round.id)!;
    const revealText = visibleText(revealed);
    expect(revealText).toContain(String(quote?.speaker));
    expect(revealText).toMatch(/Reed|reed/);
    expect(buttonsOf(revealed).every((button) => button.disabled === true)).toBe(true);

    const summary = await standin.waitForMessage(
      (message) =>
        message.origin === 'channel' &&
        message.id !== round.id &&
        message.createdAt >= revealed.createdAt &&
        /reed/i.test(visibleText(message)),
      15_000,
    );
    expect(visibleText(summary)).toMatch(/reed/i);

    const board = visibleText(await answerOf(run({ name: 'quiz', subcommand: 'leaderboard' })));
    // Reed won the only round, so Reed tops the board, above Rhea who answered wrongly.
    const reed = board.search(/reed/i);
    const rhea = board.search(/rhea/i);
    expect(reed, board).toBeGreaterThan(-1);
    if (rhea > -1) expect(reed, board).toBeLessThan(rhea);
  }, 60_000);

  test('every message the bot sent disabled mentions', () => {
    const sent = standin.messageRequests().filter((request) => request.status < 300);
    expect(sent.length).toBeGreaterThan(15);
    const offenders = sent.filter((request) => request.mentionsDisabled !== true);
    expect(offenders.map((request) => `${request.route} ${JSON.stringify(request.body as Json)}`)).toEqual(
      [],
    );
  });

  test('no interaction went unanswered or was answered twice', () => {
    const handles = standin.interactionsSent;
    for (const handle of handles) {
      const callbacks = handle.callbacks();
      expect(callbacks.length, `interaction ${handle.id} (${JSON.stringify(handle.payload.data)})`).toBe(1);
      expect(callbacks[0]?.status).toBeLessThan(300);
    }
    const refused = standin.requests.filter((request) => request.status >= 400);
    expect(refused.map((request) => `${request.route} ${request.errorCode}`)).toEqual([]);
  });

  test('the bot logged no errors along the way', () => {
    const errors = bot.logLines().filter((line) => Number(line.level) >= 50);
    expect(errors).toEqual([]);
  });

  test('SIGTERM shuts the bot down cleanly and closes the gateway session', async () => {
    const result = await bot.stop('SIGTERM');
    expect(result.code).toBe(0);
    const closes = standin.gateway.connections.filter((connection) => connection.closedBy === 'client');
    expect(closes.at(-1)?.closeCode).toBe(1000);
    expect(result.stdout + result.stderr).not.toContain(world.botToken);
  }, 30_000);
});
