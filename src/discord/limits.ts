/** Discord's message limits (API v10), and a measure of an embed against them. Pure. */
import type { APIEmbed } from 'discord.js';

export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** The characters Discord counts towards an embed's 6000 total. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title ?? '').length + (embed.description ?? '').length;
  length += (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}
