/**
 * Stateless button ids: `<command>:<action>:<arg>:<arg>...` (Teryl style), at most 100
 * characters. Arguments are percent-encoded so a ':' inside one cannot shift the others.
 * Parsing validates shape and numbers; a tampered id becomes a UserError with a clear answer.
 */
import { LIMITS } from './limits.ts';
import { UserError } from './port.ts';

export function buildCustomId(command: string, action: string, ...args: (string | number)[]): string {
  const id = [command, action, ...args.map((arg) => encodeURIComponent(String(arg)))].join(':');
  if (id.length > LIMITS.customId) {
    throw new Error(`custom id longer than ${LIMITS.customId} characters: ${id.slice(0, 40)}…`);
  }
  return id;
}

/** Whether `buildCustomId` would fit, for callers that can fall back to fewer buttons. */
export function fitsCustomId(command: string, action: string, ...args: (string | number)[]): boolean {
  const id = [command, action, ...args.map((arg) => encodeURIComponent(String(arg)))].join(':');
  return id.length <= LIMITS.customId;
}

const TAMPERED = 'That button is not one ficbot made (or it is out of date). Run the command again.';

export interface ParsedCustomId {
  readonly command: string;
  readonly action: string;
  readonly args: readonly string[];
}

/** Splits an id into command, action and decoded arguments; throws UserError on anything malformed. */
export function parseCustomId(customId: string): ParsedCustomId {
  const [command, action, ...raw] = customId.split(':');
  if (command === undefined || action === undefined || command === '' || action === '') {
    throw new UserError(TAMPERED);
  }
  try {
    return { command, action, args: raw.map((arg) => decodeURIComponent(arg)) };
  } catch {
    throw new UserError(TAMPERED);
  }
}

/** Reads argument `index` as a whole number in [min, max]; throws UserError otherwise. */
export function intArg(
  parsed: ParsedCustomId,
  index: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = parsed.args[index];
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) throw new UserError(TAMPERED);
  const value = Number(raw);
  if (value < min || value > max) throw new UserError(TAMPERED);
  return value;
}

/** Reads argument `index` as a string; throws UserError when missing. */
export function stringArg(parsed: ParsedCustomId, index: number): string {
  const raw = parsed.args[index];
  if (raw === undefined) throw new UserError(TAMPERED);
  return raw;
}

/** Asserts the argument count, so extra or missing parts are caught. */
export function expectArgs(parsed: ParsedCustomId, count: number): void {
  if (parsed.args.length !== count) throw new UserError(TAMPERED);
}
