import { randomUUID } from 'node:crypto';
import { type Insertable, type Kysely, type Transaction, sql } from 'kysely';
import { isStatusId, statusName } from '../orders/order-status.js';
import type { EventsTable } from '../store/event-schema.js';
import { PreparedQuery, PreparedRows, isPostgres } from '../store/prepared-query.js';
import type { Database, OrderRow } from '../store/schema.js';
import { toWire } from '../time/instant.js';
import type { OrderEventPayload, OrderEventType } from './order-event.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * A status change as the history records it (the shape `OrderRepo.addHistory` receives), or,
 * with `type`, the payment recorded or the order flagged for attention (with its `reason`)
 * while it stayed at `to`.
 */
export interface RecordedChange {
  from: number | null;
  to: number;
  at: string;
  type?: 'order.paid' | 'order.attention';
  reason?: string;
}

/** What an event's payload takes from its order (a row of `orders`, or one just inserted). */
export type EventOrder = Pick<OrderRow, 'id' | 'restaurantId' | 'orderSourceId' | 'corporationId'
  | 'paymentStatus' | 'guest' | 'updatedAt'> & { orderExternalId?: string | null };

/** Optional knowledge of the caller that saves the writer its reads. */
export interface EventContext {
  /** The order was inserted by this transaction, as given: it has no events yet. */
  created?: EventOrder;
}

const ORDER = new PreparedQuery((db, p: { id: number }) => db.selectFrom('orders')
  .select(['id', 'restaurantId', 'orderSourceId', 'corporationId', 'paymentStatus', 'guest',
    'updatedAt', 'orderExternalId'])
  .where('id', '=', p.id));
const LAST_SEQUENCE = new PreparedQuery((db, p: { orderId: number }) => db
  .selectFrom('events').select((eb) => eb.fn.max('sequence').as('last'))
  .where('orderId', '=', p.orderId));
const COUNTER = new PreparedQuery((db, p: { count: number }) => db.updateTable('eventCounter')
  .set((eb) => ({ position: eb('position', '+', p.count) }))
  .where('name', '=', 'events').returning('position'));
const SUBSCRIPTIONS = new PreparedQuery((db, p: { corporationId: string }) => db
  .selectFrom('webhookSubscriptions').select(['id', 'enabledStatusIds', 'eventTypes'])
  .where('corporationId', '=', p.corporationId).where('active', '=', 1));
type NewEvent = Required<Omit<Insertable<EventsTable>, 'txid'>>;
const EVENT_COLUMNS = [
  'eventId', 'orderId', 'sequence', 'type', 'corporationId', 'orderSourceId', 'statusId',
  'payload', 'occurredAt',
] as const satisfies readonly (keyof NewEvent)[];
const INSERT_EVENTS = new PreparedRows<NewEvent, unknown>(['position', ...EVENT_COLUMNS],
  (db, rows) => db.insertInto('events').values(rows));
// PostgreSQL: positions drawn by the insert itself (one round trip instead of two).
const NEXT_POSITION = sql<number>`nextval('events_position_seq')`;
const INSERT_EVENTS_PG = new PreparedRows<Omit<NewEvent, 'position'>, {
  position: number; eventId: string;
}>(EVENT_COLUMNS, (db, rows) => db.insertInto('events')
  .values(rows.map((row) => ({ ...row, position: NEXT_POSITION })))
  .returning(['position', 'eventId']));

/**
 * Writes one event per change (status, payment, attention flag), and one pending delivery per
 * matching active webhook subscription, with the caller's executor — called by
 * `OrderRepo.addHistory`, `OrderRepo.addPaidEvent` and `updateWithAttentionEvent`, so the outbox
 * commits or rolls back together with the change whoever made it.
 *
 * Positions: on SQLite from the counter row (one writer at a time: commit order); on PostgreSQL
 * from a sequence, so concurrent transactions do not queue on one row — the feed deals with
 * positions that commit out of order (migration 0009, `event-feed.ts`).
 */
export async function writeStatusEvents(
  trx: Executor, orderId: number, changes: readonly RecordedChange[], known: EventContext = {},
): Promise<void> {
  if (changes.length === 0) return;

  const order = known.created ?? await ORDER.first(trx, { id: orderId });
  if (!order) return;

  const last = known.created ? 0 : (await LAST_SEQUENCE.first(trx, { orderId }))?.last;
  const firstSequence = Number(last ?? 0) + 1;
  const unnumbered = changes.map((change, i) => {
    const type: OrderEventType = change.type
      ?? (change.from === null ? 'order.created' : 'order.status_changed');
    const payload = payloadOf(order, change, type, firstSequence + i);
    return {
      eventId: payload.eventId, orderId, sequence: payload.sequence, type,
      corporationId: order.corporationId, orderSourceId: order.orderSourceId,
      statusId: change.to, payload: JSON.stringify(payload), occurredAt: change.at,
    };
  });
  const events = await insertEvents(trx, unnumbered);

  const subscriptions = await SUBSCRIPTIONS.rows(trx, { corporationId: order.corporationId });
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

/** Inserts the events, numbered in the order given; returns them with their positions. */
async function insertEvents(
  trx: Executor, events: Omit<NewEvent, 'position'>[],
): Promise<NewEvent[]> {
  if (isPostgres(trx)) {
    const inserted = await INSERT_EVENTS_PG.execute(trx, events);
    const positions = new Map(inserted.rows.map((r) => [r.eventId, Number(r.position)]));
    return events.map((event) => ({ ...event, position: positions.get(event.eventId) as number }));
  }

  const counter = await COUNTER.first(trx, { count: events.length });
  const last = Number(counter?.position);
  const numbered = events.map((event, i) => ({
    ...event, position: last - events.length + 1 + i,
  }));
  await INSERT_EVENTS.execute(trx, numbered);
  return numbered;
}

/**
 * Whether a subscription's filters (empty = everything) let an event through: its type, and the
 * order's status after it (for `order.paid` and `order.attention`, the status it was in).
 */
export function wants(
  subscription: { enabledStatusIds: string; eventTypes: string }, type: string, statusId: number,
): boolean {
  const statuses = jsonArray(subscription.enabledStatusIds);
  const types = jsonArray(subscription.eventTypes);
  return (statuses.length === 0 || statuses.includes(statusId))
    && (types.length === 0 || types.includes(type));
}

function payloadOf(
  order: EventOrder, change: RecordedChange, type: OrderEventType, sequence: number,
): OrderEventPayload {
  const guest = guestOf(order.guest);
  const updatedAt = order.updatedAt > change.at ? order.updatedAt : change.at;
  return {
    eventId: randomUUID(),
    eventType: type,
    sequence,
    occurredAt: toWire(change.at) as string,
    orderId: String(order.id),
    orderExternalId: order.orderExternalId ?? null,
    orderStatusId: change.to,
    orderStatusName: isStatusId(change.to) ? statusName(change.to) : String(change.to),
    previousOrderStatusId: change.from,
    restaurantId: order.restaurantId,
    orderSourceId: order.orderSourceId,
    corporationId: order.corporationId,
    paymentStatus: order.paymentStatus === 'paid' ? 'paid' : 'notPaid',
    guest: { phone: guest.phone, firstName: guest.firstName },
    updatedAt: toWire(updatedAt) as string,
    ...(type === 'order.attention' ? { attentionReason: change.reason ?? '' } : {}),
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
