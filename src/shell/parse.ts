/**
 * Reading a typed slash command the way Discord's client would send it: `/name [subcommand]
 * option:value ...`, values quoted when they hold spaces (`story:"Another Time"`). Options are
 * checked against the command's definition (types, required, choices, min/max) just as the
 * Discord client enforces them, so handlers see the same shapes in the shell as on Discord.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
} from 'discord.js';
import type { CommandModule, InteractionUser } from '../discord/port.ts';
import { shellUserId } from './ids.ts';

/** A problem with what was typed; the shell prints it instead of running the command. */
export class ShellInputError extends Error {
  override readonly name = 'ShellInputError';
}

/** Splits on white space, keeping "quoted parts" (double or single quotes, `\` escapes) together. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    if (quote !== null) {
      if (
        character === '\\' &&
        index + 1 < line.length &&
        (line[index + 1] === quote || line[index + 1] === '\\')
      ) {
        current += line[index + 1];
        index += 1;
      } else if (character === quote) {
        quote = null;
      } else {
        current += character;
      }
    } else if (character === '"' || character === "'") {
      // A quote opens only at the start of a token or right after `name:`.
      if (!inToken || current.endsWith(':')) {
        quote = character;
        inToken = true;
      } else {
        current += character;
      }
    } else if (/\s/.test(character)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += character;
      inToken = true;
    }
  }
  if (quote !== null) throw new ShellInputError(`Unclosed ${quote} quote.`);
  if (inToken) tokens.push(current);
  return tokens;
}

export type OptionValue = string | number | boolean | InteractionUser;

export interface Invocation {
  readonly command: CommandModule;
  readonly subcommand: string | null;
  readonly values: ReadonlyMap<string, OptionValue>;
  /** For autocomplete: the last option typed, with its raw text. */
  readonly last: { readonly name: string; readonly value: string } | null;
}

export interface ParseOptions {
  /** Skip required/choice checks and keep raw text (autocomplete sees partial input). */
  readonly partial?: boolean;
  /** Names known for member ids (from `:as`), to resolve `<@id>`. */
  readonly memberNames?: ReadonlyMap<string, string>;
}

function convert(option: APIApplicationCommandBasicOption, raw: string, options: ParseOptions): OptionValue {
  const label = `\`${option.name}\``;
  switch (option.type) {
    case ApplicationCommandOptionType.String: {
      if (option.min_length !== undefined && raw.length < option.min_length) {
        throw new ShellInputError(`${label} needs at least ${option.min_length} characters.`);
      }
      if (option.max_length !== undefined && raw.length > option.max_length) {
        throw new ShellInputError(`${label} takes at most ${option.max_length} characters.`);
      }
      if (
        option.choices !== undefined &&
        options.partial !== true &&
        !option.choices.some((c) => c.value === raw)
      ) {
        throw new ShellInputError(
          `${label} must be one of: ${option.choices.map((c) => c.value).join(', ')}.`,
        );
      }
      return raw;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = option.type === ApplicationCommandOptionType.Integer;
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        throw new ShellInputError(`${label} must be ${integer ? 'a whole number' : 'a number'}.`);
      }
      if (option.min_value !== undefined && value < option.min_value) {
        throw new ShellInputError(`${label} must be at least ${option.min_value}.`);
      }
      if (option.max_value !== undefined && value > option.max_value) {
        throw new ShellInputError(`${label} must be at most ${option.max_value}.`);
      }
      if (option.choices !== undefined && !option.choices.some((c) => c.value === value)) {
        throw new ShellInputError(
          `${label} must be one of: ${option.choices.map((c) => c.value).join(', ')}.`,
        );
      }
      return value;
    }
    case ApplicationCommandOptionType.Boolean: {
      const lowered = raw.toLowerCase();
      if (['true', 'yes', 'on'].includes(lowered)) return true;
      if (['false', 'no', 'off'].includes(lowered)) return false;
      throw new ShellInputError(`${label} must be true or false.`);
    }
    case ApplicationCommandOptionType.User: {
      const mention = /^<@!?(\d{17,20})>$/.exec(raw);
      if (mention !== null) {
        const id = mention[1]!;
        return { id, name: options.memberNames?.get(id) ?? id };
      }
      const name = raw.replace(/^@/, '').trim();
      if (name === '') throw new ShellInputError(`${label} needs a member name (as used with :as).`);
      return { id: shellUserId(name), name };
    }
    default:
      throw new ShellInputError(`${label}: this option type is not supported in the shell.`);
  }
}

/** Parses `/name [subcommand] option:value ...` against `commands`. */
export function parseInvocation(
  line: string,
  commands: readonly CommandModule[],
  options: ParseOptions = {},
): Invocation {
  const [head, ...rest] = tokenize(line.trim());
  if (head === undefined || !head.startsWith('/') || head.length < 2) {
    throw new ShellInputError('Type a slash command, like /help, or :help for the shell.');
  }
  const name = head.slice(1).toLowerCase();
  const command = commands.find((candidate) => candidate.data.name === name);
  if (command === undefined) {
    throw new ShellInputError(
      `Unknown command /${name}. Commands: ${commands.map((c) => `/${c.data.name}`).join(' ')}`,
    );
  }
  const top: readonly APIApplicationCommandOption[] = command.data.options ?? [];
  const subcommands = top.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
  let subcommand: string | null = null;
  let definitions: readonly APIApplicationCommandBasicOption[] = top.filter(
    (option): option is APIApplicationCommandBasicOption =>
      option.type !== ApplicationCommandOptionType.Subcommand &&
      option.type !== ApplicationCommandOptionType.SubcommandGroup,
  );
  let tokens = rest;
  if (subcommands.length > 0) {
    const [first, ...others] = rest;
    const names = subcommands.map((option) => option.name).join(', ');
    if (first === undefined || first.includes(':')) {
      throw new ShellInputError(`/${name} needs a subcommand: ${names}.`);
    }
    const chosen = subcommands.find((option) => option.name === first.toLowerCase());
    if (chosen === undefined)
      throw new ShellInputError(`/${name} has no subcommand "${first}"; try: ${names}.`);
    subcommand = chosen.name;
    definitions = chosen.options ?? [];
    tokens = others;
  }

  const values = new Map<string, OptionValue>();
  let last: Invocation['last'] = null;
  for (const token of tokens) {
    const colon = token.indexOf(':');
    if (colon <= 0) {
      throw new ShellInputError(`"${token}" is not an option: write name:value (quote values with spaces).`);
    }
    const optionName = token.slice(0, colon).toLowerCase();
    const raw = token.slice(colon + 1);
    const definition = definitions.find((candidate) => candidate.name === optionName);
    if (definition === undefined) {
      const known = definitions.map((candidate) => candidate.name).join(', ') || 'none';
      throw new ShellInputError(
        `/${name}${subcommand ? ` ${subcommand}` : ''} has no option "${optionName}" (options: ${known}).`,
      );
    }
    if (values.has(optionName)) throw new ShellInputError(`\`${optionName}\` is given twice.`);
    values.set(optionName, options.partial === true ? raw : convert(definition, raw, options));
    last = { name: optionName, value: raw };
  }
  if (options.partial !== true) {
    for (const definition of definitions) {
      if (definition.required === true && !values.has(definition.name)) {
        throw new ShellInputError(`\`${definition.name}\` is required.`);
      }
    }
  }
  return { command, subcommand, values, last };
}
