import { HubError } from '../errors/hub-error.js';
import { isoFromMillis } from '../time/instant.js';
import { type ClosePayload, closedEffect, commitEffect } from './order-effects.js';
import { type OrderContext, loadRestaurant } from './order-context.js';
import { OrderStatus } from './order-status.js';
import { assertOrderVersion } from './order-version.js';
import { isAtStation } from './pay-order.js';
import { withSettledOrder } from './reconcile-order.js';
import { sendJournalled } from './station-operation.js';

/**
 * Closes the order at the cash station and in the hub (`delivery-api.md` §11.4). Completing a
 * completed order is a no-op, whatever `expectedVersion` says; any other close with an
 * `expectedVersion` (`If-Match`) the order is no longer at is refused. An unpaid order is
 * refused by the station ([3071]) and answered with `rk7_close_order`, HTTP 500, exactly as the
 * original service does.
 *
 * Like payment, the close is serialised per order, preceded by the reconciliation of earlier
 * open outcomes, and journalled (`rk7-xml.md` §6.5).
 */
export async function completeOrder(
  ctx: OrderContext, orderSourceId: string, orderId: string, actor: string,
  expectedVersion?: number,
): Promise<void> {
  await withSettledOrder(ctx, orderId, orderSourceId, async (order) => {
    if (order.statusId === OrderStatus.Completed) return;
    assertOrderVersion(order, expectedVersion);
    if (order.statusId === OrderStatus.Cancelled) {
      throw new HubError('err_unprocessable_entity', `Order ${order.id} is cancelled`);
    }
    if (!isAtStation(order)) {
      throw new HubError('err_unprocessable_entity',
        `Order ${order.id} is not at the cash station yet`);
    }

    const station = ctx.stationFor(await loadRestaurant(ctx, order.restaurantId));
    const guid = order.posOrderGuid as string;
    const payload: ClosePayload = { actor };
    const sent = await sendJournalled(ctx, order, station, {
      kind: 'close', fingerprint: 'close', payload, during: 'complete',
      send: () => station.closeOrder(guid),
    });

    const at = isoFromMillis(ctx.clock());
    await commitEffect(ctx, order.id, closedEffect(sent.station, actor, at),
      { entryId: sent.entryId }, order);
    ctx.logger.info({ orderId: order.id, posOrderName: sent.station.orderName },
      'order completed');
  });
}
