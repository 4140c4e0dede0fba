/**
 * The quiz's messages for stories and players whose titles and names carry Discord markup, in
 * both modes and every kind of round outcome: nothing renders as a mention or as markdown the
 * bot did not write. (Button labels, footers and author names are plain text in Discord.)
 * The bot-level test (bot-input.e2e.test.ts) plays speaker mode; story mode needs four stories.
 */
import type { APIEmbed } from 'discord.js';
import { describe, expect, test } from 'vitest';
import type { BotMessage } from '../../src/discord/port.ts';
import { selectQuestions } from '../../src/game/questions.ts';
import { seededRng } from '../../src/game/random.ts';
import { applyClaim, newGame, startRound } from '../../src/game/rules.ts';
import type { QuizMode } from '../../src/game/types.ts';
import { revealMessage, roundMessage, startMessage, summaryMessage } from '../../src/game/view.ts';
import { scoobyStory } from '../game/fixtures.ts';

const TITLES = [
  '@everyone ||Spoiled|| Title',
  '<@&111111111111111111> **Loud** Title',
  '# Heading [x](http://evil.example) Title',
  '`code` ~~gone~~ <@222222222222222222> Title',
];
const PLAYER = '@here ||Sneaky|| <@333333333333333333> **Player**';

/** The parts Discord renders as markdown: content, embed titles, descriptions and fields. */
function rendered(message: BotMessage): string[] {
  return [
    message.content ?? '',
    ...(message.embeds ?? []).flatMap((embed: APIEmbed) => [
      embed.title ?? '',
      embed.description ?? '',
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ]),
  ];
}

/** Markup from the titles and the player's name must appear only escaped or neutralised. */
function expectInert(message: BotMessage, where: string): void {
  for (const text of rendered(message)) {
    expect(text, where).not.toMatch(/@(everyone|here)/);
    expect(text, where).not.toMatch(/<@[!&]?\d+>/);
    expect(text, where).not.toMatch(/(?<!\\)\|\|(Spoiled|Sneaky)/);
    expect(text, where).not.toMatch(/(?<!\\)\*\*(Loud|Player)/);
    expect(text, where).not.toMatch(/(?<!\\)\[x(?<!\\)\]/);
    expect(text, where).not.toMatch(/(?<!\\)`code/);
    expect(text, where).not.toMatch(/(?<!\\)~~gone/);
    expect(text, where).not.toMatch(/^# Heading/m);
  }
}

describe.each<QuizMode>(['story', 'speaker'])('%s mode over stories with markup titles', (mode) => {
  test('every round, reveal and the summary render inert', () => {
    const stories = TITLES.map((title, index) => scoobyStory(`story-${index}`, 5, 2, title));
    const questions = selectQuestions(stories, { mode, rounds: 8, rng: seededRng(7) });
    expect(questions.length).toBeGreaterThanOrEqual(4);
    let game = newGame({
      id: 'g1',
      guildId: '1',
      channelId: '2',
      starterId: '3',
      starterName: PLAYER,
      mode,
      seconds: 30,
      ageRestricted: false,
      questions,
      at: 0,
      firstRoundAt: 1_000,
    });
    expectInert(startMessage(game, null), 'start');
    for (let index = 0; index < questions.length; index++) {
      const at = 10_000 * (index + 1);
      game = startRound(game, at);
      const round = game.rounds[index]!;
      expectInert(roundMessage(game, round), `round ${index + 1}`);
      const question = game.questions[index]!;
      game =
        index % 2 === 0
          ? applyClaim(game, index, {
              reason: 'won',
              press: { userId: '3', name: PLAYER, choice: question.answer, correct: true, at: at + 500 },
            })
          : applyClaim(game, index, { reason: 'timeout', at: at + 30_000 });
      expectInert(revealMessage(game, game.rounds[index]!), `reveal ${index + 1}`);
    }
    expectInert(summaryMessage(game), 'summary');
  });
});
