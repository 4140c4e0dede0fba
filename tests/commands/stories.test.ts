import { afterEach, describe, expect, test } from 'vitest';
import { makeLibrary, makeStory } from '../discord/fixtures.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { fixtureLibrary } from './library.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

const many = makeLibrary(
  Array.from({ length: 20 }, (_, index) =>
    makeStory({ id: `tale-${String(index + 1).padStart(2, '0')}`, title: `Tale ${index + 1}` }),
  ),
);

describe('/stories', () => {
  test('the seed library in an age-restricted channel, with rating and warning markers', async () => {
    harness = await startShell();
    await harness.send(':channel lounge nsfw');
    const out = await harness.send('/stories');
    expect(out).toContain('== Stories ==');
    expect(out).toContain('(`another-time-another-place`)');
    expect(out).toMatch(/`war-verse-first-person`\)\n {2}\| 🟠 Mature · [\d,]+ words · ⚠️ non con, gore/);
  });

  test('leaves out what the channel may not serve', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const ordinary = await harness.send('/stories');
    expect(ordinary).toContain('gentle-tide');
    expect(ordinary).not.toContain('dark-water');
    expect(ordinary).not.toContain('red-lantern');
    await harness.send(':channel after-dark nsfw');
    const nsfw = await harness.send('/stories');
    expect(nsfw).toContain('dark-water');
    expect(nsfw).toContain('red-lantern');
    await harness.script([':mod on', '/config hide category:gore hidden:true']);
    expect(await harness.send('/stories')).not.toContain('dark-water');
  });

  test('an empty list says why: rating, or moderators hiding stories', async () => {
    harness = await startShell();
    expect(await harness.send('/stories')).toContain(
      'No stories can be shown in this channel (2 rated above Teen, the most this channel allows: try an age-restricted channel).',
    );
    await harness.script([':channel lounge nsfw', ':mod on', '/config hide category:gore hidden:true']);
    await harness.send('/config story story:another-time-another-place enabled:false');
    expect(await harness.send('/stories')).toContain(
      "No stories can be shown in this channel (2 hidden or switched off by this server's moderators).",
    );
  });

  test('pages with buttons, and the page option', async () => {
    harness = await startShell({ library: many });
    const first = await harness.send('/stories');
    expect(first).toContain('Page 1 of 3 · 20 stories');
    expect(first).toContain('[1] ◀ Previous (disabled)  [2] Next ▶');
    const second = await harness.send(':press 2');
    expect(second).toContain('Page 2 of 3');
    expect(second).toContain('Tale 9');
    expect(await harness.send('/stories page:3')).toContain('Tale 20');
  });

  test('search narrows the list and survives paging', async () => {
    harness = await startShell({ library: fixtureLibrary });
    const out = await harness.send('/stories search:gentle');
    expect(out).toContain('Stories matching "gentle"');
    expect(out).toContain('gentle-tide');
    expect(out).not.toContain('last-light');
    expect(await harness.send('/stories search:zzzzqqq')).toContain('No story here matches "zzzzqqq"');
  });

  test('a page out of range gets a clear private answer', async () => {
    harness = await startShell({ library: many });
    const out = await harness.send('/stories page:9');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain('`page`: there are 3 pages; pick 1 to 3.');
  });

  test('a tampered page button is refused clearly', async () => {
    harness = await startShell({ library: many });
    const router = (await import('../../src/discord/router.ts')).createRouter(
      harness.shell.services.commands,
      harness.shell.services,
    );
    const answers: string[] = [];
    const respond = async (message: { content?: string; ephemeral?: boolean }) => {
      answers.push(`${message.ephemeral ? 'private' : 'public'}: ${message.content}`);
      return { messageId: null };
    };
    for (const customId of [
      'stories:page:abc:',
      'stories:page:1',
      'stories:page:99:',
      'stories:explode:1:',
    ]) {
      await router.route({
        kind: 'button',
        customId,
        messageId: '1',
        user: { id: '1', name: 'mallory' },
        canManageGuild: false,
        guildId: '1',
        channelId: '1',
        channelName: 'general',
        ageRestricted: false,
        acknowledged: 'no',
        reply: respond,
        defer: async () => {},
        editReply: respond,
        followUp: respond,
        deleteReply: async () => {},
        update: respond,
        deferUpdate: async () => {},
      });
    }
    expect(answers).toHaveLength(4);
    for (const answer of answers) expect(answer).toMatch(/^private: /);
    expect(answers[0]).toContain('not one ficbot made');
    expect(answers[2]).toContain('`page`: there are 3 pages');
  });
});
