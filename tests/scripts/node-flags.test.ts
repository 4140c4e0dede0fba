import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { NODE_FLAGS } from '../../src/node-flags.ts';

test('npm start runs the bot with the node flags the shards and the bench use', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(manifest.scripts.start).toBe(['tsx', ...NODE_FLAGS, 'src/index.ts'].join(' '));
});
