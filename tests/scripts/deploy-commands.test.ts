import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

function runDeploy(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/deploy-commands.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface OptionJson {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: OptionJson[];
}

function checkOptions(options: readonly OptionJson[], path: string): void {
  expect(options.length, path).toBeLessThanOrEqual(25);
  let sawOptional = false;
  for (const option of options) {
    expect(option.name, path).toMatch(NAME);
    expect(option.name, path).toBe(option.name.toLowerCase());
    expect(option.description.length, path).toBeGreaterThan(0);
    expect(option.description.length, path).toBeLessThanOrEqual(100);
    if (option.type > 2) {
      if (option.required === true)
        expect(sawOptional, `${path}.${option.name}: required after optional`).toBe(false);
      else sawOptional = true;
    }
    expect(option.autocomplete === true && option.choices !== undefined, path).toBe(false);
    for (const choice of option.choices ?? []) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(String(choice.value).length).toBeLessThanOrEqual(100);
    }
    expect(option.choices?.length ?? 0).toBeLessThanOrEqual(25);
    checkOptions(option.options ?? [], `${path}.${option.name}`);
  }
}

describe('command definitions', () => {
  test('every command is valid for Discord (names, lengths, counts, required first)', () => {
    const names = commands.map((command) => command.data.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of commands) {
      expect(command.data.name).toMatch(NAME);
      expect(command.data.description.length).toBeLessThanOrEqual(100);
      checkOptions((command.data.options ?? []) as readonly OptionJson[], command.data.name);
      expect(JSON.stringify(command.data).length).toBeLessThan(8000);
    }
  });
});

describe('npm run deploy', () => {
  test('--dry-run prints the JSON of every command and needs no token', async () => {
    const { code, stdout, stderr } = await runDeploy(['--dry-run'], {});
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { name: string; default_member_permissions?: string }[];
    expect(body.map((command) => command.name)).toEqual(commands.map((command) => command.data.name));
    expect(body.find((command) => command.name === 'config')?.default_member_permissions).toBe('32');
  }, 60_000);

  test('without a token it says which variables are missing', async () => {
    const { code, stderr } = await runDeploy([], {});
    expect(code).toBe(1);
    expect(stderr).toContain('DISCORD_TOKEN is missing');
  }, 60_000);

  test.each([
    [
      'to the development server when DISCORD_GUILD_ID is set',
      '223456789012345678',
      '/api/v10/applications/123456789012345678/guilds/223456789012345678/commands',
    ],
    ['globally otherwise', '', '/api/v10/applications/123456789012345678/commands'],
  ])(
    'registers with one bulk overwrite %s',
    async (_label, guildId, expectedPath) => {
      const requests: { method: string; url: string; auth: string | undefined; body: unknown }[] = [];
      const server = createServer((request: IncomingMessage, response) => {
        let raw = '';
        request.on('data', (chunk: Buffer) => {
          raw += chunk.toString();
        });
        request.on('end', () => {
          const body = JSON.parse(raw) as { name: string }[];
          requests.push({
            method: request.method ?? '',
            url: request.url ?? '',
            auth: request.headers.authorization,
            body,
          });
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(
            JSON.stringify(body.map((command, index) => ({ ...command, id: `90000000000000000${index}` }))),
          );
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const { code, stdout, stderr } = await runDeploy([], {
          DISCORD_TOKEN: 'test-token-abcdef',
          DISCORD_CLIENT_ID: '123456789012345678',
          DISCORD_GUILD_ID: guildId,
          DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
        });
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(requests).toHaveLength(1);
        expect(requests[0]).toMatchObject({
          method: 'PUT',
          url: expectedPath,
          auth: 'Bot test-token-abcdef',
        });
        expect((requests[0]!.body as { name: string }[]).map((command) => command.name)).toEqual(
          commands.map((command) => command.data.name),
        );
        expect(stdout).toContain(`Registered ${commands.length} commands for`);
        for (const command of commands) expect(stdout).toContain(`/${command.data.name}`);
        expect(stdout).not.toContain('test-token-abcdef');
      } finally {
        server.close();
      }
    },
    60_000,
  );
});
