import { type ExpressionBuilder, type Kysely, type Transaction, sql } from 'kysely';
import type {
  Address, ExpeditionType, Guest, OrderLine, OrderPayment, OrderRecord, PaymentTypeId, PosSyncState,
} from '../orders/order-record.js';
import type { OrderStatusId } from '../orders/order-status.js';
import type { Db } from './database.js';
import { insertOrderLines, loadOrderLines } from './order-line-store.js';
import type { Database, NewOrderRow, OrderRow, OrderUpdate } from './schema.js';
import { writeStatusEvents } from '../webhooks/event-writer.js';

type Executor = Kysely<Database> | Transaction<Database>;

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

  async insert(
    trx: Executor, row: NewOrderRow, lines: Omit<OrderLine, 'lineNo'>[],
  ): Promise<number> {
    const { id } = await trx.insertInto('orders').values(row).returning('id')
      .executeTakeFirstOrThrow();

    await insertOrderLines(trx, id, lines);
    return id;
  }

  async addHistory(trx: Executor, orderId: number, changes: StatusChange[]): Promise<void> {
    if (changes.length === 0) return;

    await trx.insertInto('orderStatusHistory')
      .values(changes.map((c) => ({
        orderId, fromStatus: c.from, toStatus: c.to, at: c.at, actor: c.actor,
      })))
      .execute();
    // The webhook outbox: every status change, by anyone, writes its event in this transaction.
    await writeStatusEvents(trx, orderId, changes);
  }

  /**
   * Applies `patch` and bumps the version, but only if the order is still at `expectedVersion`:
   * a concurrent writer makes this return false instead of overwriting its change.
   */
  async update(
    trx: Executor, id: number, expectedVersion: number, patch: OrderUpdate,
  ): Promise<boolean> {
    const result = await trx.updateTable('orders')
      .set({ ...patch, version: expectedVersion + 1 })
      .where('id', '=', id).where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
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
    await trx.insertInto('orderPayments')
      .values(payments.map((p, i) => ({ ...p, orderId, lineNo: i + 1 })))
      .execute();
  }

  /** One order, only when it belongs to `orderSourceId` (when given). */
  async get(id: number, orderSourceId?: string): Promise<OrderRecord | undefined> {
    let query = this.#db.selectFrom('orders').selectAll().where('id', '=', id);
    if (orderSourceId !== undefined) query = query.where('orderSourceId', '=', orderSourceId);

    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    return (await this.#hydrate([row]))[0];
  }

  async findByExternalId(orderSourceId: string, externalId: string): Promise<number | undefined> {
    const row = await this.#db.selectFrom('orders').select('id')
      .where('orderSourceId', '=', orderSourceId).where('orderExternalId', '=', externalId)
      .orderBy('id').executeTakeFirst();
    return row?.id;
  }

  /** The order a create ran under this idempotency claim made, if any (issue #4). */
  async findByRequestKey(orderSourceId: string, requestKey: string): Promise<number | undefined> {
    const row = await this.#db.selectFrom('orders').select('id')
      .where('orderSourceId', '=', orderSourceId).where('requestKey', '=', requestKey)
      .executeTakeFirst();
    return row?.id;
  }

  async search(query: OrderQuery): Promise<OrderRecord[]> {
    // The page's ids first, which an index can answer alone (0007-search-index); then only the
    // page's rows. Reading whole rows while filtering and sorting costs 10× more.
    let select = this.#db.selectFrom('orders').select('id')
      .where('orderSourceId', '=', query.orderSourceId);

    if (query.statusIds?.length) select = select.where('statusId', 'in', query.statusIds);
    if (query.fromDate) select = select.where('createdAt', '>=', query.fromDate);
    if (query.toDate) select = select.where('createdAt', '<=', query.toDate);
    if (query.updatedSince) select = select.where('updatedAt', '>=', query.updatedSince);
    if (query.q) select = select.where((eb) => searchText(eb, query.q as string));

    const page = await select
      .orderBy(query.orderBy, query.sortOrder)
      .orderBy('id', query.sortOrder)
      .offset(query.offset)
      .limit(query.limit)
      .execute();
    if (page.length === 0) return [];

    const ids = page.map((row) => row.id);
    const rows = await this.#db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.#hydrate(ids.flatMap((id) => byId.get(id) ?? []));
  }

  async #hydrate(rows: OrderRow[]): Promise<OrderRecord[]> {
    if (rows.length === 0) return [];

    const ids = rows.map((r) => r.id);
    const [lines, payments, sources, restaurants] = await Promise.all([
      loadOrderLines(this.#db, ids),
      this.#db.selectFrom('orderPayments').selectAll().where('orderId', 'in', ids)
        .orderBy('orderId').orderBy('lineNo').execute(),
      this.#db.selectFrom('apiConnections').select(['clientId', 'name'])
        .where('clientId', 'in', unique(rows.map((r) => r.orderSourceId))).execute(),
      this.#db.selectFrom('restaurants').select(['id', 'objectId'])
        .where('id', 'in', unique(rows.map((r) => r.restaurantId))).execute(),
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

/** `q` matches the order number, the client's external id, guest name, phone digits, e-mail. */
function searchText(eb: ExpressionBuilder<Database, 'orders'>, q: string) {
  const trimmed = q.trim();
  const alternatives = [
    sql<boolean>`${sql.ref('searchText')} like ${`%${escapeLike(trimmed.toLowerCase())}%`}
      escape '!'`,
    eb('orderExternalId', '=', trimmed),
  ];
  if (/^\d{1,9}$/.test(trimmed)) alternatives.push(eb('id', '=', Number(trimmed)));
  return eb.or(alternatives);
}

/** `%` and `_` in `q` are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}

/** The lower-case text `q` searches in: names, e-mail and the phone's digits. */
export function orderSearchText(guest: Guest): string {
  const phone = (guest.phone ?? '').replace(/\D/g, '');
  return [guest.firstName, guest.lastName, guest.email, phone]
    .filter((part) => part).join(' ').toLowerCase();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

interface Related {
  lines: OrderLine[];
  payments: OrderPayment[];
  sourceName: string;
  restaurantCode: number;
}

function toRecord(row: OrderRow, related: Related): OrderRecord {
  return {
    id: row.id,
    orderSourceId: row.orderSourceId,
    orderSourceName: related.sourceName,
    corporationId: row.corporationId,
    restaurantId: row.restaurantId,
    restaurantCode: related.restaurantCode,
    statusId: row.statusId as OrderStatusId,
    expeditionType: row.expeditionType as ExpeditionType,
    paymentTypeId: row.paymentTypeId as PaymentTypeId,
    persons: row.persons,
    comment: row.comment,
    guest: JSON.parse(row.guest) as Guest,
    address: row.address === null ? null : JSON.parse(row.address) as Address,
    expectedAt: row.expectedAt,
    soonest: row.soonest === 1,
    changeFrom: row.changeFrom,
    amount: row.amount,
    deliveryAmount: row.deliveryAmount,
    fullAmount: row.fullAmount,
    paymentStatus: row.paymentStatus === 'paid' ? 'paid' : 'notPaid',
    paidRequest: row.paidRequest,
    orderExternalId: row.orderExternalId,
    tableCode: row.tableCode,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
    version: row.version,
    posSyncState: row.posSyncState as PosSyncState,
    posOrderGuid: row.posOrderGuid,
    posOrderName: row.posOrderName,
    isAttention: row.isAttention === 1,
    attentionReason: row.attentionReason,
    rejectionReason: row.rejectionReason === null ? null : JSON.parse(row.rejectionReason),
    lines: related.lines,
    payments: related.payments.map(({ currencyCode, name, amount, paidAt }) =>
      ({ currencyCode, name, amount, paidAt })),
  };
}
