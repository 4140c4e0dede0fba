/**
 * `npm run deploy`: registers ficbot's slash commands with one bulk overwrite (PUT) — to
 * DISCORD_GUILD_ID when set (instant, for development), globally otherwise. The REST base is
 * DISCORD_API_URL when set. `npm run deploy -- --dry-run` prints the JSON and needs no token.
 * The bot itself never registers commands on start (Discord limits daily command creates).
 */
import { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig, requireDiscordCredentials } from '../src/config.ts';

const body = commands.map((command) => command.data);

async function main(): Promise<void> {
  if (process.argv.includes('--dry-run')) {
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const config = loadConfig();
  const { token, clientId } = requireDiscordCredentials(config);
  const rest = new REST({
    version: '10',
    ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
  }).setToken(token);
  const guildId = config.discordGuildId;
  const route = guildId
    ? Routes.applicationGuildCommands(clientId, guildId)
    : Routes.applicationCommands(clientId);
  const registered = (await rest.put(route, { body })) as readonly { name: string; id: string }[];
  const target = guildId
    ? `server ${guildId} (available at once)`
    : 'all servers (global; may take up to an hour)';
  process.stdout.write(`Registered ${registered.length} commands for ${target}:\n`);
  for (const command of registered) process.stdout.write(`  /${command.name}  (id ${command.id})\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Deploy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
