/**
 * BotMessage → terminal text, the way Hubot's Shell shows a chat: embeds with their title,
 * author, description, fields and footer; spoilers marked visibly; buttons as numbered
 * `[n] label`; private replies marked. Pure.
 */
import type { APIButtonComponent, APIEmbed } from 'discord.js';
import type { BotMessage } from '../discord/port.ts';

/** Shows `||hidden||` as `[spoiler: hidden]` and drops Markdown escapes (`\*` → `*`). */
export function renderMarkdown(text: string): string {
  return text
    .replace(/(?<!\\)\|\|([\s\S]*?)(?<!\\)\|\|/g, (_match, inner: string) => `[spoiler: ${inner}]`)
    .replace(/\\([\\*_~`|[\]<>#.+-])/g, '$1');
}

/** Every button of the message, in order: what `[n]` numbers and `:press n` presses. */
export function messageButtons(message: BotMessage): APIButtonComponent[] {
  return (message.components ?? []).flatMap((row) => row.components);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function renderEmbed(embed: APIEmbed): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name);
  if (embed.title) lines.push(`== ${renderMarkdown(embed.title)} ==`);
  if (embed.description) lines.push(renderMarkdown(embed.description));
  for (const field of embed.fields ?? [])
    lines.push(`${renderMarkdown(field.name)}: ${renderMarkdown(field.value)}`);
  if (embed.footer?.text) lines.push(`-- ${renderMarkdown(embed.footer.text)}`);
  return indent(lines.join('\n'), '  | ');
}

function buttonLabel(button: APIButtonComponent): string {
  return 'label' in button && button.label !== undefined ? button.label : '(button)';
}

export interface RenderOptions {
  /** Who speaks: "ficbot" for the bot. */
  readonly speaker?: string;
  /** Shown before the speaker, e.g. "#general" for a message in another channel. */
  readonly where?: string;
  /** The message replaces an earlier one (an edit or a button's update). */
  readonly edited?: boolean;
  /** Only the user sees it (ephemeral). */
  readonly private?: boolean;
}

export function renderMessage(message: BotMessage, options: RenderOptions = {}): string {
  const tags = [
    options.where,
    options.private === true || message.ephemeral === true ? '(only you can see this)' : undefined,
    options.edited === true ? '(edited)' : undefined,
  ].filter((tag): tag is string => tag !== undefined);
  const header = `${options.speaker ?? 'ficbot'}${tags.length > 0 ? ` ${tags.join(' ')}` : ''}:`;
  const parts = [header];
  if (message.content) parts.push(indent(renderMarkdown(message.content), '  '));
  for (const embed of message.embeds ?? []) parts.push(renderEmbed(embed));
  const buttons = messageButtons(message);
  if (buttons.length > 0) {
    parts.push(
      `  ${buttons
        .map(
          (button, index) =>
            `[${index + 1}] ${buttonLabel(button)}${button.disabled === true ? ' (disabled)' : ''}`,
        )
        .join('  ')}`,
    );
  }
  return parts.join('\n');
}
