import { HubError } from '../errors/hub-error.js';
import { PROGRESS_STATUSES, advanceOrder, nextProgressStatuses } from '../orders/advance-order.js';
import { cancelOrder } from '../orders/cancel-order.js';
import { type OrderContext, loadOrder } from '../orders/order-context.js';
import { OrderStatus, type OrderStatusId, canTransition } from '../orders/order-status.js';
import { operatorAction } from '../orders/operator-actions.js';
import type { ConsoleAction } from '../../web/console/console-wire.js';
import type { ConsoleRole, ConsoleUser } from './console-users.js';

// A move the console offers: `confirm`, `accept`, `transfer` (to the kitchen now, also the retry
// of a failed transfer), `cancel`, or `status:<id>` through the optional statuses.
export type { ConsoleAction };

/**
 * What each role may do. Operators (call centre) take orders in and cancel them; delivery
 * managers also move orders through preparation and delivery; admins do everything.
 */
const ROLE_ACTIONS: Record<ConsoleRole, readonly string[]> = {
  operator: ['confirm', 'accept', 'transfer', 'cancel'],
  manager: ['confirm', 'accept', 'transfer', 'cancel', 'status'],
  admin: ['confirm', 'accept', 'transfer', 'cancel', 'status'],
};

interface OrderState {
  statusId: OrderStatusId;
  expeditionType: string;
  paymentStatus: string;
}

/** The moves the status table allows from here and the role permits; nothing else is offered. */
export function actionsFor(role: ConsoleRole, order: OrderState): ConsoleAction[] {
  const { statusId } = order;
  const actions: ConsoleAction[] = [];
  if (statusId === OrderStatus.New) actions.push('confirm');
  if (canTransition(statusId, OrderStatus.TakenAtRestaurant)) actions.push('accept');
  if (statusId < OrderStatus.TransferredToKitchen) actions.push('transfer');
  for (const to of nextProgressStatuses(order)) actions.push(`status:${to}`);
  if (canTransition(statusId, OrderStatus.Cancelled) && order.paymentStatus !== 'paid') {
    actions.push('cancel');
  }

  const allowed = ROLE_ACTIONS[role];
  return actions.filter((action) => allowed.includes(action.split(':')[0] as string));
}

/**
 * Performs a console move through the same use cases as the API, after checking the order is
 * the user's corporation's and the move is one {@link actionsFor} offers. `body` carries the
 * cancellation reason (`rejectionReasonId`, `rejectionReasonText`).
 */
export async function performAction(
  ctx: OrderContext, user: ConsoleUser, orderId: string, action: string, body: unknown,
): Promise<void> {
  const order = await loadOrder(ctx, orderId);
  if (order.corporationId !== user.corporationId) {
    throw new HubError('order_not_found', `Order ${orderId} not found`);
  }
  const offered = actionsFor(user.role, order);
  if (!offered.includes(action as ConsoleAction)) {
    const anyRole = actionsFor('admin', order).includes(action as ConsoleAction);
    throw anyRole
      ? new HubError('ERR_FORBIDDEN', `A ${user.role} may not ${action} orders`)
      : new HubError('err_unprocessable_entity', `Order ${order.id} cannot ${action} now`);
  }

  const actor = `operator:${user.username}`;
  if (action === 'confirm' || action === 'accept' || action === 'transfer') {
    await operatorAction(ctx, String(order.id), action, actor);
  } else if (action === 'cancel') {
    await cancelOrder(ctx, order.orderSourceId, String(order.id), body, actor);
  } else {
    const to = Number(action.slice('status:'.length));
    if (!PROGRESS_STATUSES.includes(to as OrderStatusId)) {
      throw new HubError('err_unprocessable_entity', `Unknown move ${action}`);
    }
    await advanceOrder(ctx, order.id, to, actor);
  }
}
