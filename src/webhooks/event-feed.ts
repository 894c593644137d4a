import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { parseError } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import { PreparedQuery, isPostgres } from '../store/prepared-query.js';
import type { OrderEventPayload } from './order-event.js';

const V1 = 'ev1.';
const V2 = 'ev2.';

/** One page of `GET /orders/api/v1/events`. */
export interface EventPage {
  events: OrderEventPayload[];
  /** Pass as `after` to continue; unchanged when nothing new has happened. */
  cursor: string;
}

/** Where a reader stands: after this event (transaction, then position; see below). */
interface FeedPoint {
  txid: number;
  position: number;
}

const PAGE = new PreparedQuery((db, p: { source: string; txid: number; position: number;
  limit: number }) => db.selectFrom('events').select(['txid', 'position', 'payload'])
  .where('orderSourceId', '=', p.source)
  .where((eb) => eb(eb.refTuple('txid', 'position'), '>', eb.tuple(p.txid, p.position)))
  .orderBy('txid').orderBy('position').limit(p.limit));
/**
 * PostgreSQL: the next transaction id when the statement's snapshot was taken, and the ids of the
 * transactions of this database still running (or prepared) just after.
 */
const PG_RUNNING = sql<{ next: string; running: string[] }>`SELECT
  pg_snapshot_xmax(pg_current_snapshot())::text AS next,
  ARRAY(SELECT backend_xid::text FROM pg_stat_activity
          WHERE datname = current_database() AND backend_xid IS NOT NULL
        UNION ALL
        SELECT transaction::text FROM pg_prepared_xacts
          WHERE database = current_database()) AS running`;

/** How long a read waits for visible but unsettled events when none is settled yet. */
const SETTLE_WAIT_MS = 250;
const SETTLE_STEP_MS = 10;

/**
 * The event feed of one API connection: the events of its own orders after a cursor, oldest
 * first. The cursor is opaque to clients.
 *
 * Feed order is `(txid, position)`. On SQLite `txid` is 0 and positions come in commit order
 * (one writer). On PostgreSQL positions come from a sequence and commit out of order, so each
 * event also records its transaction id, and a page holds only *settled* events: those of
 * transactions older than every transaction of this database still running before the page was
 * read (the horizon, see `settledBelow`). A transaction that commits later has a larger id than
 * all of them, so its events sort after the cursor and no reader skips them. When only
 * unsettled events are there, the read waits for them up to `SETTLE_WAIT_MS`.
 * Per-order order is the events' `sequence`.
 */
export async function readEvents(
  db: Db, orderSourceId: string, after: string | undefined, limit: number,
): Promise<EventPage> {
  const from = after === undefined || after === '' ? { txid: 0, position: 0 } : decodeCursor(after);
  const params = { source: orderSourceId, ...from, limit };
  let rows: { txid: number; position: number; payload: string }[] = [];
  if (!isPostgres(db)) {
    rows = await PAGE.rows(db, params);
  } else {
    for (let waited = 0; ; waited += SETTLE_STEP_MS) {
      const horizon = await settledBelow(db);
      const visible = await PAGE.rows(db, params);
      const unsettled = visible.findIndex((row) => Number(row.txid) >= horizon);
      rows = unsettled < 0 ? visible : visible.slice(0, unsettled);
      if (rows.length > 0 || unsettled < 0 || waited >= SETTLE_WAIT_MS) break;
      await sleep(SETTLE_STEP_MS);
    }
  }

  const last = rows.at(-1);
  return {
    events: rows.flatMap((row) => parsed(row.payload)),
    cursor: encodeCursor(last ? { txid: Number(last.txid), position: Number(last.position) }
      : from),
  };
}

/**
 * A transaction id below which every transaction of this database has ended: the oldest one
 * still running, or the next id when none is. Read in its own statement, before the page's:
 * a transaction that ends between the two is then already visible to the page.
 *
 * Not the snapshot's `xmin`: that spans every database of the server, so one long writer in
 * another database (or a test suite's) would hold the feed back for as long as it runs.
 * `pg_stat_activity` shows `backend_xid` to every role; it is 32 bits, widened against `next`.
 */
async function settledBelow(db: Db): Promise<number> {
  const { rows } = await PG_RUNNING.execute(db);
  const next = BigInt(rows[0]?.next ?? '0');
  let horizon = next;
  for (const xid of rows[0]?.running ?? []) {
    const full = next - ((((next % XID_WRAP) - BigInt(xid)) % XID_WRAP) + XID_WRAP) % XID_WRAP;
    if (full < horizon) horizon = full;
  }
  return Number(horizon);
}

const XID_WRAP = 1n << 32n;

// A payload that does not parse is passed over, so one broken row cannot stall the feed.
function parsed(payload: string): OrderEventPayload[] {
  try {
    return [JSON.parse(payload) as OrderEventPayload];
  } catch {
    return [];
  }
}

/** `ev1.<position>` before migration 0009 (transaction 0), `ev2.<txid>.<position>` since. */
export function encodeCursor(point: FeedPoint): string {
  const text = point.txid === 0 ? `${V1}${point.position}` : `${V2}${point.txid}.${point.position}`;
  return Buffer.from(text).toString('base64url');
}

function decodeCursor(cursor: string): FeedPoint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const parts = text.startsWith(V1) ? ['0', text.slice(V1.length)]
    : text.startsWith(V2) ? text.slice(V2.length).split('.') : [];
  const [txid, position] = parts.map(Number);
  if (parts.length !== 2 || !isCount(txid) || !isCount(position)) {
    throw parseError('after', 'is not a cursor returned by this endpoint');
  }
  return { txid, position };
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0;
}
