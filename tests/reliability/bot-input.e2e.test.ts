/**
 * Hostile input through the real bot process and the Discord stand-in:
 * - story text full of Discord markup (mentions, spoilers, code fences, headings, masked links)
 *   served by /excerpt, /summary, /warnings, /stories, autocomplete and a quiz round;
 * - every slash option and button id forged past Discord's client checks;
 * - permissions where a server overrode the commands' defaults, and two servers that never
 *   see each other's settings, games, scores or leaderboards.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLibrary } from '../../src/library/index.ts';
import type { Story } from '../../src/library/types.ts';
import type { JsonObject, StoredMessage } from '../support/discord-standin.ts';
import { CHANNEL_DEFAULT_PARSE, pingsOf } from '../support/standin-mentions.ts';
import {
  answerButtons,
  answerOf,
  commandIn,
  createWorld,
  E2E_STORIES,
  EPHEMERAL,
  embedsOf,
  markdownText,
  nextRound,
  type RunningBot,
  startConnectedBot,
  visibleText,
  type World,
} from './support/bot-harness.ts';

const ROLE = '<@&111111111111111111>';
const USER = '<@222222222222222222>';
/** Put in front of every spoken line, one after another. */
const SPOKEN_MARKUP = [
  '@everyone ',
  '@here ',
  `${ROLE} `,
  `${USER} `,
  '||secret|| ',
  '`code` ',
  '**loud** ',
  '[free](http://evil.example) ',
];

/** Harbour Lights (a playable quiz story) with Discord markup in every field and every spoken line. */
async function markupStory(): Promise<string> {
  const original = await readFile(join(E2E_STORIES, 'harbour-lights.txt'), 'utf8');
  const [header, ...rest] = original.split('\n\n~*~*~*~\n\n');
  let n = 0;
  const body = rest
    .join('\n\n~*~*~*~\n\n')
    .split('\n')
    .map((line) =>
      line.startsWith('"') ? `"${SPOKEN_MARKUP[n++ % SPOKEN_MARKUP.length]}${line.slice(1)}` : line,
    )
    .join('\n')
    .replace(
      'Chapter 1: The Storm\n\n',
      'Chapter 1: The Storm\n\n# Not a heading, @here\n\n```\nnot a code block @everyone\n```\n\n||the storm was a lie||\n\n[free nitro](http://evil.example/claim) and > not a quote\n\n-# small print <@&111111111111111111>\n\n',
    );
  const markupHeader = header!
    .replace(/^Title: .*$/m, `Title: @everyone ||Harbour|| ${ROLE} **Lights** [x](http://evil.example)`)
    .replace(/^Author: .*$/m, `Author: ${USER} @here`)
    .replace(/^Warnings: .*$/m, 'Warnings: Graphic Violence, ||spoiled|| @everyone, `code`')
    .replace(
      /^Summary: .*$/m,
      `Summary: # Heading @everyone [click](http://evil.example/x) ||hidden|| \`\`\`fence\`\`\` ${ROLE} ${USER} -# small`,
    );
  return `ID: markup-lights\n${markupHeader}\n\n~*~*~*~\n\n${body}`;
}

/** No raw mention survives in the text, so it could not ping even without allowed_mentions. */
function expectNoLiveMentions(text: string): void {
  expect(text).not.toMatch(/@(everyone|here)/);
  expect(text).not.toMatch(/<@[!&]?\d+>/);
  expect(pingsOf(text, undefined, CHANNEL_DEFAULT_PARSE)).toEqual({ everyone: false, users: [], roles: [] });
}

/** Markdown characters not preceded by a backslash (escaped pairs removed first). */
function unescapedMarkdown(text: string): string {
  return text.replace(/\\[\s\S]/g, '').replace(/[^*_~`|[\]<>]/g, '');
}

/** The bot's own labelled spoiler `**CW: …**\n||text||`, with nothing in label or text able to break it. */
function expectIntactSpoiler(description: string): void {
  const match = /^\*\*(CW: [^\n]*)\*\*\n\|\|([\s\S]*)\|\|$/.exec(description);
  expect(match, description.slice(0, 200)).not.toBeNull();
  const [, label, text] = match!;
  expect(unescapedMarkdown(label!)).toBe('');
  expect(unescapedMarkdown(text!)).toBe('');
  for (const line of text!.split('\n')) expect(line).not.toMatch(/^\s*(#{1,3}\s|-#\s|>\s)/);
}

describe('hostile input through the bot', () => {
  let w: World;
  let bot: RunningBot;
  let markup: Story;
  let harbour: Story;

  beforeAll(async () => {
    w = await createWorld({ 'markup-lights.txt': await markupStory() });
    const library = await loadLibrary(w.dataDir);
    expect(library.problems).toEqual([]);
    markup = library.stories.find((story) => story.id === 'markup-lights')!;
    harbour = library.stories.find((story) => story.id === 'harbour-lights')!;
    const eligible = markup.dialogue.quotes.filter((quote) => quote.eligible);
    expect(eligible.length, 'the markup story must stay playable for the quiz').toBeGreaterThanOrEqual(4);
    expect(eligible.some((quote) => /@everyone|<@&|\|\|/.test(quote.text))).toBe(true);
    bot = await startConnectedBot({
      storeUrl: `sqlite://${join(w.dir, 'store.sqlite')}`,
      dataDir: w.dataDir,
      standin: w.standin,
      world: w.world,
    });
  }, 90_000);

  afterAll(async () => {
    await bot?.stop();
    await w?.close();
  });

  const run = (input: Parameters<typeof commandIn>[2]) => commandIn(w.standin, w.world, input);
  const answer = (handle: ReturnType<typeof run>) => answerOf(w.standin, handle);

  describe('Discord markup in story text', () => {
    test('/excerpt: every scene renders inert, inside the bot’s intact CW spoiler', async () => {
      for (let scene = 1; scene <= markup.scenes.length; scene++) {
        const message = await answer(run({ name: 'excerpt', options: { story: 'markup-lights', scene } }));
        const [embed] = embedsOf(message);
        expectNoLiveMentions(markdownText(message));
        expectIntactSpoiler(String(embed?.description));
        expect(unescapedMarkdown(String(embed?.title))).toBe('');
      }
      const first = await answer(run({ name: 'excerpt', options: { story: 'markup-lights', scene: 1 } }));
      // Shown literally: the escaped markup reads as the story wrote it.
      expect(String(embedsOf(first)[0]?.description)).toContain('\\|\\|the storm was a lie\\|\\|');
      expect(String(embedsOf(first)[0]?.description)).toContain('\\# Not a heading');
    });

    test('/summary and /warnings: title, summary, warnings and cast render inert', async () => {
      const summary = await answer(run({ name: 'summary', options: { story: 'markup-lights' } }));
      expectNoLiveMentions(markdownText(summary));
      const [embed] = embedsOf(summary);
      expectIntactSpoiler(String(embed?.description));
      expect(unescapedMarkdown(String(embed?.title))).toBe('');
      for (const field of (embed?.fields ?? []) as JsonObject[]) {
        expect(unescapedMarkdown(String(field.value)), String(field.name)).toBe('');
      }

      const warnings = await answer(run({ name: 'warnings', options: { story: 'markup-lights' } }));
      expectNoLiveMentions(markdownText(warnings));
      const [warningEmbed] = embedsOf(warnings);
      expect(unescapedMarkdown(String(warningEmbed?.title))).toBe('');
      for (const field of (warningEmbed?.fields ?? []) as JsonObject[]) {
        expect(unescapedMarkdown(String(field.value)), String(field.name)).toBe('');
      }
    });

    test('/stories and autocomplete name the story without a live mention', async () => {
      const list = await answer(run({ name: 'stories', options: { search: 'markup' } }));
      expectNoLiveMentions(markdownText(list));
      const typed = w.standin.autocomplete({
        guildId: w.world.main.id,
        channelId: w.world.main.channels.general,
        userId: w.world.users.reader.id,
        name: 'excerpt',
        focused: 'story',
        focusedValue: 'harbour',
      });
      await typed.response();
      const choices = typed.choices() as JsonObject[];
      expect(choices.map((choice) => choice.value)).toContain('markup-lights');
    });

    test('a quiz round over the markup story: the line is inert, and so are reveal and summary', async () => {
      const started = Date.now();
      const start = run({
        name: 'quiz',
        subcommand: 'start',
        options: { story: 'markup-lights', rounds: 1, seconds: 30 },
        userId: w.world.users.reader2.id,
      });
      expect(visibleText(await answer(start))).toContain('Quote quiz!');
      const round = await nextRound(w.standin, w.world.main.channels.general, started);
      const description = String(embedsOf(round)[0]?.description);
      expectNoLiveMentions(markdownText(round));
      // The bot quotes the line as a block quote; nothing in the line is live markdown.
      expect(unescapedMarkdown(description.replace(/^> /gm, ''))).toBe('');
      const { right } = answerButtons(round, markup.dialogue.quotes);
      const win = w.standin.pressButton({
        message: round,
        customId: String(right.custom_id),
        userId: w.world.users.reader.id,
      });
      expect((await win.response()).body).toMatchObject({ type: 7 });
      const revealed = w.standin.message(round.id)!;
      expectNoLiveMentions(markdownText(revealed));
      const summary = await w.standin.waitForMessage(
        (message) =>
          message.origin === 'channel' && message.createdAt >= revealed.createdAt && message.id !== round.id,
        20_000,
      );
      expectNoLiveMentions(markdownText(summary));
    }, 60_000);
  });

  describe('every option and button id validated, with a clear private answer', () => {
    /** A private answer that is not the generic "something went wrong". */
    async function expectClearRefusal(
      handle: ReturnType<typeof run>,
      pattern: RegExp,
    ): Promise<StoredMessage> {
      const message = await answer(handle);
      expect(message.flags & EPHEMERAL, visibleText(message)).toBe(EPHEMERAL);
      expect(visibleText(message)).toMatch(pattern);
      expect(visibleText(message)).not.toMatch(/Something went wrong/);
      return message;
    }
    const raw = (name: string, type: number, value: string | number | boolean) => ({ name, type, value });
    const sub = (name: string, options: object[]) => [{ name, type: 1, options }];

    test.each([
      [
        'an unknown story',
        { name: 'excerpt', options: { story: 'no-such-story' } },
        /no-such-story|no story/i,
      ],
      [
        'a scene past the end',
        { name: 'excerpt', options: { story: 'harbour-lights', scene: 999 } },
        /`scene`.*pick 1 to \d+/,
      ],
      [
        'a page past the end',
        { name: 'excerpt', options: { story: 'harbour-lights', scene: 1, page: 99 } },
        /`page`.*pick 1 to \d+/,
      ],
      ['a list page past the end', { name: 'stories', options: { page: 500 } }, /`page`.*pick 1 to \d+/],
      ['an unknown story for /summary', { name: 'summary', options: { story: 'qqqqqq-nothing' } }, /story/i],
      ['an unknown story for /warnings', { name: 'warnings', options: { story: 'zzzzzz' } }, /story/i],
      [
        'an unknown story for /quiz start',
        { name: 'quiz', subcommand: 'start', options: { story: 'nope-nope' } },
        /story/i,
      ],
    ])('%s', async (_, input, pattern) => {
      await expectClearRefusal(run(input as Parameters<typeof run>[0]), pattern);
    });

    test.each([
      ['scene 0', 'excerpt', [raw('story', 3, 'harbour-lights'), raw('scene', 4, 0)], /`scene`/],
      [
        'a negative page',
        'excerpt',
        [raw('story', 3, 'harbour-lights'), raw('scene', 4, 1), raw('page', 4, -5)],
        /`page`/,
      ],
      ['a 6000-character story name', 'excerpt', [raw('story', 3, 'x'.repeat(6000))], /story/i],
      ['quiz rounds above the maximum', 'quiz', sub('start', [raw('rounds', 4, 9999)]), /`rounds`.*1 to 50/],
      ['quiz seconds below the minimum', 'quiz', sub('start', [raw('seconds', 4, 1)]), /`seconds`.*5 to 120/],
      ['an unknown quiz mode', 'quiz', sub('start', [raw('mode', 3, 'telepathy')]), /`mode`/],
      [
        'an unknown leaderboard period',
        'quiz',
        sub('leaderboard', [raw('period', 3, 'forever')]),
        /`period`/,
      ],
      ['an unknown subcommand', 'quiz', sub('explode', []), /\/quiz start/],
    ])('forged options: %s', async (_, name, rawOptions, pattern) => {
      await expectClearRefusal(run({ name, rawOptions: rawOptions as never }), pattern);
    });

    test.each([
      ['a rating that is not a choice', sub('rating', [raw('ordinary', 3, 'anything-goes')]), /ordinary/],
      ['quiz seconds out of range', sub('game', [raw('seconds', 4, 100000)]), /seconds/],
      ['rounds of zero', sub('game', [raw('rounds', 4, 0)]), /rounds/],
      [
        'an unknown warning category',
        sub('hide', [raw('category', 3, 'spiders'), raw('hidden', 5, true)]),
        /category/,
      ],
      [
        'an unknown story',
        sub('story', [raw('story', 3, 'ghost-story'), raw('enabled', 5, false)]),
        /story/i,
      ],
      ['an unknown subcommand', sub('format-disk', []), /show, rating/],
    ])('bad /config value: %s', async (_, rawOptions, pattern) => {
      await expectClearRefusal(
        run({ name: 'config', rawOptions: rawOptions as never, userId: w.world.users.moderator.id }),
        pattern,
      );
    });

    test('forged and garbled button ids: a clear private answer, and the message is left alone', async () => {
      const page = await answer(run({ name: 'excerpt', options: { story: 'harbour-lights', scene: 1 } }));
      const before = JSON.stringify({ embeds: page.embeds, components: page.components });
      const forged = [
        'excerpt:page:harbour-lights:0:99999999999',
        'excerpt:page:harbour-lights:-1:0',
        'excerpt:page:harbour-lights',
        'excerpt:page:%E0%A4%A:0:0',
        'excerpt:page:midnight-oath:0:0',
        'excerpt:page:no-such-story:0:0',
        'excerpt:explode:1:2:3',
        'stories:page:abc:',
        'quiz:guess:not-a-game:0:1',
        'quiz:guess:x:0:9',
        'quiz:guess',
        'config:anything',
        'help:x',
        'nonexistent:thing',
        '__proto__:constructor',
        ':::',
        '%',
      ];
      for (const customId of forged) {
        const press = w.standin.pressButton({
          message: page,
          customId,
          userId: w.world.users.reader.id,
          forge: true,
        });
        const reply = await answer(press);
        expect(reply.id, customId).not.toBe(page.id);
        expect(reply.flags & EPHEMERAL, customId).toBe(EPHEMERAL);
        expect(visibleText(reply), customId).not.toMatch(/Something went wrong/);
        expect(visibleText(reply).length, customId).toBeGreaterThan(10);
      }
      expect(
        JSON.stringify({
          embeds: w.standin.message(page.id)?.embeds,
          components: w.standin.message(page.id)?.components,
        }),
      ).toBe(before);
    }, 60_000);
  });

  describe('permissions and isolation between servers', () => {
    const configAs = (
      userId: string,
      subcommand: string,
      options?: Record<string, string | number | boolean>,
      guild = w.world.main,
    ) =>
      commandIn(w.standin, w.world, {
        name: 'config',
        subcommand,
        ...(options ? { options } : {}),
        userId,
        guildId: guild.id,
        channelId: guild.channels.general,
        permissionOverride: true,
      });

    test('a member without Manage Server is refused every /config subcommand, and nothing changes', async () => {
      const shownBefore = visibleText(await answer(configAs(w.world.users.moderator.id, 'show')));
      const attempts: [string, Record<string, string | number | boolean> | undefined][] = [
        ['show', undefined],
        ['rating', { ordinary: 'explicit' }],
        ['warnings', { display: 'plain' }],
        ['hide', { category: 'gore', hidden: true }],
        ['story', { story: 'harbour-lights', enabled: false }],
        ['game', { seconds: 5 }],
        ['reset', undefined],
      ];
      for (const [subcommand, options] of attempts) {
        const refused = await answer(configAs(w.world.users.reader.id, subcommand, options));
        expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
        expect(visibleText(refused), subcommand).toContain('Manage Server');
      }
      expect(visibleText(await answer(configAs(w.world.users.moderator.id, 'show')))).toBe(shownBefore);
      const typed = w.standin.autocomplete({
        guildId: w.world.main.id,
        channelId: w.world.main.channels.general,
        userId: w.world.users.reader.id,
        name: 'config',
        subcommand: 'story',
        focused: 'story',
        focusedValue: 'harb',
        permissionOverride: true,
      });
      await typed.response();
      expect(typed.choices()).toEqual([]);
    });

    test('a member without Manage Server cannot stop someone else’s quiz; its starter and a moderator can', async () => {
      const channelId = w.world.main.channels.afterDark;
      const started = Date.now();
      const start = run({
        name: 'quiz',
        subcommand: 'start',
        channelId,
        options: { story: 'harbour-lights', rounds: 3, seconds: 30 },
        userId: w.world.users.owner.id,
      });
      await answer(start);
      const round = await nextRound(w.standin, channelId, started);
      const refused = await answer(
        run({ name: 'quiz', subcommand: 'stop', channelId, userId: w.world.users.reader2.id }),
      );
      expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(visibleText(refused)).toMatch(/Only .* who started this quiz, or a member with Manage Server/);
      // The game goes on: the round still takes answers.
      const { wrong } = answerButtons(round, harbour.dialogue.quotes);
      const press = await answer(
        w.standin.pressButton({
          message: round,
          customId: String(wrong.custom_id),
          userId: w.world.users.reader2.id,
        }),
      );
      expect(visibleText(press)).toMatch(/^Not /);
      const stopped = await answer(
        run({ name: 'quiz', subcommand: 'stop', channelId, userId: w.world.users.moderator.id }),
      );
      expect(stopped.flags & EPHEMERAL).toBe(0);
      expect(visibleText(stopped)).toMatch(/Quiz stopped by/);
    }, 60_000);

    test('two servers: settings, games, scores and leaderboards never leak between them', async () => {
      const { main, other, users } = w.world;
      // Main: a moderator changes every setting and a reader wins a round.
      await answer(configAs(users.moderator.id, 'rating', { ordinary: 'explicit' }));
      await answer(configAs(users.moderator.id, 'hide', { category: 'violence', hidden: true }));
      await answer(configAs(users.moderator.id, 'story', { story: 'everyone-is-here', enabled: false }));
      await answer(configAs(users.moderator.id, 'game', { seconds: 17, rounds: 3 }));
      const started = Date.now();
      await answer(
        run({
          name: 'quiz',
          subcommand: 'start',
          options: { story: 'harbour-lights', rounds: 1, seconds: 30 },
          userId: users.moderator.id,
        }),
      );
      const round = await nextRound(w.standin, main.channels.general, started);
      const { right } = answerButtons(round, harbour.dialogue.quotes);
      await w.standin
        .pressButton({ message: round, customId: String(right.custom_id), userId: users.reader.id })
        .response();
      const mainBoard = visibleText(await answer(run({ name: 'quiz', subcommand: 'leaderboard' })));
      expect(mainBoard).toMatch(/reed/i);

      // The other server: defaults, no game, no scores, Reed unknown there.
      const inOther = (input: Parameters<typeof run>[0]) =>
        commandIn(w.standin, w.world, { guildId: other.id, channelId: other.channels.general, ...input });
      const otherSettings = visibleText(await answer(configAs(users.reader2.id, 'show', undefined, other)));
      expect(otherSettings).toContain('up to Teen');
      expect(otherSettings).toContain('**Hidden categories:** none');
      expect(otherSettings).toContain('**Switched-off stories:** none');
      expect(otherSettings).toContain('5 rounds of 30 s');
      const otherStories = visibleText(await answer(inOther({ name: 'stories' })));
      expect(otherStories).toContain('Everyone Is Here');
      expect(otherStories).not.toContain('Midnight Oath');
      expect(visibleText(await answer(inOther({ name: 'quiz', subcommand: 'leaderboard' })))).not.toMatch(
        /reed/i,
      );
      const reedThere = visibleText(
        await answer(inOther({ name: 'quiz', subcommand: 'stats', options: { member: users.reader.id } })),
      );
      expect(reedThere).toContain('No games yet');
      expect(reedThere).not.toMatch(/\*\*[1-9]\d*\*\* points/);
      expect(
        visibleText(await answer(inOther({ name: 'quiz', subcommand: 'stop', userId: users.reader2.id }))),
      ).toContain('No quiz is running');

      // A main-server game's button replayed inside the other server finds no game there and scores nothing.
      const gameId = String(right.custom_id).split(':')[2];
      const otherMessage = await answer(inOther({ name: 'help' }));
      const replay = w.standin.pressButton({
        message: otherMessage,
        customId: `quiz:guess:${gameId}:0:${String(right.custom_id).split(':')[4]}`,
        userId: users.reader.id,
        forge: true,
      });
      expect(visibleText(await answer(replay))).toMatch(/over/i);
      expect(visibleText(await answer(inOther({ name: 'quiz', subcommand: 'leaderboard' })))).not.toMatch(
        /reed/i,
      );
      expect(visibleText(await answer(run({ name: 'quiz', subcommand: 'leaderboard' })))).toMatch(/reed/i);
      await answer(configAs(users.moderator.id, 'reset'));
    }, 90_000);
  });

  test('every message the bot sent disabled mentions and pinged nobody; no interaction went unanswered', () => {
    const sent = w.standin.messageRequests().filter((request) => request.status < 300);
    expect(sent.length).toBeGreaterThan(50);
    expect(
      sent.filter((request) => request.mentionsDisabled !== true).map((request) => request.route),
    ).toEqual([]);
    for (const request of sent) expect(request.pings).toEqual({ everyone: false, users: [], roles: [] });
    for (const handle of w.standin.interactionsSent) {
      expect(handle.callbacks().length, JSON.stringify(handle.payload.data)).toBe(1);
      expect(handle.callbacks()[0]?.status).toBeLessThan(300);
    }
    // Forged input is the user's mistake, never a crash: the process is alive and logged no error.
    expect(bot.child.exitCode).toBeNull();
    const errors = bot.logLines().filter((line) => Number(line.level) >= 50);
    expect(errors.map((line) => `${line.msg} ${JSON.stringify(line.err ?? '')}`.slice(0, 300))).toEqual([]);
  });
});
