import { describe, expect, test } from 'vitest';
import { excerptMessage, scenePages } from '../../src/discord/excerpt-view.ts';
import { embedLength, LIMITS } from '../../src/discord/limits.ts';
import type { BotMessage } from '../../src/discord/port.ts';
import { DEFAULT_SETTINGS } from '../../src/gating/settings.ts';
import type { Story } from '../../src/library/types.ts';
import { loadSeedLibrary } from '../shell/harness.ts';
import { makeStory } from './fixtures.ts';

function expectWithinLimits(message: BotMessage): void {
  expect(message.embeds?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  for (const embed of message.embeds ?? []) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect((embed.footer?.text ?? '').length).toBeLessThanOrEqual(LIMITS.footerText);
    expect((embed.author?.name ?? '').length).toBeLessThanOrEqual(LIMITS.authorName);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedFields);
    expect(embedLength(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
  }
  expect(message.components?.length ?? 0).toBeLessThanOrEqual(LIMITS.actionRows);
  const ids = new Set<string>();
  for (const row of message.components ?? []) {
    expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const button of row.components) {
      if ('custom_id' in button) {
        expect(button.custom_id.length).toBeGreaterThan(0);
        expect(button.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
        expect(ids.has(button.custom_id)).toBe(false);
        ids.add(button.custom_id);
      }
      if ('label' in button) expect((button.label ?? '').length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    }
  }
}

function everyPage(story: Story, check: (message: BotMessage) => void): number {
  let count = 0;
  for (const display of ['spoiler', 'plain'] as const) {
    const settings = { ...DEFAULT_SETTINGS, warningDisplay: display };
    story.scenes.forEach((_, scene) => {
      scenePages(story, scene).forEach((_, page) => {
        check(excerptMessage(story, scene, page, settings));
        count += 1;
      });
    });
  }
  return count;
}

describe('embed limits', () => {
  test('every page of every scene of both seed stories fits Discord', async () => {
    const library = await loadSeedLibrary();
    expect(library.stories.map((story) => story.id).sort()).toEqual([
      'another-time-another-place',
      'war-verse-first-person',
    ]);
    for (const story of library.stories) {
      expect(everyPage(story, expectWithinLimits)).toBeGreaterThan(0);
    }
  });

  test('a hostile story (huge title, warnings, one 50k-character paragraph) still fits', () => {
    const story = makeStory({
      id: 'hostile',
      title: `${'T'.repeat(400)}**||@everyone`,
      author: 'A'.repeat(500),
      warnings: Array.from({ length: 200 }, (_, index) => `warning ${index} ||x||`),
      scenes: [['word '.repeat(10_000), '@everyone||'.repeat(3000)], ['short']],
    });
    expect(everyPage(story, expectWithinLimits)).toBeGreaterThan(10);
  });
});
