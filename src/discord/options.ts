/** Option definitions and checks shared by several commands. */
import { ApplicationCommandOptionType } from 'discord.js';
import { UserError } from './port.ts';

/** The story option: autocompleted from the stories this channel may serve. */
export const storyOption = {
  type: ApplicationCommandOptionType.String,
  name: 'story',
  description: 'Which story (start typing its title)',
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;

/** Choices whose names are their values. */
export function choicesOf<T extends string>(values: readonly T[]): { name: T; value: T }[] {
  return values.map((value) => ({ name: value, value }));
}

/** A whole number within limits, or null when not given; UserError naming the option otherwise. */
export function checkRange(
  value: number | null,
  name: string,
  limits: { readonly min: number; readonly max: number },
): number | null {
  if (value !== null && (!Number.isInteger(value) || value < limits.min || value > limits.max)) {
    throw new UserError(`\`${name}\` must be a whole number from ${limits.min} to ${limits.max}.`);
  }
  return value;
}

/** The value if it is one of `allowed`, null when not given; UserError naming the option otherwise. */
export function checkChoice<T extends string>(
  value: string | null,
  name: string,
  allowed: readonly T[],
): T | null {
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`\`${name}\` must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}
