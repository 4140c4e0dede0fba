/**
 * The benchmark's baseline, "a handler that does nothing": ficbot's own discord.js client
 * (createClient, same intents, partials and mention settings) whose only handler answers every
 * interaction at once with a fixed reply. `npm run bench` runs it as a child process against the
 * Discord stand-in, in the same run as the real bot. Env: DISCORD_TOKEN, DISCORD_API_URL.
 */
import { Events, MessageFlags } from 'discord.js';
import { createClient } from '../../src/discord/client.ts';

const token = process.env.DISCORD_TOKEN;
const api = process.env.DISCORD_API_URL;
if (!token || !api) {
  process.stderr.write('scripts/bench/noop-bot.ts needs DISCORD_TOKEN and DISCORD_API_URL\n');
  process.exit(1);
}

const client = createClient({ apiUrl: api });
client.on(Events.InteractionCreate, (interaction) => {
  const answer = interaction.isAutocomplete()
    ? interaction.respond([{ name: 'ok', value: 'ok' }])
    : interaction.isChatInputCommand()
      ? interaction.reply({ content: 'ok' })
      : interaction.isButton()
        ? interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral })
        : Promise.resolve();
  answer.catch((error: unknown) => process.stderr.write(`noop answer failed: ${String(error)}\n`));
});
client.once(Events.ClientReady, () => process.stderr.write('{"msg":"connected to Discord"}\n'));
process.on('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});
await client.login(token);
