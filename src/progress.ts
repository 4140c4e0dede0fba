/**
 * Showing a library load that takes a while (a big data folder parsed with a cold cache can take
 * tens of seconds): on a terminal, a "Loading stories: n/total" line redrawn in place and erased
 * at the end; for a bot whose output is a log, an info line every few seconds.
 */
import type { LoadProgress } from './library/load.ts';
import type { Logger } from './logger.ts';

type ProgressListener = (progress: LoadProgress) => void;

/** Folders smaller than this load in a blink: nothing to show. */
const WORTH_SHOWING = 20;
const REDRAW_MS = 100;
const LOG_EVERY_MS = 5_000;

export interface ProgressTerminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** The terminal line, or undefined when `terminal` is not a terminal (a pipe, a file, a log). */
export function terminalProgress(
  terminal: ProgressTerminal = process.stderr,
  now: () => number = Date.now,
): ProgressListener | undefined {
  if (!terminal.isTTY) return undefined;
  let lastShown = 0;
  return ({ done, total }) => {
    if (total < WORTH_SHOWING) return;
    const time = now();
    if (done < total && time - lastShown < REDRAW_MS) return;
    lastShown = time;
    terminal.write(done < total ? `\rLoading stories: ${done}/${total}` : '\r\u001b[K');
  };
}

/** An info line with the count so far every LOG_EVERY_MS while the load goes on. */
export function loggedProgress(logger: Logger, now: () => number = Date.now): ProgressListener {
  const started = now();
  let lastLogged = started;
  return ({ done, total }) => {
    const time = now();
    if (done >= total || time - lastLogged < LOG_EVERY_MS) return;
    lastLogged = time;
    logger.info({ done, total, seconds: Math.round((time - started) / 1000) }, 'loading stories');
  };
}
