/** A small library covering every rating and warning case, for command tests. */
import { makeLibrary, makeStory } from '../discord/fixtures.ts';

const longScene = Array.from({ length: 40 }, (_, index) =>
  `Paragraph ${index + 1} walks along the harbour wall, counting gulls and boats and thinking of home.`.repeat(
    2,
  ),
);

export const gentle = makeStory({
  id: 'gentle-tide',
  title: 'Gentle Tide',
  author: 'Mara',
  ratingLevel: 'general',
  rating: 'General Audiences',
  summary: 'Two friends walk the harbour.',
  scenes: [longScene, ['The second scene is short and kind.'], ['The third scene closes the story.']],
});

export const dark = makeStory({
  id: 'dark-water',
  title: 'Dark Water',
  ratingLevel: 'mature',
  rating: 'Mature',
  warnings: ['Graphic depictions of gore'],
  warningCategories: ['gore'],
  scenes: [['Blood in the water, and the long night that followed it.']],
});

export const spicy = makeStory({
  id: 'red-lantern',
  title: 'Red Lantern',
  ratingLevel: 'explicit',
  rating: 'Explicit',
  scenes: [['An explicit scene that ordinary channels must never see.']],
});

export const teenDeath = makeStory({
  id: 'last-light',
  title: 'Last Light',
  ratingLevel: 'teen',
  warnings: ['Major Character Death'],
  warningCategories: ['major-character-death'],
  scenes: [['The lighthouse keeper did not see the morning.']],
});

export const pingy = makeStory({
  id: 'ping-storm',
  title: 'Ping @everyone Storm',
  ratingLevel: 'general',
  summary: 'Hey @here, read ||this|| now <@&987654321098765432>.',
  scenes: [
    [
      'She shouted "@everyone, look!" and tagged <@123456789012345678> and <@!123456789012345678>.',
      'The sign said ||no spoilers|| in **bold** and `code` and [a link](https://example.com).',
      '# Not a heading',
      '```js\nalert(1)\n```',
    ],
  ],
});

export const fixtureLibrary = makeLibrary([gentle, dark, spicy, teenDeath, pingy]);
