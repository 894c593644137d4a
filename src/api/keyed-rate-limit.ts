import { createHash } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const WINDOW_MS = 60_000;

/** The state of one bucket after a request was counted in it. */
export type LimitBucket = Awaited<ReturnType<ReturnType<FastifyInstance['createRateLimit']>>>;

/** Counts `request` in the bucket of its client IP and `identity`; says what is left. */
export type KeyedLimit = (request: FastifyRequest, identity: string) => Promise<LimitBucket>;

/**
 * A limit of `perMinute` requests per minute per client IP *and* one more identity (an account
 * name, a client id) that the caller reads from the request body, so guessing one identity's
 * secret is slow while other identities behind the same address (a shared NAT, a proxy) keep
 * their own buckets. The identity is hashed, so a huge one costs a fixed-size key; normalise it
 * first so that every spelling that authenticates the same counts the same. `prefix` keeps the
 * buckets of different limits apart.
 *
 * Needs `@fastify/rate-limit` on `app` (`registerHttpBasics` registers it); without it, or with
 * `perMinute` 0, there is no limit and `undefined` is returned.
 */
export function keyedRateLimit(
  app: FastifyInstance, perMinute: number, prefix: string,
): KeyedLimit | undefined {
  if (perMinute <= 0 || !app.hasDecorator('createRateLimit')) return undefined;

  const buckets = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: perMinute, timeWindow: WINDOW_MS,
    keyGenerator: (request) => buckets.get(request) ?? bucketOf(prefix, request, ''),
  });
  return (request, identity) => {
    buckets.set(request, bucketOf(prefix, request, identity));
    return check(request);
  };
}

function bucketOf(prefix: string, request: FastifyRequest, identity: string): string {
  const digest = createHash('sha256').update(identity, 'utf8').digest('base64url');
  return `${prefix}:${normalizeIP(request.ip)}:${digest}`;
}
