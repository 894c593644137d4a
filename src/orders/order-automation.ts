import type { Corporation, Restaurant } from '../store/chain-repo.js';
import type { StatusChange } from '../store/order-repo.js';
import { isoFromMillis } from '../time/instant.js';
import { OrderStatus } from './order-status.js';

/** How long before `expectedAt` a scheduled order is created at the cash station. */
export const SCHEDULED_TRANSFER_LEAD_MIN = 60;

/**
 * The status changes automation makes at once when an order arrives: with `auto` processing the
 * corporation confirms it (2), and a restaurant that auto-accepts takes it (3). With `none` it
 * stays New until an operator acts.
 */
export function acceptanceSteps(
  corporation: Corporation, restaurant: Restaurant, at: string,
): StatusChange[] {
  if (corporation.orderProcessing !== 'auto') return [];

  const steps: StatusChange[] = [
    { from: OrderStatus.New, to: OrderStatus.Confirmed, at, actor: 'automation' },
  ];
  if (restaurant.autoAccept) {
    steps.push({
      from: OrderStatus.Confirmed, to: OrderStatus.TakenAtRestaurant, at, actor: 'automation',
    });
  }
  return steps;
}

/**
 * When an accepted order goes to the cash station: the corporation's delay after creation, and
 * for a scheduled order not before `expectedAt` minus the lead (`delivery-api.md` §10.3).
 */
export function transferDueAt(
  corporation: Corporation, createdAt: string, expectedAt: string | null,
): string {
  const afterDelay = Date.parse(createdAt) + corporation.transferDelaySec * 1000;
  if (expectedAt === null) return isoFromMillis(afterDelay);

  const beforeDue = Date.parse(expectedAt) - SCHEDULED_TRANSFER_LEAD_MIN * 60_000;
  return isoFromMillis(Math.max(afterDelay, beforeDue));
}
