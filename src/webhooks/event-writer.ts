import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isStatusId, statusName } from '../orders/order-status.js';
import type { Database, OrderRow } from '../store/schema.js';
import { toWire } from '../time/instant.js';
import type { OrderEventPayload, OrderEventType } from './order-event.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A status change as the history records it (the shape `OrderRepo.addHistory` receives). */
export interface RecordedChange {
  from: number | null;
  to: number;
  at: string;
}

/**
 * Writes one event per status change, and one pending delivery per matching active webhook
 * subscription, with the caller's executor — called by `OrderRepo.addHistory`, so the outbox
 * commits or rolls back together with the status change whoever made it.
 *
 * Bumping the single counter row serialises event-writing transactions from here to their commit,
 * which keeps feed positions in commit order (see migration 0006).
 */
export async function writeStatusEvents(
  trx: Executor, orderId: number, changes: readonly RecordedChange[],
): Promise<void> {
  if (changes.length === 0) return;

  const order = await trx.selectFrom('orders').selectAll().where('id', '=', orderId)
    .executeTakeFirst();
  if (!order) return;

  const { last } = await trx.selectFrom('events').select((eb) => eb.fn.max('sequence').as('last'))
    .where('orderId', '=', orderId).executeTakeFirstOrThrow();
  const counter = await trx.updateTable('eventCounter')
    .set((eb) => ({ position: eb('position', '+', changes.length) }))
    .where('name', '=', 'events')
    .returning('position').executeTakeFirstOrThrow();

  const firstPosition = Number(counter.position) - changes.length + 1;
  const firstSequence = Number(last ?? 0) + 1;
  const events = changes.map((change, i) => {
    const type: OrderEventType = change.from === null ? 'order.created' : 'order.status_changed';
    const payload = payloadOf(order, change, type, firstSequence + i);
    return {
      position: firstPosition + i, eventId: payload.eventId, orderId, sequence: payload.sequence,
      type, corporationId: order.corporationId, orderSourceId: order.orderSourceId,
      statusId: change.to, payload: JSON.stringify(payload), occurredAt: change.at,
    };
  });
  await trx.insertInto('events').values(events).execute();

  const subscriptions = await trx.selectFrom('webhookSubscriptions')
    .select(['id', 'enabledStatusIds', 'eventTypes'])
    .where('corporationId', '=', order.corporationId).where('active', '=', 1).execute();
  const deliveries = events.flatMap((event) => subscriptions
    .filter((s) => wants(s, event.type, event.statusId))
    .map((s) => ({
      id: randomUUID(), eventPosition: event.position, subscriptionId: s.id, status: 'pending',
      attempts: 0, nextAttemptAt: event.occurredAt, windowStartedAt: event.occurredAt,
      lockedUntil: null, lockedBy: null, lastError: null, deliveredAt: null,
      createdAt: event.occurredAt, updatedAt: event.occurredAt,
    })));
  if (deliveries.length > 0) await trx.insertInto('webhookDeliveries').values(deliveries).execute();
}

/** Whether a subscription's filters (empty = everything) let an event through. */
export function wants(
  subscription: { enabledStatusIds: string; eventTypes: string }, type: string, statusId: number,
): boolean {
  const statuses = jsonArray(subscription.enabledStatusIds);
  const types = jsonArray(subscription.eventTypes);
  return (statuses.length === 0 || statuses.includes(statusId))
    && (types.length === 0 || types.includes(type));
}

function payloadOf(
  order: OrderRow, change: RecordedChange, type: OrderEventType, sequence: number,
): OrderEventPayload {
  const guest = guestOf(order.guest);
  const updatedAt = order.updatedAt > change.at ? order.updatedAt : change.at;
  return {
    eventId: randomUUID(),
    eventType: type,
    sequence,
    occurredAt: toWire(change.at) as string,
    orderId: String(order.id),
    orderExternalId: order.orderExternalId,
    orderStatusId: change.to,
    orderStatusName: isStatusId(change.to) ? statusName(change.to) : String(change.to),
    previousOrderStatusId: change.from,
    restaurantId: order.restaurantId,
    orderSourceId: order.orderSourceId,
    corporationId: order.corporationId,
    paymentStatus: order.paymentStatus === 'paid' ? 'paid' : 'notPaid',
    guest: { phone: guest.phone, firstName: guest.firstName },
    updatedAt: toWire(updatedAt) as string,
  };
}

// A guest document that does not parse must not fail the status change that carries it.
function guestOf(text: string): { phone: string; firstName: string } {
  try {
    const guest = JSON.parse(text) as { phone?: unknown; firstName?: unknown };
    return {
      phone: typeof guest.phone === 'string' ? guest.phone : '',
      firstName: typeof guest.firstName === 'string' ? guest.firstName : '',
    };
  } catch {
    return { phone: '', firstName: '' };
  }
}

function jsonArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
