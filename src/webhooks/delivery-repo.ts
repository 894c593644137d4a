import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database.js';
import type { DeliveryRow } from '../store/event-schema.js';
import { PreparedQuery } from '../store/prepared-query.js';
import { wants } from './event-writer.js';

// Compiled once: the delivery worker looks for due deliveries on every tick, busy or idle.
const DUE = new PreparedQuery((db, p: { now: string; limit: number }) => db
  .selectFrom('webhookDeliveries as d')
  .innerJoin('webhookSubscriptions as s', 's.id', 'd.subscriptionId')
  .select('d.id')
  .where('d.status', '=', 'pending').where('d.nextAttemptAt', '<=', p.now)
  .where('s.active', '=', 1).where('s.pausedAt', 'is', null)
  .where((eb) => eb.or([eb('d.lockedUntil', 'is', null), eb('d.lockedUntil', '<', p.now)]))
  .orderBy('d.nextAttemptAt').limit(p.limit));
const CLAIM = new PreparedQuery((db, p: {
  id: string; owner: string; leaseUntil: string; now: string;
}) => db.updateTable('webhookDeliveries')
  .set({ lockedBy: p.owner, lockedUntil: p.leaseUntil })
  .where('id', '=', p.id).where('status', '=', 'pending')
  .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.now)])));

/** A claimed delivery with what sending it needs. */
export interface DueDelivery {
  id: string;
  subscriptionId: string;
  attempts: number;
  windowStartedAt: string;
  eventId: string;
  eventType: string;
  payload: string;
  url: string;
  token: string;
  secret: string;
  title: string;
}

/** The result of one attempt, as recorded. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

/** The state a delivery moves to after an attempt. */
export type NextState =
  | { status: 'delivered'; at: string }
  | { status: 'pending'; nextAttemptAt: string }
  | { status: 'dead'; at: string };

/** When a dead letter pauses its subscription (see {@link DeliveryRepo.record}). */
export interface PauseRule {
  subscriptionId: string;
  /** Pause only if nothing was delivered to the subscription since this instant. */
  since: string;
  reason: string;
}

/** Filters of the admin listing. */
export interface DeliveryFilter {
  subscriptionId?: string;
  eventId?: string;
  orderId?: number;
  status?: string;
  limit: number;
}

/**
 * The webhook outbox: deliveries (event × subscription) and their attempt log. Claims work like
 * timer claims (`timer-repo.ts`): a conditional update takes a lease, so several hub instances
 * share the outbox without sending a delivery twice at once.
 */
export class DeliveryRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Claims up to `limit` due deliveries of active subscriptions for `owner` until `leaseUntil`. */
  async claimDue(now: string, owner: string, leaseUntil: string, limit: number) {
    const candidates = await DUE.rows(this.#db, { now, limit });

    const claimed: DueDelivery[] = [];
    for (const { id } of candidates) {
      const result = await CLAIM.execute(this.#db, { id, owner, leaseUntil, now });
      if (result.numAffectedRows !== 1n) continue;

      const row = await this.#due(id);
      if (row) claimed.push(row);
    }
    return claimed;
  }

  /**
   * Writes the attempt into the log and moves the delivery on, if `owner` still holds it. With
   * `pause`, a delivery that goes dead also pauses its subscription when nothing was delivered
   * to it since `pause.since`; returns true when it did.
   */
  async record(
    owner: string, attempt: AttemptRecord, next: NextState, pause?: PauseRule,
  ): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const state = next.status === 'pending'
        ? { status: 'pending', nextAttemptAt: next.nextAttemptAt }
        : { status: next.status, deliveredAt: next.status === 'delivered' ? next.at : null };
      const result = await trx.updateTable('webhookDeliveries')
        .set({
          ...state, attempts: attempt.attempt, lastError: attempt.error, lockedBy: null,
          lockedUntil: null, updatedAt: attempt.startedAt,
        })
        .where('id', '=', attempt.deliveryId).where('lockedBy', '=', owner)
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;

      await trx.insertInto('webhookAttempts').values(attempt).execute();
      if (next.status !== 'dead' || !pause) return false;

      const reached = await trx.selectFrom('webhookDeliveries').select('id')
        .where('subscriptionId', '=', pause.subscriptionId).where('status', '=', 'delivered')
        .where('deliveredAt', '>=', pause.since).limit(1).executeTakeFirst();
      if (reached) return false;
      const paused = await trx.updateTable('webhookSubscriptions')
        .set({ pausedAt: next.at, pauseReason: pause.reason })
        .where('id', '=', pause.subscriptionId).where('pausedAt', 'is', null)
        .executeTakeFirst();
      return paused.numUpdatedRows === 1n;
    });
  }

  /** Gives back every claim of `owner` (graceful shutdown). */
  async releaseAll(owner: string): Promise<void> {
    await this.#db.updateTable('webhookDeliveries').set({ lockedBy: null, lockedUntil: null })
      .where('lockedBy', '=', owner).execute();
  }

  /**
   * Sends a delivery again from now, with a fresh retry window; its attempt numbers go on.
   * Returns false when there is no such delivery.
   */
  async replayDelivery(id: string, now: string): Promise<boolean> {
    const result = await this.#db.updateTable('webhookDeliveries')
      .set({
        status: 'pending', nextAttemptAt: now, windowStartedAt: now, deliveredAt: null,
        lockedBy: null, lockedUntil: null, updatedAt: now,
      })
      .where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Replays an event to every active subscription of its corporation that wants it: existing
   * deliveries start again, subscriptions added since the event get a new one. Returns the ids of
   * the deliveries now pending, or undefined when there is no such event.
   */
  async replayEvent(eventId: string, now: string): Promise<string[] | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const event = await trx.selectFrom('events').selectAll().where('eventId', '=', eventId)
        .executeTakeFirst();
      if (!event) return undefined;

      const subscriptions = await trx.selectFrom('webhookSubscriptions').selectAll()
        .where('corporationId', '=', event.corporationId).where('active', '=', 1).execute();
      const existing = await trx.selectFrom('webhookDeliveries').select(['id', 'subscriptionId'])
        .where('eventPosition', '=', event.position).execute();
      const known = new Map(existing.map((d) => [d.subscriptionId, d.id]));

      const ids: string[] = [];
      for (const s of subscriptions.filter((s) => wants(s, event.type, event.statusId))) {
        const id = known.get(s.id) ?? randomUUID();
        ids.push(id);
        if (known.has(s.id)) continue;
        await trx.insertInto('webhookDeliveries').values({
          id, eventPosition: event.position, subscriptionId: s.id, status: 'pending', attempts: 0,
          nextAttemptAt: now, windowStartedAt: now, lockedUntil: null, lockedBy: null,
          lastError: null, deliveredAt: null, createdAt: now, updatedAt: now,
        }).execute();
      }
      if (ids.length > 0) {
        await trx.updateTable('webhookDeliveries')
          .set({
            status: 'pending', nextAttemptAt: now, windowStartedAt: now, deliveredAt: null,
            lockedBy: null, lockedUntil: null, updatedAt: now,
          })
          .where('id', 'in', ids).execute();
      }
      return ids;
    });
  }

  async get(id: string): Promise<DeliveryView | undefined> {
    return (await this.#views().where('d.id', '=', id).execute())[0];
  }

  async list(filter: DeliveryFilter): Promise<DeliveryView[]> {
    let query = this.#views();
    if (filter.subscriptionId) query = query.where('d.subscriptionId', '=', filter.subscriptionId);
    if (filter.eventId) query = query.where('e.eventId', '=', filter.eventId);
    if (filter.orderId !== undefined) query = query.where('e.orderId', '=', filter.orderId);
    if (filter.status) query = query.where('d.status', '=', filter.status);
    return query.orderBy('d.createdAt', 'desc').orderBy('d.id').limit(filter.limit).execute();
  }

  async attempts(deliveryId: string) {
    return this.#db.selectFrom('webhookAttempts')
      .select(['attempt', 'startedAt', 'durationMs', 'httpStatus', 'error', 'responseExcerpt'])
      .where('deliveryId', '=', deliveryId).orderBy('attempt').orderBy('id').execute();
  }

  #views() {
    return this.#db.selectFrom('webhookDeliveries as d')
      .innerJoin('events as e', 'e.position', 'd.eventPosition')
      .select([
        'd.id', 'd.subscriptionId', 'e.eventId', 'e.type as eventType', 'e.orderId',
        'e.sequence', 'd.status', 'd.attempts', 'd.nextAttemptAt', 'd.lastError',
        'd.deliveredAt', 'd.createdAt',
      ]);
  }

  async #due(id: string): Promise<DueDelivery | undefined> {
    return this.#db.selectFrom('webhookDeliveries as d')
      .innerJoin('events as e', 'e.position', 'd.eventPosition')
      .innerJoin('webhookSubscriptions as s', 's.id', 'd.subscriptionId')
      .select([
        'd.id', 'd.subscriptionId', 'd.attempts', 'd.windowStartedAt', 'e.eventId',
        'e.type as eventType', 'e.payload', 's.url', 's.token', 's.secret', 's.title',
      ])
      .where('d.id', '=', id).executeTakeFirst();
  }
}

/** A delivery as the admin API lists it. */
export type DeliveryView = Pick<DeliveryRow, 'id' | 'subscriptionId' | 'status' | 'attempts'
  | 'nextAttemptAt' | 'lastError' | 'deliveredAt' | 'createdAt'> & {
  eventId: string; eventType: string; orderId: number; sequence: number;
};
