/**
 * /excerpt's reply: one page of a scene in an embed, warnings first as the server's settings
 * say, with previous/next page and next scene buttons. Pure.
 */
import type { APIButtonComponent, APIEmbed } from 'discord.js';
import type { GuildSettings } from '../gating/settings.ts';
import { paragraphTexts } from '../library/query.ts';
import type { Story } from '../library/types.ts';
import { buildCustomId, fitsCustomId } from './custom-id.ts';
import { escapeStoryText, truncate } from './escape.ts';
import { LIMITS } from './limits.ts';
import { paginate } from './pages.ts';
import type { BotMessage, ButtonRow } from './port.ts';
import { RATING_COLOURS, ratingMarker, withWarnings } from './story-view.ts';

/**
 * Characters of (escaped) story text per page. With the CW label (≤ 300), spoiler marks, title
 * (≤ 256), author (≤ 256) and footer (≤ 300) an embed stays well under 4096 / 6000.
 */
export const PAGE_LIMIT = 3500;

/** The prose of a scene, one string per paragraph. */
export function sceneParagraphs(story: Story, sceneIndex: number): string[] {
  const scene = story.scenes[sceneIndex];
  return scene === undefined ? [] : paragraphTexts(story, scene);
}

/** Pages per story and scene; a reloaded library brings new Story objects, so entries never go stale. */
const pageCache = new WeakMap<Story, Map<number, readonly string[]>>();

/** The escaped pages of a scene; a scene without text still has one (explanatory) page. */
export function scenePages(story: Story, sceneIndex: number): readonly string[] {
  let scenes = pageCache.get(story);
  if (scenes === undefined) {
    scenes = new Map();
    pageCache.set(story, scenes);
  }
  let pages = scenes.get(sceneIndex);
  if (pages === undefined) {
    const cut = paginate(sceneParagraphs(story, sceneIndex), PAGE_LIMIT, escapeStoryText);
    pages = cut.length > 0 ? cut : ['*(This scene has no text.)*'];
    scenes.set(sceneIndex, pages);
  }
  return pages;
}

function button(label: string, customId: string, disabled: boolean): APIButtonComponent {
  return { type: 2, style: 2, label, custom_id: customId, disabled };
}

function excerptButtons(story: Story, sceneIndex: number, page: number, pageCount: number): ButtonRow[] {
  const lastScene = story.scenes.length - 1;
  // Nothing to press (one page, one scene), or ids that would not fit: no buttons.
  if (pageCount <= 1 && lastScene === sceneIndex) return [];
  if (!fitsCustomId('excerpt', 'page', story.id, lastScene, Math.max(pageCount, 1))) return [];
  const target = (scene: number, targetPage: number) =>
    buildCustomId('excerpt', 'page', story.id, scene, targetPage);
  return [
    {
      type: 1,
      components: [
        page > 0
          ? button('◀ Previous page', target(sceneIndex, page - 1), false)
          : button('◀ Previous page', 'excerpt:none:previous', true),
        page < pageCount - 1
          ? button('Next page ▶', target(sceneIndex, page + 1), false)
          : button('Next page ▶', 'excerpt:none:next', true),
        sceneIndex < lastScene
          ? button('Next scene ⏭', target(sceneIndex + 1, 0), false)
          : button('Next scene ⏭', 'excerpt:none:scene', true),
      ],
    },
  ];
}

/** The embed for page `page` of scene `sceneIndex` (both 0-based and already validated). */
export function excerptEmbed(
  story: Story,
  sceneIndex: number,
  page: number,
  pages: readonly string[],
  settings: GuildSettings,
): APIEmbed {
  const scene = story.scenes[sceneIndex];
  const chapter = scene?.chapterTitle ? ` · ${truncate(escapeStoryText(scene.chapterTitle), 100)}` : '';
  const footer = `Scene ${sceneIndex + 1} of ${story.scenes.length}${chapter} · page ${page + 1} of ${pages.length} · ${ratingMarker(story)}`;
  const embed: APIEmbed = {
    title: truncate(escapeStoryText(story.title), LIMITS.embedTitle),
    description: withWarnings(story, pages[page] ?? '', settings.warningDisplay),
    color: RATING_COLOURS[story.ratingLevel],
    footer: { text: truncate(footer, 300) },
  };
  return story.author === null ? embed : { ...embed, author: { name: truncate(`by ${story.author}`, 200) } };
}

export function excerptMessage(
  story: Story,
  sceneIndex: number,
  page: number,
  settings: GuildSettings,
): BotMessage {
  const pages = scenePages(story, sceneIndex);
  return {
    embeds: [excerptEmbed(story, sceneIndex, page, pages, settings)],
    components: excerptButtons(story, sceneIndex, page, pages.length),
  };
}
