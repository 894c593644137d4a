import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { CashStationError } from '../cash/cash-station.js';
import type { CashStation } from '../cash/cash-station.js';
import type { Restaurant } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';

/** What a readiness check found; safe to show anyone (no URLs, no credentials, no messages). */
export interface ReadinessReport {
  ready: boolean;
  database: 'ok' | 'failed';
  cashStations: StationCheck[];
}

export interface StationCheck {
  restaurantId: string;
  status: 'ok' | 'failed';
  /** Why it failed: a cash failure kind, `timeout` (no answer within the bound) or `internal`. */
  reason?: string;
}

export interface ReadinessDeps {
  db: Db;
  restaurants(): Promise<Restaurant[]>;
  stationFor(restaurant: Restaurant): CashStation;
  /** Bound of each check, milliseconds. */
  timeoutMs: number;
}

class CheckTimeout extends Error {}

/**
 * Answers "can this hub do its work now?": the database answers a trivial query and every
 * restaurant's cash station answers `systemInfo()`, each within `timeoutMs`. Probes that come
 * while a station check is still running share it, so a dead station never piles up calls.
 */
export class ReadinessProbe {
  readonly #deps: ReadinessDeps;
  readonly #inFlight = new Map<string, Promise<StationCheck>>();

  constructor(deps: ReadinessDeps) {
    this.#deps = deps;
  }

  async check(): Promise<ReadinessReport> {
    const database = await this.#checkDatabase();
    if (database === 'failed') return { ready: false, database, cashStations: [] };

    const restaurants = await this.#bounded(this.#deps.restaurants()).catch(() => undefined);
    if (!restaurants) return { ready: false, database: 'failed', cashStations: [] };

    const cashStations = await Promise.all(restaurants.map((r) => this.#checkStation(r)));
    return { ready: cashStations.every((s) => s.status === 'ok'), database, cashStations };
  }

  async #checkDatabase(): Promise<'ok' | 'failed'> {
    try {
      await this.#bounded(sql`select 1`.execute(this.#deps.db));
      return 'ok';
    } catch {
      return 'failed';
    }
  }

  #checkStation(restaurant: Restaurant): Promise<StationCheck> {
    const running = this.#inFlight.get(restaurant.id);
    if (running) return running;

    const check = this.#askStation(restaurant).finally(() => {
      this.#inFlight.delete(restaurant.id);
    });
    this.#inFlight.set(restaurant.id, check);
    return check;
  }

  async #askStation(restaurant: Restaurant): Promise<StationCheck> {
    const restaurantId = restaurant.id;
    try {
      const station = this.#deps.stationFor(restaurant);
      await this.#bounded(station.systemInfo());
      return { restaurantId, status: 'ok' };
    } catch (err) {
      const reason = err instanceof CheckTimeout
        ? 'timeout'
        : err instanceof CashStationError ? err.kind : 'internal';
      return { restaurantId, status: 'failed', reason };
    }
  }

  /** `work`, or a {@link CheckTimeout} when it takes longer than the bound. */
  async #bounded<T>(work: Promise<T>): Promise<T> {
    const cancel = new AbortController();
    const timeout = delay(this.#deps.timeoutMs, undefined, { signal: cancel.signal, ref: false })
      .then(() => {
        throw new CheckTimeout();
      });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      cancel.abort();
      timeout.catch(() => undefined);
    }
  }
}
