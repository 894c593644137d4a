import type { StationOrderDraft } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import { isoFromMillis } from '../time/instant.js';
import { cancelReconcileIfSettled } from './order-effects.js';
import { type OrderContext, loadOrder, loadRestaurant, versionConflict } from './order-context.js';
import { stationModifiers } from './order-pricing.js';
import type { OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { transition } from './order-transition.js';
import { reconcileOrder } from './reconcile-order.js';
import { sendJournalled } from './station-operation.js';

/** Statuses from which an order can still be sent to the cash station. */
const BEFORE_KITCHEN: readonly number[] = [
  OrderStatus.New, OrderStatus.Confirmed, OrderStatus.TakenAtRestaurant,
];

/**
 * Creates the order at the restaurant's cash station and, once the station has confirmed it,
 * moves it to Transferred to the kitchen (4). Safe to repeat: the station order's GUID was
 * fixed when the hub order was created, the connector creates nothing twice for one GUID, and
 * the call is journalled, so an earlier attempt whose outcome is open is reconciled first.
 * A failure leaves the status as it was and flags the order for attention (`posSyncState`
 * `failed`, or `unknown` when the station's answer was lost); the caller (the timer) retries.
 */
export async function transferOrder(
  ctx: OrderContext, orderId: number, actor = 'automation',
): Promise<void> {
  await ctx.locks.run(orderId, async () => {
    const before = await loadOrder(ctx, orderId);
    if (!BEFORE_KITCHEN.includes(before.statusId)) return;
    const order = await reconcileOrder(ctx, orderId) ? await loadOrder(ctx, orderId) : before;
    if (!BEFORE_KITCHEN.includes(order.statusId)) return;

    const restaurant = await loadRestaurant(ctx, order.restaurantId);
    const station = ctx.stationFor(restaurant);
    const log = ctx.logger.child({ component: 'transfer', orderId });
    const pending = order.version + 1;

    try {
      // `none` until the first attempt marks the order `pending` (before its CreateOrder).
      const draft = { ...draftOf(order), neverSent: order.posSyncState === 'none' };
      const sent = await sendJournalled(ctx, { ...order, version: pending }, station, {
        kind: 'create', fingerprint: draft.guid, payload: { guid: draft.guid }, during: 'transfer',
        send: () => station.createOrder(draft),
        // Committed with the intent, so before the CreateOrder; a conflict sends nothing.
        withIntent: async (trx) => {
          const ok = await ctx.orders.update(trx, order.id, order.version, {
            posSyncState: 'pending', updatedAt: isoFromMillis(ctx.clock()),
          });
          if (!ok) throw versionConflict(order.id);
        },
      });
      const placed = sent.station;
      const at = isoFromMillis(ctx.clock());
      const mismatch = placed.orderSum !== order.fullAmount;
      const change = transition(order, OrderStatus.TransferredToKitchen, actor, at);

      await ctx.orders.transaction(async (trx) => {
        const ok = await ctx.orders.update(trx, order.id, pending, {
          statusId: OrderStatus.TransferredToKitchen,
          posSyncState: 'confirmed',
          posOrderName: placed.orderName,
          posVisit: placed.visit,
          posOrderIdent: placed.orderIdent,
          isAttention: mismatch ? 1 : 0,
          attentionReason: mismatch
            ? `Cash station sum ${placed.orderSum} differs from hub total ${order.fullAmount}`
            : null,
          updatedAt: at,
        });
        if (!ok) throw versionConflict(order.id);
        await ctx.orders.addHistory(trx, order.id, [change]);
        await ctx.journal.repo.settle(trx, sent.entryId, 'confirmed', at);
        await cancelReconcileIfSettled(ctx, trx, order.id);
      });
      log.info({ posOrderName: placed.orderName, mismatch }, 'order transferred to the kitchen');
    } catch (err) {
      const unknown = err instanceof HubError && err.code === 'ERR_EXTERNAL_TIMEOUT_WS';
      const reason = err instanceof HubError ? `${err.code}: ${err.message}` : 'Transfer failed';
      await setSync(ctx, { ...order, version: pending }, {
        posSyncState: unknown ? 'unknown' : 'failed', isAttention: 1, attentionReason: reason,
      }).catch(() => undefined);
      log.error({ err }, 'transfer to the cash station failed');
      throw err;
    }
  });
}

/** Updates sync fields with a version check; returns the new version. */
async function setSync(
  ctx: OrderContext, order: Pick<OrderRecord, 'id' | 'version'>,
  patch: { posSyncState: string; isAttention?: number; attentionReason?: string },
): Promise<number> {
  const ok = await ctx.orders.update(ctx.orders.db, order.id, order.version, {
    ...patch, updatedAt: isoFromMillis(ctx.clock()),
  });
  if (!ok) throw versionConflict(order.id);
  return order.version + 1;
}

/** The cash-station view of a hub order: lines by r_keeper code, prices in kopecks. */
export function draftOf(order: OrderRecord): StationOrderDraft {
  const address = order.address;
  const where = address
    ? [address.street, address.houseNumber, address.apartmentNumber].filter(Boolean).join(' ')
    : 'pickup';
  return {
    guid: order.posOrderGuid as string,
    hubOrderId: String(order.id),
    guests: order.persons,
    comment: [`Delivery #${order.id}`, order.guest.phone, where].filter(Boolean).join(', '),
    lines: order.lines.map((line) => ({
      code: line.externalId, quantity: line.quantity, price: line.price,
      modifiers: stationModifiers(line),
    })),
    deliveryFee: order.deliveryAmount,
  };
}
