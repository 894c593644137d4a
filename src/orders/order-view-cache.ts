import type { Kysely, Transaction } from 'kysely';
import { inList } from '../store/in-list.js';
import type { Database } from '../store/schema.js';
import { PreparedQuery } from '../store/prepared-query.js';
import { loadOrder, type OrderContext } from './order-context.js';
import type { OrderRecord } from './order-record.js';
import { lateAfter, orderView } from './order-view.js';

/** Orders whose answer is kept; past this the oldest kept is forgotten first. */
const MAX_ENTRIES = 10_000;
/**
 * Characters of all kept views together (≈ 32–64 MB): a view of 500 lines is ≈ 80 KB, so the
 * count alone would let large orders hold a gigabyte.
 */
const MAX_CHARS = 32 * 1024 * 1024;
/** A view longer than this is answered but not kept, so one order cannot push out hundreds. */
const MAX_VIEW_CHARS = 256 * 1024;

/** The clock-dependent part of a view, written as `orderView` writes it when never late. */
const IS_LATE = '"isLate":false';

/** What decides whether a kept view still holds, and who may see it. */
const stampColumns = (db: Executor) => db.selectFrom('orders')
  .leftJoin('apiConnections as source', 'source.clientId', 'orders.orderSourceId')
  .leftJoin('restaurants as restaurant', 'restaurant.id', 'orders.restaurantId')
  .select(['orders.id', 'orders.version', 'orders.orderSourceId', 'source.name as sourceName',
    'restaurant.objectId as restaurantCode']);
const STAMP_OF = new PreparedQuery((db, p: { id: number }) => stampColumns(db)
  .where('orders.id', '=', p.id));

type Executor = Kysely<Database> | Transaction<Database>;
type Stamp = NonNullable<Awaited<ReturnType<typeof stampOf>>>;

/** One order's view as JSON text, split around its `isLate` value. */
interface Entry {
  id: number;
  version: number;
  sourceName: string;
  restaurantCode: number;
  /** From the view's start up to and including `"isLate":`. */
  head: string;
  /** After the `isLate` value to the view's end. */
  tail: string;
  /** `isLate` is true once the clock is past this (milliseconds; never: Infinity). */
  lateAfter: number;
}

/** Bounds of the kept views; a view is kept only within all three. */
export interface ViewCacheLimits {
  /** Views kept at most (10,000). */
  entries: number;
  /** Characters of all kept views together (32 Mi). */
  chars: number;
  /** A longer view is answered but not kept (256 Ki). */
  viewChars: number;
}

/**
 * The order views of `GET /orders/{id}` and `GET /orders` as JSON text, kept per order while the
 * order does not change.
 *
 * Every request still reads the stamp of each order it answers with — its version, owner, source
 * name and restaurant code, one small statement for the whole answer — and checks the owner
 * before anything is answered. Every change of an order, by any writer on any instance, bumps its
 * version (`OrderRepo.update`, in the same transaction as its lines and payments); the source's
 * name and the restaurant's code live in other tables, so they are compared as read. `isLate`
 * depends on the clock: it is written per answer. A view is kept only when read in a transaction
 * that committed and under a stamp unchanged to the end of it, so a kept view never holds a write
 * that was rolled back (SQLite's group commit lets reads see a group before it commits) nor a
 * torn read (PostgreSQL reads each statement at its own snapshot).
 */
export class OrderViewCache {
  readonly #ctx: OrderContext;
  readonly #entries = new Map<number, Entry>();
  /** Characters of the kept views' text. */
  #chars = 0;

  readonly #limits: ViewCacheLimits;

  constructor(ctx: OrderContext, limits: Partial<ViewCacheLimits> = {}) {
    this.#ctx = ctx;
    this.#limits = {
      entries: limits.entries ?? MAX_ENTRIES,
      chars: limits.chars ?? MAX_CHARS,
      viewChars: limits.viewChars ?? MAX_VIEW_CHARS,
    };
  }

  /** How many views are kept, and their characters. */
  get kept(): { entries: number; chars: number } {
    return { entries: this.#entries.size, chars: this.#chars };
  }

  /**
   * The answer's body for order `id` as `orderSourceId` may see it; else `order_not_found`.
   * A string at once when the stamp could be read at once and the kept answer holds.
   */
  body(id: string, orderSourceId: string): string | Promise<string> {
    const numeric = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    if (!(numeric > 0)) return this.#uncached(id, orderSourceId);

    const db = this.#ctx.orders.db;
    const rows = STAMP_OF.rowsNow(db, { id: numeric });
    if (rows === undefined) {
      return stampOf(db, numeric).then((stamp) => this.#answer(id, numeric, orderSourceId, stamp));
    }
    return this.#answer(id, numeric, orderSourceId, rows[0]);
  }

  #answer(
    id: string, numeric: number, orderSourceId: string, stamp: Stamp | undefined,
  ): string | Promise<string> {
    if (stamp?.orderSourceId !== orderSourceId) return this.#uncached(id, orderSourceId);

    const kept = this.#entries.get(numeric);
    if (kept && sameStamp(kept, stamp)) return this.#text(kept);
    return this.#load(numeric, orderSourceId)
      .then((entry) => (entry ? this.#text(entry) : this.#uncached(id, orderSourceId)));
  }

  #text(entry: Entry): string {
    return `{"result":${this.#view(entry, this.#ctx.clock())}}`;
  }

  #view(entry: Entry, now: number): string {
    return entry.head + (entry.lateAfter < now ? 'true' : 'false') + entry.tail;
  }

  /**
   * The body of a `GET /orders` answer listing the orders `ids` (a page the search found for
   * `orderSourceId`), in that order; an order that is gone or not the source's is left out.
   */
  async list(ids: readonly number[], orderSourceId: string): Promise<string> {
    if (ids.length === 0) return '{"result":[]}';

    const found = new Map<number, Entry>();
    let missing: readonly number[] = ids;
    // A page with nothing kept is read whole at once: its stamps would only say "read them all".
    if (ids.some((id) => this.#entries.has(id))) {
      const stamps = await stampsOf(this.#ctx.orders.db, ids);
      missing = ids.filter((id) => {
        const stamp = stamps.get(id);
        if (stamp?.orderSourceId !== orderSourceId) return false;
        const kept = this.#entries.get(id);
        if (!kept || !sameStamp(kept, stamp)) return true;
        found.set(id, kept);
        return false;
      });
    }
    const loaded = await this.#loadMany(missing, orderSourceId);
    for (const [id, entry] of loaded) found.set(id, entry);

    const now = this.#ctx.clock();
    const views = ids.flatMap((id) => {
      const entry = found.get(id);
      return entry ? [this.#view(entry, now)] : [];
    });
    return `{"result":[${views.join(',')}]}`;
  }

  async #load(id: number, orderSourceId: string): Promise<Entry | undefined> {
    let read;
    try {
      read = await this.#ctx.orders.transaction(async (trx) => {
        const order = await this.#ctx.orders.get(id, orderSourceId, trx);
        return { order, stamp: await stampOf(trx, id) };
      });
    } catch (err) {
      // Serving the order must not depend on keeping it: answer from a plain read instead.
      this.#ctx.logger.warn({ err, orderId: id }, 'order view not cached');
      return undefined;
    }
    if (!read.order || !read.stamp) return undefined;

    const entry = toEntry(read.order);
    if (sameStamp(entry, read.stamp)) this.#keep(entry);
    return entry;
  }

  /**
   * Views of the orders `ids` that are `orderSourceId`'s, kept where their read held (as
   * `#load`, for many at once).
   */
  async #loadMany(
    ids: readonly number[], orderSourceId: string,
  ): Promise<Map<number, Entry>> {
    const entries = new Map<number, Entry>();
    if (ids.length === 0) return entries;

    let read;
    try {
      read = await this.#ctx.orders.transaction(async (trx) => ({
        orders: await this.#ctx.orders.getMany(ids, trx),
        stamps: await stampsOf(trx, ids),
      }));
    } catch (err) {
      this.#ctx.logger.warn({ err, orderIds: ids.length }, 'order views not cached');
      read = { orders: await this.#ctx.orders.getMany(ids), stamps: new Map<number, Stamp>() };
    }

    for (const order of read.orders) {
      if (order.orderSourceId !== orderSourceId) continue;
      const entry = toEntry(order);
      const stamp = read.stamps.get(order.id);
      if (stamp && sameStamp(entry, stamp)) this.#keep(entry);
      entries.set(order.id, entry);
    }
    return entries;
  }

  #keep(entry: Entry): void {
    this.#forget(entry.id);
    const chars = charsOf(entry);
    const limits = this.#limits;
    if (chars > limits.viewChars) return;

    while (this.#entries.size > 0
      && (this.#entries.size >= limits.entries || this.#chars + chars > limits.chars)) {
      this.#forget(this.#entries.keys().next().value as number);
    }
    this.#entries.set(entry.id, entry);
    this.#chars += chars;
  }

  #forget(id: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;

    this.#entries.delete(id);
    this.#chars -= charsOf(entry);
  }

  async #uncached(id: string, orderSourceId: string): Promise<string> {
    const order = await loadOrder(this.#ctx, id, orderSourceId);
    return JSON.stringify({ result: orderView(order, this.#ctx.clock()) });
  }
}

function stampOf(executor: Executor, id: number) {
  return STAMP_OF.first(executor, { id });
}

async function stampsOf(executor: Executor, ids: readonly number[]): Promise<Map<number, Stamp>> {
  const rows = await stampColumns(executor).where('orders.id', 'in', inList(ids)).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

function charsOf(entry: Entry): number {
  return entry.head.length + entry.tail.length;
}

function sameStamp(entry: Entry, stamp: Stamp): boolean {
  return entry.version === stamp.version && entry.sourceName === (stamp.sourceName ?? '')
    && entry.restaurantCode === (stamp.restaurantCode ?? 0);
}

function toEntry(order: OrderRecord): Entry {
  // Never late at -Infinity; the flag is the first `"isLate":` of the text, as every key before
  // it is fixed (a string value cannot hold an unescaped quote).
  const text = JSON.stringify(orderView(order, -Infinity));
  const at = text.indexOf(IS_LATE);
  if (at < 0) throw new Error('the order view has no isLate flag');
  return {
    id: order.id,
    version: order.version,
    sourceName: order.orderSourceName,
    restaurantCode: order.restaurantCode,
    head: text.slice(0, at + IS_LATE.length - 'false'.length),
    tail: text.slice(at + IS_LATE.length),
    lateAfter: lateAfter(order),
  };
}
