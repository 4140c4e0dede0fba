// Builds INTERACTION_CREATE payloads the way Discord does: member with computed permissions, channel
// partial (nsfw), app_permissions, locale, context, entitlements, and options checked against the
// registered command definitions (Discord's client refuses what does not fit them, so the helpers throw).
import {
  channelPermissions,
  channelTypeOf,
  type GuildFixture,
  isAgeRestricted,
  isThread,
  type MemberFixture,
  type UserFixture,
} from './standin-fixtures.ts';
import { isObject, type Json, type JsonObject } from './standin-validation.ts';

export const InteractionType = { command: 2, component: 3, autocomplete: 4 } as const;

export const OptionType = {
  subcommand: 1,
  subcommandGroup: 2,
  string: 3,
  integer: 4,
  boolean: 5,
  user: 6,
  channel: 7,
  role: 8,
  mentionable: 9,
  number: 10,
  attachment: 11,
} as const;

export type OptionValue = string | number | boolean;

export interface StoredCommand extends JsonObject {
  id: string;
  name: string;
  type: number;
}

export interface InteractionWorld {
  applicationId: string;
  guild(guildId: string): GuildFixture;
  user(userId: string): UserFixture;
  member(guild: GuildFixture, userId: string): MemberFixture;
  /** Guild commands of that guild followed by global commands. */
  commandsFor(guildId: string): StoredCommand[];
  /** Whether the application has registered any command anywhere (else the helpers accept any name). */
  hasRegisteredCommands(): boolean;
  appPermissions(guild: GuildFixture, channelId: string): bigint;
  userPayload(user: UserFixture): JsonObject;
  channelPayload(guild: GuildFixture, channelId: string): JsonObject;
  rolePayload(guild: GuildFixture, roleId: string): JsonObject;
}

export interface InteractionBase {
  guildId: string;
  channelId: string;
  userId: string;
  locale?: string;
}

export interface SlashCommandInput extends InteractionBase {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Option values by name; types come from the registered definition. */
  options?: Record<string, OptionValue>;
  /** Exact `data.options` to send, bypassing every check (what a forged request would carry). */
  rawOptions?: Json[];
  /**
   * Deliver even though the command's `default_member_permissions` would hide it from this member,
   * as Discord does when a server has overridden the command's permissions.
   */
  permissionOverride?: boolean;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** The option the user is typing in; its value is the text typed so far. */
  focused: string;
  focusedValue: string;
}

export function memberPayload(
  world: InteractionWorld,
  guild: GuildFixture,
  member: MemberFixture,
  channelId: string | undefined,
): JsonObject {
  const user = world.user(member.userId);
  const channel = channelId ? guild.channels.find((candidate) => candidate.id === channelId) : undefined;
  const payload: JsonObject = {
    user: world.userPayload(user),
    roles: [...(member.roleIds ?? [])],
    nick: member.nick ?? null,
    avatar: null,
    banner: null,
    premium_since: null,
    joined_at: member.joinedAt ?? '2021-03-04T05:06:07.000000+00:00',
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
  };
  if (channel) payload.permissions = channelPermissions(guild, member, channel).toString();
  return payload;
}

function channelPartial(
  world: InteractionWorld,
  guild: GuildFixture,
  member: MemberFixture,
  channelId: string,
) {
  const channel = guild.channels.find((candidate) => candidate.id === channelId);
  if (!channel) throw new Error(`Stand-in: guild ${guild.name} has no channel ${channelId}`);
  const payload = world.channelPayload(guild, channelId);
  payload.permissions = channelPermissions(guild, member, channel).toString();
  if (isThread(channel)) payload.nsfw = isAgeRestricted(guild, channel);
  return { channel, payload };
}

function basePayload(
  world: InteractionWorld,
  input: InteractionBase,
  type: number,
  id: string,
  token: string,
) {
  const guild = world.guild(input.guildId);
  const member = world.member(guild, input.userId);
  const { channel, payload: channelPayload } = channelPartial(world, guild, member, input.channelId);
  if (channel.kind === 'category' || channel.kind === 'voice') {
    throw new Error(`Stand-in: #${channel.name} is not a text channel; nobody can run commands there`);
  }
  const payload: JsonObject = {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.preferredLocale ?? 'en-US', features: [] },
    channel_id: channel.id,
    channel: channelPayload,
    member: memberPayload(world, guild, member, channel.id),
    app_permissions: world.appPermissions(guild, channel.id).toString(),
    locale: input.locale ?? 'en-US',
    guild_locale: guild.preferredLocale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: 10_485_760,
  };
  return { guild, member, channel, payload };
}

function findCommand(world: InteractionWorld, guildId: string, name: string): StoredCommand | undefined {
  const commands = world.commandsFor(guildId);
  const command = commands.find((candidate) => candidate.type === 1 && candidate.name === name);
  if (!command && world.hasRegisteredCommands()) {
    const names = commands.map((candidate) => `/${candidate.name}`).join(', ') || 'none';
    throw new Error(
      `Stand-in: Discord would not offer /${name} in guild ${guildId}: it is not registered there (registered: ${names})`,
    );
  }
  return command;
}

function optionDefinitions(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function inferType(value: OptionValue): number {
  if (typeof value === 'boolean') return OptionType.boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? OptionType.integer : OptionType.number;
  return OptionType.string;
}

interface Resolved {
  users: JsonObject;
  members: JsonObject;
  roles: JsonObject;
  channels: JsonObject;
}

function checkValue(
  world: InteractionWorld,
  guild: GuildFixture,
  definition: JsonObject,
  value: OptionValue,
  resolved: Resolved,
  commandLabel: string,
): void {
  const name = String(definition.name);
  const where = `option "${name}" of ${commandLabel}`;
  const type = Number(definition.type);
  const fail = (reason: string) => {
    throw new Error(`Stand-in: Discord's client would not send ${where}: ${reason}`);
  };
  switch (type) {
    case OptionType.string: {
      if (typeof value !== 'string') fail('it takes a string');
      const length = [...String(value)].length;
      if (typeof definition.min_length === 'number' && length < definition.min_length) fail('too short');
      if (typeof definition.max_length === 'number' && length > definition.max_length) fail('too long');
      break;
    }
    case OptionType.integer:
    case OptionType.number: {
      if (typeof value !== 'number' || (type === OptionType.integer && !Number.isInteger(value))) {
        fail(type === OptionType.integer ? 'it takes an integer' : 'it takes a number');
      }
      if (typeof definition.min_value === 'number' && Number(value) < definition.min_value) {
        fail(`below min_value ${definition.min_value}`);
      }
      if (typeof definition.max_value === 'number' && Number(value) > definition.max_value) {
        fail(`above max_value ${definition.max_value}`);
      }
      break;
    }
    case OptionType.boolean:
      if (typeof value !== 'boolean') fail('it takes a boolean');
      break;
    case OptionType.user:
    case OptionType.mentionable: {
      const id = String(value);
      const member = guild.members.find((candidate) => candidate.userId === id);
      const role = (guild.roles ?? []).find((candidate) => candidate.id === id);
      if (member) {
        resolved.users[id] = world.userPayload(world.user(id));
        const {
          user: _user,
          deaf: _deaf,
          mute: _mute,
          ...partial
        } = memberPayload(world, guild, member, undefined);
        resolved.members[id] = partial;
      } else if (type === OptionType.mentionable && (role || id === guild.id)) {
        resolved.roles[id] = world.rolePayload(guild, id);
      } else {
        fail(`${id} is not a member of ${guild.name}`);
      }
      break;
    }
    case OptionType.role: {
      const id = String(value);
      if (id !== guild.id && !(guild.roles ?? []).some((candidate) => candidate.id === id)) {
        fail(`${id} is not a role of ${guild.name}`);
      }
      resolved.roles[id] = world.rolePayload(guild, id);
      break;
    }
    case OptionType.channel: {
      const id = String(value);
      const channel = guild.channels.find((candidate) => candidate.id === id);
      if (!channel) fail(`${id} is not a channel of ${guild.name}`);
      const allowed = Array.isArray(definition.channel_types) ? definition.channel_types : undefined;
      if (channel && allowed && !allowed.includes(channelTypeOf(channel)))
        fail('that channel type is not allowed');
      const payload = world.channelPayload(guild, id);
      resolved.channels[id] = {
        id,
        name: payload.name ?? null,
        type: payload.type ?? 0,
        permissions: '0',
        ...(payload.parent_id ? { parent_id: payload.parent_id } : {}),
        ...(payload.thread_metadata ? { thread_metadata: payload.thread_metadata } : {}),
      };
      break;
    }
    default:
      fail(`option type ${type} is not supported by the stand-in`);
  }
  const choices = optionDefinitions(definition.choices);
  if (choices.length > 0 && !choices.some((choice) => choice.value === value)) {
    fail(`${JSON.stringify(value)} is not one of its choices`);
  }
}

interface BuiltOptions {
  options: Json[];
  resolved: Resolved;
}

function buildOptions(
  world: InteractionWorld,
  guild: GuildFixture,
  command: StoredCommand | undefined,
  input: SlashCommandInput,
  focus: { name: string; value: string } | undefined,
): BuiltOptions {
  const resolved: Resolved = { users: {}, members: {}, roles: {}, channels: {} };
  const label = `/${[input.name, input.subcommandGroup, input.subcommand].filter(Boolean).join(' ')}`;
  const values = input.options ?? {};
  let definitions = optionDefinitions(command?.options);
  const wrap: ((leaf: Json[]) => Json[])[] = [];
  if (command) {
    const hasSubcommands = definitions.some(
      (option) => option.type === OptionType.subcommand || option.type === OptionType.subcommandGroup,
    );
    if (hasSubcommands && !input.subcommand) {
      throw new Error(`Stand-in: /${input.name} needs a subcommand`);
    }
    if (input.subcommandGroup) {
      const group = definitions.find(
        (option) => option.type === OptionType.subcommandGroup && option.name === input.subcommandGroup,
      );
      if (!group)
        throw new Error(`Stand-in: /${input.name} has no subcommand group "${input.subcommandGroup}"`);
      definitions = optionDefinitions(group.options);
      wrap.push((leaf) => [
        { name: String(input.subcommandGroup), type: OptionType.subcommandGroup, options: leaf },
      ]);
    }
    if (input.subcommand) {
      const sub = definitions.find(
        (option) => option.type === OptionType.subcommand && option.name === input.subcommand,
      );
      if (!sub) throw new Error(`Stand-in: ${label} is not a subcommand of /${input.name}`);
      definitions = optionDefinitions(sub.options);
      wrap.unshift((leaf) => [
        { name: String(input.subcommand), type: OptionType.subcommand, options: leaf },
      ]);
    }
  } else {
    if (input.subcommandGroup) {
      wrap.push((leaf) => [
        { name: String(input.subcommandGroup), type: OptionType.subcommandGroup, options: leaf },
      ]);
    }
    if (input.subcommand) {
      wrap.unshift((leaf) => [
        { name: String(input.subcommand), type: OptionType.subcommand, options: leaf },
      ]);
    }
  }

  const leaf: Json[] = [];
  for (const [name, value] of Object.entries(values)) {
    const definition = command ? definitions.find((option) => option.name === name) : undefined;
    if (command && !definition) throw new Error(`Stand-in: ${label} has no option "${name}"`);
    const type = definition ? Number(definition.type) : inferType(value);
    if (focus?.name === name) continue;
    if (definition) checkValue(world, guild, definition, value, resolved, label);
    leaf.push({ name, type, value });
  }
  if (focus) {
    const definition = command ? definitions.find((option) => option.name === focus.name) : undefined;
    if (command && !definition) throw new Error(`Stand-in: ${label} has no option "${focus.name}"`);
    if (definition && definition.autocomplete !== true) {
      throw new Error(
        `Stand-in: Discord sends no autocomplete for "${focus.name}" of ${label}: autocomplete is off`,
      );
    }
    leaf.push({
      name: focus.name,
      type: definition ? Number(definition.type) : OptionType.string,
      value: focus.value,
      focused: true,
    });
  } else if (command) {
    for (const definition of definitions) {
      if (definition.required === true && !(String(definition.name) in values)) {
        throw new Error(
          `Stand-in: Discord's client requires option "${String(definition.name)}" of ${label}`,
        );
      }
    }
  }
  let options = leaf;
  for (const step of wrap) options = step(options);
  return { options, resolved };
}

function resolvedPayload(resolved: Resolved): JsonObject | undefined {
  const entries = Object.entries(resolved).filter(([, map]) => Object.keys(map).length > 0);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function checkCommandPermissions(
  guild: GuildFixture,
  member: MemberFixture,
  command: StoredCommand | undefined,
  input: SlashCommandInput,
  permissions: bigint,
): void {
  const required = command?.default_member_permissions;
  if (typeof required !== 'string' || input.permissionOverride) return;
  const bits = BigInt(required);
  const hidden = bits === 0n ? member.userId !== guild.ownerId : (permissions & bits) !== bits;
  if (hidden && (permissions & 8n) === 0n) {
    throw new Error(
      `Stand-in: Discord hides /${input.name} from this member (default_member_permissions ${required}); ` +
        'pass permissionOverride: true to simulate a server that has overridden it',
    );
  }
}

export function buildCommandInteraction(
  world: InteractionWorld,
  input: SlashCommandInput,
  id: string,
  token: string,
): JsonObject {
  const { guild, member, payload } = basePayload(world, input, InteractionType.command, id, token);
  const command = findCommand(world, guild.id, input.name);
  checkCommandPermissions(
    guild,
    member,
    command,
    input,
    BigInt(String(isObject(payload.member) ? payload.member.permissions : '0')),
  );
  const data: JsonObject = { id: command?.id ?? id, name: input.name, type: 1 };
  if (typeof command?.guild_id === 'string') data.guild_id = command.guild_id;
  if (input.rawOptions) {
    data.options = input.rawOptions;
  } else {
    const built = buildOptions(world, guild, command, input, undefined);
    if (built.options.length > 0) data.options = built.options;
    const resolved = resolvedPayload(built.resolved);
    if (resolved) data.resolved = resolved;
  }
  payload.data = data;
  return payload;
}

export function buildAutocompleteInteraction(
  world: InteractionWorld,
  input: AutocompleteInput,
  id: string,
  token: string,
): JsonObject {
  const { guild, member, payload } = basePayload(world, input, InteractionType.autocomplete, id, token);
  const command = findCommand(world, guild.id, input.name);
  checkCommandPermissions(
    guild,
    member,
    command,
    input,
    BigInt(String(isObject(payload.member) ? payload.member.permissions : '0')),
  );
  const data: JsonObject = { id: command?.id ?? id, name: input.name, type: 1 };
  if (typeof command?.guild_id === 'string') data.guild_id = command.guild_id;
  const built = buildOptions(world, guild, command, input, {
    name: input.focused,
    value: input.focusedValue,
  });
  data.options = input.rawOptions ?? built.options;
  payload.data = data;
  return payload;
}

export interface ComponentTarget {
  message: JsonObject;
  guildId: string;
  channelId: string;
  ephemeralFor?: string;
}

export interface ComponentInput {
  customId: string;
  userId: string;
  /** Press a custom id the message does not carry (a tampered or stale button). */
  forge?: boolean;
  /** For select menus: the chosen values. */
  values?: string[];
  locale?: string;
}

/** Finds a component by custom id anywhere in a message's component tree. */
export function findComponent(components: Json | undefined, customId: string): JsonObject | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const component of components) {
    if (!isObject(component)) continue;
    if (component.custom_id === customId) return component;
    const nested = findComponent(component.components, customId);
    if (nested) return nested;
    if (isObject(component.accessory) && component.accessory.custom_id === customId)
      return component.accessory;
  }
  return undefined;
}

export function buildComponentInteraction(
  world: InteractionWorld,
  target: ComponentTarget,
  input: ComponentInput,
  id: string,
  token: string,
): JsonObject {
  const component = findComponent(target.message.components, input.customId);
  if (!input.forge) {
    if (!component) {
      throw new Error(
        `Stand-in: message ${String(target.message.id)} has no component "${input.customId}"; pass forge: true to send it anyway`,
      );
    }
    if (component.disabled === true) {
      throw new Error(`Stand-in: "${input.customId}" is disabled; Discord's client cannot press it`);
    }
    if (target.ephemeralFor && target.ephemeralFor !== input.userId) {
      throw new Error(
        `Stand-in: message ${String(target.message.id)} is ephemeral; only its recipient sees it`,
      );
    }
  }
  const base: InteractionBase = {
    guildId: target.guildId,
    channelId: target.channelId,
    userId: input.userId,
    ...(input.locale ? { locale: input.locale } : {}),
  };
  const { payload } = basePayload(world, base, InteractionType.component, id, token);
  const componentType = typeof component?.type === 'number' ? component.type : input.values ? 3 : 2;
  const data: JsonObject = { custom_id: input.customId, component_type: componentType };
  if (input.values) data.values = input.values;
  payload.data = data;
  payload.message = target.message;
  return payload;
}
