import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keyedRateLimit } from '../api/keyed-rate-limit.js';
import { HubError } from '../errors/hub-error.js';

/** Counts one sign-in attempt; throws 429 `too_many_requests` once its bucket is spent. */
export type ConsoleLoginLimit = (request: FastifyRequest, username: string) => Promise<void>;

/**
 * The console's sign-in limit: `perMinute` attempts per minute per client IP and username (as
 * accounts are looked up: trimmed, lower case), right or wrong, counted before the password is
 * checked, so guessing one account's password is slow and costs no scrypt work once refused,
 * while other accounts (and the same account from other addresses) keep their own buckets. Over
 * the limit it throws `too_many_requests` with `retryAfterSec`, answered like every other console
 * error. `undefined` when there is no limit (see {@link keyedRateLimit}).
 */
export function consoleLoginLimit(
  app: FastifyInstance, perMinute: number,
): ConsoleLoginLimit | undefined {
  const limit = keyedRateLimit(app, perMinute, 'console-login');
  if (!limit) return undefined;

  return async (request, username) => {
    const bucket = await limit(request, username.trim().toLowerCase());
    if (bucket.isAllowed || !bucket.isExceeded) return;

    throw new HubError('too_many_requests', 'Too many sign-in attempts; retry later',
      { retryAfterSec: bucket.ttlInSeconds });
  };
}
