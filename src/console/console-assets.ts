import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file of the console's front-end, ready to serve. */
export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * The console's static files. HTML and CSS are read from `web/console/` in the source tree; the
 * scripts are compiled by `tsc -p web/console` next to the server build (`<out>/web/console/`).
 * Only names that exist there are served, so no request path ever reaches the file system.
 */
export class ConsoleAssets {
  readonly #sourceDir: string | undefined;
  readonly #scriptDir: string;
  readonly #cache = new Map<string, Asset>();

  constructor(moduleUrl: string = import.meta.url) {
    const here = path.dirname(fileURLToPath(moduleUrl));
    this.#scriptDir = path.resolve(here, '..', '..', 'web', 'console');
    this.#sourceDir = findUp(here, path.join('web', 'console', 'index.html'));
  }

  /** Whether the page and its compiled scripts are there (`npm run build` makes them). */
  get built(): boolean {
    return this.#sourceDir !== undefined && existsSync(path.join(this.#scriptDir, 'main.js'));
  }

  /** A file by its bare name (`index.html`, `console.css`, `main.js` …), or undefined. */
  async get(name: string): Promise<Asset | undefined> {
    if (!/^[a-z0-9-]+\.(html|css|js)$/.test(name) || this.#sourceDir === undefined) {
      return undefined;
    }
    const cached = this.#cache.get(name);
    if (cached) return cached;

    const ext = path.extname(name);
    const dir = ext === '.js' ? this.#scriptDir : this.#sourceDir;
    const file = path.join(dir, name);
    if (!existsSync(file)) return undefined;

    const asset = { body: await readFile(file), type: TYPES[ext] as string };
    this.#cache.set(name, asset);
    return asset;
  }
}

function findUp(start: string, relative: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative))) return path.dirname(path.join(dir, relative));
    if (path.dirname(dir) === dir) return undefined;
  }
}
