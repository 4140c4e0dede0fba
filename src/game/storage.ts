/**
 * Where the quote game keeps its state: the store keys (all inside the server's namespace),
 * how long claims live, and a read-modify-write of one game. Through the GuildStore contract
 * only; the game never sees keyv.
 */
import type { GuildStore } from '../state/types.ts';
import type { GameState } from './types.ts';

/** Store keys, all inside the server's namespace. */
export const QUIZ_KEYS = {
  game: (gameId: string) => `quiz:game:${gameId}`,
  channel: (channelId: string) => `quiz:channel:${channelId}`,
  active: 'quiz:active',
  claim: (gameId: string, round: number) => `quiz:claim:${gameId}:${round}`,
  answered: (gameId: string, round: number, userId: string) => `quiz:answered:${gameId}:${round}:${userId}`,
  advance: (gameId: string, round: number) => `quiz:advance:${gameId}:${round}`,
  summary: (gameId: string) => `quiz:summary:${gameId}`,
  cooldown: (userId: string) => `quiz:cooldown:${userId}`,
  lastPost: (channelId: string) => `quiz:last-post:${channelId}`,
  stats: (bucket: string) => `quiz:stats:${bucket}`,
} as const;

/** A member may start one quiz per this long. */
export const START_COOLDOWN_MS = 30_000;
/** Claims outlive any game by far. */
export const CLAIM_TTL_MS = 24 * 60 * 60_000;
/** A round post or summary whose poster died may be retried after this long. */
export const POST_CLAIM_TTL_MS = 60_000;
/** Finished games stay readable (old buttons answer "over") for a day. */
export const FINISHED_TTL_MS = 24 * 60 * 60_000;
/** On recovery, a game overdue by more than this is ended rather than resumed: its players have gone. */
export const STALE_AFTER_MS = 10 * 60_000;

export async function updateGame(
  store: GuildStore,
  gameId: string,
  change: (game: GameState) => GameState,
): Promise<GameState | null> {
  return store.update<GameState | null>(QUIZ_KEYS.game(gameId), (current) =>
    current ? change(current) : null,
  );
}
