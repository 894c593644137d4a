import type { ApiClient } from '../api/request-context.js';
import { cashErrorToHubError } from '../cash/cash-error-mapping.js';
import {
  type CashStation, CashStationError, type StationOrder, type StationOrderUpdate,
} from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import { quoteDelivery } from '../geo/quote-delivery.js';
import type { Corporation, Restaurant } from '../store/chain-repo.js';
import { orderSearchText } from '../store/order-search-text.js';
import type { OrderUpdate } from '../store/schema.js';
import { isoFromMillis } from '../time/instant.js';
import { type ChangeOrderInput, readChangeOrder } from './change-order-input.js';
import { type ChangedOrder, applyChange } from './change-order-rules.js';
import { restaurantFor } from './create-order.js';
import { flagAttention } from './order-attention.js';
import { transferDueAt } from './order-automation.js';
import { type OrderContext, loadOrder, loadRestaurant, versionConflict } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { assertOrderVersion } from './order-version.js';
import { draftOf } from './transfer-order.js';

/**
 * Changes an order (`PATCH /orders/{id}`, `delivery-api.md` §11.1): editable until paid, unless
 * the corporation prohibits changes. Before the kitchen every field may change and only the hub
 * is written. Once the order is at the cash station (status ≥ 4) its restaurant and expedition
 * type are fixed, and the change reaches the station before the hub commits it: the comment
 * and guest count through `UpdateOrder`, dish lines added and voided (`rk7-xml.md` §6.6). When
 * the station refuses, the hub keeps the order as it was and answers the station's error;
 * repeating the request is safe, since the station side converges on the wanted lines. With an
 * `expectedVersion` (`If-Match`) the order is no longer at, nothing is changed.
 */
export async function changeOrder(
  ctx: OrderContext, client: ApiClient, orderId: string, body: unknown,
  expectedVersion?: number,
): Promise<void> {
  const input = readChangeOrder(body);
  const found = await loadOrder(ctx, orderId, client.clientId);

  await ctx.locks.run(found.id, async () => {
    const order = await loadOrder(ctx, found.id, client.clientId);
    assertOrderVersion(order, expectedVersion);
    const corporation = await ctx.chain.getCorporation(order.corporationId);
    if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');
    assertChangeable(order, corporation, input);

    const restaurant = await restaurantOf(ctx, client, order, input);
    const now = ctx.clock();
    const menu = input.sent.has('dishList')
      ? await ctx.menu.restaurantMenu(corporation.id, restaurant.id)
      : undefined;
    const changed = applyChange(order, input, { corporation, restaurant, menu, now });
    const next = await withTotals(ctx, order, restaurant, changed);
    if (changesNothing(order, next)) {
      ctx.logger.info({ orderId: order.id, fields: [...input.sent] }, 'order change is a no-op');
      return;
    }

    const placed = atStation(order) ? await pushToStation(ctx, restaurant, order, next) : undefined;
    await commit(ctx, { order, next, corporation, placed, at: isoFromMillis(now) });
    ctx.logger.info({ orderId: order.id, fields: [...input.sent], fullAmount: next.fullAmount,
      posOrderName: placed?.orderName }, 'order changed');
  });
}

/** What a change may store; when all are as they were, nothing is written (no new version). */
const STORED_FIELDS = [
  'restaurantId', 'tableCode', 'expeditionType', 'paymentTypeId', 'persons', 'comment', 'guest',
  'address', 'expectedAt', 'soonest', 'changeFrom', 'amount', 'deliveryAmount', 'fullAmount',
  'lines',
] as const satisfies readonly (keyof OrderRecord)[];

/**
 * Whether `next` holds what `order` already has. A repeated or empty PATCH then leaves the
 * version and `updatedAt` alone, so it neither breaks other clients' `If-Match` nor shows up in
 * `updatedSince` polls. The comparison is by JSON: a difference in form only counts as a change,
 * which costs a version, never a lost change.
 */
function changesNothing(order: OrderRecord, next: OrderRecord): boolean {
  return STORED_FIELDS.every((field) => next[field] === order[field]
    || JSON.stringify(next[field]) === JSON.stringify(order[field]));
}

/** Status 4 is entered only once the station has the order, so from there on it has. */
function atStation(order: OrderRecord): boolean {
  return order.statusId >= OrderStatus.TransferredToKitchen && order.posOrderGuid !== null;
}

function assertChangeable(
  order: OrderRecord, corporation: Corporation, input: ChangeOrderInput,
): void {
  const refuse = (msg: string) => new HubError('err_unprocessable_entity', msg);
  if (order.statusId === OrderStatus.Cancelled) throw refuse(`Order ${order.id} is cancelled`);
  if (order.statusId === OrderStatus.Completed) throw refuse(`Order ${order.id} is completed`);
  if (order.paymentStatus === 'paid') throw refuse(`Order ${order.id} is paid`);
  if (!corporation.allowOrderModification) throw refuse('order modification is prohibited');
  if (order.statusId < OrderStatus.TransferredToKitchen) return;

  const { sent, values } = input;
  if (sent.has('restaurantId') && values.restaurantId?.toLowerCase() !== order.restaurantId
    .toLowerCase()) {
    throw refuse(`Order ${order.id} is at the cash station; its restaurant cannot change`);
  }
  if (sent.has('expeditionType') && values.expeditionType !== order.expeditionType) {
    throw refuse(`Order ${order.id} is at the cash station; its expedition type cannot change`);
  }
}

/** The order's restaurant, or the one it moves to (checked like on create). */
async function restaurantOf(
  ctx: OrderContext, client: ApiClient, order: OrderRecord, input: ChangeOrderInput,
): Promise<Restaurant> {
  const wanted = input.values.restaurantId;
  const moves = input.sent.has('restaurantId')
    && wanted?.toLowerCase() !== order.restaurantId.toLowerCase();
  return moves ? restaurantFor(ctx, client, wanted) : loadRestaurant(ctx, order.restaurantId);
}

/**
 * The order as it will be, totals included. Dishes, delivery fee and the full amount are
 * recomputed when something they depend on changed (dishes, address, type, restaurant), the
 * fee as on create; otherwise they stay as they are.
 */
async function withTotals(
  ctx: OrderContext, order: OrderRecord, restaurant: Restaurant, changed: ChangedOrder,
): Promise<OrderRecord> {
  const lines = changed.lines?.map((line, i) => ({ ...line, lineNo: i + 1 })) ?? order.lines;
  const next: OrderRecord = {
    ...order, ...changed, lines, restaurantId: restaurant.id, tableCode: restaurant.tableCode,
  };
  const affectsTotals = changed.lines !== undefined
    || JSON.stringify(changed.address) !== JSON.stringify(order.address)
    || changed.expeditionType !== order.expeditionType || restaurant.id !== order.restaurantId;
  if (!affectsTotals) return next;

  const amount = lines.reduce((sum, line) => sum + line.total, 0);
  const { deliveryAmount } = await quoteDelivery(ctx.zones, {
    restaurantId: restaurant.id, expeditionType: next.expeditionType,
    address: next.address ?? undefined, amount,
  });
  return { ...next, amount, deliveryAmount, fullAmount: amount + deliveryAmount };
}

/**
 * Sends the change to the station: header first (harmless on its own), then the dish lines.
 * A failure after something was applied, or with an unknown outcome, flags the order: the
 * station and the hub may now differ until the request is repeated.
 */
async function pushToStation(
  ctx: OrderContext, restaurant: Restaurant, order: OrderRecord, next: OrderRecord,
): Promise<StationOrder | undefined> {
  const station: CashStation = ctx.stationFor(restaurant);
  const guid = order.posOrderGuid as string;
  const [before, after] = [draftOf(order), draftOf(next)];
  const header: StationOrderUpdate = {};
  if (after.comment !== before.comment) header.comment = after.comment;
  if (after.guests !== before.guests) header.guests = after.guests;
  const linesChange = JSON.stringify([after.lines, after.deliveryFee])
    !== JSON.stringify([before.lines, before.deliveryFee]);

  let applied = false;
  try {
    let placed: StationOrder | undefined;
    if (Object.keys(header).length > 0) {
      placed = await station.updateOrder(guid, header);
      applied = true;
    }
    if (linesChange) {
      placed = await station.setLines(guid, { lines: after.lines, deliveryFee: after.deliveryFee });
    }
    return placed;
  } catch (err) {
    if (!(err instanceof CashStationError)) throw err;
    if (applied || err.kind === 'unknown' || linesChange) {
      await flagAttention(ctx, order, 'Change not fully applied at the cash station; '
        + `repeat the change (${err.message})`);
    }
    throw cashErrorToHubError(err, 'change');
  }
}

/** Writes the changed order with its version check; lines only when they were replaced. */
async function commit(ctx: OrderContext, change: {
  order: OrderRecord; next: OrderRecord; corporation: Corporation;
  placed: StationOrder | undefined; at: string;
}): Promise<void> {
  const { order, next, placed, at } = change;
  const mismatch = placed !== undefined && placed.orderSum !== next.fullAmount;
  const patch: OrderUpdate = {
    restaurantId: next.restaurantId,
    tableCode: next.tableCode,
    expeditionType: next.expeditionType,
    paymentTypeId: next.paymentTypeId,
    persons: next.persons,
    comment: next.comment,
    guest: JSON.stringify(next.guest),
    address: next.address === null ? null : JSON.stringify(next.address),
    searchText: orderSearchText(next.guest),
    expectedAt: next.expectedAt,
    soonest: next.soonest ? 1 : 0,
    changeFrom: next.changeFrom,
    amount: next.amount,
    deliveryAmount: next.deliveryAmount,
    fullAmount: next.fullAmount,
    updatedAt: at,
    ...(mismatch ? {
      isAttention: 1,
      attentionReason:
        `Cash station sum ${placed.orderSum} differs from hub total ${next.fullAmount}`,
    } : {}),
  };
  const reschedule = next.expectedAt !== order.expectedAt || next.soonest !== order.soonest;
  const timer = reschedule ? await ctx.timers.find('transfer', order.id) : undefined;

  await ctx.orders.transaction(async (trx) => {
    const ok = await ctx.orders.update(trx, order.id, order.version, patch);
    if (!ok) throw versionConflict(order.id);
    if (next.lines !== order.lines) await ctx.orders.replaceLines(trx, order.id, next.lines);
    if (timer) {
      const dueAt = transferDueAt(change.corporation, order.createdAt, next.expectedAt);
      await ctx.timers.schedule(trx, 'transfer', order.id, dueAt, at);
    }
  });
}
