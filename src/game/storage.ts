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
  /**
   * A round's wrong answers while it runs, one key each, numbered from 0 in the order they were
   * recorded (folded into the game when the round closes).
   */
  press: (gameId: string, round: number, slot: number) => `quiz:press:${gameId}:${round}:${slot}`,
  /**
   * Where versions before the numbered slots kept a round's wrong answers: one list, rewritten
   * on every press. Still read, so a round running across an upgrade keeps the answers it had.
   */
  legacyPresses: (gameId: string, round: number) => `quiz:presses:${gameId}:${round}`,
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
 * Where each round's next free press slot probably is, per process: the first slot this process
 * has not yet seen taken. Other processes may have taken it since; recording then moves on.
 */
export type PressSlotHints = Map<string, number>;

/** Rounds whose next slot a process remembers (the oldest are forgotten first; forgetting costs a few probes). */
const REMEMBERED_ROUNDS = 256;

/**
 * Records a wrong answer in the first free slot of its round: one atomic insert, whatever the
 * round's size. (A list rewritten on every press made a round of n answers cost n² under a
 * lock.) Slots fill in order without gaps: a slot is only tried once the ones before it are
 * taken, so a reader can stop at the first empty one.
 */
export async function recordWrongPress(
  store: GuildStore,
  gameId: string,
  roundIndex: number,
  press: Press,
  hints: PressSlotHints,
): Promise<void> {
  const round = `${store.guildId}/${gameId}/${roundIndex}`;
  let slot = hints.get(round) ?? 0;
  while (!(await store.setIfAbsent(QUIZ_KEYS.press(gameId, roundIndex, slot), press, CLAIM_TTL_MS))) slot++;
  hints.delete(round);
  hints.set(round, slot + 1);
  if (hints.size > REMEMBERED_ROUNDS) hints.delete(hints.keys().next().value as string);
}

/** Press slots read at once when a round's wrong answers are gathered. */
const SLOTS_PER_READ = 16;

/**
 * A round's wrong answers recorded so far (see recordWrongPress), in the order recorded, one
 * per player; those an older version listed under QUIZ_KEYS.legacyPresses come first.
 */
export async function wrongPresses(store: GuildStore, gameId: string, roundIndex: number): Promise<Press[]> {
  const legacy = store.get<Press[]>(QUIZ_KEYS.legacyPresses(gameId, roundIndex));
  const presses: Press[] = [];
  for (let first = 0; ; first += SLOTS_PER_READ) {
    const slots = await Promise.all(
      Array.from({ length: SLOTS_PER_READ }, (_, k) =>
        store.get<Press>(QUIZ_KEYS.press(gameId, roundIndex, first + k)),
      ),
    );
    const empty = slots.indexOf(undefined);
    for (const press of empty < 0 ? slots : slots.slice(0, empty)) presses.push(press as Press);
    if (empty >= 0) break;
  }
  const earlier = (await legacy) ?? [];
  const players = new Set<string>();
  return [...earlier, ...presses].filter((press) => !players.has(press.userId) && players.add(press.userId));
}
