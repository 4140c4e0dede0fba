/**
 * The one interaction router: slash commands, autocomplete and buttons all enter here, from
 * the discord.js adapter and from the shell alike.
 *
 * Error policy (Dragonite's): a `UserError` is shown to the user privately; a
 * `StoreUnavailableError` gets a clear "settings are unavailable" answer; anything else is
 * logged with {command, guildId, userId} and answered with a generic private message. The
 * router tracks whether the interaction was deferred or answered and answers accordingly, defers
 * work that runs longer than `autoDeferMs`, and never leaves an interaction unanswered.
 */
import type { Logger } from '../logger.ts';
import { StoreUnavailableError } from '../state/types.ts';
import { truncate } from './escape.ts';
import { LIMITS } from './limits.ts';
import {
  type AutocompleteChoice,
  type AutocompleteInteraction,
  type BotMessage,
  type ButtonInteraction,
  type CommandInteraction,
  type CommandModule,
  type CommandOptions,
  type Interaction,
  type InteractionContext,
  type InteractionUser,
  privateMessage,
  type Responder,
  type SentMessage,
  type Services,
  UserError,
} from './port.ts';

export const GENERIC_ERROR =
  'Something went wrong while handling that. It has been logged; please try again.';
export const STORE_UNAVAILABLE = "This server's settings are unavailable right now; try again shortly.";
export const GUILD_ONLY = 'This command only works in a server, not in direct messages.';
export const UNKNOWN_BUTTON =
  'That button is not one ficbot made (or it is out of date). Run the command again.';

export interface RouterOptions {
  /** Defer when a handler has not answered after this long (Discord allows 3 s). Default 2000. */
  readonly autoDeferMs?: number;
}

export interface Router {
  route(interaction: Interaction): Promise<void>;
}

export function createRouter(
  commands: readonly CommandModule[],
  services: Services,
  options: RouterOptions = {},
): Router {
  const byName = new Map(commands.map((command) => [command.data.name, command]));
  const autoDeferMs = options.autoDeferMs ?? 2000;

  async function route(interaction: Interaction): Promise<void> {
    const commandName =
      interaction.kind === 'button' ? (interaction.customId.split(':')[0] ?? '') : interaction.commandName;
    // Only errors and warnings are logged here, so the child logger (whose bindings pino
    // serialises and redacts) is made when one is, not for every interaction.
    let child: Logger | undefined;
    const logger = () =>
      (child ??= services.logger.child({
        command: commandName,
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        kind: interaction.kind,
      }));
    const command = byName.get(commandName);
    try {
      if (interaction.kind === 'autocomplete') {
        await answerAutocomplete(interaction, command, logger);
      } else if (interaction.kind === 'command') {
        await runGuarded(interaction, command, logger, (guarded) => {
          if (command === undefined) throw new UserError(`Unknown command /${commandName}.`);
          if (command.guildOnly === true && guarded.guildId === null) throw new UserError(GUILD_ONLY);
          return command.execute(guarded as CommandInteraction, services);
        });
      } else {
        await runGuarded(interaction, command, logger, (guarded) => {
          if (command?.button === undefined) throw new UserError(UNKNOWN_BUTTON);
          if (command.guildOnly === true && guarded.guildId === null) throw new UserError(GUILD_ONLY);
          return command.button(guarded as ButtonInteraction, services);
        });
      }
    } catch (error) {
      // Only reached when answering itself failed (Discord unreachable, token expired): log it.
      logger().error({ err: error }, 'could not answer the interaction');
    }
  }

  async function answerAutocomplete(
    interaction: AutocompleteInteraction,
    command: CommandModule | undefined,
    logger: () => Logger,
  ): Promise<void> {
    let choices: readonly AutocompleteChoice[] = [];
    try {
      if (command?.autocomplete !== undefined) choices = await command.autocomplete(interaction, services);
    } catch (error) {
      if (!(error instanceof UserError || error instanceof StoreUnavailableError)) {
        logger().error({ err: error }, 'autocomplete failed');
      }
      choices = [];
    }
    await interaction.respond(sanitiseChoices(choices));
  }

  async function runGuarded(
    raw: CommandInteraction | ButtonInteraction,
    command: CommandModule | undefined,
    logger: () => Logger,
    handler: (guarded: CommandInteraction | ButtonInteraction) => Promise<void>,
  ): Promise<void> {
    const guarded = guardResponder(raw);
    let finished = false;
    const cancelAutoDefer = services.clock.setTimeout(() => {
      if (finished) return;
      guarded
        .autoDefer(command?.deferPrivately === true)
        .catch((error: unknown) => logger().warn({ err: error }, 'auto-defer failed'));
    }, autoDeferMs);
    try {
      await handler(guarded.interaction);
      if (!guarded.answered()) {
        logger().error('handler finished without answering');
        await guarded.answerPrivately(privateMessage(GENERIC_ERROR));
      }
    } catch (error) {
      await guarded.answerPrivately(privateMessage(errorAnswer(error, logger)));
    } finally {
      finished = true;
      cancelAutoDefer();
    }
  }

  return { route };
}

/** What the user is told for an error; logs the unexpected ones. */
function errorAnswer(error: unknown, logger: () => Logger): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof StoreUnavailableError) {
    logger().warn({ err: error }, 'store unavailable');
    return STORE_UNAVAILABLE;
  }
  logger().error({ err: error }, 'handler failed');
  return GENERIC_ERROR;
}

/** At most 25 choices, names 1–100 characters, values ≤ 100, no duplicates. */
export function sanitiseChoices(choices: readonly AutocompleteChoice[]): AutocompleteChoice[] {
  const seen = new Set<string>();
  const result: AutocompleteChoice[] = [];
  for (const choice of choices) {
    if (choice.value.length === 0 || choice.value.length > LIMITS.choiceValue || seen.has(choice.value))
      continue;
    seen.add(choice.value);
    const name = truncate(choice.name.trim() === '' ? choice.value : choice.name, LIMITS.choiceName);
    result.push({ name, value: choice.value });
    if (result.length === LIMITS.choices) break;
  }
  return result;
}

interface Guarded {
  readonly interaction: CommandInteraction | ButtonInteraction;
  /** Defers when nothing has answered yet (a reply for commands, an update for buttons). */
  autoDefer(privately: boolean): Promise<void>;
  /** A private answer in whatever state the interaction is. */
  answerPrivately(message: BotMessage): Promise<void>;
  /** The user has an answer: a reply, an edit, or a button's (deferred) update. */
  answered(): boolean;
}

/**
 * Wraps an interaction so handlers can call `reply` at any time: calls run one at a time, the
 * state is tracked here, and a reply after a defer becomes the matching edit or follow-up.
 */
export function guardResponder(raw: CommandInteraction | ButtonInteraction): Guarded {
  return raw.kind === 'command' ? new GuardedCommand(raw) : new GuardedButton(raw);
}

/**
 * The wrapper, which is also the interaction handlers get. Classes, so that wrapping an
 * interaction makes one object: as closures it made some twenty functions every time, and tsx's
 * transform names each of them with a defineProperty (~10 µs of every command and button).
 */
abstract class Guard implements Guarded, InteractionContext, Responder {
  readonly user: InteractionUser;
  readonly canManageGuild: boolean;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly channelName: string | null;
  readonly ageRestricted: boolean;
  abstract readonly interaction: CommandInteraction | ButtonInteraction;
  protected state: 'no' | 'deferred' | 'replied' = 'no';
  protected deferredKind: 'reply' | 'update' = 'reply';
  private deferredPrivately = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(protected readonly raw: CommandInteraction | ButtonInteraction) {
    this.user = raw.user;
    this.canManageGuild = raw.canManageGuild;
    this.guildId = raw.guildId;
    this.channelId = raw.channelId;
    this.channelName = raw.channelName;
    this.ageRestricted = raw.ageRestricted;
  }

  get acknowledged(): 'no' | 'deferred' | 'replied' {
    return this.state;
  }

  reply(message: BotMessage): Promise<SentMessage> {
    return this.serial(() => this.replyNow(message));
  }

  defer(options?: { ephemeral?: boolean }): Promise<void> {
    return this.serial(() => this.deferNow(options?.ephemeral === true));
  }

  editReply(message: BotMessage): Promise<SentMessage> {
    return this.serial(() => {
      if (this.state === 'no' || (this.state === 'deferred' && this.deferredKind === 'reply')) {
        return this.replyNow(message);
      }
      return this.raw.editReply(message);
    });
  }

  followUp(message: BotMessage): Promise<SentMessage> {
    return this.serial(() =>
      this.state === 'replied' ? this.raw.followUp(message) : this.replyNow(message),
    );
  }

  deleteReply(): Promise<void> {
    return this.serial(() => this.raw.deleteReply());
  }

  abstract autoDefer(privately: boolean): Promise<void>;

  answered(): boolean {
    return this.state === 'replied' || (this.state === 'deferred' && this.deferredKind === 'update');
  }

  async answerPrivately(message: BotMessage): Promise<void> {
    await this.serial(() => this.replyNow({ ...message, ephemeral: true }));
  }

  protected serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.chain.then(run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  protected async replyNow(message: BotMessage): Promise<SentMessage> {
    const raw = this.raw;
    if (this.state === 'no') {
      const sent = await raw.reply(message);
      this.state = 'replied';
      return sent;
    }
    if (this.state === 'deferred' && this.deferredKind === 'reply') {
      this.state = 'replied';
      if (message.ephemeral === true && !this.deferredPrivately) {
        // A public "thinking…" cannot become private: remove it and answer privately.
        await raw.deleteReply();
        return raw.followUp(message);
      }
      return raw.editReply(message);
    }
    this.state = 'replied';
    return raw.followUp(message);
  }

  protected async deferNow(privately: boolean): Promise<void> {
    if (this.state !== 'no') return;
    await this.raw.defer({ ephemeral: privately });
    this.state = 'deferred';
    this.deferredKind = 'reply';
    this.deferredPrivately = privately;
  }
}

class GuardedCommand extends Guard implements CommandInteraction {
  readonly kind = 'command' as const;
  readonly commandName: string;
  readonly options: CommandOptions;

  constructor(raw: CommandInteraction) {
    super(raw);
    this.commandName = raw.commandName;
    this.options = raw.options;
  }

  get interaction(): CommandInteraction {
    return this;
  }

  autoDefer(privately: boolean): Promise<void> {
    return this.serial(() => this.deferNow(privately));
  }
}

class GuardedButton extends Guard implements ButtonInteraction {
  readonly kind = 'button' as const;
  readonly customId: string;
  readonly messageId: string;

  constructor(protected override readonly raw: ButtonInteraction) {
    super(raw);
    this.customId = raw.customId;
    this.messageId = raw.messageId;
  }

  get interaction(): ButtonInteraction {
    return this;
  }

  update(message: BotMessage): Promise<SentMessage> {
    return this.serial(async () => {
      if (this.state === 'no') {
        const sent = await this.raw.update(message);
        this.state = 'replied';
        return sent;
      }
      if (this.deferredKind === 'update' || this.state === 'replied') {
        this.state = 'replied';
        return this.raw.editReply(message);
      }
      return this.replyNow(message);
    });
  }

  deferUpdate(): Promise<void> {
    return this.serial(() => this.deferUpdateNow());
  }

  autoDefer(): Promise<void> {
    return this.serial(() => this.deferUpdateNow());
  }

  private async deferUpdateNow(): Promise<void> {
    if (this.state !== 'no') return;
    await this.raw.deferUpdate();
    this.state = 'deferred';
    this.deferredKind = 'update';
  }
}
