/**
 * ficbot's one structured logger: pino, JSON lines on stderr (stdout belongs to the terminal
 * shell's conversation). Two layers keep secrets out of the output:
 * - `redact` paths blank well-known fields (token, DISCORD_TOKEN, authorization headers, ...);
 * - every line is scrubbed of the configured secrets' text, so a token inside an error
 *   message, a stack or a URL is replaced too.
 * Add context with `logger.child({ guildId, userId, command })`.
 */
import { pino } from 'pino';
import { type Config, type LogLevel, loadConfig } from './config.ts';

export type Logger = pino.Logger;

/** The context every line about an interaction carries. */
export interface LogContext {
  readonly guildId?: string | null;
  readonly channelId?: string | null;
  readonly userId?: string;
  readonly command?: string;
  readonly [key: string]: unknown;
}

/** Where log lines go; pino writes each line (with its newline) through `write`. */
export interface LogDestination {
  write(line: string): unknown;
}

export const REDACTED = '[redacted]';

const SECRET_KEYS = [
  'token',
  'discordToken',
  'DISCORD_TOKEN',
  'password',
  'authorization',
  'Authorization',
  'cookie',
];

/** Field paths pino blanks before serialising: top level, one and two levels down, and headers. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
];

/** Secrets shorter than this are not scrubbed textually (they would mangle ordinary words). */
const MIN_SCRUBBED_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function that replaces every occurrence of the secrets (raw or JSON-escaped) with REDACTED. */
export function secretScrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SCRUBBED_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return (text) => text;
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return (text) => text.replace(pattern, REDACTED);
}

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  /** Exact strings never to print (the bot token, a store password). */
  readonly secrets?: readonly (string | undefined)[];
  /** Defaults to stderr, written synchronously so lines interleave sensibly with the shell. */
  readonly destination?: LogDestination;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const target: LogDestination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const scrub = secretScrubber(options.secrets ?? []);
  const destination = { write: (line: string) => target.write(scrub(line)) };
  return pino(
    {
      name: 'ficbot',
      level: options.level,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}

/** The password in a store URL, if it has one, so it can be scrubbed like the token. */
function storePassword(config: Config): string | undefined {
  if (config.store.backend === 'sqlite') return undefined;
  try {
    const password = new URL(config.store.url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/** A logger at the configured level that scrubs the token and the store password. */
export function loggerFromConfig(config: Config, destination?: LogDestination): Logger {
  return createLogger({
    level: config.logLevel,
    secrets: [config.discordToken, storePassword(config)],
    ...(destination === undefined ? {} : { destination }),
  });
}

/** A child logger carrying interaction context on every line. */
export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}

let shared: Logger | undefined;

/** The process's logger, built from `loadConfig()` on first use. */
export function getLogger(): Logger {
  shared ??= loggerFromConfig(loadConfig());
  return shared;
}
