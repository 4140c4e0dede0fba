/**
 * Clocks for `Services.clock`: the system clock for the bot and an interactive shell, and a
 * manual clock that scripted shells and tests advance with `:wait` (no real waiting).
 */
import type { Clock } from '../discord/port.ts';

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(run, ms) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running every timer that falls due (in order) and letting it settle. */
  advance(ms: number): Promise<void>;
}

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly run: () => unknown;
}

/** Let promise chains started by a timer (handlers, store writes) run before the next timer. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let order = 0;
  const pending = new Set<Pending>();
  return {
    now: () => now,
    setTimeout(run, ms) {
      const entry: Pending = { at: now + Math.max(0, ms), order: order++, run };
      pending.add(entry);
      return () => {
        pending.delete(entry);
      };
    },
    async advance(ms) {
      const target = now + Math.max(0, ms);
      for (;;) {
        const due = [...pending]
          .filter((entry) => entry.at <= target)
          .sort((a, b) => a.at - b.at || a.order - b.order)[0];
        if (due === undefined) break;
        pending.delete(due);
        now = due.at;
        // A timer may return the work it started (the quiz's store writes): wait for it.
        await due.run();
        await settle();
      }
      now = target;
      await settle();
    },
  };
}
