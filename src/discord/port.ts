/**
 * The bot's port: everything a command handler sees, and nothing from discord.js at run time.
 *
 * Data flows one way: a handler reads an interaction through these types, calls pure functions,
 * and answers with a `BotMessage` (a plain description of a reply). Two adapters implement the
 * port: `src/discord/client.ts` (discord.js) and `src/shell/` (a readline terminal). Adapters add
 * `allowedMentions: { parse: [] }` to every message and turn `ephemeral` into
 * `flags: MessageFlags.Ephemeral`.
 *
 * Registering a command = one file in `commands/` exporting a `CommandModule`, plus one line in
 * `commands/index.ts`.
 */
import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Library } from '../library/types.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../state/types.ts';

/** A row of up to 5 buttons (Discord's JSON shape). */
export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** What a handler answers: a pure description, rendered by the adapter (Discord or shell). */
export interface BotMessage {
  /** Plain text, at most 2000 characters. */
  readonly content?: string;
  /** At most 10 embeds; Discord's per-embed limits and 6000 characters in total. */
  readonly embeds?: readonly APIEmbed[];
  /** At most 5 rows of at most 5 buttons; custom ids 1–100 characters, unique per message. */
  readonly components?: readonly ButtonRow[];
  /** Only the user who triggered the interaction sees it (ignored by `send`/`edit`/`update`). */
  readonly ephemeral?: boolean;
}

/** The message a call produced, when Discord tells us its id (null otherwise). */
export interface SentMessage {
  readonly messageId: string | null;
}

export interface InteractionUser {
  /** Discord snowflake (the shell derives a stable id from the `:as` name, see `shellUserId`). */
  readonly id: string;
  /** Display name as shown in the server (or username). */
  readonly name: string;
}

/** Who and where: shared by every kind of interaction. */
export interface InteractionContext {
  readonly user: InteractionUser;
  /** True when the member has Manage Server in this channel (always false in DMs). */
  readonly canManageGuild: boolean;
  /** null in DMs. */
  readonly guildId: string | null;
  readonly channelId: string;
  /** Channel name without '#', or null when unknown (DMs). */
  readonly channelName: string | null;
  /** The channel (or a thread's parent) is marked age-restricted (nsfw). */
  readonly ageRestricted: boolean;
}

/**
 * Typed option getters. They return null when the option was not given (or has another type).
 * For subcommands, getters read the options of the invoked subcommand.
 */
export interface CommandOptions {
  /** The invoked subcommand's name, or null for commands without subcommands. */
  subcommand(): string | null;
  string(name: string): string | null;
  integer(name: string): number | null;
  number(name: string): number | null;
  boolean(name: string): boolean | null;
  /** A user option; in the shell `member:alice` resolves to the member who used `:as alice`. */
  user(name: string): InteractionUser | null;
}

/** The answering side of an interaction: what a handler may do, in Discord's order. */
export interface Responder {
  /** Initial answer. After a defer the router's wrapper turns this into `editReply`/`followUp`. */
  reply(message: BotMessage): Promise<SentMessage>;
  /** Acknowledge now and answer later (work that may exceed ~2 s). */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
  /** Replace the original (or deferred) answer. */
  editReply(message: BotMessage): Promise<SentMessage>;
  /** An extra message after the first answer. */
  followUp(message: BotMessage): Promise<SentMessage>;
  /** Remove the original answer (used when a public defer must become a private answer). */
  deleteReply(): Promise<void>;
  /** Where this interaction stands: not answered yet, deferred, or answered. */
  readonly acknowledged: 'no' | 'deferred' | 'replied';
}

/** A slash command invocation. */
export interface CommandInteraction extends InteractionContext, Responder {
  readonly kind: 'command';
  readonly commandName: string;
  readonly options: CommandOptions;
}

/** A button press. `customId` is `<commandName>:<...>`; the router routes on the prefix. */
export interface ButtonInteraction extends InteractionContext, Responder {
  readonly kind: 'button';
  readonly customId: string;
  /** The message carrying the pressed button. */
  readonly messageId: string;
  /** Replace the message carrying the button (the first answer). */
  update(message: BotMessage): Promise<SentMessage>;
  /** Acknowledge without changing anything now; later edits go through `editReply`. */
  deferUpdate(): Promise<void>;
}

export interface AutocompleteChoice {
  /** 1–100 characters. */
  readonly name: string;
  /** At most 100 characters. */
  readonly value: string;
}

/** The user is typing into an autocomplete option; the handler returns at most 25 choices. */
export interface AutocompleteInteraction extends InteractionContext {
  readonly kind: 'autocomplete';
  readonly commandName: string;
  readonly options: CommandOptions;
  /** The option being typed and its partial text. */
  readonly focused: { readonly name: string; readonly value: string };
  /** Sends the choices (the router calls this with what the handler returned, trimmed to limits). */
  respond(choices: readonly AutocompleteChoice[]): Promise<void>;
}

export type Interaction = CommandInteraction | ButtonInteraction | AutocompleteInteraction;

/** Bot-initiated messages, when no interaction is at hand (the quiz's next round, a timeout). */
export interface Messenger {
  send(channelId: string, message: BotMessage): Promise<{ readonly messageId: string }>;
  edit(channelId: string, messageId: string, message: BotMessage): Promise<void>;
}

/** The current library; `/reload` (or a signal) swaps it without restarting the bot. */
export interface LibraryHolder {
  current(): Library;
  replace(library: Library): void;
}

/** Time, injectable so tests can drive timeouts. */
export interface Clock {
  now(): number;
  /** Runs `run` after `ms` (a returned promise is the work it started); returns a function that cancels it. */
  setTimeout(run: () => unknown, ms: number): () => void;
}

/** What every handler gets besides the interaction. */
export interface Services {
  readonly library: LibraryHolder;
  readonly store: Store;
  readonly logger: Logger;
  readonly messenger: Messenger;
  readonly clock: Clock;
  /** Every registered command (for /help). */
  readonly commands: readonly CommandModule[];
}

export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface CommandModule {
  /** The definition sent to Discord: a typed plain object, `as const satisfies CommandData`. */
  readonly data: CommandData;
  /** The command needs a server (the router answers "only in a server" in DMs). */
  readonly guildOnly?: boolean;
  /** When the router defers slow work, defer privately (for commands that answer privately). */
  readonly deferPrivately?: boolean;
  execute(interaction: CommandInteraction, services: Services): Promise<void>;
  /** At most 25 choices; the router trims and validates them. */
  autocomplete?(
    interaction: AutocompleteInteraction,
    services: Services,
  ): Promise<readonly AutocompleteChoice[]>;
  /** Buttons whose custom id starts with `<data.name>:`. */
  button?(interaction: ButtonInteraction, services: Services): Promise<void>;
}

/** An error whose message the user sees, privately. Anything else is logged and answered generically. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Build a private message (errors, moderator confirmations). */
export function privateMessage(content: string): BotMessage {
  return { content, ephemeral: true };
}
