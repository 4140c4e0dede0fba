/**
 * Where the quote game keeps its state: the store keys (all inside the server's namespace),
 * how long claims live, a read-modify-write of one game, and a round's wrong answers. Through the GuildStore contract
 * only; the game never sees keyv.
 */
import type { GuildStore } from '../state/types.ts';
import type { GameState, Press } from './types.ts';

/** Store keys, all inside the server's namespace. */
export const QUIZ_KEYS = {
  game: (gameId: string) => `quiz:game:${gameId}`,
  channel: (channelId: string) => `quiz:channel:${channelId}`,
  active: 'quiz:active',
  claim: (gameId: string, round: number) => `quiz:claim:${gameId}:${round}`,
  answered: (gameId: string, round: number, userId: string) => `quiz:answered:${gameId}:${round}:${userId}`,
  /** A round's wrong answers while it runs (folded into the game when it closes). */
  presses: (gameId: string, round: number) => `quiz:presses:${gameId}:${round}`,
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

/**
 * Adds a wrong answer to its round's list (once per player). The list lives apart from the game,
 * so a busy round's answers each rewrite a small list instead of the whole game under its lock.
 */
export async function recordWrongPress(
  store: GuildStore,
  gameId: string,
  roundIndex: number,
  press: Press,
): Promise<void> {
  await store.update<Press[]>(
    QUIZ_KEYS.presses(gameId, roundIndex),
    (list) => (list?.some((earlier) => earlier.userId === press.userId) ? list : [...(list ?? []), press]),
    CLAIM_TTL_MS,
  );
}

/** A round's wrong answers recorded so far (see recordWrongPress). */
export async function wrongPresses(store: GuildStore, gameId: string, roundIndex: number): Promise<Press[]> {
  return (await store.get<Press[]>(QUIZ_KEYS.presses(gameId, roundIndex))) ?? [];
}
