import type { Kysely, Transaction } from 'kysely';
import type { Db } from './database.js';
import { PreparedQuery } from './prepared-query.js';
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

// Compiled once: these run for every journalled cash-station call.
const INSERT_INTENT = new PreparedQuery((db, p: Omit<NewStationOperation, 'payload'> & {
  payload: string;
}) => db.insertInto('stationOperations').values({
  orderId: p.orderId, restaurantId: p.restaurantId, operation: p.operation,
  fingerprint: p.fingerprint, payload: p.payload, state: 'intent', owner: p.owner,
  stationError: null, createdAt: p.now, updatedAt: p.now,
}).returning('id'));
const SETTLE = new PreparedQuery((db, p: {
  id: number; state: StationOperationState; stationError: string | null; now: string;
}) => db.updateTable('stationOperations')
  .set({ state: p.state, stationError: p.stationError, updatedAt: p.now })
  .where('id', '=', p.id).where('state', '!=', 'confirmed'));
const OPEN_OF = new PreparedQuery((db, p: { orderId: number }) => db
  .selectFrom('stationOperations').selectAll()
  .where('orderId', '=', p.orderId).where('state', 'in', [...OPEN_STATES]).orderBy('id'));

/** The operation journal (`station_operations`): intents before sending, outcomes after. */
export class JournalRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Records the intent to send an operation; returns the entry's id. */
  async begin(trx: Executor, entry: NewStationOperation): Promise<number> {
    const inserted = await INSERT_INTENT.first(trx, {
      ...entry, payload: JSON.stringify(entry.payload ?? null),
    });
    if (inserted === undefined) throw new Error('the journal insert returned no id');
    return inserted.id;
  }

  /** Records an outcome; an entry already settled as `confirmed` is never changed again. */
  async settle(
    trx: Executor, id: number, state: StationOperationState, now: string,
    stationError: string | null = null,
  ): Promise<void> {
    await SETTLE.execute(trx, { id, state, stationError, now });
  }

  /** Entries of the order whose outcome is still open, oldest first. */
  async open(orderId: number, trx: Executor = this.#db): Promise<StationOperation[]> {
    return (await OPEN_OF.rows(trx, { orderId })).map(toOperation);
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
