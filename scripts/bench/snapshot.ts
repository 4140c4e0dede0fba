/**
 * The code the bench measures, frozen: a copy of the project's sources in a temporary folder
 * (node_modules linked, not copied), so every child process of one bench run (ingest, the cold
 * and warm starts, the no-op bot) runs the same code even while the working tree is being
 * edited. Its parsed-library cache lives in the copy (<copy>/.cache/library) and goes with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

const COPIED = ['src', 'commands', 'scripts', 'tests/support', 'package.json', 'tsconfig.json'];

export interface CodeSnapshot {
  readonly dir: string;
  /** git HEAD of the working tree, and whether it had uncommitted changes. */
  readonly git: { head: string; dirty: boolean } | null;
  remove(): Promise<void>;
}

function gitState(): { head: string; dirty: boolean } | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', ...COPIED], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { head, dirty: status.trim() !== '' };
  } catch {
    return null;
  }
}

export async function snapshotCode(): Promise<CodeSnapshot> {
  const dir = await mkdtemp(join(os.tmpdir(), 'ficbot-bench-code-'));
  for (const entry of COPIED) {
    if (existsSync(join(ROOT, entry))) await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, git: gitState(), remove: () => rm(dir, { recursive: true, force: true }) };
}
