import { toRoubles } from '../money/money.js';
import { loadOrder, type OrderContext } from '../orders/order-context.js';
import { OrderStatus, type OrderStatusId, isStatusId } from '../orders/order-status.js';
import { orderView } from '../orders/order-view.js';
import type { Db } from '../store/database.js';
import type { OrderRow } from '../store/schema.js';
import { toWire } from '../time/instant.js';
import type { Card } from '../../web/console/console-wire.js';
import { actionsFor } from './console-actions.js';
import type { ConsoleUser } from './console-users.js';

/** One order on the board (the wire shape the page reads). */
export type BoardCard = Card;

/** Filters of the console search; every one optional. */
export interface ConsoleSearch {
  q?: string;
  statusId?: number;
  /** Inclusive bounds on `createdAt`, stored form. */
  from?: string;
  to?: string;
}

// An ASAP order still open an hour after it came in is late even without an `expectedAt`.
const ASAP_LATE_MS = 60 * 60_000;
const FINISHED_SHOWN_MS = 6 * 3_600_000;
const LIMIT = 200;

/** Reads orders for the console, always within the user's corporation. */
export class ConsoleOrders {
  readonly #ctx: OrderContext;

  constructor(ctx: OrderContext) {
    this.#ctx = ctx;
  }

  get #db(): Db {
    return this.#ctx.orders.db;
  }

  /** Open orders, and those finished in the last hours, newest first. */
  async board(user: ConsoleUser): Promise<BoardCard[]> {
    const since = new Date(this.#ctx.clock() - FINISHED_SHOWN_MS).toISOString();
    const rows = await this.#db.selectFrom('orders').selectAll()
      .where('corporationId', '=', user.corporationId)
      .where((eb) => eb.or([
        eb('statusId', 'not in', [OrderStatus.Completed, OrderStatus.Cancelled]),
        eb('updatedAt', '>=', since),
      ]))
      .orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(LIMIT).execute();
    return this.#cards(user, rows);
  }

  async search(user: ConsoleUser, search: ConsoleSearch): Promise<BoardCard[]> {
    let query = this.#db.selectFrom('orders').selectAll()
      .where('corporationId', '=', user.corporationId);
    if (search.statusId !== undefined) query = query.where('statusId', '=', search.statusId);
    if (search.from) query = query.where('createdAt', '>=', search.from);
    if (search.to) query = query.where('createdAt', '<=', search.to);

    const q = search.q?.trim().toLowerCase();
    if (q) {
      const digits = q.replace(/\D/g, '');
      query = query.where((eb) => eb.or([
        eb('searchText', 'like', `%${q.replace(/[%_\\]/g, '')}%`),
        eb('orderExternalId', '=', q),
        ...(/^\d{1,9}$/.test(q) ? [eb('id', '=', Number(q))] : []),
        ...(digits.length >= 4 && digits !== q ? [eb('searchText', 'like', `%${digits}%`)] : []),
      ]));
    }
    const rows = await query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(LIMIT)
      .execute();
    return this.#cards(user, rows);
  }

  /** Cards of the given orders that belong to the user's corporation (the live stream's view). */
  async cardsOf(user: ConsoleUser, ids: number[]): Promise<BoardCard[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.selectFrom('orders').selectAll()
      .where('corporationId', '=', user.corporationId).where('id', 'in', ids).execute();
    return this.#cards(user, rows);
  }

  /** Everything the details panel shows; another corporation's order is `order_not_found`. */
  async details(user: ConsoleUser, orderId: string) {
    const order = await loadOrder(this.#ctx, orderId);
    if (order.corporationId !== user.corporationId) return undefined;

    const [restaurant, history, [card]] = await Promise.all([
      this.#ctx.chain.getRestaurant(order.restaurantId),
      this.#db.selectFrom('orderStatusHistory').select(['fromStatus', 'toStatus', 'at', 'actor'])
        .where('orderId', '=', order.id).orderBy('id').execute(),
      this.cardsOf(user, [order.id]),
    ]);
    return {
      ...orderView(order, this.#ctx.clock()),
      restaurantName: restaurant?.name ?? order.restaurantId,
      posOrderGuid: order.posOrderGuid,
      attentionReason: order.attentionReason,
      history: history.map((h) => ({ ...h, at: toWire(h.at) })),
      card,
    };
  }

  async #cards(user: ConsoleUser, rows: OrderRow[]): Promise<BoardCard[]> {
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.restaurantId))];
    const restaurants = await this.#db.selectFrom('restaurants').select(['id', 'name'])
      .where('id', 'in', ids).execute();
    const names = new Map(restaurants.map((r) => [r.id, r.name]));
    const now = this.#ctx.clock();
    return rows.filter((row) => isStatusId(row.statusId))
      .map((row) => toCard(row, names.get(row.restaurantId) ?? '', now, user));
  }
}

function toCard(row: OrderRow, restaurantName: string, now: number, user: ConsoleUser): BoardCard {
  const guest = parseGuest(row.guest);
  const statusId = row.statusId as OrderStatusId;
  const open = statusId !== OrderStatus.Completed && statusId !== OrderStatus.Cancelled;
  const late = open && (row.expectedAt !== null
    ? Date.parse(row.expectedAt) < now
    : now - Date.parse(row.createdAt) > ASAP_LATE_MS);
  const syncTrouble = row.posSyncState === 'failed' || row.posSyncState === 'unknown';
  return {
    orderId: String(row.id),
    statusId,
    restaurantName,
    guestName: [guest.firstName, guest.lastName].filter(Boolean).join(' '),
    phone: guest.phone ?? '',
    fullAmount: toRoubles(row.fullAmount),
    expeditionType: row.expeditionType,
    createdAt: toWire(row.createdAt) as string,
    expectedAt: toWire(row.expectedAt),
    isLate: late,
    needsAttention: open && (row.isAttention === 1 || syncTrouble),
    attentionReason: row.attentionReason,
    posSyncState: row.posSyncState,
    version: row.version,
    actions: actionsFor(user.role, { statusId, expeditionType: row.expeditionType,
      paymentStatus: row.paymentStatus }),
  };
}

function parseGuest(text: string): { firstName?: string; lastName?: string; phone?: string } {
  try {
    return JSON.parse(text) as { firstName?: string; lastName?: string; phone?: string };
  } catch {
    return {};
  }
}
