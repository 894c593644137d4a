import type { Logger } from 'pino';
import type { Db } from '../store/database.js';

/** An order that changed (any field: status, attention, cash-station sync …). */
export interface OrderChange {
  id: number;
  corporationId: string;
  version: number;
}

export type ChangeListener = (changes: OrderChange[]) => void;

// Looking back this far makes up for commits that land after a poll with an older `updatedAt`,
// and for small clock differences between hub instances.
const OVERLAP_MS = 5_000;

/**
 * Tells the console's live streams which orders changed, by polling `orders.updated_at` (indexed)
 * a couple of times a second. Polling the database, rather than hooking the use cases, sees
 * every writer: this process, other hub instances and the CLI. One poller serves every open
 * stream, and only while there is one.
 */
export class OrderChangeFeed {
  readonly #db: Db;
  readonly #clock: () => number;
  readonly #intervalMs: number;
  readonly #log: Logger;
  readonly #listeners = new Set<ChangeListener>();
  #seen = new Map<number, number>();
  #handle: NodeJS.Timeout | undefined;
  #primed = false;
  #polling = false;
  #waiters: (() => void)[] = [];

  constructor(options: { db: Db; clock: () => number; intervalMs: number; logger: Logger }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#log = options.logger.child({ component: 'console' });
  }

  /**
   * Starts calling `listener` with changes. `ready` settles after a poll that began after this
   * call: a board read after it misses nothing, since later changes reach the listener.
   */
  subscribe(listener: ChangeListener): { ready: Promise<void>; stop: () => void } {
    this.#listeners.add(listener);
    const ready = new Promise<void>((resolve) => this.#waiters.push(resolve));
    if (!this.#handle) {
      this.#handle = setInterval(() => void this.#poll(), this.#intervalMs);
      this.#handle.unref();
      void this.#poll();
    }
    const stop = () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
    return { ready, stop };
  }

  stop(): void {
    clearInterval(this.#handle);
    this.#handle = undefined;
    this.#primed = false;
    this.#seen = new Map();
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    const waiters = this.#waiters.splice(0);
    try {
      const since = new Date(this.#clock() - OVERLAP_MS - this.#intervalMs).toISOString();
      const rows = await this.#db.selectFrom('orders').select(['id', 'corporationId', 'version'])
        .where('updatedAt', '>=', since).execute();

      const changed = this.#primed
        ? rows.filter((row) => this.#seen.get(row.id) !== row.version)
        : [];
      this.#seen = new Map(rows.map((row) => [row.id, row.version]));
      this.#primed = true;
      if (changed.length > 0) for (const listener of this.#listeners) listener(changed);
    } catch (err) {
      this.#log.warn({ err }, 'order change poll failed');
    } finally {
      this.#polling = false;
      for (const resolve of waiters) resolve();
    }
  }
}
