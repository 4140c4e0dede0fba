/** /excerpt story:<autocomplete> [scene] [page]: a scene in an embed, paged with buttons. */
import { ApplicationCommandOptionType } from 'discord.js';
import { expectArgs, intArg, parseCustomId, stringArg } from '../src/discord/custom-id.ts';
import { excerptMessage, scenePages } from '../src/discord/excerpt-view.ts';
import { storyOption } from '../src/discord/options.ts';
import { type CommandData, type CommandModule, UserError } from '../src/discord/port.ts';
import {
  requireServableStory,
  requireServableStoryById,
  servableStoryChoices,
} from '../src/discord/story-access.ts';
import { storyName } from '../src/discord/story-view.ts';
import type { Story } from '../src/library/types.ts';

const data = {
  name: 'excerpt',
  description: 'Read a scene from a story',
  options: [
    storyOption,
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'scene',
      description: 'Scene number (a random scene when left out)',
      min_value: 1,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: 'page',
      description: 'Page of the scene',
      min_value: 1,
    },
  ],
} as const satisfies CommandData;

function checkScene(story: Story, scene: number): void {
  if (story.scenes.length === 0) throw new UserError(`"${storyName(story)}" has no scenes to show.`);
  if (!Number.isInteger(scene) || scene < 0 || scene >= story.scenes.length) {
    throw new UserError(
      `\`scene\`: "${storyName(story)}" has ${story.scenes.length} scene${story.scenes.length === 1 ? '' : 's'}; pick 1 to ${story.scenes.length}.`,
    );
  }
}

function checkPage(story: Story, scene: number, page: number): void {
  const pageCount = scenePages(story, scene).length;
  if (!Number.isInteger(page) || page < 0 || page >= pageCount) {
    throw new UserError(
      `\`page\`: scene ${scene + 1} of "${storyName(story)}" has ${pageCount} page${pageCount === 1 ? '' : 's'}; pick 1 to ${pageCount}.`,
    );
  }
}

export const excerpt: CommandModule = {
  data,
  async execute(interaction, services) {
    const { story, settings } = await requireServableStory(
      interaction,
      services,
      interaction.options.string('story') ?? '',
    );
    const sceneOption = interaction.options.integer('scene');
    const scene =
      sceneOption === null ? Math.floor(Math.random() * Math.max(story.scenes.length, 1)) : sceneOption - 1;
    checkScene(story, scene);
    const page = (interaction.options.integer('page') ?? 1) - 1;
    checkPage(story, scene, page);
    await interaction.reply(excerptMessage(story, scene, page, settings));
  },
  autocomplete: servableStoryChoices,
  async button(interaction, services) {
    const parsed = parseCustomId(interaction.customId);
    if (parsed.action !== 'page') throw new UserError('That button does nothing.');
    expectArgs(parsed, 3);
    const scene = intArg(parsed, 1);
    const page = intArg(parsed, 2);
    const { story, settings } = await requireServableStoryById(interaction, services, stringArg(parsed, 0));
    checkScene(story, scene);
    checkPage(story, scene, page);
    await interaction.update(excerptMessage(story, scene, page, settings));
  },
};
