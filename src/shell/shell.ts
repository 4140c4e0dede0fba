/**
 * The terminal adapter (Hubot's Shell, for ficbot): type slash commands at a prompt and see
 * the replies as text. It runs the same router, command handlers and store as the Discord
 * bot; only the port differs. Piped input is read one line at a time (each line finishes
 * before the next starts) and the shell ends at the end of input.
 */
import { createInterface } from 'node:readline';
import type {
  AutocompleteChoice,
  AutocompleteInteraction,
  BotMessage,
  ButtonInteraction,
  Clock,
  CommandInteraction,
  CommandModule,
  CommandOptions,
  InteractionContext,
  LibraryHolder,
  Messenger,
  SentMessage,
  Services,
} from '../discord/port.ts';
import { createRouter, type Router } from '../discord/router.ts';
import { createServices } from '../discord/services.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../state/types.ts';
import type { ManualClock } from './clock.ts';
import { systemClock } from './clock.ts';
import { SHELL_GUILD_ID, shellChannelId, shellUserId } from './ids.ts';
import { type Invocation, parseInvocation, ShellInputError } from './parse.ts';
import { messageButtons, renderMessage } from './render.ts';

export interface ShellOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly library: LibraryHolder;
  readonly store: Store;
  readonly logger: Logger;
  readonly commands: readonly CommandModule[];
  /** A `ManualClock` makes `:wait` advance time instantly (scripts, tests); default: the system clock. */
  readonly clock?: Clock | ManualClock;
  /** Passed to the router (tests shorten it). */
  readonly autoDeferMs?: number;
  /** Lines printed before the first prompt (what was loaded, how to go live). */
  readonly banner?: readonly string[];
  /** Show a prompt (interactive terminal); otherwise each input line is echoed before its reply. */
  readonly interactive?: boolean;
  /** The member the shell starts as. Default "you". */
  readonly userName?: string;
}

/** A message the shell has shown: its latest version, where it is, and whether it was private. */
interface ShownMessage {
  readonly id: string;
  readonly channelId: string;
  message: BotMessage;
  readonly ephemeral: boolean;
}

export const SHELL_HELP = [
  'Type a slash command: /excerpt story:<id> scene:2 (quote values with spaces: story:"Another Time").',
  'Shell commands:',
  '  :press <n>               press button n of the latest message with buttons (private replies do not count)',
  '  :as <name>               act as another member (ids are stable per name)',
  '  :mod on|off              give or take Manage Server for the current member',
  '  :channel <name> [nsfw]   switch channel; nsfw makes it age-restricted',
  '  :guild <id>              switch server',
  '  :dm                      talk to ficbot in direct messages',
  '  :complete /cmd opt:text  show the autocomplete choices for the last option',
  '  :wait <seconds>          let time pass (round timers)',
  '  :help                    this help',
  '  :quit                    leave',
];

export interface Shell {
  readonly services: Services;
  /** Runs one line (a slash command or a meta command). Returns false after `:quit`. */
  execute(line: string): Promise<boolean>;
  /** Reads the input until its end or `:quit`. */
  run(): Promise<void>;
}

function isManualClock(clock: Clock): clock is ManualClock {
  return typeof (clock as Partial<ManualClock>).advance === 'function';
}

export function createShell(options: ShellOptions): Shell {
  const clock = options.clock ?? systemClock;
  const write = (text: string) => {
    options.output.write(`${text}\n`);
  };

  let userName = options.userName ?? 'you';
  const moderators = new Set<string>();
  let guildId: string | null = SHELL_GUILD_ID;
  let channelName = 'general';
  let ageRestricted = false;
  const memberNames = new Map<string, string>([[shellUserId(userName), userName]]);
  const channelNames = new Map<string, string>();
  const shown: ShownMessage[] = [];
  let nextMessageId = 1;

  const currentChannelId = () => {
    const id = shellChannelId(guildId, channelName);
    channelNames.set(id, channelName);
    return id;
  };
  currentChannelId();

  function record(channelId: string, message: BotMessage, ephemeral: boolean): ShownMessage {
    const entry: ShownMessage = { id: String(nextMessageId++), channelId, message, ephemeral };
    shown.push(entry);
    return entry;
  }

  function where(channelId: string): string | undefined {
    return channelId === currentChannelId() ? undefined : `[#${channelNames.get(channelId) ?? channelId}]`;
  }

  const messenger: Messenger = {
    async send(channelId, message) {
      const entry = record(channelId, { ...message, ephemeral: false }, false);
      write(renderMessage(entry.message, { where: where(channelId) }));
      return { messageId: entry.id };
    },
    async edit(channelId, messageId, message) {
      const entry = shown.find(
        (candidate) => candidate.id === messageId && candidate.channelId === channelId,
      );
      if (entry === undefined) throw new Error(`no message ${messageId} in channel ${channelId}`);
      entry.message = { ...message, ephemeral: entry.ephemeral };
      write(renderMessage(entry.message, { where: where(channelId), edited: true }));
    },
  };

  const services = createServices({
    library: options.library,
    store: options.store,
    logger: options.logger,
    messenger,
    clock,
    commands: options.commands,
  });
  const router: Router = createRouter(options.commands, services, {
    ...(options.autoDeferMs === undefined ? {} : { autoDeferMs: options.autoDeferMs }),
  });

  function context(): InteractionContext {
    return {
      user: { id: shellUserId(userName), name: userName },
      canManageGuild: guildId !== null && moderators.has(userName.toLowerCase()),
      guildId,
      channelId: currentChannelId(),
      channelName: guildId === null ? null : channelName,
      ageRestricted: guildId !== null && ageRestricted,
    };
  }

  /** The answering half of an interaction, printing as it goes. `original` is the message a button sits on. */
  function responder(channelId: string, original: ShownMessage | null) {
    let acknowledged: 'no' | 'deferred' | 'replied' = 'no';
    let answer: ShownMessage | null = original;
    const show = (entry: ShownMessage, edited: boolean) =>
      write(renderMessage(entry.message, { edited, private: entry.ephemeral }));
    const post = (message: BotMessage): SentMessage => {
      const entry = record(channelId, message, message.ephemeral === true);
      show(entry, false);
      return { messageId: entry.id };
    };
    const replace = (message: BotMessage, edited: boolean): SentMessage => {
      if (answer === null) return post(message);
      answer.message = { ...message, ephemeral: answer.ephemeral };
      show(answer, edited);
      return { messageId: answer.id };
    };
    return {
      get acknowledged() {
        return acknowledged;
      },
      async reply(message: BotMessage) {
        acknowledged = 'replied';
        const sent = post(message);
        answer = shown.find((entry) => entry.id === sent.messageId) ?? null;
        return sent;
      },
      async defer(deferOptions?: { ephemeral?: boolean }) {
        acknowledged = 'deferred';
        const ephemeral = deferOptions?.ephemeral === true;
        answer = record(channelId, { content: 'ficbot is thinking…', ephemeral }, ephemeral);
        show(answer, false);
      },
      async editReply(message: BotMessage) {
        const wasDeferred = acknowledged === 'deferred';
        acknowledged = 'replied';
        return replace(message, !wasDeferred);
      },
      async followUp(message: BotMessage) {
        acknowledged = 'replied';
        return post(message);
      },
      async deleteReply() {
        if (answer !== null) {
          shown.splice(shown.indexOf(answer), 1);
          answer = null;
        }
      },
      async update(message: BotMessage) {
        acknowledged = 'replied';
        return replace(message, true);
      },
      async deferUpdate() {
        acknowledged = 'deferred';
      },
    };
  }

  function optionsOf(invocation: Invocation): CommandOptions {
    const value = (name: string) => invocation.values.get(name);
    return {
      subcommand: () => invocation.subcommand,
      string: (name) => {
        const v = value(name);
        return typeof v === 'string' ? v : null;
      },
      integer: (name) => {
        const v = value(name);
        return typeof v === 'number' && Number.isInteger(v) ? v : null;
      },
      number: (name) => {
        const v = value(name);
        return typeof v === 'number' ? v : null;
      },
      boolean: (name) => {
        const v = value(name);
        return typeof v === 'boolean' ? v : null;
      },
      user: (name) => {
        const v = value(name);
        return typeof v === 'object' ? v : null;
      },
    };
  }

  async function runCommand(line: string): Promise<void> {
    const invocation = parseInvocation(line, options.commands, { memberNames });
    const base = context();
    const interaction: CommandInteraction = Object.defineProperties(
      {
        kind: 'command' as const,
        commandName: invocation.command.data.name,
        options: optionsOf(invocation),
        ...base,
      },
      Object.getOwnPropertyDescriptors(responder(base.channelId, null)),
    ) as CommandInteraction;
    await router.route(interaction);
  }

  async function complete(line: string): Promise<void> {
    const invocation = parseInvocation(line, options.commands, { partial: true, memberNames });
    if (invocation.last === null)
      throw new ShellInputError('Type the option to complete, e.g. :complete /excerpt story:ano');
    const interaction: AutocompleteInteraction = {
      kind: 'autocomplete',
      commandName: invocation.command.data.name,
      options: optionsOf(invocation),
      focused: invocation.last,
      ...context(),
      async respond(choices: readonly AutocompleteChoice[]) {
        if (choices.length === 0) write('  (no suggestions)');
        choices.forEach((choice, index) => {
          write(`  ${index + 1}. ${choice.name} → ${invocation.last?.name}:${choice.value}`);
        });
      },
    };
    await router.route(interaction);
  }

  async function press(argument: string): Promise<void> {
    const number = Number(argument);
    if (!Number.isInteger(number) || number < 1)
      throw new ShellInputError('Usage: :press <n> (a button number).');
    const channelId = currentChannelId();
    const target = [...shown]
      .reverse()
      .find(
        (entry) =>
          entry.channelId === channelId && !entry.ephemeral && messageButtons(entry.message).length > 0,
      );
    if (target === undefined) throw new ShellInputError('No message with buttons in this channel.');
    const buttons = messageButtons(target.message);
    const button = buttons[number - 1];
    if (button === undefined) {
      throw new ShellInputError(
        `That message has ${buttons.length} button${buttons.length === 1 ? '' : 's'}.`,
      );
    }
    if (button.disabled === true) throw new ShellInputError(`Button ${number} is disabled.`);
    if (!('custom_id' in button))
      throw new ShellInputError(`Button ${number} is a link; nothing to press here.`);
    const interaction: ButtonInteraction = Object.defineProperties(
      { kind: 'button' as const, customId: button.custom_id, messageId: target.id, ...context() },
      Object.getOwnPropertyDescriptors(responder(channelId, target)),
    ) as ButtonInteraction;
    await router.route(interaction);
  }

  async function meta(line: string): Promise<boolean> {
    const [command = '', ...args] = line.slice(1).trim().split(/\s+/);
    const argument = args.join(' ').trim();
    switch (command.toLowerCase()) {
      case 'quit':
      case 'exit':
        return false;
      case 'help':
        write(SHELL_HELP.join('\n'));
        return true;
      case 'press':
        await press(argument);
        return true;
      case 'as': {
        if (!/^[\p{L}\p{N}_.-]{1,32}$/u.test(argument)) {
          throw new ShellInputError('Usage: :as <name> (letters, digits, _ . -; at most 32).');
        }
        userName = argument;
        memberNames.set(shellUserId(userName), userName);
        write(
          `(you are now ${userName}${moderators.has(userName.toLowerCase()) ? ', with Manage Server' : ''})`,
        );
        return true;
      }
      case 'mod': {
        if (argument !== 'on' && argument !== 'off') throw new ShellInputError('Usage: :mod on|off');
        if (argument === 'on') moderators.add(userName.toLowerCase());
        else moderators.delete(userName.toLowerCase());
        write(`(Manage Server ${argument} for ${userName})`);
        return true;
      }
      case 'channel': {
        const [name = '', flag] = args;
        const cleaned = name.replace(/^#/, '').toLowerCase();
        if (
          !/^[\p{L}\p{N}_-]{1,100}$/u.test(cleaned) ||
          (flag !== undefined && flag !== 'nsfw') ||
          args.length > 2
        ) {
          throw new ShellInputError('Usage: :channel <name> [nsfw]');
        }
        if (guildId === null) guildId = SHELL_GUILD_ID;
        channelName = cleaned;
        ageRestricted = flag === 'nsfw';
        currentChannelId();
        write(`(now in #${channelName}${ageRestricted ? ', age-restricted' : ''})`);
        return true;
      }
      case 'guild': {
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(argument)) {
          throw new ShellInputError('Usage: :guild <id> (letters, digits, _ and -).');
        }
        guildId = argument;
        currentChannelId();
        write(`(now in server ${guildId}, #${channelName})`);
        return true;
      }
      case 'dm':
        guildId = null;
        channelName = 'dm';
        ageRestricted = false;
        currentChannelId();
        write('(now in direct messages with ficbot)');
        return true;
      case 'complete':
        await complete(argument);
        return true;
      case 'wait': {
        const seconds = Number(argument);
        if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
          throw new ShellInputError('Usage: :wait <seconds> (0 to 3600).');
        }
        if (isManualClock(clock)) await clock.advance(seconds * 1000);
        else await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        return true;
      }
      default:
        throw new ShellInputError(`Unknown shell command :${command}. Type :help.`);
    }
  }

  function promptText(): string {
    return `${userName}@${guildId === null ? 'dm' : `#${channelName}`}> `;
  }

  async function execute(line: string): Promise<boolean> {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return true;
    try {
      if (trimmed.startsWith(':')) return await meta(trimmed);
      await runCommand(trimmed);
    } catch (error) {
      if (error instanceof ShellInputError) write(`shell: ${error.message}`);
      else {
        options.logger.error({ err: error }, 'shell line failed');
        write('shell: that failed unexpectedly (details in the log).');
      }
    }
    return true;
  }

  async function run(): Promise<void> {
    for (const line of options.banner ?? []) write(line);
    const reader = createInterface({
      input: options.input,
      terminal: false,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    const interactive = options.interactive === true;
    if (interactive) options.output.write(promptText());
    try {
      for await (const line of reader) {
        if (!interactive && line.trim() !== '') write(`${promptText()}${line}`);
        const goOn = await execute(line);
        if (!goOn) break;
        if (interactive) options.output.write(promptText());
      }
    } finally {
      reader.close();
    }
  }

  return { services, execute, run };
}
