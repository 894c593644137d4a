import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type CashOperation, cashErrorToHubError } from '../cash/cash-error-mapping.js';
import { type CashStation, CashStationError, type StationOrder } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import type { StationOperationKind } from '../store/journal-repo.js';
import type { Database } from '../store/schema.js';
import { isoFromMillis } from '../time/instant.js';
import { cancelReconcileIfSettled } from './order-effects.js';
import { type OrderContext, loadOrder } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { OrderStatus } from './order-status.js';
import { UNKNOWN_OUTCOME_REASON } from './operation-journal.js';

/**
 * A state-changing station call, as the journal records it. `T` is what the call answers: the
 * station's order for create, pay and close; nothing for a void.
 */
export interface JournalledCall<T = StationOrder> {
  kind: StationOperationKind;
  /** Identifies the request, so a repeat is recognised (hash of its canonical form). */
  fingerprint: string;
  /** What applying the operation to the hub order needs, should a reconciliation confirm it. */
  payload: unknown;
  /** The hub operation, for the error mapping. */
  during: CashOperation;
  send: () => Promise<T>;
  /**
   * Writes that belong with the intent, made in its transaction before anything is sent (the
   * transfer's `pending` sync state): one commit instead of two before the call.
   */
  withIntent?: (trx: Transaction<Database>) => Promise<void>;
  /**
   * The answer a lost reply stands for, when reading the order back shows the call applied;
   * `undefined` when the read-back cannot give it. Without it, the order read back is the answer.
   */
  answerFrom?: (readBack: StationOrder | undefined) => T | undefined;
}

/** A call the station applied: its journal entry (to settle with the effect) and the answer. */
export interface SentCall<T = StationOrder> {
  entryId: number;
  station: T;
}

/**
 * Sends a state-changing call under the journal (`rk7-xml.md` §6.1): the intent is written
 * first, together with the order's `reconcile` timer, so a crash at any moment leaves a trace
 * the reconciler follows. A definite refusal settles the entry as `refused`. An answer that
 * never came is reconciled at once by reading the order back, never by sending again: applied
 * means success; otherwise the entry stays `unknown`, the order says so (`posSyncState`
 * `unknown`, attention) and the client gets the retryable `ERR_EXTERNAL_TIMEOUT_WS`.
 *
 * The caller writes the effect and settles the entry as `confirmed` in one transaction
 * (`commitEffect`).
 */
export async function sendJournalled<T = StationOrder>(
  ctx: OrderContext, order: OrderRecord, station: CashStation, call: JournalledCall<T>,
): Promise<SentCall<T>> {
  const entryId = await begin(ctx, order, call);

  try {
    return { entryId, station: await call.send() };
  } catch (err) {
    if (err instanceof CashStationError && err.kind !== 'unknown') {
      await settleRefused(ctx, order.id, entryId, err);
      throw cashErrorToHubError(err, call.during);
    }

    const after = await readBack(station, order.posOrderGuid as string);
    if (after.read && isApplied(call.kind, after.order)) {
      // Without `answerFrom`, T is the default: the station's order.
      const answer = call.answerFrom ? call.answerFrom(after.order) : after.order as T | undefined;
      if (answer !== undefined) return { entryId, station: answer };
    }

    await markUnknown(ctx, order.id, entryId, call.kind, err);
    if (!(err instanceof CashStationError)) throw err;
    throw outcomeUnknown(ctx, cashErrorToHubError(err, call.during).message, err,
      ctx.journal.settleAfterMs);
  }
}

/** Whether the station order shows the operation as done. */
export function isApplied(kind: StationOperationKind, order: StationOrder | undefined): boolean {
  switch (kind) {
    case 'create':
      return order !== undefined && !order.deleted && order.lines.length > 0;
    case 'pay':
      return order?.paid === true;
    case 'close':
      return order?.paid === true && order.finished;
    case 'void':
      // RK7 may give a voided order new GUIDs: no longer known counts as voided.
      return order === undefined || order.deleted;
  }
}

/** SHA-256 of a request's canonical text. */
export function fingerprintOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `ERR_EXTERNAL_TIMEOUT_WS` for an outcome not known yet; `Retry-After` says when the entry can
 * be settled for certain.
 */
export function outcomeUnknown(
  ctx: OrderContext, msg: string, cause: unknown, remainingMs: number,
): HubError {
  const retryAfterSec = Math.max(1, Math.min(5, Math.ceil(remainingMs / 1000)));
  ctx.logger.debug({ retryAfterSec }, 'cash outcome still unknown');
  return new HubError('ERR_EXTERNAL_TIMEOUT_WS', msg, { retryAfterSec, cause });
}

/** The order as the station has it now; `read: false` when the station did not answer. */
export async function readBack(
  station: CashStation, guid: string,
): Promise<{ read: boolean; order: StationOrder | undefined }> {
  try {
    return { read: true, order: await station.getOrder(guid) };
  } catch (err) {
    if (!(err instanceof CashStationError)) throw err;
    return { read: false, order: undefined };
  }
}

async function begin<T>(ctx: OrderContext, order: OrderRecord, call: JournalledCall<T>) {
  const nowMs = ctx.clock();
  const now = isoFromMillis(nowMs);
  // The timer fires after every call of this operation must have ended, answered or not.
  const dueAt = isoFromMillis(nowMs + ctx.journal.settleAfterMs + 1_000);
  return ctx.orders.transaction(async (trx) => {
    const id = await ctx.journal.repo.begin(trx, {
      orderId: order.id, restaurantId: order.restaurantId, operation: call.kind,
      fingerprint: call.fingerprint, payload: call.payload, owner: ctx.journal.owner, now,
    });
    await ctx.timers.schedule(trx, 'reconcile', order.id, dueAt, now);
    await call.withIntent?.(trx);
    return id;
  });
}

async function settleRefused(
  ctx: OrderContext, orderId: number, entryId: number, err: CashStationError,
): Promise<void> {
  const now = isoFromMillis(ctx.clock());
  await ctx.orders.transaction(async (trx) => {
    await ctx.journal.repo.settle(trx, entryId, 'refused', now, err.message);
    await cancelReconcileIfSettled(ctx, trx, orderId);
  });
}

/** Settles the entry as `unknown` and, for an order at the station, says so on the order. */
async function markUnknown(
  ctx: OrderContext, orderId: number, entryId: number, kind: StationOperationKind, err: unknown,
): Promise<void> {
  const now = isoFromMillis(ctx.clock());
  const text = err instanceof Error ? err.message : String(err);
  await ctx.orders.transaction((trx) => ctx.journal.repo.settle(trx, entryId, 'unknown', now,
    text));
  ctx.logger.warn({ orderId, operation: kind, err }, 'cash outcome unknown');

  // The transfer keeps its own sync state until the order is at the station.
  for (let attempt = 0; attempt < 3; attempt++) {
    const order = await loadOrder(ctx, orderId);
    if (order.statusId < OrderStatus.TransferredToKitchen) return;
    const updated = await ctx.orders.update(ctx.orders.db, orderId, order.version, {
      posSyncState: 'unknown', isAttention: 1, updatedAt: now,
      attentionReason: `${UNKNOWN_OUTCOME_REASON} (${kind}): ${text}`.slice(0, 500),
    });
    if (updated) return;
  }
}
