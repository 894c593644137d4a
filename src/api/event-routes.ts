import type { FastifyInstance } from 'fastify';
import { parseError } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import { readEvents } from '../webhooks/event-feed.js';
import { clientOf } from './request-context.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * `GET /orders/api/v1/events?after=<cursor>&limit=` (hub extension, `delivery-api.md` §15.2): the
 * webhook event bodies of the caller's own orders, for clients that missed webhooks.
 * Answers `{"result":{"events":[…],"cursor":"…"}}`.
 */
export function registerEventRoutes(app: FastifyInstance, db: Db): void {
  app.get('/events', async (request) => {
    const client = clientOf(request);
    const query = request.query as Record<string, unknown>;
    const after = typeof query.after === 'string' ? query.after : undefined;

    return { result: await readEvents(db, client.clientId, after, readLimit(query.limit)) };
  });
}

function readLimit(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT;

  const text = String(value);
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_LIMIT) {
    throw parseError('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}
