import { HubError } from '../errors/hub-error.js';
import { isoFromMillis } from '../time/instant.js';
import { type OrderContext, loadOrder, versionConflict } from './order-context.js';
import { OrderStatus, type OrderStatusId, STATUS_TABLE } from './order-status.js';
import { transition } from './order-transition.js';

/** The optional statuses a person moves an order through once it is at the kitchen. */
export const PROGRESS_STATUSES: readonly OrderStatusId[] = [
  OrderStatus.BeingPrepared, OrderStatus.Ready, OrderStatus.Assembly, OrderStatus.Assembled,
  OrderStatus.WithCourier, OrderStatus.InTransit, OrderStatus.Delivered,
];

/**
 * Moves an order at the kitchen on through the optional statuses (being prepared … delivered),
 * as the operator console and the admin API do. Skipping forward is allowed, as the status table
 * allows it; moving back, leaving the sequence or a delivery-only status for a pickup order is
 * `err_unprocessable_entity`. Completing and cancelling have their own use cases.
 */
export async function advanceOrder(
  ctx: OrderContext, orderId: string | number, to: number, actor: string,
): Promise<{ statusId: OrderStatusId }> {
  const target = PROGRESS_STATUSES.find((id) => id === to);
  if (target === undefined) {
    throw new HubError('err_unprocessable_entity',
      `Status ${to} is not one an order is moved to by hand (${PROGRESS_STATUSES.join(', ')})`);
  }
  const found = await loadOrder(ctx, orderId);

  return ctx.locks.run(found.id, async () => {
    const order = await loadOrder(ctx, found.id);
    const now = isoFromMillis(ctx.clock());
    const change = transition(order, target, actor, now);

    await ctx.orders.transaction(async (trx) => {
      const ok = await ctx.orders.update(trx, order.id, order.version, {
        statusId: target, updatedAt: now,
      });
      if (!ok) throw versionConflict(order.id);
      await ctx.orders.addHistory(trx, order.id, [change]);
    });
    ctx.logger.info({ orderId: order.id, statusId: target, actor }, 'order status advanced');
    return { statusId: target };
  });
}

/** The progress statuses an order may move to next (what the console offers). */
export function nextProgressStatuses(
  order: { statusId: OrderStatusId; expeditionType: string },
): OrderStatusId[] {
  return STATUS_TABLE[order.statusId].next.filter((id) => PROGRESS_STATUSES.includes(id)
    && !(STATUS_TABLE[id].deliveryOnly && order.expeditionType === 'pickup'));
}
