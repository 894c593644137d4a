import type { Generated, Selectable } from 'kysely';

/**
 * Tables of migration 0006: order events, webhook subscriptions and their delivery outbox, and
 * the operator console's accounts. Same conventions as `schema.ts` (ISO text instants, 0/1
 * flags, JSON as text).
 */
export interface EventTables {
  eventCounter: EventCounterTable;
  events: EventsTable;
  webhookSubscriptions: WebhookSubscriptionsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookAttempts: WebhookAttemptsTable;
  consoleUsers: ConsoleUsersTable;
  consoleSessions: ConsoleSessionsTable;
}

/** One row (`events`): the last position handed out on SQLite (PostgreSQL uses a sequence). */
export interface EventCounterTable {
  name: string;
  position: number;
}

export interface EventsTable {
  /**
   * Global position: from `event_counter` on SQLite (commit order), from a sequence on
   * PostgreSQL (gaps; the feed orders by `txid`, then position — migration 0009).
   */
  position: number;
  /** PostgreSQL: the writing transaction (`pg_current_xact_id()`); 0 on SQLite. */
  txid: Generated<number>;
  /** GUID, the receivers' dedupe key. */
  eventId: string;
  orderId: number;
  /** Per order, strictly increasing from 1. */
  sequence: number;
  /** `order.created` | `order.status_changed` | `order.paid` | `order.attention`. */
  type: string;
  corporationId: string;
  orderSourceId: string;
  statusId: number;
  /** The JSON body of §15.2 (without the subscription's `title`). */
  payload: string;
  occurredAt: string;
}

export interface WebhookSubscriptionsTable {
  id: string;
  corporationId: string;
  title: string;
  url: string;
  /** Static token sent as `Authorization: Bearer` and `X-Token`. */
  token: string;
  /** HMAC-SHA256 key of `X-Hub-Signature`; kept in clear because signing needs it. */
  secret: string;
  /** JSON array of status ids; empty means every status. */
  enabledStatusIds: string;
  /** JSON array of event types; empty means every type. */
  eventTypes: string;
  active: number;
  /** When the hub paused it (deliveries failing for their whole window); null: not paused. */
  pausedAt: string | null;
  pauseReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  eventPosition: number;
  subscriptionId: string;
  /** `pending` | `delivered` | `dead`. */
  status: string;
  attempts: number;
  nextAttemptAt: string;
  /** Retrying stops (dead letter) once a failure happens 24 h after this; a replay resets it. */
  windowStartedAt: string;
  lockedUntil: string | null;
  lockedBy: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  deliveryId: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export interface ConsoleUsersTable {
  id: string;
  username: string;
  displayName: string;
  /** scrypt hash (`secret-hash.ts`). */
  passwordHash: string;
  /** `operator` | `manager` | `admin`. */
  role: string;
  corporationId: string;
  active: number;
  createdAt: string;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the cookie value; the value itself is never stored. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export type EventRow = Selectable<EventsTable>;
export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type ConsoleUserRow = Selectable<ConsoleUsersTable>;
