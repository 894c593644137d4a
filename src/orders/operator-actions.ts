import { HubError } from '../errors/hub-error.js';
import type { StatusChange } from '../store/order-repo.js';
import { isoFromMillis } from '../time/instant.js';
import { type OrderContext, loadOrder, loadRestaurant, versionConflict } from './order-context.js';
import { transferDueAt } from './order-automation.js';
import { OrderStatus, type OrderStatusId, statusName } from './order-status.js';
import { transition } from './order-transition.js';

/** What an operator can do to an order before it reaches the kitchen. */
export type OperatorAction = 'confirm' | 'accept' | 'transfer';

/**
 * Operator decisions for corporations without automatic processing (`none`), or restaurants
 * without automatic acceptance: confirm (1 → 2, and → 3 when the restaurant auto-accepts),
 * accept at the restaurant (→ 3), or send to the kitchen now. Accepting schedules the transfer
 * after the corporation's delay; `transfer` schedules it for now. The transfer itself is always
 * done by the timer, so whichever process runs the scheduler talks to the cash station.
 */
export async function operatorAction(
  ctx: OrderContext, orderId: string, action: OperatorAction, actor: string,
): Promise<{ statusId: OrderStatusId }> {
  const found = await loadOrder(ctx, orderId);

  return ctx.locks.run(found.id, async () => {
    const order = await loadOrder(ctx, found.id);
    const restaurant = await loadRestaurant(ctx, order.restaurantId);
    const corporation = await ctx.chain.getCorporation(order.corporationId);
    if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');

    if (action === 'transfer' && order.statusId >= OrderStatus.TransferredToKitchen) {
      throw new HubError('err_unprocessable_entity',
        `Order ${order.id} cannot go to the kitchen: it is "${statusName(order.statusId)}"`);
    }

    const now = isoFromMillis(ctx.clock());
    const targets = targetsOf(action, order.statusId, restaurant.autoAccept);
    const changes: StatusChange[] = [];
    let current = order.statusId;
    for (const to of targets) {
      changes.push(transition({ ...order, statusId: current }, to, actor, now));
      current = to;
    }

    const transferAt = action === 'transfer'
      ? now
      : current === OrderStatus.TakenAtRestaurant
        ? transferDueAt(corporation, now, order.expectedAt)
        : undefined;

    await ctx.orders.transaction(async (trx) => {
      if (changes.length > 0) {
        const ok = await ctx.orders.update(trx, order.id, order.version, {
          statusId: current, updatedAt: now,
        });
        if (!ok) throw versionConflict(order.id);
        await ctx.orders.addHistory(trx, order.id, changes);
      }
      if (transferAt) await ctx.timers.schedule(trx, 'transfer', order.id, transferAt, now);
    });
    ctx.logger.info({ orderId: order.id, action, statusId: current, actor }, 'operator action');
    return { statusId: current };
  });
}

function targetsOf(
  action: OperatorAction, from: OrderStatusId, autoAccept: boolean,
): OrderStatusId[] {
  switch (action) {
    case 'confirm':
      return autoAccept
        ? [OrderStatus.Confirmed, OrderStatus.TakenAtRestaurant]
        : [OrderStatus.Confirmed];
    case 'accept':
      return from === OrderStatus.New
        ? [OrderStatus.Confirmed, OrderStatus.TakenAtRestaurant]
        : [OrderStatus.TakenAtRestaurant];
    case 'transfer':
      return [];
  }
}
