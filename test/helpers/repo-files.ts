import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding `package.json`. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above the test files');
    dir = parent;
  }
  return dir;
}

/** A file of the repository, parsed as JSON. */
export function repoJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(path.join(repoRoot(), relativePath), 'utf8')) as unknown;
}
