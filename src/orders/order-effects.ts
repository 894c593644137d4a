import type { Transaction } from 'kysely';
import type { StationOrder } from '../cash/cash-station.js';
import type { StatusChange } from '../store/order-repo.js';
import type { Database, OrderUpdate } from '../store/schema.js';
import { isoFromMillis } from '../time/instant.js';
import { type OrderContext, loadOrder, versionConflict } from './order-context.js';
import type { OrderPayment, OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { transition } from './order-transition.js';
import { UNKNOWN_OUTCOME_REASON } from './operation-journal.js';

/** What one effect writes to an order; `undefined` from an {@link Effect} means "already so". */
export interface OrderChange {
  patch: OrderUpdate;
  history?: StatusChange[];
  payments?: OrderPayment[];
}

/** Computes the change an operation makes to the order as it is now. */
export type Effect = (order: OrderRecord) => OrderChange | undefined;

/** What a journalled payment needs to be recorded, now or by a later reconciliation. */
export interface PayPayload {
  /** Canonical `/pay` body, so an identical repeat is recognised. */
  request: string;
  payments: OrderPayment[];
}

/** What a journalled close needs. */
export interface ClosePayload {
  actor: string;
}

const ATTEMPTS = 3;

/** The journal entry an effect settles, and how (`confirmed` unless said otherwise). */
export interface Settlement {
  entryId: number;
  state?: 'confirmed' | 'lapsed';
}

/**
 * Writes an effect to the order and, in the same transaction, settles the journal entry that
 * caused it. Lost version races are retried on the fresh order: effects are written so that
 * applying one twice changes nothing the second time. `current` spares the first read when the
 * caller holds the order as it is.
 */
export async function commitEffect(
  ctx: OrderContext, orderId: number, effect: Effect, settlement?: Settlement,
  current?: OrderRecord,
): Promise<void> {
  const entryId = settlement?.entryId;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const order = attempt === 1 && current !== undefined ? current : await loadOrder(ctx, orderId);
    const now = isoFromMillis(ctx.clock());
    const othersOpen = order.posSyncState === 'unknown'
      && (await ctx.journal.repo.open(orderId)).some((e) => e.id !== entryId);
    const change = othersOpen ? effect(order) : withSyncCleared(order, effect(order));

    const ok = await ctx.orders.transaction(async (trx) => {
      if (change !== undefined) {
        const updated = await ctx.orders.update(trx, order.id, order.version, {
          ...change.patch, updatedAt: now,
        });
        if (!updated) return false;
        // Before the effect's status change: an order closed at the till was paid first.
        if (change.patch.paymentStatus === 'paid' && order.paymentStatus !== 'paid') {
          await ctx.orders.addPaidEvent(trx, order.id, order.statusId, now);
        }
        if (change.history?.length) await ctx.orders.addHistory(trx, order.id, change.history);
        if (change.payments?.length) await ctx.orders.addPayments(trx, order.id, change.payments);
      }
      if (entryId !== undefined) {
        await ctx.journal.repo.settle(trx, entryId, settlement?.state ?? 'confirmed', now);
        await cancelReconcileIfSettled(ctx, trx, order.id);
      }
      return true;
    });
    if (ok) return;
  }
  throw versionConflict(orderId);
}

/** The payment recorded, unless the order is paid already. */
export function paidEffect(payload: PayPayload): Effect {
  return (order) => {
    if (order.paymentStatus === 'paid') return undefined;
    return {
      patch: { paymentStatus: 'paid', paidRequest: payload.request },
      payments: payload.payments,
    };
  };
}

/**
 * The order completed (11) after the station closed it. When the hub had no payment on record
 * (paid at the till), the station's tenders become the record.
 */
export function closedEffect(station: StationOrder, actor: string, at: string): Effect {
  return (order) => {
    if (order.statusId === OrderStatus.Completed || order.statusId === OrderStatus.Cancelled) {
      return undefined;
    }
    const change = transition(order, OrderStatus.Completed, actor, at);
    const paidAtTill = order.paymentStatus !== 'paid';
    return {
      patch: { statusId: OrderStatus.Completed, completedAt: at, paymentStatus: 'paid' },
      history: [change],
      payments: paidAtTill ? stationPayments(station, at) : [],
    };
  };
}

/** The station's tenders as hub payments, for an order paid at the till. */
export function stationPayments(order: StationOrder, at: string): OrderPayment[] {
  return order.payments.map((p) => ({
    currencyCode: p.currencyGuid, name: '', amount: p.amount, paidAt: at,
  }));
}

/** What a journalled void needs: who cancelled, and the reason recorded on the order. */
export interface VoidPayload {
  actor: string;
  /** The rejection reason as the order stores it (JSON text), or null. */
  rejectionReason: string | null;
}

/** The order cancelled (12) after the station voided it; a cancelled order stays as it is. */
export function cancelledEffect(payload: VoidPayload, at: string): Effect {
  return (order) => {
    if (order.statusId === OrderStatus.Cancelled) return undefined;
    return {
      patch: {
        statusId: OrderStatus.Cancelled, rejectionReason: payload.rejectionReason,
        isAttention: 0, attentionReason: null,
      },
      history: [transition(order, OrderStatus.Cancelled, payload.actor, at)],
    };
  };
}

/** No change but the sync state: used when an entry is settled without effect. */
export const noEffect: Effect = () => undefined;

/**
 * Clears the "outcome unknown" marks once nothing is open any more: the sub-state goes back to
 * `confirmed` and the attention flag set for it is lowered (other attention reasons stay).
 */
function withSyncCleared(order: OrderRecord, change: OrderChange | undefined) {
  if (order.posSyncState !== 'unknown' || order.statusId < OrderStatus.TransferredToKitchen) {
    return change;
  }
  const ours = order.attentionReason?.startsWith(UNKNOWN_OUTCOME_REASON) === true;
  return {
    ...change,
    patch: {
      ...change?.patch,
      posSyncState: 'confirmed',
      ...(ours ? { isAttention: 0, attentionReason: null } : {}),
    },
  };
}

/** Drops the order's reconcile timer when no journal entry of it is open any more. */
export async function cancelReconcileIfSettled(
  ctx: OrderContext, trx: Transaction<Database>, orderId: number,
): Promise<void> {
  const open = await ctx.journal.repo.open(orderId, trx);
  if (open.length === 0) await ctx.timers.cancel(trx, 'reconcile', orderId);
}
