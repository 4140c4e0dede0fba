import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  escapeMarkdown,
  escapeStoryText,
  neutraliseMentions,
  truncate,
  ZWJ,
} from '../../src/discord/escape.ts';
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

  test('text it passes over unchanged is text the escapes would not change', () => {
    const characters = fc.constantFrom(...'ab1 .\n\t#-+@<>|*_~`[]\\&!/:'.split(''));
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(escapeStoryText(text)).toBe(neutraliseMentions(escapeMarkdown(text)));
      }),
      { numRuns: 2000 },
    );
    expect(escapeStoryText('Mira Okafor')).toBe('Mira Okafor');
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
