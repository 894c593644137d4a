import type { Insertable, Kysely, Transaction } from 'kysely';
import type { OrderLine, OrderPayment, OrderRecord } from '../orders/order-record.js';
import type { OrderStatusId } from '../orders/order-status.js';
import { updateWithAttentionEvent } from './attention-update.js';
import type { Db } from './database.js';
import { inList } from './in-list.js';
import { insertOrderLines, loadLinesOf, loadOrderLines } from './order-line-store.js';
import { matchesQuery } from './order-search-text.js';
import { orderUpdateQuery } from './order-update-query.js';
import { toRecord } from './order-row-record.js';
import { PreparedQuery, PreparedRows } from './prepared-query.js';
import type {
  Database, NewOrderRow, OrderPaymentsTable, OrderRow, OrderStatusHistoryTable, OrderUpdate,
  OrdersTable,
} from './schema.js';
import { type EventContext, writeStatusEvents } from '../webhooks/event-writer.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Every column of an order but its generated id, in the order of `OrdersTable`. */
const ORDER_COLUMNS = [
  'orderSourceId', 'corporationId', 'restaurantId', 'statusId', 'expeditionType',
  'paymentTypeId', 'persons', 'comment', 'guest', 'address', 'expectedAt', 'soonest',
  'changeFrom', 'amount', 'deliveryAmount', 'fullAmount', 'paymentStatus', 'paidRequest',
  'orderExternalId', 'searchText', 'tableCode', 'createdAt', 'updatedAt', 'completedAt',
  'version', 'posSyncState', 'posOrderGuid', 'posOrderName', 'posVisit', 'posOrderIdent',
  'isAttention', 'attentionReason', 'requestKey', 'rejectionReason', 'discounts',
] as const satisfies readonly Exclude<keyof OrdersTable, 'id'>[];
// A column left out of the list would silently be stored as its default: fail to compile.
const everyColumn: [Exclude<keyof OrdersTable, 'id' | (typeof ORDER_COLUMNS)[number]>] extends
  [never] ? true : never = true;
void everyColumn;

const INSERT_ORDER = new PreparedRows<NewOrderRow, { id: number }>(ORDER_COLUMNS,
  (db, rows) => db.insertInto('orders').values(rows).returning('id'));
const INSERT_HISTORY = new PreparedRows<Insertable<OrderStatusHistoryTable>, unknown>(
  ['orderId', 'fromStatus', 'toStatus', 'at', 'actor'],
  (db, rows) => db.insertInto('orderStatusHistory').values(rows));
const ORDER_BY_ID = new PreparedQuery((db, p: { id: number }) => db.selectFrom('orders')
  .leftJoin('apiConnections as source', 'source.clientId', 'orders.orderSourceId')
  .leftJoin('restaurants as restaurant', 'restaurant.id', 'orders.restaurantId')
  .selectAll('orders')
  .select(['source.name as sourceName', 'restaurant.objectId as restaurantCode'])
  .where('orders.id', '=', p.id));
const INSERT_PAYMENTS = new PreparedRows<OrderPaymentsTable, unknown>(
  ['orderId', 'lineNo', 'currencyCode', 'name', 'amount', 'paidAt'],
  (db, rows) => db.insertInto('orderPayments').values(rows));
const PAYMENTS_OF = new PreparedQuery((db, p: { orderId: number }) => db
  .selectFrom('orderPayments').selectAll().where('orderId', '=', p.orderId).orderBy('lineNo'));
const BY_EXTERNAL_ID = new PreparedQuery((db, p: { orderSourceId: string; externalId: string }) =>
  db.selectFrom('orders').select('id')
    .where('orderSourceId', '=', p.orderSourceId).where('orderExternalId', '=', p.externalId)
    .orderBy('id'));
const BY_REQUEST_KEY = new PreparedQuery((db, p: { orderSourceId: string; requestKey: string }) =>
  db.selectFrom('orders').select('id')
    .where('orderSourceId', '=', p.orderSourceId).where('requestKey', '=', p.requestKey));

/** What a change of status writes into the history. */
export interface StatusChange {
  from: OrderStatusId | null;
  to: OrderStatusId;
  at: string;
  actor: string;
}

/** Filters of `GET /orders` after parsing. */
export interface OrderQuery {
  orderSourceId: string;
  statusIds?: number[];
  fromDate?: string;
  toDate?: string;
  /** Only orders changed at or after this instant (`updatedSince`, hub extension). */
  updatedSince?: string;
  q?: string;
  orderBy: 'updatedAt' | 'expectedAt';
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** Stores orders with their lines, payments and status history. */
export class OrderRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The database itself, for single statements outside a transaction. */
  get db(): Db {
    return this.#db;
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(work);
  }

  /** Inserts an order (every column of `row` given) with its lines; returns its id. */
  async insert(
    trx: Executor, row: NewOrderRow, lines: Omit<OrderLine, 'lineNo'>[],
  ): Promise<number> {
    const inserted = await INSERT_ORDER.execute(trx, [row]);
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw new Error('the order insert returned no id');

    await insertOrderLines(trx, id, lines);
    return id;
  }

  /**
   * Records status changes and their events. `known.created`: the order was inserted by this
   * transaction as given (saves the event writer reading it back).
   */
  async addHistory(
    trx: Executor, orderId: number, changes: StatusChange[], known: EventContext = {},
  ): Promise<void> {
    if (changes.length === 0) return;

    await INSERT_HISTORY.execute(trx, changes.map((c) => ({
      orderId, fromStatus: c.from, toStatus: c.to, at: c.at, actor: c.actor,
    })));
    // The webhook outbox: every status change, by anyone, writes its event in this transaction.
    await writeStatusEvents(trx, orderId, changes, known);
  }

  /** Writes the `order.paid` event of a payment this transaction recorded, in `statusId`. */
  async addPaidEvent(trx: Executor, orderId: number, statusId: number, at: string): Promise<void> {
    const paid = { from: statusId, to: statusId, at, type: 'order.paid' as const };
    await writeStatusEvents(trx, orderId, [paid]);
  }

  /**
   * Applies `patch` and bumps the version, but only if the order is still at `expectedVersion`:
   * a concurrent writer makes this return false instead of overwriting its change.
   */
  async update(
    trx: Executor, id: number, expectedVersion: number, patch: OrderUpdate,
  ): Promise<boolean> {
    const columns = (Object.keys(patch) as (keyof OrderUpdate)[])
      .filter((column) => patch[column] !== undefined);
    const apply = async (executor: Executor) => (await orderUpdateQuery(columns)
      .execute(executor, { ...patch, id, expectedVersion, nextVersion: expectedVersion + 1 }))
      .numAffectedRows === 1n;

    // A flag for an operator is an event too (`order.attention`), written with the flag.
    return patch.isAttention === 1 ? updateWithAttentionEvent(trx, id, patch, apply) : apply(trx);
  }

  /** Replaces the order's dish lines (and their ingredients) with `lines`, numbered anew. */
  async replaceLines(
    trx: Executor, orderId: number, lines: readonly Omit<OrderLine, 'lineNo'>[],
  ): Promise<void> {
    await trx.deleteFrom('orderLineIngredients').where('orderId', '=', orderId).execute();
    await trx.deleteFrom('orderLines').where('orderId', '=', orderId).execute();
    await insertOrderLines(trx, orderId, lines);
  }

  async addPayments(trx: Executor, orderId: number, payments: OrderPayment[]): Promise<void> {
    await INSERT_PAYMENTS.execute(trx, payments.map((p, i) => ({ ...p, orderId, lineNo: i + 1 })));
  }

  /**
   * One order, only when it belongs to `orderSourceId` (when given); read through `executor`
   * (a transaction) when given.
   */
  async get(
    id: number, orderSourceId?: string, executor: Executor = this.#db,
  ): Promise<OrderRecord | undefined> {
    // The hot read of `GET /orders/{id}`: three prepared statements (the order with its
    // source's name and restaurant's code, its lines with their ingredients, its payments).
    const row = await ORDER_BY_ID.first(executor, { id });
    if (!row || (orderSourceId !== undefined && row.orderSourceId !== orderSourceId)) {
      return undefined;
    }

    const [lines, payments] = await Promise.all([
      loadLinesOf(executor, id),
      PAYMENTS_OF.rows(executor, { orderId: id }),
    ]);
    const { sourceName, restaurantCode, ...order } = row;
    return toRecord(order, {
      lines, payments, sourceName: sourceName ?? '', restaurantCode: restaurantCode ?? 0,
    });
  }

  async findByExternalId(orderSourceId: string, externalId: string): Promise<number | undefined> {
    return (await BY_EXTERNAL_ID.first(this.#db, { orderSourceId, externalId }))?.id;
  }

  /** The order a create ran under this idempotency claim made, if any (issue #4). */
  async findByRequestKey(orderSourceId: string, requestKey: string): Promise<number | undefined> {
    return (await BY_REQUEST_KEY.first(this.#db, { orderSourceId, requestKey }))?.id;
  }

  /** The ids of the page `query` asks for, in its order. */
  async searchIds(query: OrderQuery): Promise<number[]> {
    // Only ids, which an index can answer alone (0007-search-index); the page's rows are read
    // after. Reading whole rows while filtering and sorting costs 10× more.
    let select = this.#db.selectFrom('orders').select('id')
      .where('orderSourceId', '=', query.orderSourceId);

    if (query.statusIds?.length) select = select.where('statusId', 'in', query.statusIds);
    if (query.fromDate) select = select.where('createdAt', '>=', query.fromDate);
    if (query.toDate) select = select.where('createdAt', '<=', query.toDate);
    if (query.updatedSince) select = select.where('updatedAt', '>=', query.updatedSince);
    if (query.q) select = select.where((eb) => matchesQuery(eb, query.q as string));

    const page = await select
      .orderBy(query.orderBy, query.sortOrder)
      .orderBy('id', query.sortOrder)
      .offset(query.offset)
      .limit(query.limit)
      .execute();
    return page.map((row) => row.id);
  }

  /** The orders of `ids` that exist, in the order given; read through `executor` when given. */
  async getMany(ids: readonly number[], executor: Executor = this.#db): Promise<OrderRecord[]> {
    if (ids.length === 0) return [];

    const rows = await executor.selectFrom('orders').selectAll().where('id', 'in', inList(ids))
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.#hydrate(executor, ids.flatMap((id) => byId.get(id) ?? []));
  }

  async #hydrate(executor: Executor, rows: OrderRow[]): Promise<OrderRecord[]> {
    if (rows.length === 0) return [];

    const ids = rows.map((r) => r.id);
    const [lines, payments, sources, restaurants] = await Promise.all([
      loadOrderLines(executor, ids),
      executor.selectFrom('orderPayments').selectAll().where('orderId', 'in', inList(ids))
        .orderBy('orderId').orderBy('lineNo').execute(),
      executor.selectFrom('apiConnections').select(['clientId', 'name'])
        .where('clientId', 'in', inList(unique(rows.map((r) => r.orderSourceId)))).execute(),
      executor.selectFrom('restaurants').select(['id', 'objectId'])
        .where('id', 'in', inList(unique(rows.map((r) => r.restaurantId)))).execute(),
    ]);

    const sourceNames = new Map(sources.map((s) => [s.clientId, s.name]));
    const objectIds = new Map(restaurants.map((r) => [r.id, r.objectId]));
    return rows.map((row) => toRecord(row, {
      lines: lines.get(row.id) ?? [],
      payments: payments.filter((p) => p.orderId === row.id),
      sourceName: sourceNames.get(row.orderSourceId) ?? '',
      restaurantCode: objectIds.get(row.restaurantId) ?? 0,
    }));
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
