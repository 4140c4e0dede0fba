import { afterEach, expect, test } from 'vitest';
import { commands } from '../../commands/index.ts';
import { type ShellHarness, startShell } from '../shell/harness.ts';

let harness: ShellHarness;
afterEach(async () => harness?.close());

test('/help describes the bot and lists every command and subcommand', async () => {
  harness = await startShell();
  const out = await harness.send('/help');
  expect(out).toContain('(only you can see this)');
  expect(out).toContain('ficbot serves');
  for (const command of commands) expect(out).toContain(`/${command.data.name}`);
  expect(out).toContain('/config rating [ordinary] [age-restricted]');
  expect(out).toContain('/excerpt story: [scene] [page]');
});

test('/help works in DMs and takes no options', async () => {
  harness = await startShell();
  await harness.send(':dm');
  expect(await harness.send('/help')).toContain('ficbot serves');
  expect(await harness.send('/help topic:x')).toContain('has no option "topic"');
});
