import { MessageFlags } from 'discord.js';
import { describe, expect, test } from 'vitest';
import { createClient, editPayload, messagePayload, replyPayload } from '../../src/discord/client.ts';

describe('discord.js payloads', () => {
  const embed = { title: 'T', description: 'D' };

  test('every message carries allowedMentions { parse: [] }', () => {
    for (const payload of [
      messagePayload({ content: 'x' }),
      replyPayload({ content: 'x' }),
      editPayload({ content: 'x' }),
    ]) {
      expect(payload.allowedMentions).toEqual({ parse: [] });
    }
  });

  test('private answers use the Ephemeral flag, never the deprecated option', () => {
    const payload = replyPayload({ content: 'secret', ephemeral: true });
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect('ephemeral' in payload).toBe(false);
    expect('flags' in replyPayload({ content: 'public' })).toBe(false);
  });

  test('an edit replaces content, embeds and buttons', () => {
    expect(editPayload({ embeds: [embed] })).toEqual({
      content: '',
      embeds: [embed],
      components: [],
      allowedMentions: { parse: [] },
    });
  });

  test('the client: Guilds intent only, no pings by default, REST base from DISCORD_API_URL', async () => {
    const client = createClient({ apiUrl: 'http://127.0.0.1:9/api' });
    expect(client.options.intents.toArray()).toEqual(['Guilds']);
    expect(client.options.allowedMentions).toEqual({ parse: [] });
    expect(client.options.rest?.api).toBe('http://127.0.0.1:9/api');
    await client.destroy();
    const plain = createClient();
    expect(plain.options.rest?.api).toBe('https://discord.com/api');
    await plain.destroy();
  });
});
