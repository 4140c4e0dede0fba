/**
 * The discord.js adapter: a Client with the Guilds intent only, each interaction turned into
 * the port (`port.ts`) and handed to the one router. Every message goes out with
 * `allowedMentions: { parse: [] }` (also the client default) and private answers use
 * `flags: MessageFlags.Ephemeral`.
 *
 * Constructed without shard options, so under discord.js's ShardingManager the client reads
 * SHARDS / SHARD_COUNT from its environment and runs as one shard.
 */
import {
  type BaseInteraction,
  type ChatInputCommandInteraction,
  Client,
  type CommandInteractionOptionResolver,
  type AutocompleteInteraction as DiscordAutocomplete,
  type ButtonInteraction as DiscordButton,
  Events,
  GatewayIntentBits,
  type GuildMember,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageCreateOptions,
  MessageFlags,
  MessagePayload,
  Options,
  Partials,
  PermissionFlagsBits,
  type User,
} from 'discord.js';
import type { Logger } from '../logger.ts';
import type {
  AutocompleteInteraction,
  BotMessage,
  ButtonInteraction,
  CommandInteraction,
  CommandOptions,
  Interaction,
  InteractionContext,
  InteractionUser,
  Messenger,
  Responder,
} from './port.ts';

/** Never ping anyone: no @everyone/@here, no roles, no users. */
export const NO_MENTIONS = { parse: [] as never[] };

/**
 * A new message (reply, follow-up, channel message). Built by assignment: spreading a `{}` or a
 * one-key object in took ~10 µs of every answer in a running bot.
 */
export function messagePayload(message: BotMessage): InteractionReplyOptions & MessageCreateOptions {
  const payload: InteractionReplyOptions & MessageCreateOptions = {
    embeds: [...(message.embeds ?? [])],
    components: [...(message.components ?? [])],
    allowedMentions: NO_MENTIONS,
  };
  if (message.content !== undefined) payload.content = message.content;
  return payload;
}

/** The same, for interaction answers: private ones carry the Ephemeral flag (not the deprecated option). */
export function replyPayload(message: BotMessage): InteractionReplyOptions {
  const payload: InteractionReplyOptions = messagePayload(message);
  if (message.ephemeral === true) payload.flags = MessageFlags.Ephemeral;
  return payload;
}

/** An edit replaces the whole message: content, embeds and buttons. */
export function editPayload(message: BotMessage): InteractionEditReplyOptions {
  return {
    content: message.content ?? '',
    embeds: [...(message.embeds ?? [])],
    components: [...(message.components ?? [])],
    allowedMentions: NO_MENTIONS,
  };
}

export interface ClientOptionsInput {
  /** DISCORD_API_URL: REST base (the gateway URL then comes from that API's /gateway/bot). */
  readonly apiUrl?: string | undefined;
}

/** Key names a transformer remembers at most (outgoing payloads use a fixed few). */
const REMEMBERED_KEYS = 1000;

/**
 * discord.js's outgoing-JSON transformer (`toSnakeCase`) with each key's snake_case form worked
 * out once: discord.js runs it over every embed, button and autocomplete choice it sends, and
 * converting each key anew (lodash's snakeCase) cost ~60 µs for 25 autocomplete choices. Plain
 * objects and arrays are walked here; anything else (a Date, an object with toJSON, an `emoji`
 * given as a string) goes to discord.js's own transformer, so the result is the same.
 */
export function rememberingJsonTransformer(
  original: (value: unknown) => unknown,
): (value: unknown) => unknown {
  const keys = new Map<string, string>();
  const snakeKey = (key: string): string => {
    let snake = keys.get(key);
    if (snake === undefined) {
      snake = Object.keys(original({ [key]: null }) as object)[0] ?? key;
      if (keys.size < REMEMBERED_KEYS) keys.set(key, snake);
    }
    return snake;
  };
  const transform = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map(transform);
    const record = value as Record<string, unknown>;
    if (
      Object.getPrototypeOf(value) !== Object.prototype ||
      'toJSON' in record ||
      typeof record.emoji === 'string'
    )
      return original(value);
    return Object.fromEntries(
      Object.entries(record).map(([key, inner]) => [snakeKey(key), transform(inner)]),
    );
  };
  return transform;
}

export function createClient(options: ClientOptionsInput = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // Interactions may arrive from channels (threads, DMs) the cache has not seen.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    jsonTransformer: rememberingJsonTransformer(
      Options.createDefault().jsonTransformer as (value: unknown) => unknown,
    ),
    ...(options.apiUrl === undefined ? {} : { rest: { api: options.apiUrl } }),
  });
}

function displayName(user: User, member: unknown): string {
  if (member !== null && typeof member === 'object' && 'displayName' in member) {
    return String((member as GuildMember).displayName);
  }
  return user.globalName ?? user.username;
}

/** Who and where, from a discord.js interaction. */
export function contextOf(interaction: BaseInteraction): InteractionContext {
  const channel = interaction.channel;
  let ageRestricted = false;
  if (channel !== null) {
    if (channel.isThread()) {
      const parent =
        channel.parent ?? (channel.parentId ? interaction.client.channels.cache.get(channel.parentId) : null);
      ageRestricted = parent !== null && parent !== undefined && 'nsfw' in parent && parent.nsfw === true;
    } else if ('nsfw' in channel) {
      ageRestricted = channel.nsfw === true;
    }
  }
  const channelName =
    channel !== null && 'name' in channel && typeof channel.name === 'string' ? channel.name : null;
  return {
    user: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
    canManageGuild:
      interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
    guildId: interaction.guildId,
    channelId: interaction.channelId ?? '',
    channelName,
    ageRestricted,
  };
}

/** What both chat-input and autocomplete option resolvers offer (autocomplete has no users). */
interface Resolver {
  getSubcommand(required: false): string | null;
  getString(name: string): string | null;
  getInteger(name: string): number | null;
  getNumber(name: string): number | null;
  getBoolean(name: string): boolean | null;
}

/**
 * The port's option getters over a discord.js resolver. A class: every command and autocomplete
 * gets one, and as an object of arrow functions it cost six functions each time, each named by
 * tsx's transform with a defineProperty.
 */
class ResolverOptions implements CommandOptions {
  constructor(private readonly resolver: Resolver) {}

  subcommand(): string | null {
    return this.resolver.getSubcommand(false);
  }

  string(name: string): string | null {
    return this.resolver.getString(name);
  }

  integer(name: string): number | null {
    return this.resolver.getInteger(name);
  }

  number(name: string): number | null {
    return this.resolver.getNumber(name);
  }

  boolean(name: string): boolean | null {
    return this.resolver.getBoolean(name);
  }

  user(name: string): InteractionUser | null {
    if (!('getUser' in this.resolver)) return null;
    const full = this.resolver as unknown as Pick<CommandInteractionOptionResolver, 'getUser' | 'getMember'>;
    const user = full.getUser(name);
    return user === null ? null : { id: user.id, name: displayName(user, full.getMember(name)) };
  }
}

/**
 * discord.js's MessagePayload for an interaction's first answer (a reply, a button's update),
 * with what its target is stated instead of looked up. discord.js's getters `require()` a module
 * on every call to find out, and under tsx (`npm start`) each require resolves its file again:
 * about 80 µs of every answer. The body discord.js builds from it is the same.
 */
class InteractionAnswer extends MessagePayload {
  override get isInteraction(): boolean {
    return true;
  }

  override get isWebhook(): boolean {
    return false;
  }

  override get isMessage(): boolean {
    return false;
  }

  override get isMessageManager(): boolean {
    return false;
  }

  override get isUser(): boolean {
    return false;
  }
}

function responderOf(interaction: ChatInputCommandInteraction | DiscordButton): Responder {
  return {
    get acknowledged() {
      if (interaction.replied) return 'replied';
      return interaction.deferred ? 'deferred' : 'no';
    },
    async reply(message) {
      // Not asking for the sent message (with_response): no caller needs its id, and discord.js
      // would build and cache a Message from it after every reply.
      await interaction.reply(new InteractionAnswer(interaction, replyPayload(message)));
      return { messageId: null };
    },
    async defer(options) {
      await interaction.deferReply(options?.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {});
    },
    async editReply(message) {
      const sent = await interaction.editReply(editPayload(message));
      return { messageId: sent.id };
    },
    async followUp(message) {
      const sent = await interaction.followUp(replyPayload(message));
      return { messageId: sent.id };
    },
    async deleteReply() {
      await interaction.deleteReply();
    },
  };
}

/**
 * A discord.js interaction as the port, or null for kinds ficbot does not handle. Commands and
 * buttons are their responder with the rest assigned onto it: that keeps the responder's live
 * `acknowledged` getter (a spread would copy its value once) and a plain object shape, where
 * copying property descriptors made a slower dictionary object for every interaction.
 */
export function toPort(interaction: BaseInteraction): Interaction | null {
  if (interaction.isChatInputCommand()) {
    const port: CommandInteraction = Object.assign(responderOf(interaction), {
      kind: 'command' as const,
      commandName: interaction.commandName,
      options: new ResolverOptions(interaction.options),
      ...contextOf(interaction),
    });
    return port;
  }
  if (interaction.isAutocomplete()) {
    const autocomplete: DiscordAutocomplete = interaction;
    const port: AutocompleteInteraction = {
      kind: 'autocomplete',
      commandName: autocomplete.commandName,
      options: new ResolverOptions(autocomplete.options),
      focused: (() => {
        const focused = autocomplete.options.getFocused(true);
        return { name: focused.name, value: String(focused.value) };
      })(),
      ...contextOf(autocomplete),
      async respond(choices) {
        await autocomplete.respond(choices.map((choice) => ({ name: choice.name, value: choice.value })));
      },
    };
    return port;
  }
  if (interaction.isButton()) {
    const button: DiscordButton = interaction;
    const port: ButtonInteraction = Object.assign(responderOf(button), {
      kind: 'button' as const,
      customId: button.customId,
      messageId: button.message.id,
      ...contextOf(button),
      async update(message: BotMessage) {
        // The updated message is the button's own: its id is known without asking for it.
        await button.update(new InteractionAnswer(button, editPayload(message)));
        return { messageId: button.message.id };
      },
      async deferUpdate() {
        await button.deferUpdate();
      },
    });
    return port;
  }
  return null;
}

/** Bot-initiated messages through the client (the quiz's next round, a timeout's edit). */
export function createMessenger(client: Client): Messenger {
  return {
    async send(channelId, message) {
      const channel = await client.channels.fetch(channelId);
      if (channel === null || !channel.isSendable())
        throw new Error(`channel ${channelId} cannot receive messages`);
      const sent = await channel.send(messagePayload({ ...message, ephemeral: false }));
      return { messageId: sent.id };
    },
    async edit(channelId, messageId, message) {
      const channel = await client.channels.fetch(channelId);
      if (channel === null || !channel.isTextBased()) throw new Error(`channel ${channelId} has no messages`);
      await channel.messages.edit(messageId, {
        content: message.content ?? '',
        embeds: [...(message.embeds ?? [])],
        components: [...(message.components ?? [])],
        allowedMentions: NO_MENTIONS,
      });
    },
  };
}

export interface BotHandle {
  readonly client: Client;
  /** Waits (up to `graceMs`) for interactions in flight, then disconnects from the gateway. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Wires the client's events to `route` and logs in. One failing handler is logged and answered
 * by the router; nothing here can take the process down.
 */
export async function startBot(
  client: Client,
  token: string,
  route: (interaction: Interaction) => Promise<void>,
  logger: Logger,
): Promise<BotHandle> {
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  client.once(Events.ClientReady, (ready) => {
    logger.info(
      { user: ready.user.tag, guilds: ready.guilds.cache.size, shards: ready.shard?.ids ?? [0] },
      'connected to Discord',
    );
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    let port: Interaction | null;
    try {
      port = toPort(interaction);
    } catch (error) {
      logger.error({ err: error, interactionId: interaction.id }, 'could not read the interaction');
      return;
    }
    if (port === null) return;
    const task = route(port).catch((error: unknown) => {
      logger.error({ err: error, interactionId: interaction.id }, 'interaction failed');
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord.js client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord.js warning'));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'gateway disconnected'),
  );

  await client.login(token);

  return {
    client,
    async stop(graceMs = 5000) {
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      await client.destroy();
    },
  };
}
