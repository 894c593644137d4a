import { cashErrorToHubError } from '../cash/cash-error-mapping.js';
import { CashStationError, type StationOrder } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import { isoFromMillis } from '../time/instant.js';
import { type OrderContext, loadOrder, loadRestaurant, versionConflict } from './order-context.js';
import type { OrderPayment, OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { transition } from './order-transition.js';

/**
 * Closes the order at the cash station and in the hub (`delivery-api.md` §11.4). Completing a
 * completed order is a no-op. An unpaid order is refused by the station ([3071]) and answered
 * with `rk7_close_order`, HTTP 500, exactly as the original service does.
 */
export async function completeOrder(
  ctx: OrderContext, orderSourceId: string, orderId: string, actor: string,
): Promise<void> {
  const found = await loadOrder(ctx, orderId, orderSourceId);

  await ctx.locks.run(found.id, async () => {
    const order = await loadOrder(ctx, found.id, orderSourceId);
    if (order.statusId === OrderStatus.Completed) return;
    if (order.statusId === OrderStatus.Cancelled) {
      throw new HubError('err_unprocessable_entity', `Order ${order.id} is cancelled`);
    }
    if (order.posSyncState !== 'confirmed' || order.statusId < OrderStatus.TransferredToKitchen) {
      throw new HubError('err_unprocessable_entity',
        `Order ${order.id} is not at the cash station yet`);
    }

    const restaurant = await loadRestaurant(ctx, order.restaurantId);
    const closed = await closeAtStation(ctx, order, ctx.stationFor(restaurant));
    const at = isoFromMillis(ctx.clock());
    const change = transition(order, OrderStatus.Completed, actor, at);

    await ctx.orders.transaction(async (trx) => {
      const paidAtTill = order.paymentStatus !== 'paid';
      const ok = await ctx.orders.update(trx, order.id, order.version, {
        statusId: OrderStatus.Completed, completedAt: at, updatedAt: at, paymentStatus: 'paid',
      });
      if (!ok) throw versionConflict(order.id);
      await ctx.orders.addHistory(trx, order.id, [change]);
      // Paid at the till rather than through /pay: the station's tenders are the record.
      if (paidAtTill) await ctx.orders.addPayments(trx, order.id, stationPayments(closed, at));
    });
    ctx.logger.info({ orderId: order.id, posOrderName: closed.orderName }, 'order completed');
  });
}

async function closeAtStation(
  ctx: OrderContext, order: OrderRecord, station: ReturnType<OrderContext['stationFor']>,
): Promise<StationOrder> {
  const guid = order.posOrderGuid as string;
  try {
    return await station.closeOrder(guid);
  } catch (err) {
    if (!(err instanceof CashStationError)) throw err;
    if (err.kind === 'unknown') {
      const after = await station.getOrder(guid).catch(() => undefined);
      if (after?.paid && after.finished) return after;
    }
    throw cashErrorToHubError(err, 'complete');
  }
}

function stationPayments(order: StationOrder, at: string): OrderPayment[] {
  return order.payments.map((p) => ({
    currencyCode: p.currencyGuid, name: '', amount: p.amount, paidAt: at,
  }));
}
