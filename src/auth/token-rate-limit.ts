import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keyedRateLimit } from '../api/keyed-rate-limit.js';
import { HubError } from '../errors/hub-error.js';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** Counts one token request; throws 429 `too_many_requests` once its bucket is spent. */
export type TokenRateLimit = (
  request: FastifyRequest, reply: FastifyReply, clientId: string | undefined,
) => Promise<void>;

/**
 * The token endpoint's own limit: `perMinute` requests per minute per client IP and `client_id`,
 * on top of the general per-IP limit, so guessing one connection's secret is slow while other
 * connections behind the same address (a shared NAT, a proxy) keep their own buckets. Over the
 * limit it throws a `too_many_requests` HubError with `retryAfterSec`, which the token route
 * answers as an OAuth body with `Retry-After`. `undefined` when there is no limit (see
 * {@link keyedRateLimit}).
 */
export function tokenRateLimit(
  app: FastifyInstance, perMinute: number,
): TokenRateLimit | undefined {
  const limit = keyedRateLimit(app, perMinute, 'token');
  if (!limit) return undefined;

  return async (request, reply, clientId) => {
    const bucket = await limit(request, clientIdKey(clientId));
    if (bucket.isAllowed) return;

    const remaining = Number(reply.getHeader('ratelimit-remaining') ?? Number.POSITIVE_INFINITY);
    if (bucket.remaining < remaining || bucket.isExceeded) {
      void reply.header('ratelimit-limit', bucket.max)
        .header('ratelimit-remaining', bucket.remaining)
        .header('ratelimit-reset', bucket.ttlInSeconds);
    }
    if (!bucket.isExceeded) return;

    throw new HubError('too_many_requests', 'Too many token requests; retry later',
      { retryAfterSec: bucket.ttlInSeconds });
  };
}

/**
 * The client id as it authenticates: a GUID the same in any case and with or without braces;
 * anything else as sent.
 */
function clientIdKey(clientId: string | undefined): string {
  if (clientId === undefined) return '';
  return GUID.exec(clientId)?.[1]?.toLowerCase() ?? clientId;
}
