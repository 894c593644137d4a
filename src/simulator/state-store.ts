import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RkOrder, RkVisit, SimState } from './sim-state.js';

/** Version of the state file's layout; a file of another version is refused, never guessed at. */
const FORMAT_VERSION = 1;

interface StateFile extends Omit<SimState, 'visits' | 'orders'> {
  formatVersion: number;
  visits: RkVisit[];
  orders: RkOrder[];
}

/**
 * Keeps the simulator's state in a JSON file so an embedded or standalone simulator keeps its
 * orders across restarts. Every save writes a temporary file and renames it over the old one,
 * so a crash leaves either the previous or the new state, never half of one.
 */
export class StateStore {
  readonly #file: string;
  #writes: Promise<void> = Promise.resolve();
  /** The write waiting behind the running one, shared by every save made meanwhile. */
  #queued: { state: SimState; done: Promise<void> } | undefined;
  #sequence = 0;

  constructor(file: string) {
    this.#file = path.resolve(file);
  }

  /** The saved state, or `undefined` when there is no file yet. */
  async load(): Promise<SimState | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }

    const data = JSON.parse(text) as Partial<StateFile>;
    if (data.formatVersion !== FORMAT_VERSION) {
      throw new Error(`simulator state file ${this.#file} has format `
        + `${String(data.formatVersion)}, expected ${FORMAT_VERSION}`);
    }
    const { formatVersion: _version, visits = [], orders = [], ...rest } = data as StateFile;
    return {
      ...rest,
      visits: new Map(visits.map((v) => [v.visit, v])),
      orders: new Map(orders.map((o) => [o.guid, o])),
    };
  }

  /**
   * Writes the state; resolves once a write that began after this call is on disk. Saves are
   * queued so the file always ends with the latest state, and saves made while a write runs
   * share the one queued behind it (serialised when it starts), so a busy station writes its
   * file a few times, not once per change.
   */
  save(state: SimState): Promise<void> {
    if (this.#queued) {
      this.#queued.state = state;
      return this.#queued.done;
    }

    const queued: { state: SimState; done?: Promise<void> } = { state };
    const write = this.#writes.then(() => {
      this.#queued = undefined;
      return this.#write(serialize(queued.state));
    });
    queued.done = write;
    this.#queued = queued as { state: SimState; done: Promise<void> };
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async #write(text: string): Promise<void> {
    const temp = `${this.#file}.${process.pid}.${++this.#sequence}.tmp`;
    await mkdir(path.dirname(this.#file), { recursive: true });
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.#file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function serialize(state: SimState): string {
  const file: StateFile = {
    formatVersion: FORMAT_VERSION,
    ...state,
    visits: [...state.visits.values()],
    orders: [...state.orders.values()],
  };
  return JSON.stringify(file, null, 2);
}
