import { afterEach, describe, expect, test } from 'vitest';
import { config } from '../../commands/config.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { fixtureLibrary } from './library.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

async function asModerator() {
  harness = await startShell({ library: fixtureLibrary });
  await harness.send(':mod on');
  return harness;
}

describe('/config', () => {
  test('is Manage Server only: by default permissions and in the handler', async () => {
    expect(config.data.default_member_permissions).toBe('32');
    harness = await startShell({ library: fixtureLibrary });
    // Even where a server overrode the default permissions, the handler refuses.
    for (const line of ['/config show', '/config rating ordinary:explicit', '/config reset']) {
      const out = await harness.send(line);
      expect(out).toContain('(only you can see this)');
      expect(out).toContain('You need the Manage Server permission');
    }
    expect(await harness.send('/excerpt story:red-lantern')).toContain('rated Explicit');
  });

  test('show: the defaults before any moderator acts', async () => {
    const { send } = await asModerator();
    const out = await send('/config show');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain('**Ordinary channels:** up to Teen');
    expect(out).toContain('**Age-restricted channels:** up to Explicit');
    expect(out).toContain('**Warnings:** labelled spoilers');
    expect(out).toContain('**Quiz defaults:** 5 rounds of 30 s, speaker mode');
  });

  test('rating: every change answers privately with the new value, and applies', async () => {
    const { send } = await asModerator();
    const out = await send('/config rating ordinary:mature');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain(
      'Ordinary channels now allow up to **Mature**; age-restricted channels up to **Explicit**.',
    );
    expect(await send('/excerpt story:dark-water')).toContain('Blood in the water');
    expect(await send('/config rating age-restricted:teen')).toContain(
      'age-restricted channels up to **Teen**',
    );
    await send(':channel after-dark nsfw');
    expect(await send('/excerpt story:dark-water')).toContain('even in age-restricted channels');
  });

  test('warnings, hide, story and game answer with the new value', async () => {
    const { send } = await asModerator();
    expect(await send('/config warnings display:plain')).toContain('Warnings are now shown plainly.');
    expect(await send('/config hide category:gore hidden:true')).toContain(
      'Stories with **gore** are now hidden in this server. Hidden categories: gore.',
    );
    expect(await send('/config hide category:gore hidden:false')).toContain('Hidden categories: none.');
    expect(await send('/config story story:gentle-tide enabled:false')).toContain(
      '**Gentle Tide** (`gentle-tide`) is now switched off in this server.',
    );
    expect(await send('/config game seconds:45 rounds:8')).toContain(
      'Quiz defaults are now 8 rounds of 45 s, speaker mode.',
    );
    expect(await send('/config game mode:story')).toContain('8 rounds of 45 s, story mode');
    const shown = await send('/config show');
    expect(shown).toContain('**Switched-off stories:** `gentle-tide`');
    expect(shown).toContain('**Warnings:** shown plainly');
  });

  test('reset returns to the defaults', async () => {
    const { send } = await asModerator();
    await send('/config rating ordinary:explicit');
    const out = await send('/config reset');
    expect(out).toContain('Settings are back to the defaults');
    expect(out).toContain('**Ordinary channels:** up to Teen');
    expect(await send('/excerpt story:red-lantern')).toContain('rated Explicit');
  });

  test.each([
    ['/config rating', 'Give `ordinary`, `age-restricted` or both'],
    ['/config rating ordinary:nc17', '`ordinary` must be one of: general, teen, mature, explicit.'],
    ['/config game', 'Give `seconds`, `rounds` or `mode`.'],
    ['/config game seconds:1', '`seconds` must be at least 5.'],
    ['/config game rounds:500', '`rounds` must be at most 50.'],
    ['/config hide category:spiders hidden:true', '`category` must be one of:'],
    ['/config story story:no-such-story enabled:false', 'no story called "no-such-story"'],
    ['/config story story:gentle-tide enabled:maybe', '`enabled` must be true or false.'],
    ['/config frobnicate', 'has no subcommand "frobnicate"'],
  ])('bad value %s gets a clear answer', async (line, message) => {
    const { send } = await asModerator();
    expect(await send(line)).toContain(message);
  });

  test('settings are per server', async () => {
    const { send } = await asModerator();
    await send('/config rating ordinary:explicit');
    expect(await send('/excerpt story:red-lantern')).toContain('An explicit scene');
    await send(':guild 222222222222222222');
    expect(await send('/excerpt story:red-lantern')).toContain('rated Explicit');
    expect(await send('/config show')).toContain('**Ordinary channels:** up to Teen');
  });

  test('needs a server: in DMs it says so', async () => {
    const { send } = await asModerator();
    await send(':dm');
    expect(await send('/config show')).toContain('only works in a server');
  });

  test('story autocomplete offers every story to moderators, nothing to others', async () => {
    const { send } = await asModerator();
    await send('/config story story:dark-water enabled:false');
    expect(await send(':complete /config story story:dark')).toContain('story:dark-water');
    await send(':mod off');
    expect(await send(':complete /config story story:dark')).toContain('(no suggestions)');
  });
});
