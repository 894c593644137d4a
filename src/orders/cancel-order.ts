import { BodyReader } from '../api/body-reader.js';
import { cashErrorToHubError } from '../cash/cash-error-mapping.js';
import { CashStationError } from '../cash/cash-station.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import type { Corporation } from '../store/chain-repo.js';
import { isoFromMillis } from '../time/instant.js';
import { type OrderContext, loadOrder, loadRestaurant, versionConflict } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { transition } from './order-transition.js';
import { assertOrderVersion } from './order-version.js';
import { type VoidPayload, cancelReconcileIfSettled } from './order-effects.js';
import { reconcileOrder } from './reconcile-order.js';
import { sendJournalled } from './station-operation.js';

/** The `/reject` body after type checks; blank values count as absent. */
export interface RejectInput {
  reasonId: string | undefined;
  text: string;
}

/** The reason an order was cancelled with, as the order shows it. */
export type Rejection = NonNullable<OrderRecord['rejectionReason']>;

/**
 * Reads the `/reject` body `{rejectionReasonId, rejectionReasonText}` (`delivery-api.md` §11.2).
 * When reasons are disabled clients send both as empty strings, or no body at all; the
 * informational `restaurantId` is ignored.
 */
export function readRejectBody(body: unknown): RejectInput {
  if (body === undefined || body === null) return { reasonId: undefined, text: '' };

  const problems = new FieldProblems();
  const root = new BodyReader(body, '', problems);
  if (!root.isObject) throw new HubError('ERR_PARSE_REQUEST', 'The body must be a JSON object');

  const input = {
    reasonId: root.field('rejectionReasonId').text(),
    text: root.field('rejectionReasonText').string()?.trim() ?? '',
  };
  problems.throwIfAny('ERR_PARSE_REQUEST');
  return input;
}

/**
 * Cancels an order (`PUT /orders/{id}/reject`, `delivery-api.md` §11.2, `rk7-xml.md` §6.6).
 * An order at the cash station is voided there first; when the station refuses or cannot be
 * reached the hub status stays as it was and the station's error is answered. An order before
 * the kitchen is cancelled in the hub and its transfer timer removed, so it never reaches the
 * station. Cancelling a cancelled order changes nothing, whatever `expectedVersion` says; any
 * other cancel with an `expectedVersion` (`If-Match`) the order is no longer at is refused.
 */
export async function cancelOrder(
  ctx: OrderContext, orderSourceId: string, orderId: string, body: unknown, actor: string,
  expectedVersion?: number,
): Promise<void> {
  const input = readRejectBody(body);
  const found = await loadOrder(ctx, orderId, orderSourceId);
  const corporation = await ctx.chain.getCorporation(found.corporationId);
  if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');
  const rejection = await rejectionOf(ctx, corporation, input);

  await ctx.locks.run(found.id, async () => {
    // An earlier payment whose outcome is open may have gone through (issue #4).
    await reconcileOrder(ctx, found.id);
    const order = await loadOrder(ctx, found.id, orderSourceId);
    if (order.statusId === OrderStatus.Cancelled) return;
    assertOrderVersion(order, expectedVersion);
    assertCancellable(order);

    const rejectionReason = rejection === null ? null : JSON.stringify(rejection);
    const entryId = await voidAtStation(ctx, order, { actor, rejectionReason });
    const at = isoFromMillis(ctx.clock());
    const change = transition(order, OrderStatus.Cancelled, actor, at);

    await ctx.orders.transaction(async (trx) => {
      const ok = await ctx.orders.update(trx, order.id, order.version, {
        statusId: OrderStatus.Cancelled,
        rejectionReason,
        isAttention: 0,
        attentionReason: null,
        updatedAt: at,
      });
      if (!ok) throw versionConflict(order.id);
      await ctx.orders.addHistory(trx, order.id, [change]);
      await ctx.timers.cancel(trx, 'transfer', order.id);
      if (entryId !== undefined) {
        await ctx.journal.repo.settle(trx, entryId, 'confirmed', at);
        await cancelReconcileIfSettled(ctx, trx, order.id);
      }
    });
    ctx.logger.info({ orderId: order.id, from: order.statusId, reasonId: rejection?.id, actor },
      'order cancelled');
  });
}

/**
 * The reason to record: required when the corporation says so, one of its reasons when given,
 * and a `text` reason needs its free text. Without a reason (allowed) a free text alone is kept.
 */
async function rejectionOf(
  ctx: OrderContext, corporation: Corporation, input: RejectInput,
): Promise<Rejection | null> {
  if (input.reasonId === undefined) {
    if (corporation.rejectionReasonRequired) {
      throw new HubError('err_parse_request', 'A rejection reason is required', {
        errors: { rejectionReasonId: ['Value is required'] },
      });
    }
    return input.text === '' ? null : { id: '', reason: '', text: input.text };
  }

  const reason = await ctx.chain.findRejectionReason(corporation.id, input.reasonId);
  if (!reason) {
    throw new HubError('rejection_reason_not_found',
      `Rejection reason ${input.reasonId} not found`);
  }
  if (reason.type === 'text' && input.text === '') {
    throw new HubError('err_parse_request', `The reason "${reason.reason}" needs a text`, {
      errors: { rejectionReasonText: ['Value is required'] },
    });
  }
  return { id: reason.id, reason: reason.reason, text: input.text };
}

function assertCancellable(order: OrderRecord): void {
  if (order.statusId === OrderStatus.Completed) {
    throw new HubError('err_unprocessable_entity', `Order ${order.id} is completed`);
  }
  if (order.paymentStatus === 'paid') {
    throw new HubError('err_unprocessable_entity',
      `Order ${order.id} is paid; cancel it at the cash station`);
  }
}

/**
 * Voids the station's order when there is one, under the operation journal (`rk7-xml.md` §6.1):
 * a crash or a lost answer after the station voided is settled by the reconciler, which then
 * cancels the order. Past the kitchen there is a station order; before it, a transfer that
 * failed or got no answer may have left one behind (§6.3), so the station is asked first.
 * Returns the journal entry to settle with the cancellation, if a void was sent.
 */
async function voidAtStation(
  ctx: OrderContext, order: OrderRecord, payload: VoidPayload,
): Promise<number | undefined> {
  const atStation = order.statusId >= OrderStatus.TransferredToKitchen;
  const maybeAtStation = order.posSyncState !== 'none' && order.posSyncState !== 'confirmed';
  const guid = order.posOrderGuid;
  if (guid === null || (!atStation && !maybeAtStation)) return undefined;

  const station = ctx.stationFor(await loadRestaurant(ctx, order.restaurantId));
  if (!atStation) {
    const left = await station.getOrder(guid).catch((err: unknown) => {
      throw err instanceof CashStationError ? cashErrorToHubError(err, 'cancel') : err;
    });
    if (left === undefined || left.deleted) return undefined;
  }

  const sent = await sendJournalled(ctx, order, station, {
    kind: 'void', fingerprint: 'void', payload, during: 'cancel',
    send: async () => {
      await station.voidOrder(guid);
      return 'voided' as const;
    },
    answerFrom: () => 'voided',
  });
  return sent.entryId;
}
