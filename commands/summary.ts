/** /summary story:<autocomplete>: the author's summary (or one ficbot writes) and the story's facts. */
import type { APIEmbed } from 'discord.js';
import { escapeStoryText, truncate } from '../src/discord/escape.ts';
import { storyOption } from '../src/discord/options.ts';
import type { CommandData, CommandModule } from '../src/discord/port.ts';
import { requireServableStory, servableStoryChoices } from '../src/discord/story-access.ts';
import { RATING_COLOURS, ratingMarker, warningLabels, withWarnings } from '../src/discord/story-view.ts';
import { writtenSummary } from '../src/discord/summarize.ts';
import { mayBeSamePerson } from '../src/library/same-person.ts';
import type { CastMember, Story } from '../src/library/types.ts';

const data = {
  name: 'summary',
  description: "A story's summary, rating, warnings, length, main characters and point of view",
  options: [storyOption],
} as const satisfies CommandData;

const POV_LABELS = { first: 'First person', second: 'Second person', third: 'Third person' } as const;

/**
 * Up to five main characters: the dialogue cast by lines spoken (one name for whoever may be one
 * person under two: mayBeSamePerson), else the metadata list.
 */
function mainCharacters(story: Story): string {
  const main: CastMember[] = [];
  const bySpeech = [...story.dialogue.characters]
    .filter((member) => member.name !== 'NARRATOR' && member.lines > 0)
    .sort((a, b) => b.lines - a.lines);
  for (const member of bySpeech) {
    if (main.length === 5) break;
    if (!main.some((listed) => mayBeSamePerson(listed, member, story.dialogue.characters))) main.push(member);
  }
  const names = main.length > 0 ? main.map((member) => member.name) : story.characters.slice(0, 5);
  return names.length > 0 ? truncate(escapeStoryText(names.join(', ')), 1024) : 'Unknown';
}

function summaryText(story: Story): string {
  if (story.summary !== null && story.summary.trim() !== '') return escapeStoryText(story.summary.trim());
  const written = writtenSummary(story);
  if (written === null) return '*No summary, and too little prose to write one.*';
  return `${escapeStoryText(written)}\n\n*Summary written by ficbot from the opening scenes.*`;
}

/** The parts of a story's summary embed that do not depend on the server's settings. */
interface SummaryParts {
  readonly head: Pick<APIEmbed, 'title' | 'author'>;
  /** Escaped, at most 3000 characters; the warnings go in front as the server's settings say. */
  readonly summary: string;
  readonly tail: Pick<APIEmbed, 'color' | 'fields' | 'footer'>;
}

/**
 * Worked out once per story (a reloaded library brings new Story objects, so entries never go
 * stale), and frozen: every reply shares them.
 */
const partsByStory = new WeakMap<Story, SummaryParts>();

function summaryParts(story: Story): SummaryParts {
  const known = partsByStory.get(story);
  if (known !== undefined) return known;
  const labels = warningLabels(story);
  const warnings = labels.length === 0 ? 'None given' : truncate(escapeStoryText(labels.join(', ')), 1024);
  const rating =
    story.rating === null || ratingMarker(story).endsWith(story.rating)
      ? ratingMarker(story)
      : `${ratingMarker(story)} (${story.rating})`;
  const fields = [
    { name: 'Rating', value: truncate(escapeStoryText(rating), 1024), inline: true },
    { name: 'Warnings', value: warnings, inline: true },
    { name: 'Words', value: story.words.toLocaleString('en-US'), inline: true },
    { name: 'Scenes', value: String(story.scenes.length), inline: true },
    { name: 'Point of view', value: story.pov === null ? 'Unknown' : POV_LABELS[story.pov], inline: true },
    { name: 'Main characters', value: mainCharacters(story) },
  ].map((field) => Object.freeze(field));
  const parts: SummaryParts = {
    head: Object.freeze({
      title: truncate(escapeStoryText(story.title), 256),
      ...(story.author === null
        ? {}
        : { author: Object.freeze({ name: truncate(`by ${story.author}`, 200) }) }),
    }),
    summary: truncate(summaryText(story), 3000),
    tail: Object.freeze({
      color: RATING_COLOURS[story.ratingLevel],
      fields: Object.freeze(fields) as APIEmbed['fields'],
      footer: Object.freeze({ text: `id: ${truncate(story.id, 100)} · read it with /excerpt` }),
    }),
  };
  partsByStory.set(story, parts);
  return parts;
}

export const summary: CommandModule = {
  data,
  async execute(interaction, services) {
    const { story, settings } = await requireServableStory(
      interaction,
      services,
      interaction.options.string('story') ?? '',
    );
    const { head, summary: text, tail } = summaryParts(story);
    await interaction.reply({
      embeds: [{ ...head, description: withWarnings(story, text, settings.warningDisplay), ...tail }],
    });
  },
  autocomplete: servableStoryChoices,
};
