import type { Db } from './database.js';

/** Where the poll of one restaurant's station stands. */
export interface StationPoll {
  id: number;
  restaurantId: string;
  lastVersion: number | null;
}

/** An order the hub considers open at a station, as the poll compares it. */
export interface OpenStationOrder {
  id: number;
  posOrderGuid: string;
}

/**
 * The statuses of an order at the station (4 on) and not completed or cancelled (11, 12),
 * listed, so that the index on (restaurant, status) finds them without reading the finished
 * orders, which are nearly all of them.
 */
const OPEN_AT_STATION = [4, 5, 6, 7, 8, 9, 10, 13];

/** Poll cursors (`station_polls`) and the orders a poll looks at. */
export class StationPollRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The restaurant's poll row, created when missing; returns its id. */
  async ensure(restaurantId: string): Promise<number> {
    await this.#db.insertInto('stationPolls')
      .values({ restaurantId, lastVersion: null, polledAt: null })
      .onConflict((oc) => oc.column('restaurantId').doNothing())
      .execute();
    const row = await this.#db.selectFrom('stationPolls').select('id')
      .where('restaurantId', '=', restaurantId).executeTakeFirstOrThrow();
    return row.id;
  }

  async get(id: number): Promise<StationPoll | undefined> {
    return this.#db.selectFrom('stationPolls').select(['id', 'restaurantId', 'lastVersion'])
      .where('id', '=', id).executeTakeFirst();
  }

  async save(id: number, lastVersion: number | null, polledAt: string): Promise<void> {
    await this.#db.updateTable('stationPolls').set({ lastVersion, polledAt })
      .where('id', '=', id).execute();
  }

  /** Orders of the restaurant that are at its station and not completed or cancelled. */
  async openOrders(restaurantId: string): Promise<OpenStationOrder[]> {
    const rows = await this.#db.selectFrom('orders').select(['id', 'posOrderGuid'])
      .where('restaurantId', '=', restaurantId)
      .where('statusId', 'in', OPEN_AT_STATION)
      .where('posOrderGuid', 'is not', null)
      .execute();
    return rows.map((r) => ({ id: r.id, posOrderGuid: r.posOrderGuid as string }));
  }
}
