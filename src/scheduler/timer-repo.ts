import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../store/database.js';
import type { Database, TimerRow } from '../store/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What a timer does when it comes due. */
export type TimerKind = 'transfer';

/**
 * Timers are rows: they survive restarts, and several hub instances share them safely because a
 * timer is claimed with a conditional update before it runs (only one claim can succeed), and a
 * claim is a lease that lapses if its holder dies.
 */
export class TimerRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Sets the timer of `kind` for the order to `dueAt`, creating it if needed. */
  async schedule(trx: Executor, kind: TimerKind, orderId: number, dueAt: string, now: string) {
    await trx.insertInto('timers')
      .values({
        id: randomUUID(), kind, orderId, dueAt, lockedUntil: null, lockedBy: null, attempts: 0,
        lastError: null, createdAt: now,
      })
      .onConflict((oc) => oc.columns(['kind', 'orderId']).doUpdateSet({ dueAt }))
      .execute();
  }

  async find(kind: TimerKind, orderId: number): Promise<TimerRow | undefined> {
    return this.#db.selectFrom('timers').selectAll()
      .where('kind', '=', kind).where('orderId', '=', orderId).executeTakeFirst();
  }

  async cancel(trx: Executor, kind: TimerKind, orderId: number): Promise<void> {
    await trx.deleteFrom('timers').where('kind', '=', kind).where('orderId', '=', orderId)
      .execute();
  }

  /** Claims up to `limit` due timers for `owner` until `leaseUntil`. */
  async claimDue(now: string, owner: string, leaseUntil: string, limit: number) {
    const candidates = await this.#db.selectFrom('timers').select('id')
      .where('dueAt', '<=', now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now)]))
      .orderBy('dueAt').limit(limit).execute();

    const claimed: TimerRow[] = [];
    for (const { id } of candidates) {
      const result = await this.#db.updateTable('timers')
        .set({ lockedBy: owner, lockedUntil: leaseUntil })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now)]))
        .executeTakeFirst();
      if (result.numUpdatedRows !== 1n) continue;

      const row = await this.#db.selectFrom('timers').selectAll().where('id', '=', id)
        .executeTakeFirst();
      if (row) claimed.push(row);
    }
    return claimed;
  }

  /** Removes a timer that has done its work, if `owner` still holds it. */
  async done(id: string, owner: string): Promise<void> {
    await this.#db.deleteFrom('timers').where('id', '=', id).where('lockedBy', '=', owner)
      .execute();
  }

  /** Puts a failed timer back for a later attempt. */
  async retryAt(id: string, owner: string, dueAt: string, error: string): Promise<void> {
    await this.#db.updateTable('timers')
      .set((eb) => ({
        dueAt, lockedBy: null, lockedUntil: null, lastError: error.slice(0, 500),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id).where('lockedBy', '=', owner)
      .execute();
  }

  /** Gives back every claim of `owner` (graceful shutdown). */
  async releaseAll(owner: string): Promise<void> {
    await this.#db.updateTable('timers').set({ lockedBy: null, lockedUntil: null })
      .where('lockedBy', '=', owner).execute();
  }
}
