import { describe, expect, test } from 'vitest';
import { escapeStoryText, truncate, ZWJ } from '../../src/discord/escape.ts';
import { renderMarkdown } from '../../src/shell/render.ts';

describe('escapeStoryText', () => {
  test.each([
    ['@everyone', `@${ZWJ}everyone`],
    ['@here', `@${ZWJ}here`],
    ['@EVERYONE', `@${ZWJ}EVERYONE`],
    ['<@123456789012345678>', `\\<${ZWJ}@123456789012345678\\>`],
    ['<@!123456789012345678>', `\\<${ZWJ}@!123456789012345678\\>`],
    ['<@&123456789012345678>', `\\<${ZWJ}@&123456789012345678\\>`],
    ['<#123456789012345678>', `\\<${ZWJ}#123456789012345678\\>`],
    ['||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['**bold** _it_ ~~gone~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~'],
    ['```code```', '\\`\\`\\`code\\`\\`\\`'],
    ['# heading', '\\# heading'],
    ['-# subtext', '\\-# subtext'],
    ['> quote', '\\> quote'],
    ['[masked](https://evil.example)', '\\[masked\\](https://evil.example)'],
    ['1. list', '1\\. list'],
    ['a \\ b', 'a \\\\ b'],
  ])('%s', (input, expected) => {
    expect(escapeStoryText(input)).toBe(expected);
  });

  test('escaped text reads as the original once rendered (nothing lost)', () => {
    const text = 'She said ||no|| to **him** at <@123> and @everyone, # twice.';
    expect(renderMarkdown(escapeStoryText(text)).replaceAll(ZWJ, '')).toBe(text);
  });

  test('story text inside the bot spoiler cannot close it early', () => {
    const wrapped = `||${escapeStoryText('before || after')}||`;
    expect(renderMarkdown(wrapped)).toBe('[spoiler: before || after]');
  });

  test('truncate never leaves a dangling escape or splits a surrogate pair', () => {
    expect(truncate('abc\\*def', 5)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });
});
