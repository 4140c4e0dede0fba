import { Options } from 'discord.js';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { rememberingJsonTransformer } from '../../src/discord/client.ts';

const original = Options.createDefault().jsonTransformer as (value: unknown) => unknown;

/** Keys as discord.js payloads have them (snake_case, camelCase) and some odd ones. */
const key = fc.oneof(
  fc.constantFrom('custom_id', 'customId', 'nameLocalizations', 'emoji', 'type', 'URL', 'iconURL', 'a-b c'),
  fc.string({ maxLength: 12 }),
);

const { value: payload } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(new Date(0)),
    fc.constant({ toJSON: () => ({ innerKey: 1 }) }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));

/** What a transformer gives, or the error it throws (an `emoji` string it cannot decode). */
function outcome(transform: (value: unknown) => unknown, value: unknown) {
  try {
    return { gives: transform(value) };
  } catch (error) {
    return { throws: String(error) };
  }
}

test('gives what discord.js’s own transformer gives, whatever the payload', () => {
  const remembering = rememberingJsonTransformer(original);
  fc.assert(
    fc.property(payload, (value) => {
      expect(outcome(remembering, value)).toEqual(outcome(original, value));
    }),
    { numRuns: 1000 },
  );
});

test('autocomplete choices and an embed come out as discord.js sends them', () => {
  const remembering = rememberingJsonTransformer(original);
  const choices = [{ name: 'Emma (Teen)', value: 'emma' }];
  const embed = { title: 'T', footer: { text: 'f', icon_url: 'x' }, fields: [{ name: 'n', value: 'v' }] };
  const row = { type: 1, components: [{ type: 2, style: 2, label: 'Next', custom_id: 'a:b', emoji: '▶' }] };
  for (const sent of [choices[0], embed, row]) expect(remembering(sent)).toEqual(original(sent));
});
