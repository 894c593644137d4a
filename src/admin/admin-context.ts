import type { CashStation } from '../cash/cash-station.js';
import type { Db } from '../store/database.js';
import type { Restaurant } from '../store/chain-repo.js';

/**
 * What the chain administration needs: the database it writes, the clock stamping new rows,
 * and the cash station of a restaurant (for the menu import from the station). The admin API and
 * the `delivery-hub admin` CLI build one each and call the same functions with it.
 */
export interface AdminContext {
  db: Db;
  clock: () => number;
  stationFor(restaurant: Restaurant): CashStation;
}
