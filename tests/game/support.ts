/**
 * Test support for the quote game: services over a real store, a fake Discord channel log the
 * messenger writes to (shared between "processes" so one can edit what another posted), and
 * interactions that record their answers and go through the real router.
 */
import { quiz } from '../../commands/quiz.ts';
import type {
  BotMessage,
  ButtonInteraction,
  CommandInteraction,
  CommandOptions,
  InteractionUser,
  Messenger,
  Services,
} from '../../src/discord/port.ts';
import { createRouter } from '../../src/discord/router.ts';
import { quizBusy, quizIdle } from '../../src/game/index.ts';
import type { Library, Story } from '../../src/library/types.ts';
import type { Logger } from '../../src/logger.ts';
import { createManualClock, type ManualClock } from '../../src/shell/clock.ts';
import type { Store } from '../../src/state/types.ts';

export interface PostedMessage {
  readonly channelId: string;
  readonly messageId: string;
  message: BotMessage;
  edits: number;
}

/** What a fake Discord holds: every message the bot posted, by id, in order. */
export class ChannelLog {
  readonly messages = new Map<string, PostedMessage>();
  private next = 1;

  messenger(): Messenger {
    return {
      send: async (channelId, message) => {
        const messageId = `m${this.next++}`;
        this.messages.set(messageId, { channelId, messageId, message, edits: 0 });
        return { messageId };
      },
      edit: async (channelId, messageId, message) => {
        const posted = this.messages.get(messageId);
        if (!posted || posted.channelId !== channelId) throw new Error(`Unknown message ${messageId}`);
        posted.message = message;
        posted.edits += 1;
      },
    };
  }

  all(): PostedMessage[] {
    return [...this.messages.values()];
  }

  /** The newest message with buttons (a round). */
  lastRound(): PostedMessage | undefined {
    return this.all()
      .filter((m) => (m.message.components?.length ?? 0) > 0)
      .at(-1);
  }
}

export interface TestServices extends Services {
  readonly clock: ManualClock;
}

export function quizServices(options: {
  store: Store;
  stories: readonly Story[];
  logger: Logger;
  log: ChannelLog;
  clock?: ManualClock;
}): TestServices {
  let library: Library = { dir: 'test', stories: options.stories, problems: [] };
  return {
    library: { current: () => library, replace: (next) => (library = next) },
    store: options.store,
    logger: options.logger,
    messenger: options.log.messenger(),
    clock: options.clock ?? createManualClock(Date.UTC(2026, 10, 20, 12)),
    commands: [quiz],
  };
}

export interface Answer {
  readonly how: 'reply' | 'update' | 'editReply' | 'followUp';
  readonly message: BotMessage;
}

export interface Where {
  readonly guildId: string;
  readonly channelId: string;
  readonly ageRestricted?: boolean;
  readonly canManageGuild?: boolean;
}

function context(user: InteractionUser, where: Where) {
  return {
    user,
    canManageGuild: where.canManageGuild ?? false,
    guildId: where.guildId,
    channelId: where.channelId,
    channelName: 'general',
    ageRestricted: where.ageRestricted ?? false,
  };
}

function responder(answers: Answer[]) {
  let acknowledged: 'no' | 'deferred' | 'replied' = 'no';
  const record = (how: Answer['how']) => async (message: BotMessage) => {
    answers.push({ how, message });
    acknowledged = 'replied';
    return { messageId: null };
  };
  return {
    get acknowledged() {
      return acknowledged;
    },
    reply: record('reply'),
    editReply: record('editReply'),
    followUp: record('followUp'),
    update: record('update'),
    defer: async () => {
      acknowledged = 'deferred';
    },
    deferUpdate: async () => {
      acknowledged = 'deferred';
    },
    deleteReply: async () => {},
  };
}

function optionsOf(
  subcommand: string,
  values: Record<string, string | number | InteractionUser>,
): CommandOptions {
  const typed = <T>(name: string, check: (value: unknown) => value is T): T | null => {
    const value = values[name];
    return check(value) ? value : null;
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const isNumber = (v: unknown): v is number => typeof v === 'number';
  const isUser = (v: unknown): v is InteractionUser => typeof v === 'object' && v !== null && 'id' in v;
  return {
    subcommand: () => subcommand,
    string: (name) => typed(name, isString),
    integer: (name) => typed(name, isNumber),
    number: (name) => typed(name, isNumber),
    boolean: () => null,
    user: (name) => typed(name, isUser),
  };
}

/** Runs `/quiz <subcommand>` through the real router; returns what the bot answered. */
export async function runQuizCommand(
  services: Services,
  user: InteractionUser,
  where: Where,
  subcommand: string,
  values: Record<string, string | number | InteractionUser> = {},
): Promise<Answer[]> {
  const answers: Answer[] = [];
  const interaction: CommandInteraction = Object.defineProperties(
    { kind: 'command', commandName: 'quiz', options: optionsOf(subcommand, values) },
    Object.getOwnPropertyDescriptors({ ...context(user, where), ...responder(answers) }),
  ) as CommandInteraction;
  await createRouter([quiz], services).route(interaction);
  return answers;
}

/** Presses a button of a posted message through the real router. */
export async function pressButton(
  services: Services,
  user: InteractionUser,
  where: Where,
  messageId: string,
  customId: string,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  const interaction: ButtonInteraction = Object.defineProperties(
    { kind: 'button', customId, messageId },
    Object.getOwnPropertyDescriptors({ ...context(user, where), ...responder(answers) }),
  ) as ButtonInteraction;
  await createRouter([quiz], services).route(interaction);
  return answers;
}

/** The custom ids of a message's buttons, in order. */
export function buttonIds(message: BotMessage): string[] {
  return (message.components ?? []).flatMap((row) =>
    row.components.map((button) => ('custom_id' in button ? button.custom_id : '')),
  );
}

export function buttonsDisabled(message: BotMessage): boolean[] {
  return (message.components ?? []).flatMap((row) =>
    row.components.map((button) => button.disabled === true),
  );
}

/** Everything a message says, as one string (content, embed titles, descriptions, fields). */
export function textOf(message: BotMessage): string {
  const parts = [message.content ?? ''];
  for (const embed of message.embeds ?? []) {
    parts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
    for (const field of embed.fields ?? []) parts.push(`${field.name}: ${field.value}`);
  }
  return parts.filter(Boolean).join('\n');
}

/**
 * Lets `ms` pass on the manual clock, then waits for the quiz work the timers started (store
 * round trips are real I/O) and runs whatever fell due meanwhile, until nothing is left.
 */
export async function tick(services: TestServices, ms: number): Promise<void> {
  await services.clock.advance(ms);
  for (let turn = 0; turn < 50; turn++) {
    await quizIdle(services);
    await services.clock.advance(0);
    if (!quizBusy(services)) return;
  }
  throw new Error('the quiz kept working after 50 turns');
}
