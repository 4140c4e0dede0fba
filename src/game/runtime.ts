/**
 * What one process keeps in memory for the quote game: its round timers, its pacing and where it
 * expects the next wrong answer's slot. Nothing here is needed to answer a press (that is all in
 * the store); losing it (a restart) only loses the timers, which `recoverQuizzes` re-arms, and
 * the slot hints, which recording finds again.
 */
import type { Services } from '../discord/port.ts';
import { DEFAULT_TIMING, type Timing } from './rules.ts';
import { type PressSlotHints, START_COOLDOWN_MS } from './storage.ts';

export interface QuizTuning {
  readonly timing: Timing;
  readonly cooldownMs: number;
}

interface Runtime {
  tuning: QuizTuning;
  /** One pending timer per game: its tag says what for (`deadline:2`, `advance:3`). */
  readonly timers: Map<string, { readonly tag: string; readonly cancel: () => void }>;
  /** Work started by timers (or background recovery) that has not finished yet. */
  readonly inFlight: Set<Promise<void>>;
  /** Servers whose stored games this process has recovered. */
  readonly recovered: Set<string>;
  /** Where this process expects each running round's next wrong answer to go. */
  readonly pressSlots: PressSlotHints;
}

const runtimes = new WeakMap<object, Runtime>();

/** This process's timers and tuning for the services' store (one per bot or shell). */
export function runtime(services: Services): Runtime {
  let found = runtimes.get(services.store);
  if (!found) {
    found = {
      tuning: { timing: DEFAULT_TIMING, cooldownMs: START_COOLDOWN_MS },
      timers: new Map(),
      inFlight: new Set(),
      recovered: new Set(),
      pressSlots: new Map(),
    };
    runtimes.set(services.store, found);
  }
  return found;
}

/** Overrides the pacing (tests and the shell use short gaps); affects games driven by this process. */
export function tuneQuiz(services: Services, tuning: Partial<QuizTuning>): void {
  const state = runtime(services);
  state.tuning = { ...state.tuning, ...tuning };
}

/** Cancels every quiz timer of this process (shutdown; a simulated crash in tests). */
export function stopQuizTimers(services: Services): void {
  const state = runtime(services);
  for (const timer of state.timers.values()) timer.cancel();
  state.timers.clear();
}

/**
 * Resolves once the work quiz timers started (posting a round, revealing one, the summary) has
 * finished. A manual clock runs timers without waiting for their store round trips; scripted
 * shells and tests await this after letting time pass.
 */
export async function quizIdle(services: Services): Promise<void> {
  const inFlight = runtime(services).inFlight;
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/** Whether timer work is still running. */
export function quizBusy(services: Services): boolean {
  return runtime(services).inFlight.size > 0;
}

/** How many quiz timers this process holds (for tests and diagnostics). */
export function pendingQuizTimers(services: Services): number {
  return runtime(services).timers.size;
}

function timerKey(guildId: string, gameId: string): string {
  return `${guildId}/${gameId}`;
}

/**
 * Sets a game's one timer to run `run` after `delayMs` (a deadline, the next round, a retry).
 * Arming the same tag again is a no-op; another tag replaces the pending timer. The work a timer
 * starts is tracked (see quizIdle) and returned to the clock.
 */
export function armTimer(
  services: Services,
  guildId: string,
  gameId: string,
  tag: string,
  delayMs: number,
  run: () => Promise<void>,
): void {
  const { timers, inFlight } = runtime(services);
  const key = timerKey(guildId, gameId);
  const existing = timers.get(key);
  if (existing?.tag === tag) return;
  existing?.cancel();
  const cancel = services.clock.setTimeout(
    () => {
      if (timers.get(key)?.tag === tag) timers.delete(key);
      const work = run().finally(() => inFlight.delete(work));
      inFlight.add(work);
      return work;
    },
    Math.max(0, delayMs),
  );
  timers.set(key, { tag, cancel });
}

/** Forgets a game's pending timer (the game ended, or is gone). */
export function cancelTimer(services: Services, guildId: string, gameId: string): void {
  const timers = runtime(services).timers;
  const key = timerKey(guildId, gameId);
  timers.get(key)?.cancel();
  timers.delete(key);
}
