import { createHash } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

const WINDOW_MS = 60_000;
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
 * answers as an OAuth body with `Retry-After`.
 *
 * Needs `@fastify/rate-limit` on `app` (`registerHttpBasics` registers it); without it, or with
 * `perMinute` 0, there is no limit and `undefined` is returned.
 */
export function tokenRateLimit(
  app: FastifyInstance, perMinute: number,
): TokenRateLimit | undefined {
  if (perMinute <= 0 || !app.hasDecorator('createRateLimit')) return undefined;

  const buckets = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: perMinute, timeWindow: WINDOW_MS,
    keyGenerator: (request) => buckets.get(request) ?? bucketOf(request, undefined),
  });
  return async (request, reply, clientId) => {
    buckets.set(request, bucketOf(request, clientId));
    const bucket = await check(request);
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
 * IP and client id. The id is hashed so a huge or random one costs a fixed-size key, and a GUID
 * counts the same in any case and with or without braces, as it authenticates the same.
 */
function bucketOf(request: FastifyRequest, clientId: string | undefined): string {
  const id = clientId === undefined ? '' : GUID.exec(clientId)?.[1]?.toLowerCase() ?? clientId;
  const digest = createHash('sha256').update(id, 'utf8').digest('base64url');
  return `token:${normalizeIP(request.ip)}:${digest}`;
}
