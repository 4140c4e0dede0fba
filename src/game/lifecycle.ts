/**
 * The quote game's rounds coming and going: closing a round (once, by claim), revealing it,
 * settling its scores, posting the next one, ending the game with its summary, and recovering
 * all of that after a restart. Every step reads the stored game and does what it is waiting
 * for, so any process may run it, any number of times.
 */
import type { Services } from '../discord/port.ts';
import { loadSettings, storyAccess } from '../gating/index.ts';
import type { GuildStore } from '../state/types.ts';
import {
  applyClaim,
  dropQuestions,
  endGame,
  foldWrongPresses,
  markRevealed,
  markSettled,
  markSummaryPosted,
  openRound,
  type RoundClaim,
  setRoundMessage,
  startRound,
} from './rules.ts';
import { armTimer, cancelTimer, runtime } from './runtime.ts';
import { applyRound, bucketKeys, EMPTY_BUCKET, roundDeltas, roundKey } from './stats.ts';
import {
  CLAIM_TTL_MS,
  FINISHED_TTL_MS,
  POST_CLAIM_TTL_MS,
  QUIZ_KEYS,
  STALE_AFTER_MS,
  updateGame,
  wrongPresses,
} from './storage.ts';
import type { GameState, Question, StatsBucket } from './types.ts';
import { revealMessage, roundMessage, summaryMessage } from './view.ts';

/** A deadline that passed without its timer (another process, a restart): close the round now. */
export async function closeIfOverdue(services: Services, guildId: string, gameId: string): Promise<void> {
  await guarded(services, guildId, gameId, async () => {
    const store = services.store.guild(guildId);
    const game = await store.get<GameState>(QUIZ_KEYS.game(gameId));
    const round = game ? openRound(game) : undefined;
    if (!game) return;
    if (!round || services.clock.now() < round.deadline) {
      await drive(services, guildId, gameId); // closed already, or woke early: carry on
      return;
    }
    await closeRound(services, store, gameId, round.index, { reason: 'timeout', at: round.deadline });
    await drive(services, guildId, gameId);
  });
}

export interface Closed {
  /** This call's claim decided the round. */
  readonly claimed: boolean;
  /** The claim that decided it (this call's or an earlier one). */
  readonly claim: RoundClaim;
  readonly game: GameState | null;
}

/**
 * Claims a round's outcome (first claim wins) and applies whichever claim won, idempotently,
 * with the round's wrong answers recorded before it closed.
 */
export async function closeRound(
  services: Services,
  store: GuildStore,
  gameId: string,
  roundIndex: number,
  proposed: RoundClaim,
): Promise<Closed> {
  const key = QUIZ_KEYS.claim(gameId, roundIndex);
  const [claimed, wrong] = await Promise.all([
    store.setIfAbsent(key, proposed, CLAIM_TTL_MS),
    wrongPresses(store, gameId, roundIndex),
  ]);
  const claim = claimed ? proposed : ((await store.get<RoundClaim>(key)) ?? proposed);
  const timing = runtime(services).tuning.timing;
  const game = await updateGame(store, gameId, (g) =>
    foldWrongPresses(applyClaim(g, roundIndex, claim, timing), roundIndex, wrong),
  );
  return { claimed, claim, game };
}

// ---------------------------------------------------------------------------------------------
// Driving: whatever the stored state calls for next, done once

/**
 * Looks at a game and does what it is waiting for: settles and reveals closed rounds, arms the
 * deadline or next-round timer, or posts the summary and frees the channel. Safe to call any
 * number of times from any process.
 */
export async function drive(services: Services, guildId: string, gameId: string): Promise<void> {
  const store = services.store.guild(guildId);
  let game = await store.get<GameState>(QUIZ_KEYS.game(gameId));
  if (!game) {
    cancelTimer(services, guildId, gameId);
    return;
  }
  // Wrong answers that landed after the round's closer read them (a press judged just before
  // the close, recorded just after) go in before the scores are settled.
  const unsettled = game.rounds.filter((round) => round.outcome && !round.settled);
  if (unsettled.length > 0) {
    const lists = await Promise.all(unsettled.map((round) => wrongPresses(store, gameId, round.index)));
    const fold = (g: GameState) =>
      unsettled.reduce((next, round, k) => foldWrongPresses(next, round.index, lists[k]!), g);
    if (fold(game) !== game) game = (await updateGame(store, gameId, fold)) ?? game;
  }
  const settled: number[] = [];
  const revealed: number[] = [];
  for (const round of game.rounds) {
    if (!round.outcome) continue;
    if (!round.settled) {
      await settleRound(store, game, round.index);
      settled.push(round.index);
    }
    if (!round.revealed && round.messageId) {
      try {
        await services.messenger.edit(game.channelId, round.messageId, revealMessage(game, round));
      } catch (error) {
        services.logger.warn(
          { err: error, guildId, gameId, round: round.index },
          'could not reveal a quiz round',
        );
      }
      revealed.push(round.index);
    }
  }
  if (settled.length > 0 || revealed.length > 0) {
    game =
      (await updateGame(store, gameId, (g) => {
        let next = g;
        for (const index of settled) next = markSettled(next, index);
        for (const index of revealed) next = markRevealed(next, index);
        return next;
      })) ?? game;
  }
  const now = services.clock.now();
  const open = openRound(game);
  if (open) {
    armTimer(services, guildId, gameId, `deadline:${open.index}`, open.deadline - now, () =>
      closeIfOverdue(services, guildId, gameId),
    );
  } else if (game.phase === 'between' && game.nextRoundAt !== null) {
    const next = game.rounds.length;
    armTimer(services, guildId, gameId, `advance:${next}`, game.nextRoundAt - now, () =>
      advance(services, guildId, gameId, next),
    );
  } else if (game.phase === 'ended') {
    await finish(services, store, game);
  }
}

/** Posts round `roundIndex` (once, whichever process gets there first). */
async function advance(
  services: Services,
  guildId: string,
  gameId: string,
  roundIndex: number,
): Promise<void> {
  await guarded(services, guildId, gameId, async () => {
    const store = services.store.guild(guildId);
    if (!(await store.setIfAbsent(QUIZ_KEYS.advance(gameId, roundIndex), true, POST_CLAIM_TTL_MS))) return;
    // Settings may have changed since the start: never ask about a story this channel now hides.
    const settings = await loadSettings(services.store, guildId);
    const library = new Map(services.library.current().stories.map((story) => [story.id, story]));
    const now = services.clock.now();
    const game = await updateGame(store, gameId, (g) => {
      if (g.rounds.length !== roundIndex) return g;
      const servable = (question: Question) => {
        const story = library.get(question.storyId);
        return (
          story !== undefined && storyAccess(story, settings, { ageRestricted: g.ageRestricted }).allowed
        );
      };
      return startRound(dropQuestions(g, servable, now), now);
    });
    const round = game?.rounds[roundIndex];
    if (!game || !round || round.outcome || round.messageId) {
      if (game) await drive(services, guildId, gameId);
      return;
    }
    try {
      const sent = await services.messenger.send(game.channelId, roundMessage(game, round));
      await updateGame(store, gameId, (g) => setRoundMessage(g, roundIndex, sent.messageId));
      await store.set(QUIZ_KEYS.lastPost(game.channelId), services.clock.now(), CLAIM_TTL_MS);
    } catch (error) {
      services.logger.warn({ err: error, guildId, gameId, round: roundIndex }, 'could not post a quiz round');
      await updateGame(store, gameId, (g) => endGame(g, 'failed', services.clock.now()));
    }
    await drive(services, guildId, gameId);
  });
}

async function settleRound(store: GuildStore, game: GameState, roundIndex: number): Promise<void> {
  const round = game.rounds[roundIndex];
  const deltas = roundDeltas(game, roundIndex);
  if (!round?.outcome || deltas.length === 0) return;
  const key = roundKey(game.id, roundIndex);
  for (const bucket of bucketKeys(round.outcome.at)) {
    await store.update<StatsBucket>(QUIZ_KEYS.stats(bucket), (current) =>
      applyRound(current ?? EMPTY_BUCKET, key, deltas),
    );
  }
}

/** The game has ended: post its summary once, free the channel, forget it after a while. */
async function finish(services: Services, store: GuildStore, game: GameState): Promise<void> {
  cancelTimer(services, game.guildId, game.id);
  let final = game;
  if (!game.summaryPosted) {
    if (!(await store.setIfAbsent(QUIZ_KEYS.summary(game.id), true, POST_CLAIM_TTL_MS))) return;
    try {
      await services.messenger.send(game.channelId, summaryMessage(game));
    } catch (error) {
      services.logger.warn(
        { err: error, guildId: game.guildId, gameId: game.id },
        'could not post a quiz summary',
      );
    }
    final = (await updateGame(store, game.id, markSummaryPosted)) ?? game;
  }
  const channelKey = QUIZ_KEYS.channel(game.channelId);
  if ((await store.get<string>(channelKey)) === game.id) await store.delete(channelKey);
  await store.update<string[]>(QUIZ_KEYS.active, (ids) => (ids ?? []).filter((id) => id !== game.id));
  await store.set(QUIZ_KEYS.game(game.id), final, FINISHED_TTL_MS);
}

/** After a failed step (a store outage), the game is looked at again this much later. */
export const RETRY_MS = 5_000;

/**
 * Runs timer and after-answer work: a failure is logged, never thrown at a caller that has
 * answered, and the game is driven again after RETRY_MS (while this process is up), so a store
 * outage delays a game instead of stranding it.
 */
export async function guarded(
  services: Services,
  guildId: string,
  gameId: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    services.logger.error({ err: error, guildId, gameId }, 'quiz step failed; retrying shortly');
    armTimer(services, guildId, gameId, `retry:${services.clock.now()}`, RETRY_MS, () =>
      guarded(services, guildId, gameId, () => drive(services, guildId, gameId)),
    );
  }
}

/**
 * Start-up: for each server, finishes what a previous run left. A round whose deadline passed is
 * revealed (its message edited, buttons disabled); a round still running gets its timer back; a
 * game overdue by more than STALE_AFTER_MS is ended with its summary. Returns how many games it
 * found. Call once the messenger can send (the client is ready; the shell at start).
 */
export async function recoverQuizzes(services: Services, guildIds: readonly string[]): Promise<number> {
  let found = 0;
  const recovered = runtime(services).recovered;
  for (const guildId of guildIds) {
    recovered.add(guildId);
    try {
      const store = services.store.guild(guildId);
      const ids = (await store.get<string[]>(QUIZ_KEYS.active)) ?? [];
      for (const gameId of ids) {
        found += 1;
        await guarded(services, guildId, gameId, () => recoverGame(services, store, gameId));
      }
    } catch (error) {
      services.logger.error({ err: error, guildId }, 'could not recover quizzes');
    }
  }
  return found;
}

/**
 * Recovery as a safety net: the first quiz interaction a process sees in a server runs
 * `recoverQuizzes` for it in the background (tracked, see quizIdle), unless the start-up wiring
 * already did. Games left by a previous run move on even if the wiring never called it.
 */
export function recoverGuildOnce(services: Services, guildId: string): void {
  const state = runtime(services);
  if (state.recovered.has(guildId)) return;
  const work = recoverQuizzes(services, [guildId])
    .then(() => undefined)
    .finally(() => state.inFlight.delete(work));
  state.inFlight.add(work);
}

async function recoverGame(services: Services, store: GuildStore, gameId: string): Promise<void> {
  const game = await store.get<GameState>(QUIZ_KEYS.game(gameId));
  if (!game) {
    await store.update<string[]>(QUIZ_KEYS.active, (ids) => (ids ?? []).filter((id) => id !== gameId));
    return;
  }
  const now = services.clock.now();
  const open = openRound(game);
  const overdueSince = open ? open.deadline : game.phase === 'between' ? game.nextRoundAt : null;
  const stale = overdueSince !== null && now - overdueSince > STALE_AFTER_MS;
  if (open && (stale || !open.messageId || now >= open.deadline)) {
    await closeRound(services, store, gameId, open.index, {
      reason: 'timeout',
      at: Math.min(now, open.deadline),
    });
  }
  if (stale) await updateGame(store, gameId, (g) => endGame(g, 'interrupted', now));
  await drive(services, game.guildId, gameId);
}
