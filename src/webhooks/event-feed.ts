import { parseError } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import type { OrderEventPayload } from './order-event.js';

const PREFIX = 'ev1.';

/** One page of `GET /orders/api/v1/events`. */
export interface EventPage {
  events: OrderEventPayload[];
  /** Pass as `after` to continue; unchanged when nothing new has happened. */
  cursor: string;
}

/**
 * The event feed of one API connection: the events of its own orders after a cursor, oldest
 * first. The cursor is opaque to clients (today it wraps the feed position).
 */
export async function readEvents(
  db: Db, orderSourceId: string, after: string | undefined, limit: number,
): Promise<EventPage> {
  const position = after === undefined || after === '' ? 0 : decodeCursor(after);
  const rows = await db.selectFrom('events').select(['position', 'payload'])
    .where('orderSourceId', '=', orderSourceId).where('position', '>', position)
    .orderBy('position').limit(limit).execute();

  const last = rows.at(-1)?.position ?? position;
  return {
    events: rows.flatMap((row) => parsed(row.payload)),
    cursor: encodeCursor(Number(last)),
  };
}

// A payload that does not parse is passed over, so one broken row cannot stall the feed.
function parsed(payload: string): OrderEventPayload[] {
  try {
    return [JSON.parse(payload) as OrderEventPayload];
  } catch {
    return [];
  }
}

export function encodeCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isSafeInteger(position) || position < 0) {
    throw parseError('after', 'is not a cursor returned by this endpoint');
  }
  return position;
}
