/**
 * `npm start` with DISCORD_TOKEN: the real entry point (src/index.ts) in a child process logs in to
 * the local Discord stand-in (DISCORD_API_URL), answers a command, and shuts down cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';
import { startStandin } from '../support/discord-standin.ts';
import { buildFicWorld } from '../support/standin-fixtures.ts';

test('the bot starts from DISCORD_TOKEN, serves a command, and exits 0 on SIGTERM', async () => {
  const world = buildFicWorld();
  const standin = await startStandin({
    applicationId: world.applicationId,
    botToken: world.botToken,
    guilds: world.guilds,
    users: world.allUsers,
    heartbeatIntervalMs: 400,
  });
  const dir = await mkdtemp(join(tmpdir(), 'ficbot-start-bot-'));
  let child: ChildProcess | undefined;
  try {
    await new REST({ api: standin.apiUrl })
      .setToken(world.botToken)
      .put(Routes.applicationCommands(world.applicationId), {
        body: commands.map((command) => command.data),
      });
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DISCORD_TOKEN: world.botToken,
        DISCORD_CLIENT_ID: world.applicationId,
        DISCORD_API_URL: standin.apiUrl,
        STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = bot;
    let stderr = '';
    bot.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const closed = new Promise<number | null>((resolve) => bot.on('close', resolve));
    await standin.waitFor(() => stderr.includes('connected to Discord'), 30_000, 'the bot to connect');

    const handle = standin.slashCommand({
      guildId: world.main.id,
      channelId: world.main.channels.afterDark,
      userId: world.users.reader.id,
      name: 'excerpt',
      options: { story: 'war-verse-first-person', scene: 1 },
    });
    const response = await handle.response(10_000);
    expect(response.status).toBe(204);
    expect(response.mentionsDisabled).toBe(true);
    expect(JSON.stringify(handle.message()?.embeds)).toContain('CW: non con, gore');

    bot.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(stderr).toContain('shutting down');
    expect(stderr).toContain('store closed');
    expect(stderr).not.toContain(world.botToken);
  } finally {
    // A failed assertion must not leave the bot running after the test.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await standin.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
