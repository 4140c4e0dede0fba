// Fixture model for the local Discord stand-in: users, guilds, roles, channels and members,
// snowflakes that land on a chosen shard, and Discord's permission arithmetic.
import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord.js';

export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export interface UserFixture {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface RoleFixture {
  id: string;
  name: string;
  permissions: bigint | string;
  position?: number;
  color?: number;
  managed?: boolean;
}

export type ChannelKind = 'text' | 'announcement' | 'voice' | 'category' | 'public-thread' | 'private-thread';

export interface OverwriteFixture {
  id: string;
  type: 'role' | 'member';
  allow?: bigint | string;
  deny?: bigint | string;
}

export interface ChannelFixture {
  id: string;
  name: string;
  kind?: ChannelKind;
  /** Age-restricted channel (`nsfw: true` in the API). Threads inherit it from their parent. */
  nsfw?: boolean;
  parentId?: string;
  topic?: string;
  permissionOverwrites?: OverwriteFixture[];
}

export interface MemberFixture {
  userId: string;
  roleIds?: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface GuildFixture {
  id: string;
  name: string;
  ownerId: string;
  /** Permissions of the @everyone role (whose id is the guild id). */
  everyonePermissions?: bigint | string;
  roles?: RoleFixture[];
  channels: ChannelFixture[];
  members: MemberFixture[];
  preferredLocale?: string;
}

const CHANNEL_TYPE_BY_KIND: Record<ChannelKind, number> = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
  voice: ChannelType.GuildVoice,
  category: ChannelType.GuildCategory,
  'public-thread': ChannelType.PublicThread,
  'private-thread': ChannelType.PrivateThread,
};

export function channelTypeOf(channel: ChannelFixture): number {
  return CHANNEL_TYPE_BY_KIND[channel.kind ?? 'text'];
}

export function isThread(channel: ChannelFixture): boolean {
  return channel.kind === 'public-thread' || channel.kind === 'private-thread';
}

export function isTextBased(channel: ChannelFixture): boolean {
  return channel.kind !== 'category';
}

// ---------------------------------------------------------------------------------------------
// Snowflakes

let lastTimestamp = 0n;
let increment = 0n;

/** A fresh snowflake for "now" (monotonic within this process). */
export function snowflake(atMs: number = Date.now()): string {
  const timestamp = BigInt(atMs) - DISCORD_EPOCH_MS;
  if (timestamp === lastTimestamp) {
    increment = (increment + 1n) & 0xfffn;
  } else {
    lastTimestamp = timestamp;
    increment = 0n;
  }
  const worker = BigInt(process.pid & 0x3ff) << 12n;
  return ((timestamp << 22n) | worker | increment).toString();
}

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % num_shards`. */
export function shardIdForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Starts at a random point so fixture ids differ between runs (shared Redis/PostgreSQL stay clean). */
let fixtureCounter = randomBytes(3).readUIntBE(0, 3);

/** A snowflake for a guild that Discord would place on `shardId` of `shardCount` shards. */
export function guildIdOnShard(shardId: number, shardCount: number): string {
  fixtureCounter += 1;
  // A timestamp in 2021 plus a per-call offset, nudged so that (timestamp % shardCount) === shardId.
  let timestamp = 190_000_000_000n + BigInt(fixtureCounter) * 1_000n;
  const count = BigInt(shardCount);
  timestamp += (BigInt(shardId) - (timestamp % count) + count) % count;
  return ((timestamp << 22n) | BigInt(fixtureCounter & 0xfff)).toString();
}

/** A plausible 18–19 digit fixture snowflake (users, channels, roles). */
export function fixtureId(): string {
  fixtureCounter += 1;
  const timestamp = 150_000_000_000n + BigInt(fixtureCounter) * 7_919n;
  return ((timestamp << 22n) | BigInt(fixtureCounter & 0xfff)).toString();
}

export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// Permissions

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** Roughly what Discord grants @everyone in a new server. */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.Stream |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.UseEmbeddedActivities;

/** What the bot's managed role gets when it is invited with the usual scopes. */
export const BOT_ROLE_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands;

export function toBits(value: bigint | string | undefined): bigint {
  if (value === undefined) return 0n;
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** The guild's roles including @everyone, whose id is the guild id. */
export function rolesOf(guild: GuildFixture): RoleFixture[] {
  const everyone: RoleFixture = {
    id: guild.id,
    name: '@everyone',
    permissions: guild.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
    position: 0,
  };
  return [everyone, ...(guild.roles ?? [])];
}

export function basePermissions(guild: GuildFixture, member: MemberFixture): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const roles = rolesOf(guild);
  let permissions = toBits(roles[0]?.permissions);
  for (const roleId of member.roleIds ?? []) {
    const role = roles.find((candidate) => candidate.id === roleId);
    if (role) permissions |= toBits(role.permissions);
  }
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  return permissions;
}

/** Discord's algorithm: base permissions, then @everyone, role and member overwrites of the channel. */
export function channelPermissions(
  guild: GuildFixture,
  member: MemberFixture,
  channel: ChannelFixture,
): bigint {
  const base = basePermissions(guild, member);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  const source = isThread(channel)
    ? (guild.channels.find((candidate) => candidate.id === channel.parentId) ?? channel)
    : channel;
  const overwrites = source.permissionOverwrites ?? [];
  let permissions = base;
  const everyone = overwrites.find((overwrite) => overwrite.id === guild.id);
  if (everyone) permissions = (permissions & ~toBits(everyone.deny)) | toBits(everyone.allow);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 'role' && overwrite.id !== guild.id && member.roleIds?.includes(overwrite.id)) {
      roleAllow |= toBits(overwrite.allow);
      roleDeny |= toBits(overwrite.deny);
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;
  const own = overwrites.find((overwrite) => overwrite.type === 'member' && overwrite.id === member.userId);
  if (own) permissions = (permissions & ~toBits(own.deny)) | toBits(own.allow);
  return permissions;
}

/** A thread is age-restricted exactly when its parent channel is. */
export function isAgeRestricted(guild: GuildFixture, channel: ChannelFixture): boolean {
  if (isThread(channel)) {
    const parent = guild.channels.find((candidate) => candidate.id === channel.parentId);
    return parent?.nsfw === true;
  }
  return channel.nsfw === true;
}

// ---------------------------------------------------------------------------------------------
// A ready-made world: two fandom servers, moderators and readers, ordinary and age-restricted channels.

function user(username: string): UserFixture {
  return { id: fixtureId(), username, globalName: username[0]?.toUpperCase() + username.slice(1) };
}

export interface FicGuildFixture {
  fixture: GuildFixture;
  id: string;
  channels: { general: string; afterDark: string; thread: string; nsfwThread: string; category: string };
  roles: { moderator: string; reader: string };
}

export interface FicWorld {
  applicationId: string;
  botToken: string;
  users: {
    owner: UserFixture;
    moderator: UserFixture;
    reader: UserFixture;
    reader2: UserFixture;
    outsider: UserFixture;
  };
  /**
   * The main server (shard 0) and a second server (the last shard when shardCount > 1).
   * In `other`, the outsider owns the server, reader2 is the moderator and reader is a reader.
   */
  main: FicGuildFixture;
  other: FicGuildFixture;
  guilds: GuildFixture[];
  allUsers: UserFixture[];
}

function ficGuild(
  name: string,
  guildId: string,
  members: { owner: string; moderator: string; readers: string[] },
) {
  const roles = { moderator: fixtureId(), reader: fixtureId() };
  const channels = {
    category: fixtureId(),
    general: fixtureId(),
    afterDark: fixtureId(),
    thread: fixtureId(),
    nsfwThread: fixtureId(),
  };
  const fixture: GuildFixture = {
    id: guildId,
    name,
    ownerId: members.owner,
    roles: [
      {
        id: roles.moderator,
        name: 'Moderator',
        permissions: PermissionFlagsBits.ManageGuild | DEFAULT_EVERYONE_PERMISSIONS,
        position: 2,
      },
      { id: roles.reader, name: 'Reader', permissions: 0n, position: 1 },
    ],
    channels: [
      { id: channels.category, name: 'Reading Room', kind: 'category' },
      { id: channels.general, name: 'general', kind: 'text', parentId: channels.category },
      {
        id: channels.afterDark,
        name: 'after-dark',
        kind: 'text',
        nsfw: true,
        parentId: channels.category,
        topic: 'Age-restricted fic talk',
      },
      { id: channels.thread, name: 'chapter-discussion', kind: 'public-thread', parentId: channels.general },
      {
        id: channels.nsfwThread,
        name: 'spicy-discussion',
        kind: 'public-thread',
        parentId: channels.afterDark,
      },
    ],
    members: [
      { userId: members.owner, roleIds: [] },
      { userId: members.moderator, roleIds: [roles.moderator] },
      ...members.readers.map((userId) => ({ userId, roleIds: [roles.reader] })),
    ],
  };
  return { fixture, id: guildId, channels, roles };
}

export function buildFicWorld(options: { shardCount?: number } = {}): FicWorld {
  const shardCount = options.shardCount ?? 1;
  const users = {
    owner: user('olive'),
    moderator: user('mira'),
    reader: user('reed'),
    reader2: user('rhea'),
    outsider: user('otto'),
  };
  const main = ficGuild('Fic Club', guildIdOnShard(0, shardCount), {
    owner: users.owner.id,
    moderator: users.moderator.id,
    readers: [users.reader.id, users.reader2.id],
  });
  const other = ficGuild('Other Fandom', guildIdOnShard(shardCount - 1, shardCount), {
    owner: users.outsider.id,
    moderator: users.reader2.id,
    readers: [users.reader.id],
  });
  return {
    applicationId: fixtureId(),
    botToken: `${Buffer.from(fixtureId()).toString('base64url')}.${randomToken(4)}.${randomToken(27)}`,
    users,
    main,
    other,
    guilds: [main.fixture, other.fixture],
    allUsers: Object.values(users),
  };
}
