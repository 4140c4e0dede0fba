import { afterEach, describe, expect, test } from 'vitest';
import { type CommandModule, UserError } from '../../src/discord/port.ts';
import { GENERIC_ERROR, GUILD_ONLY, STORE_UNAVAILABLE } from '../../src/discord/router.ts';
import { StoreUnavailableError } from '../../src/state/types.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';
import { makeLibrary, makeStory } from './fixtures.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A test command whose handler does `run`. */
function probe(
  name: string,
  run: CommandModule['execute'],
  extra: Partial<CommandModule> = {},
): CommandModule {
  return { data: { name, description: `probe ${name}` }, execute: run, ...extra };
}

const probes: CommandModule[] = [
  probe('usererror', async () => {
    throw new UserError('Pick a story that exists.');
  }),
  probe('crash', async () => {
    throw new Error('database exploded: password=hunter2');
  }),
  probe('deferthencrash', async (interaction) => {
    await interaction.defer();
    throw new Error('late failure');
  }),
  probe('deferthenusererror', async (interaction) => {
    await interaction.defer({ ephemeral: true });
    throw new UserError('Late but clear.');
  }),
  probe('repliedthencrash', async (interaction) => {
    await interaction.reply({ content: 'first answer' });
    throw new Error('after the reply');
  }),
  probe('slow', async (interaction) => {
    await sleep(150);
    await interaction.reply({ content: 'slow answer' });
  }),
  probe('silent', async () => {}),
  probe(
    'buttons',
    async (interaction) => {
      await interaction.reply({
        content: 'press me',
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 2, label: 'Quiet', custom_id: 'buttons:quiet' },
              { type: 2, style: 2, label: 'Boom', custom_id: 'buttons:boom' },
            ],
          },
        ],
      });
    },
    {
      async button(interaction) {
        if (interaction.customId === 'buttons:boom') throw new Error('button exploded');
        await interaction.deferUpdate();
      },
    },
  ),
  probe('storedown', async () => {
    throw new StoreUnavailableError('redis is down');
  }),
  probe('serveronly', async (interaction) => void (await interaction.reply({ content: 'in a server' })), {
    guildOnly: true,
  }),
];

let harness: ShellHarness;
afterEach(async () => harness?.close());

async function start() {
  harness = await startShell({
    commands: probes,
    library: makeLibrary([makeStory({ id: 'plain' })]),
    autoDeferMs: 50,
  });
  return harness;
}

describe('router error policy', () => {
  test('a UserError is shown to the user, privately', async () => {
    const { send } = await start();
    const out = await send('/usererror');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain('Pick a story that exists.');
  });

  test('an unexpected error is logged with context and answered generically', async () => {
    const { send, logs } = await start();
    const out = await send('/crash');
    expect(out).toContain('(only you can see this)');
    expect(out).toContain(GENERIC_ERROR);
    expect(out).not.toContain('exploded');
    const line = logs.find((entry) => entry.msg === 'handler failed');
    expect(line).toMatchObject({ command: 'crash', guildId: expect.any(String), userId: expect.any(String) });
  });

  test('an error after a public defer replaces the "thinking" message with a private answer', async () => {
    const { send, logs } = await start();
    const out = await send('/deferthencrash');
    expect(out).toContain('ficbot is thinking');
    expect(out).toMatch(/\(only you can see this\):\n {2}Something went wrong/);
    expect(logs.some((entry) => entry.msg === 'handler failed' && entry.command === 'deferthencrash')).toBe(
      true,
    );
  });

  test('a UserError after a private defer edits the deferred answer', async () => {
    const { send } = await start();
    const out = await send('/deferthenusererror');
    expect(out).toContain('Late but clear.');
  });

  test('an error after a reply is answered with a private follow-up', async () => {
    const { send } = await start();
    const out = await send('/repliedthencrash');
    expect(out).toContain('first answer');
    expect(out).toMatch(/only you can see this\):\n {2}Something went wrong/);
  });

  test('slow work is deferred automatically, then answered', async () => {
    const { send } = await start();
    const out = await send('/slow');
    expect(out.indexOf('ficbot is thinking')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('slow answer')).toBeGreaterThan(out.indexOf('ficbot is thinking'));
  });

  test('a handler that never answers still gets an answer', async () => {
    const { send, logs } = await start();
    const out = await send('/silent');
    expect(out).toContain(GENERIC_ERROR);
    expect(logs.some((entry) => entry.msg === 'handler finished without answering')).toBe(true);
  });

  test('a button acknowledged with deferUpdate alone is answered; a failing one gets a private answer', async () => {
    const { send, logs } = await start();
    await send('/buttons');
    expect(await send(':press 1')).toBe('');
    expect(logs.some((entry) => entry.msg === 'handler finished without answering')).toBe(false);
    const boom = await send(':press 2');
    expect(boom).toContain('(only you can see this)');
    expect(boom).toContain(GENERIC_ERROR);
    expect(logs.find((entry) => entry.msg === 'handler failed')).toMatchObject({
      command: 'buttons',
      kind: 'button',
    });
  });

  test('a store outage gets a clear "settings unavailable" answer', async () => {
    const { send } = await start();
    expect(await send('/storedown')).toContain(STORE_UNAVAILABLE);
  });

  test('commands that need a server say so in DMs', async () => {
    const { send } = await start();
    await send(':dm');
    expect(await send('/serveronly')).toContain(GUILD_ONLY);
    await send(':guild 123456789012345678');
    expect(await send('/serveronly')).toContain('in a server');
  });

  test('a button with a tampered or unknown custom id gets a clear private answer', async () => {
    const { shell } = await start();
    // Press a button ficbot never made, as Discord would deliver it.
    const outputs: string[] = [];
    const router = (await import('../../src/discord/router.ts')).createRouter(probes, shell.services);
    await router.route({
      kind: 'button',
      customId: 'nosuchcommand:page:1',
      messageId: '1',
      user: { id: '1', name: 'mallory' },
      canManageGuild: false,
      guildId: '1',
      channelId: '1',
      channelName: 'general',
      ageRestricted: false,
      acknowledged: 'no',
      reply: async (message) => {
        outputs.push(`${message.ephemeral ? 'private' : 'public'}: ${message.content}`);
        return { messageId: null };
      },
      defer: async () => {},
      editReply: async () => ({ messageId: null }),
      followUp: async () => ({ messageId: null }),
      deleteReply: async () => {},
      update: async () => ({ messageId: null }),
      deferUpdate: async () => {},
    });
    expect(outputs).toEqual([expect.stringMatching(/^private: That button is not one ficbot made/)]);
  });
});

describe('a store outage', () => {
  test('commands that need settings say so; commands that do not keep working', async () => {
    const { commands: realCommands } = await import('../../commands/index.ts');
    harness = await startShell({
      commands: realCommands,
      library: makeLibrary([makeStory({ id: 'plain', title: 'Plain' })]),
      wrapStore: (store) => ({
        ...store,
        backend: store.backend,
        location: store.location,
        close: () => store.close(),
        guild: () => {
          const down = () => Promise.reject(new StoreUnavailableError('backend unreachable'));
          return { guildId: 'x', get: down, set: down, delete: down, setIfAbsent: down, update: down };
        },
      }),
    });
    expect(await harness.send('/excerpt story:plain')).toContain(STORE_UNAVAILABLE);
    expect(await harness.send('/stories')).toContain(STORE_UNAVAILABLE);
    expect(await harness.send('/help')).toContain('ficbot serves');
    // DMs have no server settings: reading works there without the store.
    await harness.send(':dm');
    expect(await harness.send('/excerpt story:plain')).toContain('A quiet opening paragraph');
  });
});
