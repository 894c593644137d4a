import { randomUUID } from 'node:crypto';
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { Db } from '../store/database.js';
import { PreparedQuery } from '../store/prepared-query.js';
import type { Database, TimerRow } from '../store/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

// Every create sets its transfer timer: built and compiled once.
const SCHEDULE = new PreparedQuery((db, p: {
  id: string; kind: TimerKind; orderId: number; dueAt: string; now: string;
}) => db.insertInto('timers')
  .values({
    id: p.id, kind: p.kind, orderId: p.orderId, dueAt: p.dueAt, lockedUntil: null, lockedBy: null,
    attempts: 0, lastError: null, createdAt: p.now,
  })
  .onConflict((oc) => oc.columns(['kind', 'orderId']).doUpdateSet({ dueAt: p.dueAt })));

// Each lifecycle removes its transfer timer and cancels a reconcile timer per station call;
// the polling loop claims many times a second.
const CANCEL = new PreparedQuery((db, p: { kind: TimerKind; orderId: number }) => db
  .deleteFrom('timers').where('kind', '=', p.kind).where('orderId', '=', p.orderId));
const DONE = new PreparedQuery((db, p: { id: string; owner: string }) => db
  .deleteFrom('timers').where('id', '=', p.id).where('lockedBy', '=', p.owner));
const CLAIM_DUE = new PreparedQuery((db, p: {
  now: string; owner: string; leaseUntil: string; limit: number;
}) => {
  const due = db.selectFrom('timers').select('id')
    .where('dueAt', '<=', p.now)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.now)]))
    .orderBy('dueAt').limit(p.limit);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return db.updateTable('timers')
    .set({ lockedBy: p.owner, lockedUntil: p.leaseUntil })
    .where('id', 'in', postgres ? due.forUpdate().skipLocked() : due)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', p.now)]))
    .returningAll();
});

/**
 * What a timer does when it comes due: `transfer` an order to the cash station, `reconcile` an
 * order's open journal entries, `station-poll` a restaurant's station (its `orderId` is then the
 * `station_polls` row's id).
 */
export type TimerKind = 'transfer' | 'reconcile' | 'station-poll';

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
    await SCHEDULE.execute(trx, { id: randomUUID(), kind, orderId, dueAt, now });
  }

  async find(kind: TimerKind, orderId: number): Promise<TimerRow | undefined> {
    return this.#db.selectFrom('timers').selectAll()
      .where('kind', '=', kind).where('orderId', '=', orderId).executeTakeFirst();
  }

  async cancel(trx: Executor, kind: TimerKind, orderId: number): Promise<void> {
    await CANCEL.execute(trx, { kind, orderId });
  }

  /**
   * Claims up to `limit` due timers for `owner` until `leaseUntil`, in one statement: an update
   * of the due, unclaimed (or lapsed) rows, returning them. On PostgreSQL the rows are picked
   * `FOR UPDATE SKIP LOCKED`, so instances polling at once split the due timers between them
   * instead of queueing on each other's row locks; the re-checked condition of the update is what
   * makes a double claim impossible either way. SQLite has one writer at a time.
   */
  async claimDue(now: string, owner: string, leaseUntil: string, limit: number) {
    const claimed = await CLAIM_DUE.rows(this.#db, { now, owner, leaseUntil, limit });
    return claimed.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /** Removes a timer that has done its work, if `owner` still holds it. */
  async done(id: string, owner: string): Promise<void> {
    await DONE.execute(this.#db, { id, owner });
  }

  /** Sets a recurring timer that has run to its next due time, if `owner` still holds it. */
  async reschedule(id: string, owner: string, dueAt: string): Promise<void> {
    await this.#db.updateTable('timers')
      .set({ dueAt, lockedBy: null, lockedUntil: null, attempts: 0, lastError: null })
      .where('id', '=', id).where('lockedBy', '=', owner)
      .execute();
  }

  /** Creates the timer of `kind` for `orderId` unless it exists; an existing one is left as is. */
  async ensure(kind: TimerKind, orderId: number, dueAt: string, now: string): Promise<void> {
    await this.#db.insertInto('timers')
      .values({
        id: randomUUID(), kind, orderId, dueAt, lockedUntil: null, lockedBy: null, attempts: 0,
        lastError: null, createdAt: now,
      })
      .onConflict((oc) => oc.columns(['kind', 'orderId']).doNothing())
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
