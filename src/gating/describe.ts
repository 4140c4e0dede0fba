/** Settings as moderators read them in /config answers. Pure. */
import { type GuildSettings, RATING_LABELS } from './settings.ts';

export function describeSettings(settings: GuildSettings): string {
  const hidden = settings.hiddenCategories.length === 0 ? 'none' : settings.hiddenCategories.join(', ');
  const disabled =
    settings.disabledStories.length === 0
      ? 'none'
      : settings.disabledStories.map((id) => `\`${id}\``).join(', ');
  const warnings =
    settings.warningDisplay === 'spoiler' ? 'labelled spoilers (CW: gore ||…||)' : 'shown plainly';
  return [
    `**Ordinary channels:** up to ${RATING_LABELS[settings.rating.ordinary]}`,
    `**Age-restricted channels:** up to ${RATING_LABELS[settings.rating.ageRestricted]}`,
    `**Warnings:** ${warnings}`,
    `**Hidden categories:** ${hidden}`,
    `**Switched-off stories:** ${disabled}`,
    `**Quiz defaults:** ${describeGame(settings)}`,
  ].join('\n');
}

export function describeRatings(settings: GuildSettings): string {
  return `Ordinary channels now allow up to **${RATING_LABELS[settings.rating.ordinary]}**; age-restricted channels up to **${RATING_LABELS[settings.rating.ageRestricted]}**.`;
}

export function describeGame(settings: GuildSettings): string {
  return `${settings.game.rounds} rounds of ${settings.game.seconds} s, ${settings.game.mode} mode`;
}
