import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createLibraryHolder } from '../../src/discord/services.ts';
import { createLogger } from '../../src/logger.ts';
import { createManualClock } from '../../src/shell/clock.ts';
import { SHELL_GUILD_ID, shellChannelId, shellUserId } from '../../src/shell/ids.ts';
import { tokenize } from '../../src/shell/parse.ts';
import { createShell } from '../../src/shell/shell.ts';
import { openStore } from '../../src/state/store.ts';
import { makeLibrary, makeStory } from '../discord/fixtures.ts';
import { type ShellHarness, startShell } from './harness.ts';

let harness: ShellHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('tokenize', () => {
  test.each([
    ['/excerpt story:abc scene:2', ['/excerpt', 'story:abc', 'scene:2']],
    ['/excerpt story:"Another Time, Another Place"', ['/excerpt', 'story:Another Time, Another Place']],
    ["/stories search:'two words'", ['/stories', 'search:two words']],
    ['"story:quoted whole"', ['story:quoted whole']],
    ['/x a:"say \\"hi\\""', ['/x', 'a:say "hi"']],
    ["/x a:don't", ['/x', "a:don't"]],
  ])('%s', (line, tokens) => {
    expect(tokenize(line)).toEqual(tokens);
  });

  test('an unclosed quote is reported', async () => {
    harness = await startShell();
    expect(await harness.send('/excerpt story:"open')).toContain('shell: Unclosed " quote.');
  });
});

describe('the shell', () => {
  test('piped input: one reply per line, then it ends at the end of input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficbot-shell-run-'));
    const logger = createLogger({ level: 'silent' });
    const store = await openStore(`sqlite://${join(dir, 's.sqlite')}`, { logger });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const shell = createShell({
      input: Readable.from(['/help\n', ':channel lounge nsfw\n', '/stories\n']),
      output,
      library: createLibraryHolder(makeLibrary([makeStory({ id: 'only-one', title: 'Only One' })])),
      store,
      logger,
      commands,
      banner: ['BANNER LINE'],
    });
    await shell.run();
    await store.close();
    await rm(dir, { recursive: true, force: true });
    expect(printed.startsWith('BANNER LINE\n')).toBe(true);
    expect(printed).toContain('you@#general> /help');
    expect(printed).toContain('(now in #lounge, age-restricted)');
    expect(printed).toContain('you@#lounge> /stories');
    expect(printed).toContain('**Only One** (`only-one`)');
  });

  test(':quit stops reading', async () => {
    const logger = createLogger({ level: 'silent' });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const dir = await mkdtemp(join(tmpdir(), 'ficbot-shell-quit-'));
    const store = await openStore(`sqlite://${join(dir, 's.sqlite')}`, { logger });
    const shell = createShell({
      input: Readable.from([':quit\n/help\n']),
      output,
      library: createLibraryHolder(makeLibrary([])),
      store,
      logger,
      commands,
    });
    await shell.run();
    await store.close();
    await rm(dir, { recursive: true, force: true });
    expect(printed).not.toContain('ficbot serves');
  });

  test(':as gives stable ids per name; :mod is per member', async () => {
    harness = await startShell();
    expect(shellUserId('alice')).toBe(shellUserId('Alice'));
    expect(shellUserId('alice')).not.toBe(shellUserId('bob'));
    expect(shellUserId('alice')).toMatch(/^\d{18}$/);
    expect(await harness.send(':as alice')).toContain('(you are now alice)');
    expect(await harness.send(':mod on')).toContain('(Manage Server on for alice)');
    await harness.send(':as bob');
    expect(await harness.send('/config show')).toContain('You need the Manage Server permission');
    expect(await harness.send(':as alice')).toContain('with Manage Server');
    expect(await harness.send('/config show')).toContain('**Ordinary channels:**');
  });

  test('meta command errors and :help', async () => {
    harness = await startShell();
    expect(await harness.send(':help')).toContain(':press <n>');
    expect(await harness.send(':press 1')).toContain('shell: No message with buttons in this channel.');
    expect(await harness.send(':mod maybe')).toContain('Usage: :mod on|off');
    expect(await harness.send(':channel')).toContain('Usage: :channel <name> [nsfw]');
    expect(await harness.send(':guild not/valid')).toContain('Usage: :guild <id>');
    expect(await harness.send(':frob')).toContain('Unknown shell command :frob');
    expect(await harness.send('/nosuch')).toContain('Unknown command /nosuch');
    expect(await harness.send('hello')).toContain('Type a slash command');
  });

  test('private replies are marked and do not count for :press', async () => {
    harness = await startShell({
      library: makeLibrary(
        Array.from({ length: 12 }, (_, index) => makeStory({ id: `s-${index + 10}`, title: `S ${index}` })),
      ),
    });
    await harness.send('/stories');
    await harness.send('/help');
    expect(await harness.send(':press 2')).toContain('Page 2 of 2');
  });

  test('bot-initiated messages (messenger) are shown, pressable, and their edits too', async () => {
    harness = await startShell();
    const { messenger } = harness.shell.services;
    const here = shellChannelId(SHELL_GUILD_ID, 'general');
    const sent = await messenger.send(here, {
      content: 'Round 2: who said it?',
      components: [
        { type: 1, components: [{ type: 2, style: 1, label: 'Spike', custom_id: 'excerpt:page:nope:0:0' }] },
      ],
    });
    expect(sent.messageId).toMatch(/^\d+$/);
    expect(harness.printed()).toContain('ficbot:\n  Round 2: who said it?\n  [1] Spike');
    // The button is live: pressing it reaches the router (here: a story that does not exist).
    expect(await harness.send(':press 1')).toContain('That story is no longer in the library.');
    await messenger.edit(here, sent.messageId, { content: 'Round 2: answered by alice' });
    expect(harness.printed()).toContain('ficbot (edited):\n  Round 2: answered by alice');
    await harness.script([':channel elsewhere', ':channel general']);
    await messenger.send(shellChannelId(SHELL_GUILD_ID, 'elsewhere'), { content: 'over there' });
    expect(harness.printed()).toContain('ficbot [#elsewhere]:\n  over there');
    // Buttons gone after the edit: nothing to press in this channel any more.
    expect(await harness.send(':press 1')).toContain('No message with buttons');
  });

  test(':wait advances a manual clock and runs due timers', async () => {
    const clock = createManualClock();
    harness = await startShell({ clock });
    let fired = 0;
    clock.setTimeout(() => {
      fired += 1;
    }, 30_000);
    await harness.send(':wait 29');
    expect(fired).toBe(0);
    await harness.send(':wait 1');
    expect(fired).toBe(1);
  });

  test('a member option resolves a member by their :as name', async () => {
    const seen: { id: string; name: string }[] = [];
    harness = await startShell({
      commands: [
        {
          data: {
            name: 'whois',
            description: 'probe',
            options: [{ type: 6, name: 'member', description: 'who', required: true }],
          },
          async execute(interaction) {
            const member = interaction.options.user('member');
            if (member) seen.push(member);
            await interaction.reply({ content: `id ${member?.id}` });
          },
        },
      ],
    });
    await harness.send(':as alice');
    await harness.send('/whois member:alice');
    await harness.send(`/whois member:<@${shellUserId('alice')}>`);
    expect(seen).toEqual([
      { id: shellUserId('alice'), name: 'alice' },
      { id: shellUserId('alice'), name: 'alice' },
    ]);
  });
});

describe('npm start without configuration', () => {
  test('runs the shell, prints what it loaded and how to go live, and exits 0 at end of input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficbot-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        STORE_URL: `sqlite://${join(dir, 'start.sqlite')}`,
        LOG_LEVEL: 'warn',
        DISCORD_TOKEN: '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(
      '/excerpt story:another-time-another-place scene:2\n:channel lounge nsfw\n/excerpt story:another-time-another-place scene:2\n',
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await rm(dir, { recursive: true, force: true });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ficbot shell: 2 stories loaded from .*data/);
    expect(stdout).toContain('DISCORD_TOKEN');
    expect(stdout).toContain('Scene 2 of');
  }, 60_000);

  test('SIGTERM shuts the shell down cleanly (store closed, exit 0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ficbot-term-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        STORE_URL: `sqlite://${join(dir, 'term.sqlite')}`,
        LOG_LEVEL: 'info',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('/help\n');
    for (let waited = 0; !stdout.includes('ficbot serves') && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    const code = await closed;
    await rm(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(stderr).toContain('shutting down');
  }, 60_000);
});
