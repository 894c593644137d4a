import type { Kysely, Transaction } from 'kysely';
import type { Db } from './database.js';
import type { StationOperationRow } from './journal-schema.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A state-changing cash-station call the journal records. */
export type StationOperationKind = 'create' | 'pay' | 'close' | 'void';

/**
 * Where a journalled call stands: `intent` (written before sending; left so by a crash),
 * `confirmed` (applied at the station), `refused` (definitely not applied), `unknown` (no
 * definite answer yet), `lapsed` (was unknown; reconciliation found it not applied).
 */
export type StationOperationState = 'intent' | 'confirmed' | 'refused' | 'unknown' | 'lapsed';

/** States whose outcome is still open: they must be reconciled before the next operation. */
export const OPEN_STATES: readonly StationOperationState[] = ['intent', 'unknown'];

/** One journal entry. */
export interface StationOperation {
  id: number;
  orderId: number;
  restaurantId: string;
  operation: StationOperationKind;
  fingerprint: string;
  /** Parsed `payload`: what applying the confirmed operation to the hub order needs. */
  payload: unknown;
  state: StationOperationState;
  owner: string;
  stationError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What {@link JournalRepo.begin} records. */
export interface NewStationOperation {
  orderId: number;
  restaurantId: string;
  operation: StationOperationKind;
  fingerprint: string;
  payload: unknown;
  owner: string;
  now: string;
}

/** The operation journal (`station_operations`): intents before sending, outcomes after. */
export class JournalRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Records the intent to send an operation; returns the entry's id. */
  async begin(trx: Executor, entry: NewStationOperation): Promise<number> {
    const { id } = await trx.insertInto('stationOperations').values({
      orderId: entry.orderId,
      restaurantId: entry.restaurantId,
      operation: entry.operation,
      fingerprint: entry.fingerprint,
      payload: JSON.stringify(entry.payload ?? null),
      state: 'intent',
      owner: entry.owner,
      stationError: null,
      createdAt: entry.now,
      updatedAt: entry.now,
    }).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  /** Records an outcome; an entry already settled as `confirmed` is never changed again. */
  async settle(
    trx: Executor, id: number, state: StationOperationState, now: string,
    stationError: string | null = null,
  ): Promise<void> {
    await trx.updateTable('stationOperations')
      .set({ state, stationError, updatedAt: now })
      .where('id', '=', id).where('state', '!=', 'confirmed')
      .execute();
  }

  /** Entries of the order whose outcome is still open, oldest first. */
  async open(orderId: number, trx: Executor = this.#db): Promise<StationOperation[]> {
    const rows = await trx.selectFrom('stationOperations').selectAll()
      .where('orderId', '=', orderId).where('state', 'in', [...OPEN_STATES])
      .orderBy('id').execute();
    return rows.map(toOperation);
  }

  /** Every entry of the order, oldest first. */
  async ofOrder(orderId: number): Promise<StationOperation[]> {
    const rows = await this.#db.selectFrom('stationOperations').selectAll()
      .where('orderId', '=', orderId).orderBy('id').execute();
    return rows.map(toOperation);
  }

  /** Orders with an open entry written before `before` (the reconciler's sweep). */
  async ordersWithOpenEntries(before: string, limit: number): Promise<number[]> {
    const rows = await this.#db.selectFrom('stationOperations').select('orderId').distinct()
      .where('state', 'in', [...OPEN_STATES]).where('createdAt', '<', before)
      .orderBy('orderId').limit(limit).execute();
    return rows.map((r) => r.orderId);
  }
}

function toOperation(row: StationOperationRow): StationOperation {
  return {
    id: row.id,
    orderId: row.orderId,
    restaurantId: row.restaurantId,
    operation: row.operation as StationOperationKind,
    fingerprint: row.fingerprint,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state as StationOperationState,
    owner: row.owner,
    stationError: row.stationError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
