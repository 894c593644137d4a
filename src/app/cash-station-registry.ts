import type { Logger } from 'pino';
import type { CashStation, CashStationConfig } from '../cash/cash-station.js';
import { type Rk7Connector, createRk7Connector } from '../cash/rk7/rk7-connector.js';
import type { Restaurant } from '../store/chain-repo.js';

/** The `url` that stands for the simulator started inside this hub process. */
export const EMBEDDED_STATION_URL = 'embedded';

/**
 * Gives each restaurant its cash-station connector, built once per configuration. A restaurant
 * configured with the `embedded` URL is served by the in-process simulator.
 */
export class CashStationRegistry {
  readonly #logger: Logger;
  readonly #embeddedUrl: string | undefined;
  readonly #defaultTimeoutMs: number;
  readonly #connectors = new Map<string, { key: string; station: Rk7Connector }>();

  constructor(options: { logger: Logger; embeddedUrl?: string; defaultTimeoutMs: number }) {
    this.#logger = options.logger;
    this.#embeddedUrl = options.embeddedUrl;
    this.#defaultTimeoutMs = options.defaultTimeoutMs;
  }

  forRestaurant(restaurant: Restaurant): CashStation {
    const config = this.#resolve(restaurant.cashStation);
    const key = JSON.stringify(config);
    const cached = this.#connectors.get(restaurant.id);
    if (cached?.key === key) return cached.station;

    const logger = this.#logger.child({ restaurantId: restaurant.id });
    const station = createRk7Connector(config, { logger });
    this.#connectors.set(restaurant.id, { key, station });
    if (cached) void cached.station.close();
    return station;
  }

  /** Closes every connector's connection pool. */
  async close(): Promise<void> {
    const stations = [...this.#connectors.values()].map((c) => c.station);
    this.#connectors.clear();
    await Promise.all(stations.map((station) => station.close()));
  }

  #resolve(config: CashStationConfig): CashStationConfig {
    const timeoutMs = config.timeoutMs || this.#defaultTimeoutMs;
    if (config.url !== EMBEDDED_STATION_URL) return { ...config, timeoutMs };

    if (!this.#embeddedUrl) {
      throw new Error('a restaurant uses the embedded cash station, but it is not running');
    }
    return { ...config, url: this.#embeddedUrl, timeoutMs };
  }
}
