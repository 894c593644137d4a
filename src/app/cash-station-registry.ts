import type { Logger } from 'pino';
import type { CashStation, CashStationConfig } from '../cash/cash-station.js';
import { type Rk7Connector, createRk7Connector } from '../cash/rk7/rk7-connector.js';
import type { Restaurant } from '../store/chain-repo.js';

/** The `url` that stands for the simulator started inside this hub process. */
export const EMBEDDED_STATION_URL = 'embedded';

/** The login of the in-process simulator. */
export interface EmbeddedCredentials {
  username: string;
  password: string;
}

/**
 * Gives each restaurant its cash-station connector, built once per configuration. A restaurant
 * configured with the `embedded` URL is served by the in-process simulator.
 */
export class CashStationRegistry {
  readonly #logger: Logger;
  readonly #embeddedUrl: string | undefined;
  readonly #embeddedCredentials: EmbeddedCredentials | undefined;
  readonly #defaultTimeoutMs: number;
  readonly #wrap: (station: Rk7Connector) => Rk7Connector;
  readonly #connectors = new Map<string, { key: string; station: Rk7Connector }>();

  constructor(options: {
    logger: Logger; embeddedUrl?: string; embeddedCredentials?: EmbeddedCredentials;
    defaultTimeoutMs: number;
    /** Applied once to each new connector, e.g. to time its calls for the metrics. */
    wrap?: (station: Rk7Connector) => Rk7Connector;
  }) {
    this.#logger = options.logger;
    this.#embeddedUrl = options.embeddedUrl;
    this.#embeddedCredentials = options.embeddedCredentials;
    this.#defaultTimeoutMs = options.defaultTimeoutMs;
    this.#wrap = options.wrap ?? ((station) => station);
  }

  forRestaurant(restaurant: Restaurant): CashStation {
    const config = this.#resolve(restaurant.cashStation);
    const key = JSON.stringify(config);
    const cached = this.#connectors.get(restaurant.id);
    if (cached?.key === key) return cached.station;

    const logger = this.#logger.child({ restaurantId: restaurant.id });
    const station = this.#wrap(createRk7Connector(config, { logger }));
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
    // The in-process simulator has one login; every restaurant on it uses that one.
    return { ...config, ...this.#embeddedCredentials, url: this.#embeddedUrl, timeoutMs };
  }
}
