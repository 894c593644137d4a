import type { Logger } from 'pino';
import type { CashStation } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import type { DeliveryZoneRepo } from '../geo/delivery-zone-repo.js';
import type { MenuRepo } from '../menu/menu-repo.js';
import type { TimerRepo } from '../scheduler/timer-repo.js';
import type { ChainRepo, Restaurant } from '../store/chain-repo.js';
import type { OrderRepo } from '../store/order-repo.js';
import type { OperationJournal } from './operation-journal.js';
import type { OrderLocks } from './order-locks.js';
import type { OrderRecord } from './order-record.js';

/** Everything the order use cases need, built once by the composition root. */
export interface OrderContext {
  orders: OrderRepo;
  chain: ChainRepo;
  menu: MenuRepo;
  /** Delivery zones, for the delivery fee and minimum amounts. */
  zones: DeliveryZoneRepo;
  timers: TimerRepo;
  locks: OrderLocks;
  /** The journal of state-changing cash-station calls (issue #4). */
  journal: OperationJournal;
  /** The cash station serving a restaurant. */
  stationFor(restaurant: Restaurant): CashStation;
  clock: () => number;
  logger: Logger;
}

/** Loads an order the caller may see; anything else is `order_not_found`. */
export async function loadOrder(
  ctx: OrderContext, id: string | number, orderSourceId?: string,
): Promise<OrderRecord> {
  const numeric = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  const order = Number.isSafeInteger(numeric) && numeric > 0
    ? await ctx.orders.get(numeric, orderSourceId)
    : undefined;
  if (!order) throw new HubError('order_not_found', `Order ${id} not found`);
  return order;
}

/**
 * A restaurant by id from the chain cache (as fresh as reading the table; shared and frozen), or
 * `restaurant_not_found`.
 */
export async function loadRestaurant(ctx: OrderContext, id: string): Promise<Restaurant> {
  const restaurant = await (await ctx.chain.current()).restaurant(id);
  if (!restaurant) throw new HubError('restaurant_not_found', `Restaurant ${id} not found`);
  return restaurant;
}

/** Thrown when an optimistic update lost a race; callers retry or report a conflict. */
export function versionConflict(orderId: number): HubError {
  return new HubError('err_operation_in_progress',
    `Order ${orderId} was changed by another operation; repeat the request`, { retryAfterSec: 1 });
}
