/**
 * The benchmark's baseline: a discord.js client configured like ficbot's (Guilds intent, no
 * mentions) whose handler does nothing but answer at once. `npm run bench` runs it as a child
 * process against the Discord stand-in; env: DISCORD_TOKEN, DISCORD_API_URL.
 */
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';

const token = process.env.DISCORD_TOKEN;
const api = process.env.DISCORD_API_URL;
if (!token || !api) {
  process.stderr.write('bench-noop-bot needs DISCORD_TOKEN and DISCORD_API_URL\n');
  process.exit(1);
}

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  allowedMentions: { parse: [] },
  rest: { api },
});

client.on(Events.InteractionCreate, (interaction) => {
  const answer = interaction.isAutocomplete()
    ? interaction.respond([])
    : interaction.isChatInputCommand()
      ? interaction.reply({ content: 'ok', withResponse: true })
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
