/**
 * A server's settings in the store. DMs have no server, so they get the defaults and never
 * touch the store. Store outages surface as `StoreUnavailableError` (the router answers it).
 */
import type { Store } from '../state/types.ts';
import { DEFAULT_SETTINGS, type GuildSettings, normalizeSettings, SETTINGS_KEY } from './settings.ts';

export async function loadSettings(store: Store, guildId: string | null): Promise<GuildSettings> {
  if (guildId === null) return DEFAULT_SETTINGS;
  return normalizeSettings(await store.guild(guildId).get<unknown>(SETTINGS_KEY));
}

/** Applies `change` to the server's current settings atomically and returns the result. */
export async function changeSettings(
  store: Store,
  guildId: string,
  change: (current: GuildSettings) => GuildSettings,
): Promise<GuildSettings> {
  const saved = await store
    .guild(guildId)
    .update<unknown>(SETTINGS_KEY, (current) => change(normalizeSettings(current)));
  return normalizeSettings(saved);
}

export async function resetSettings(store: Store, guildId: string): Promise<GuildSettings> {
  await store.guild(guildId).delete(SETTINGS_KEY);
  return DEFAULT_SETTINGS;
}
