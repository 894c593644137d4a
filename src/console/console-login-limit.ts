import { createHash } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

const WINDOW_MS = 60_000;

/** Counts one sign-in attempt; throws 429 `too_many_requests` once its bucket is spent. */
export type ConsoleLoginLimit = (request: FastifyRequest, username: string) => Promise<void>;

/**
 * The console's sign-in limit: `perMinute` attempts per minute per client IP and username,
 * right or wrong, counted before the password is checked, so guessing one account's password is
 * slow and costs no scrypt work once refused, while other accounts (and the same account from
 * other addresses) keep their own buckets. Over the limit it throws `too_many_requests` with
 * `retryAfterSec`, answered like every other console error.
 *
 * Needs `@fastify/rate-limit` on `app` (`registerHttpBasics` registers it); without it, or with
 * `perMinute` 0, there is no limit and `undefined` is returned.
 */
export function consoleLoginLimit(
  app: FastifyInstance, perMinute: number,
): ConsoleLoginLimit | undefined {
  if (perMinute <= 0 || !app.hasDecorator('createRateLimit')) return undefined;

  const buckets = new WeakMap<FastifyRequest, string>();
  const check = app.createRateLimit({
    max: perMinute, timeWindow: WINDOW_MS,
    keyGenerator: (request) => buckets.get(request) ?? bucketOf(request, ''),
  });
  return async (request, username) => {
    buckets.set(request, bucketOf(request, username));
    const bucket = await check(request);
    if (bucket.isAllowed || !bucket.isExceeded) return;

    throw new HubError('too_many_requests', 'Too many sign-in attempts; retry later',
      { retryAfterSec: bucket.ttlInSeconds });
  };
}

/**
 * IP and username as accounts are looked up (trimmed, lower case), hashed so a huge username
 * costs a fixed-size key.
 */
function bucketOf(request: FastifyRequest, username: string): string {
  const name = username.trim().toLowerCase();
  const digest = createHash('sha256').update(name, 'utf8').digest('base64url');
  return `console-login:${normalizeIP(request.ip)}:${digest}`;
}
