/**
 * Stable ids for the shell's pretend members and channels, shaped like Discord snowflakes
 * (17–20 digits) so they pass the same checks as real ones. The same name always gives the
 * same id, so `/quiz stats member:alice` finds whoever played as `:as alice`.
 */

/** FNV-1a, 64-bit, as a bigint. */
function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

/** An 18-digit id derived from `seed`. */
function snowflakeFrom(seed: string): string {
  return (100000000000000000n + (fnv1a64(seed) % 800000000000000000n)).toString();
}

/** The member id for a shell name (case-insensitive). */
export function shellUserId(name: string): string {
  return snowflakeFrom(`user:${name.trim().toLowerCase()}`);
}

/** The channel id for a channel name within a server (or DMs when guildId is null). */
export function shellChannelId(guildId: string | null, channelName: string): string {
  return snowflakeFrom(`channel:${guildId ?? '@dm'}:${channelName.trim().toLowerCase()}`);
}

/** The server the shell starts in. */
export const SHELL_GUILD_ID = '100000000000000001';
