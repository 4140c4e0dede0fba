/**
 * Making story text safe to show: nobody is pinged and the bot's own formatting (spoilers,
 * warning labels, embeds) cannot be broken by what a story contains. Pure.
 */

/** Zero-width joiner: keeps `@everyone` and `<@id>` from rendering (or acting) as mentions. */
export const ZWJ = '\u200D';

/**
 * Neutralises mentions: `@everyone`, `@here`, `<@user>`, `<@!user>`, `<@&role>`, `<#channel>`,
 * `</command:id>`. allowedMentions already prevents pings; this keeps them from rendering as mentions.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWJ}$1`).replace(/<([@#/])/g, `<${ZWJ}$1`);
}

/**
 * Escapes Discord markdown so story text shows literally: emphasis, strike, code, spoilers
 * (`||`), masked links, block quotes, headings, subtext and list markers at a line start.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\*_~`|[\]<>]/g, '\\$&')
    .replace(/^([ \t]*)(#{1,3}[ \t]|-#[ \t]|[-+][ \t])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)\.([ \t])/gm, '$1\\.$2');
}

/**
 * Every character the escapes above act on: a text holding none (most names and titles, such
 * as a quiz's answers) is safe as it is, and is answered after one test instead of five
 * replacements.
 */
const ESCAPED_CHARACTERS = /[\\*_~`|[\]<>#+\-.@]/;

/** Story text (or any user-visible text from a file) made safe for a message or an embed. */
export function escapeStoryText(text: string): string {
  if (!ESCAPED_CHARACTERS.test(text)) return text;
  return neutraliseMentions(escapeMarkdown(text));
}

/** Cuts `text` to at most `max` characters, ending with '…' when cut, never splitting a surrogate pair or an escape. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  // Do not leave a lone backslash that would escape the ellipsis or eat the next character.
  let backslashes = 0;
  while (cut - 1 - backslashes >= 0 && text[cut - 1 - backslashes] === '\\') backslashes += 1;
  if (backslashes % 2 === 1) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
