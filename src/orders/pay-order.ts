import { BodyReader, MAX_LIST_ITEMS } from '../api/body-reader.js';
import type { StationTender } from '../cash/cash-station.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import { formatScaled } from '../money/money.js';
import { isoFromMillis, parseInstant } from '../time/instant.js';
import { type PayPayload, commitEffect, paidEffect } from './order-effects.js';
import { type OrderContext, loadRestaurant } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { assertOrderVersion } from './order-version.js';
import { withSettledOrder } from './reconcile-order.js';
import { fingerprintOf, sendJournalled } from './station-operation.js';

/** One item of the `/pay` body after type checks. */
export interface PayItem {
  /** Currency GUID, upper-case, braces stripped. */
  code: string;
  amount: number;
  /** The instant given, or null when the client sent none. */
  paidAt: string | null;
  name: string;
}

/**
 * Reads the `/pay` body: a non-empty array of `{code, amount, paidAt, name}`. Problems are
 * 400 `ERR_PARSE_REQUEST` naming the item (`[0].amount`). A zone-less `paidAt` is read in the
 * restaurant's zone.
 */
export function readPayBody(body: unknown, zone: string): PayItem[] {
  const problems = new FieldProblems();
  if (!Array.isArray(body)) {
    throw new HubError('ERR_PARSE_REQUEST', 'The body must be an array of payments');
  }
  if (body.length === 0) {
    throw new HubError('ERR_PARSE_REQUEST', 'The body must contain at least one payment');
  }
  if (body.length > MAX_LIST_ITEMS) {
    throw new HubError('ERR_PARSE_REQUEST',
      `The body must contain at most ${MAX_LIST_ITEMS} payments`);
  }

  const items = new BodyReader(body, '', problems).array() ?? [];
  const result = items.map((item): PayItem => {
    if (!item.isObject) item.problem('must be an object');
    const code = item.field('code').text();
    if (code === undefined) item.field('code').problem('Value is required');

    const amountField = item.field('amount');
    const amount = amountField.kopecks();
    if (amountField.absent) amountField.problem('Value is required');
    else if (amount !== undefined && amount < 0) amountField.problem('must not be negative');

    const paidAtField = item.field('paidAt');
    const paidAtText = paidAtField.text();
    const paidAt = paidAtText === undefined ? undefined : parseInstant(paidAtText, zone);
    if (paidAtText !== undefined && !paidAt) paidAtField.problem('must be an ISO-8601 date-time');

    return {
      code: normaliseCurrency(code ?? ''),
      amount: amount ?? 0,
      paidAt: paidAt?.instant ?? null,
      name: item.field('name').string() ?? '',
    };
  });

  problems.throwIfAny('ERR_PARSE_REQUEST');
  return result;
}

/** `{16d72549-…}` → `16D72549-…`: how currency GUIDs are compared. */
export function normaliseCurrency(code: string): string {
  return code.trim().replace(/^\{|\}$/g, '').toUpperCase();
}

/**
 * Registers a payment at the cash station and in the hub together (`delivery-api.md` §11.3).
 * Nothing is recorded unless the station accepted it; an identical repeat after success is
 * answered with success and never reaches the station.
 *
 * Payments of one order are serialised (across hub instances on PostgreSQL), earlier open
 * outcomes are reconciled first, and the call is journalled: whatever happens to the answer or
 * to this process, the station gets at most one PayOrder per payment and the hub records it
 * once (`rk7-xml.md` §6.4).
 *
 * An `expectedVersion` (`If-Match`) the order is no longer at refuses the payment, except for
 * the identical repeat: its own success moved the version on, and a repeat must stay safe.
 */
export async function payOrder(
  ctx: OrderContext, orderSourceId: string, orderId: string, body: unknown,
  expectedVersion?: number,
): Promise<void> {
  await withSettledOrder(ctx, orderId, orderSourceId, async (order) => {
    const restaurant = await loadRestaurant(ctx, order.restaurantId);
    const items = readPayBody(body, restaurant.timeZone);
    const request = JSON.stringify(items);
    const repeat = order.paymentStatus === 'paid' && order.paidRequest === request;
    if (!repeat) assertOrderVersion(order, expectedVersion);
    assertPayable(order);
    if (order.paymentStatus === 'paid') {
      if (order.paidRequest === request) return;
      throw new HubError('err_unprocessable_entity', `Order ${order.id} is already paid`);
    }

    const tenders = await tendersFor(ctx, order, items);
    const at = isoFromMillis(ctx.clock());
    const payload: PayPayload = {
      request,
      payments: tenders.map((tender, i) => ({
        currencyCode: tender.currencyGuid,
        name: items[i]?.name ?? '',
        amount: tender.amount,
        paidAt: items[i]?.paidAt ?? at,
      })),
    };
    const station = ctx.stationFor(restaurant);
    const guid = order.posOrderGuid as string;
    const sent = await sendJournalled(ctx, order, station, {
      kind: 'pay', fingerprint: fingerprintOf(request), payload, during: 'pay',
      send: () => station.payOrder(guid, tenders),
    });

    await commitEffect(ctx, order.id, paidEffect(payload), { entryId: sent.entryId }, order);
    ctx.logger.info({ orderId: order.id, amount: order.fullAmount,
      posOrderName: sent.station.orderName }, 'order paid');
  });
}

function assertPayable(order: OrderRecord): void {
  if (order.statusId === OrderStatus.Cancelled) {
    throw new HubError('err_unprocessable_entity', `Order ${order.id} is cancelled`);
  }
  if (order.statusId === OrderStatus.Completed) {
    throw new HubError('err_unprocessable_entity', `Order ${order.id} is completed`);
  }
  if (!isAtStation(order)) {
    throw new HubError('err_unprocessable_entity',
      `Order ${order.id} is not at the cash station yet`);
  }
}

/** At the station: transferred (4 or later), with a confirmed or merely unsettled sync state. */
export function isAtStation(order: OrderRecord): boolean {
  return order.statusId >= OrderStatus.TransferredToKitchen
    && (order.posSyncState === 'confirmed' || order.posSyncState === 'unknown');
}

/**
 * Checks the tenders against the restaurant's currencies and the order total before anything is
 * sent. All-zero amounts on an `online` order mean "the remaining balance in this currency"; a
 * short sum is left for the station to refuse ([3373]), as the original service does.
 */
async function tendersFor(
  ctx: OrderContext, order: OrderRecord, items: PayItem[],
): Promise<StationTender[]> {
  const known = new Set((await ctx.chain.currencies(order.restaurantId)).map((c) => c.code));
  const unknown = items.find((item) => !known.has(item.code));
  if (unknown) {
    throw new HubError('ERR_EXTERNAL_ERROR_WS', 'WS error: Error code: WsaOrderError. '
      + `Currency ${unknown.code} is not registered for the restaurant`);
  }

  const allZero = items.every((item) => item.amount === 0);
  if (allZero && order.paymentTypeId === 'online') {
    return [{ currencyGuid: (items[0] as PayItem).code, amount: order.fullAmount }];
  }

  const sum = items.reduce((total, item) => total + item.amount, 0);
  if (sum > order.fullAmount) {
    throw new HubError('ERR_EXTERNAL_ERROR_WS', 'WS error: Error code: WsaOrderError. '
      + `Payment amount ${formatScaled(sum, 2)} exceeds the order amount `
      + formatScaled(order.fullAmount, 2));
  }
  return items.map((item) => ({ currencyGuid: item.code, amount: item.amount }));
}
