import { MenuIndex } from '../menu/menu-index.js';
import type { MenuRepo } from '../menu/menu-repo.js';
import type { Menu } from '../menu/menu.js';
import type { Corporation, Restaurant } from './chain-repo.js';
import type { Db } from './database.js';
import { PreparedQuery } from './prepared-query.js';

/** Past this many entries of one kind a view starts afresh (a chain is rarely that large). */
const MAX_ENTRIES = 2000;

/** How a {@link ChainCache} loads what is not cached yet. */
export interface ChainLoaders {
  restaurant(id: string): Promise<Restaurant | undefined>;
  corporation(id: string): Promise<Corporation | undefined>;
  menu: Pick<MenuRepo, 'menu' | 'stopList'>;
}

/**
 * The chain's configuration as order creation reads it — restaurant, corporation, menu and stop
 * list — kept in memory while it does not change.
 *
 * Every write to a chain table, by anyone (the admin API or CLI, another hub instance, a script
 * with its own connection), changes `chain_stamp` by trigger (migration 0008). `current()` reads
 * the stamp (one small statement) and answers from the view loaded under the same stamp, so a
 * cached read is never staler than reading the tables would be; a changed stamp drops the view.
 * The stamp is read before the data, so data loaded while a change commits is kept under the old
 * stamp and dropped at the next call.
 */
export class ChainCache {
  readonly #db: Db;
  readonly #loaders: ChainLoaders;
  readonly #stamp = new PreparedQuery((_: object) => this.#db.selectFrom('chainStamp')
    .select('stamp').where('name', '=', 'chain'));
  #view: ChainView | undefined;

  constructor(db: Db, loaders: ChainLoaders) {
    this.#db = db;
    this.#loaders = loaders;
  }

  /** The chain as it stands now. */
  async current(): Promise<ChainView> {
    const stamp = (await this.#stamp.first(this.#db, {}))?.stamp ?? '';
    if (this.#view?.stamp !== stamp) this.#view = new ChainView(stamp, this.#loaders);
    return this.#view;
  }
}

/**
 * The chain under one stamp. Loads are shared while they run; a failed load is not kept. The
 * objects handed out are shared by every caller: they are frozen.
 */
export class ChainView {
  readonly stamp: string;
  readonly #loaders: ChainLoaders;
  readonly #restaurants = new Map<string, Promise<Restaurant | undefined>>();
  readonly #corporations = new Map<string, Promise<Corporation | undefined>>();
  readonly #menus = new Map<string, Promise<Menu>>();
  readonly #indexes = new Map<string, Promise<MenuIndex>>();

  constructor(stamp: string, loaders: ChainLoaders) {
    this.stamp = stamp;
    this.#loaders = loaders;
  }

  /** A restaurant by id (as `ChainRepo.getRestaurant` matches it). */
  restaurant(id: string): Promise<Restaurant | undefined> {
    return memo(this.#restaurants, id, async () => {
      const restaurant = await this.#loaders.restaurant(id);
      if (restaurant) Object.freeze(Object.freeze(restaurant).cashStation);
      return restaurant;
    });
  }

  corporation(id: string): Promise<Corporation | undefined> {
    return memo(this.#corporations, id, async () => {
      const corporation = await this.#loaders.corporation(id);
      return corporation && Object.freeze(corporation);
    });
  }

  /** One restaurant's view of its corporation's menu with its stop list, for pricing orders. */
  restaurantMenu(corporationId: string, restaurantId: string): Promise<MenuIndex> {
    return memo(this.#indexes, `${corporationId}\n${restaurantId}`, async () => {
      const [menu, stops] = await Promise.all([
        memo(this.#menus, corporationId, () => this.#loaders.menu.menu(corporationId)),
        this.#loaders.menu.stopList([restaurantId]),
      ]);
      return new MenuIndex(menu, stops);
    });
  }
}

function memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let entry = map.get(key);
  if (entry) return entry;

  if (map.size >= MAX_ENTRIES) map.clear();
  entry = load();
  map.set(key, entry);
  entry.catch(() => {
    if (map.get(key) === entry) map.delete(key);
  });
  return entry;
}
