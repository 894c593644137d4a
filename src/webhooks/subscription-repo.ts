import type { Db } from '../store/database.js';
import type { SubscriptionRow } from '../store/event-schema.js';

/** A webhook subscription of a corporation (`delivery-api.md` §15.2). */
export interface Subscription {
  id: string;
  corporationId: string;
  title: string;
  url: string;
  token: string;
  secret: string;
  /** Empty: every status. */
  enabledStatusIds: number[];
  /** Empty: every event type. */
  eventTypes: string[];
  active: boolean;
  /**
   * When the hub paused it because its deliveries kept failing (null: not paused). Events are
   * still queued while paused; {@link SubscriptionRepo.resume} sends them.
   */
  pausedAt: string | null;
  pauseReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SubscriptionChanges = Partial<Pick<Subscription, 'title' | 'url' | 'token' | 'secret'
  | 'enabledStatusIds' | 'eventTypes' | 'active'>>;

/** Stores webhook subscriptions; the admin API and CLI are its writers. */
export class SubscriptionRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async insert(subscription: Subscription): Promise<void> {
    await this.#db.insertInto('webhookSubscriptions').values(toRow(subscription)).execute();
  }

  async get(id: string): Promise<Subscription | undefined> {
    const row = await this.#db.selectFrom('webhookSubscriptions').selectAll()
      .where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(corporationId?: string): Promise<Subscription[]> {
    let query = this.#db.selectFrom('webhookSubscriptions').selectAll();
    if (corporationId) query = query.where('corporationId', '=', corporationId);
    const rows = await query.orderBy('createdAt').orderBy('id').execute();
    return rows.map(fromRow);
  }

  /** Applies `changes`; returns the result, or undefined when there is no such subscription. */
  async update(
    id: string, changes: SubscriptionChanges, now: string,
  ): Promise<Subscription | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;

    const next = { ...current, ...changes, updatedAt: now };
    await this.#db.updateTable('webhookSubscriptions').set(toRow(next)).where('id', '=', id)
      .execute();
    return next;
  }

  /**
   * Ends a pause: the subscription's pending deliveries are due now, each with a fresh retry
   * window. Returns the subscription, or undefined when there is no such subscription.
   */
  async resume(id: string, now: string): Promise<Subscription | undefined> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('webhookSubscriptions')
        .set({ pausedAt: null, pauseReason: null, updatedAt: now })
        .where('id', '=', id).where('pausedAt', 'is not', null).execute();
      await trx.updateTable('webhookDeliveries')
        .set({ nextAttemptAt: now, windowStartedAt: now, updatedAt: now })
        .where('subscriptionId', '=', id).where('status', '=', 'pending').execute();
    });
    return this.get(id);
  }

  /** Deletes the subscription with its deliveries and their attempt log. */
  async delete(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const deliveries = trx.selectFrom('webhookDeliveries').select('id')
        .where('subscriptionId', '=', id);
      await trx.deleteFrom('webhookAttempts').where('deliveryId', 'in', deliveries).execute();
      await trx.deleteFrom('webhookDeliveries').where('subscriptionId', '=', id).execute();
      const result = await trx.deleteFrom('webhookSubscriptions').where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows === 1n;
    });
  }
}

function toRow(s: Subscription): SubscriptionRow {
  return {
    id: s.id, corporationId: s.corporationId, title: s.title, url: s.url, token: s.token,
    secret: s.secret, enabledStatusIds: JSON.stringify(s.enabledStatusIds),
    eventTypes: JSON.stringify(s.eventTypes), active: s.active ? 1 : 0, pausedAt: s.pausedAt,
    pauseReason: s.pauseReason, createdAt: s.createdAt, updatedAt: s.updatedAt,
  };
}

function fromRow(row: SubscriptionRow): Subscription {
  return {
    id: row.id, corporationId: row.corporationId, title: row.title, url: row.url,
    token: row.token, secret: row.secret,
    enabledStatusIds: JSON.parse(row.enabledStatusIds) as number[],
    eventTypes: JSON.parse(row.eventTypes) as string[],
    active: row.active === 1, pausedAt: row.pausedAt, pauseReason: row.pauseReason,
    createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}
