// Who a message would actually ping, given its content and allowed_mentions (Discord API v10).
import { isObject, type Json } from './standin-validation.ts';

export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
}

export type MentionKind = 'users' | 'roles' | 'everyone';

/** Defaults when allowed_mentions is omitted: interactions and webhooks parse users only; channel messages parse all. */
export const INTERACTION_DEFAULT_PARSE: readonly MentionKind[] = ['users'];
export const CHANNEL_DEFAULT_PARSE: readonly MentionKind[] = ['users', 'roles', 'everyone'];

/** True when the request disables every ping: `allowed_mentions: { parse: [] }` with no explicit ids. */
export function mentionsDisabled(allowed: Json | undefined): boolean {
  if (!isObject(allowed)) return false;
  if (!Array.isArray(allowed.parse) || allowed.parse.length > 0) return false;
  const users = allowed.users;
  const roles = allowed.roles;
  if (Array.isArray(users) && users.length > 0) return false;
  if (Array.isArray(roles) && roles.length > 0) return false;
  return allowed.replied_user !== true;
}

export function pingsOf(
  content: string,
  allowed: Json | undefined,
  defaultParse: readonly MentionKind[],
): Pings {
  const parse: readonly string[] = isObject(allowed)
    ? Array.isArray(allowed.parse)
      ? allowed.parse.filter((entry): entry is string => typeof entry === 'string')
      : []
    : defaultParse;
  const allowedUsers = isObject(allowed) && Array.isArray(allowed.users) ? allowed.users.map(String) : [];
  const allowedRoles = isObject(allowed) && Array.isArray(allowed.roles) ? allowed.roles.map(String) : [];
  const everyone = parse.includes('everyone') && /@(everyone|here)\b/.test(content);
  const users = new Set<string>();
  for (const match of content.matchAll(/<@!?(\d{1,20})>/g)) {
    const id = match[1] ?? '';
    if (parse.includes('users') || allowedUsers.includes(id)) users.add(id);
  }
  const roles = new Set<string>();
  for (const match of content.matchAll(/<@&(\d{1,20})>/g)) {
    const id = match[1] ?? '';
    if (parse.includes('roles') || allowedRoles.includes(id)) roles.add(id);
  }
  return { everyone, users: [...users], roles: [...roles] };
}

export function pingsAnyone(pings: Pings): boolean {
  return pings.everyone || pings.users.length > 0 || pings.roles.length > 0;
}
