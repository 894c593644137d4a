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

/** Statuses after which the station's view of an order no longer matters to the hub. */
const FINAL_STATUSES = [11, 12];
const AT_STATION_FROM = 4;

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
      .where('statusId', '>=', AT_STATION_FROM)
      .where('statusId', 'not in', FINAL_STATUSES)
      .where('posOrderGuid', 'is not', null)
      .execute();
    return rows.map((r) => ({ id: r.id, posOrderGuid: r.posOrderGuid as string }));
  }
}
