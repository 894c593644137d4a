import type { StationOrder } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import type { StationOperation } from '../store/journal-repo.js';
import { isoFromMillis } from '../time/instant.js';
import {
  type ClosePayload, type Effect, type PayPayload, type VoidPayload, cancelledEffect, closedEffect,
  commitEffect, noEffect, paidEffect,
} from './order-effects.js';
import { type OrderContext, loadOrder, loadRestaurant } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { isApplied, outcomeUnknown, readBack } from './station-operation.js';

/**
 * Settles every open journal entry of an order (`intent` left by a crash, `unknown` left by a
 * lost answer) by reading the order back from the station — never by sending anything again
 * (`rk7-xml.md` §6.1, §6.8). The caller holds the order's lock; every operation on an order
 * runs this first, so nothing new is sent while an earlier outcome is open.
 *
 * - applied at the station → the effect is written to the order, the entry `confirmed`;
 * - not applied, and old enough that no call of it can still be on its way → `lapsed`;
 * - not applied but recent, or the station not answering → still unknown: throws the retryable
 *   `ERR_EXTERNAL_TIMEOUT_WS` with a `Retry-After` for when it can be decided.
 *
 * Returns whether there was anything to settle (when not, the order was left untouched).
 */
export async function reconcileOrder(ctx: OrderContext, orderId: number): Promise<boolean> {
  const open = await ctx.journal.repo.open(orderId);
  if (open.length === 0) return false;

  const order = await loadOrder(ctx, orderId);
  const station = ctx.stationFor(await loadRestaurant(ctx, order.restaurantId));
  const after = order.posOrderGuid === null
    ? { read: true, order: undefined }
    : await readBack(station, order.posOrderGuid);
  if (!after.read) {
    throw outcomeUnknown(ctx, 'WS error: Error code: Timeout. The cash station does not answer; '
      + `the outcome of an earlier ${open[0]?.operation} on order ${orderId} is not known yet`,
    undefined, ctx.journal.settleAfterMs);
  }

  const log = ctx.logger.child({ component: 'reconcile', orderId });
  for (const entry of open) {
    const nowMs = ctx.clock();
    if (isApplied(entry.operation, after.order)) {
      await commitEffect(ctx, orderId, effectOf(entry, after.order, isoFromMillis(nowMs)),
        { entryId: entry.id });
      log.info({ operation: entry.operation, entryId: entry.id, outcome: 'confirmed' },
        'journal entry reconciled');
      continue;
    }

    const remainingMs = Date.parse(entry.createdAt) + ctx.journal.settleAfterMs - nowMs;
    if (remainingMs > 0) {
      throw outcomeUnknown(ctx, 'WS error: Error code: Timeout. The outcome of an earlier '
        + `${entry.operation} on order ${orderId} is not known yet; repeat the request later`,
      undefined, remainingMs);
    }
    await commitEffect(ctx, orderId, noEffect, { entryId: entry.id, state: 'lapsed' });
    log.info({ operation: entry.operation, entryId: entry.id, outcome: 'lapsed' },
      'journal entry reconciled');
  }
  return true;
}

/**
 * Runs `work` under the order's lock (`ctx.locks`) with the order as it is once the lock is held
 * and its open journal entries are settled (`reconcileOrder`): the order is read once when
 * nothing was open. An order of another source is `order_not_found`, as is an id that cannot
 * name an order (then without taking a lock).
 */
export async function withSettledOrder<T>(
  ctx: OrderContext, id: string, orderSourceId: string,
  work: (order: OrderRecord) => Promise<T>,
): Promise<T> {
  const numeric = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(numeric) || numeric <= 0) {
    throw new HubError('order_not_found', `Order ${id} not found`);
  }

  return ctx.locks.run(numeric, async () => {
    const before = await loadOrder(ctx, numeric, orderSourceId);
    const settled = await reconcileOrder(ctx, numeric);
    return work(settled ? await loadOrder(ctx, numeric, orderSourceId) : before);
  });
}

/** What a confirmed entry writes to the order. */
function effectOf(entry: StationOperation, station: StationOrder | undefined, at: string): Effect {
  switch (entry.operation) {
    case 'pay':
      return paidEffect(entry.payload as PayPayload);
    case 'close':
      return station === undefined
        ? noEffect
        : closedEffect(station, (entry.payload as ClosePayload).actor, at);
    case 'void':
      return cancelledEffect(entry.payload as VoidPayload, at);
    case 'create':
      // The transfer (its timer) finishes its own work when it runs again.
      return noEffect;
  }
}
