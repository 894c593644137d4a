import type { Selectable } from 'kysely';
import type { CashStationConfig } from '../cash/cash-station.js';
import { MenuRepo } from '../menu/menu-repo.js';
import { ChainCache, type ChainView } from './chain-cache.js';
import type { Db } from './database.js';
import { PreparedQuery } from './prepared-query.js';
import type { RejectionReason } from './rejection-reasons.js';
import type { CorporationRow, RejectionReasonsTable, RestaurantRow } from './schema.js';

const CURRENCIES_OF = new PreparedQuery((db, p: { restaurantId: string }) => db
  .selectFrom('restaurantCurrencies').select(['code', 'name'])
  .where('restaurantId', '=', p.restaurantId).orderBy('code'));

/** An API connection as authentication needs it. */
export interface ConnectionRecord {
  clientId: string;
  name: string;
  corporationId: string;
  secretHash: string;
  enabled: boolean;
  restaurantIds: string[];
}

/** Corporation settings the order lifecycle reads. */
export interface Corporation {
  id: string;
  name: string;
  /** `auto`: the hub confirms and transfers by itself; `none`: an operator does. */
  orderProcessing: 'auto' | 'none';
  /** Seconds between acceptance and the transfer to the cash station. */
  transferDelaySec: number;
  /** Whether dishes and prices of a new order are checked against the menu. */
  checkContentsAndPrice: boolean;
  /** Whether an order closed at the cash station is completed in the hub. */
  completeWhenClosedAtStation: boolean;
  timeZone: string;
  /** PATCH allowed (`delivery-api.md` §10.3 "Order modification"). */
  allowOrderModification: boolean;
  /** `/reject` needs a reason. */
  rejectionReasonRequired: boolean;
}

/** Restaurant settings the order lifecycle reads. */
export interface Restaurant {
  id: string;
  corporationId: string;
  /** r_k `objectId`: the restaurant's code in the r_keeper licensing system (`RestCode`). */
  objectId: number;
  name: string;
  actualAddress: string;
  state: 'active' | 'noActive';
  timeZone: string;
  /** Whether confirmed orders are taken at the restaurant without a person. */
  autoAccept: boolean;
  /** The earliest `expectedAt` is this many minutes from now. */
  minLeadMinutes: number;
  /** Code of the delivery table, echoed to clients as `tableCode`. */
  tableCode: string;
  /** `url` is `embedded` when the in-process simulator serves this restaurant. */
  cashStation: CashStationConfig;
}

export interface Currency {
  code: string;
  name: string;
}

/**
 * Reads the configuration of the chain: corporations, restaurants, currencies, API connections
 * and the menu. Writes happen through the seed and the admin tools.
 */
export class ChainRepo {
  readonly #db: Db;
  readonly #cache: ChainCache;

  constructor(db: Db) {
    this.#db = db;
    this.#cache = new ChainCache(db, {
      restaurant: (id) => this.getRestaurant(id),
      corporation: (id) => this.getCorporation(id),
      menu: new MenuRepo(db),
    });
  }

  /**
   * The chain as it stands, cached while no chain table changes (one small read per call):
   * for hot paths that read restaurant, corporation and menu on every request.
   */
  current(): Promise<ChainView> {
    return this.#cache.current();
  }

  async findConnection(clientId: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#db.selectFrom('apiConnections').selectAll()
      .where('clientId', '=', clientId).executeTakeFirst();
    if (!row) return undefined;

    const links = await this.#db.selectFrom('apiConnectionRestaurants').select('restaurantId')
      .where('clientId', '=', clientId).orderBy('restaurantId').execute();
    return {
      clientId: row.clientId,
      name: row.name,
      corporationId: row.corporationId,
      secretHash: row.secretHash,
      enabled: row.enabled === 1,
      restaurantIds: links.map((l) => l.restaurantId),
    };
  }

  async getCorporation(id: string): Promise<Corporation | undefined> {
    const row = await this.#db.selectFrom('corporations').selectAll()
      .where('id', '=', id).executeTakeFirst();
    return row && toCorporation(row);
  }

  /** A restaurant by id; GUIDs match whatever their case and braces (`{18F5…}`). */
  async getRestaurant(id: string): Promise<Restaurant | undefined> {
    const bare = id.trim().replace(/^\{|\}$/g, '');
    const row = await this.#db.selectFrom('restaurants').selectAll()
      .where((eb) => eb.or([
        eb('id', '=', bare), eb(eb.fn('lower', ['id']), '=', bare.toLowerCase()),
      ]))
      .executeTakeFirst();
    return row && toRestaurant(row);
  }

  async listRestaurants(ids: readonly string[]): Promise<Restaurant[]> {
    if (ids.length === 0) return [];

    const rows = await this.#db.selectFrom('restaurants').selectAll()
      .where('id', 'in', ids).orderBy('name').execute();
    return rows.map(toRestaurant);
  }

  async allRestaurants(): Promise<Restaurant[]> {
    const rows = await this.#db.selectFrom('restaurants').selectAll().orderBy('id').execute();
    return rows.map(toRestaurant);
  }

  async currencies(restaurantId: string): Promise<Currency[]> {
    return CURRENCIES_OF.rows(this.#db, { restaurantId });
  }

  /** The corporation's rejection reasons, in their order (`GET /rejectionReasons`). */
  async rejectionReasons(corporationId: string): Promise<RejectionReason[]> {
    const rows = await this.#db.selectFrom('rejectionReasons').selectAll()
      .where('corporationId', '=', corporationId).orderBy('sort').orderBy('id').execute();
    return rows.map(toRejectionReason);
  }

  /** One of the corporation's reasons by id (any case). */
  async findRejectionReason(
    corporationId: string, id: string,
  ): Promise<RejectionReason | undefined> {
    const row = await this.#db.selectFrom('rejectionReasons').selectAll()
      .where('corporationId', '=', corporationId).where('id', '=', id.trim().toLowerCase())
      .executeTakeFirst();
    return row && toRejectionReason(row);
  }
}

function toCorporation(row: CorporationRow): Corporation {
  return {
    id: row.id,
    name: row.name,
    orderProcessing: row.orderProcessing === 'none' ? 'none' : 'auto',
    transferDelaySec: row.transferDelaySec,
    checkContentsAndPrice: row.checkContentsAndPrice === 1,
    completeWhenClosedAtStation: row.completeWhenClosedAtStation === 1,
    timeZone: row.timeZone,
    allowOrderModification: row.allowOrderModification === 1,
    rejectionReasonRequired: row.rejectionReasonRequired === 1,
  };
}

function toRejectionReason(row: Selectable<RejectionReasonsTable>): RejectionReason {
  return {
    id: row.id,
    reason: row.reason,
    type: row.type === 'text' ? 'text' : 'simple',
    isPossibleDelete: row.isPossibleDelete === 1,
  };
}

function toRestaurant(row: RestaurantRow): Restaurant {
  return {
    id: row.id,
    corporationId: row.corporationId,
    objectId: row.objectId,
    name: row.name,
    actualAddress: row.actualAddress,
    state: row.state === 'noActive' ? 'noActive' : 'active',
    timeZone: row.timeZone,
    autoAccept: row.autoAccept === 1,
    minLeadMinutes: row.minLeadMinutes,
    tableCode: row.tableCode,
    cashStation: parseCashStation(row.cashStation),
  };
}

/** Stored cash-station settings; those written before `maxConnections` existed read it as 0. */
export function parseCashStation(text: string): CashStationConfig {
  const stored = JSON.parse(text) as CashStationConfig;
  return { ...stored, maxConnections: stored.maxConnections ?? 0 };
}
