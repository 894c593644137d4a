import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerTokenOf } from '../auth/bearer-auth.js';
import type { TokenService } from '../auth/token-service.js';
import { HubError } from '../errors/hub-error.js';

const WINDOW_MS = 60_000;
const API_BASE = '/orders/api/v1/';
/** Three base64url parts: the shape of the API's access tokens. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Settings of {@link registerRateLimit}. */
export interface RateLimitOptions {
  /** Requests per minute per key; 0 turns limiting off. */
  perMinute: number;
  /** Lets the limit count per API connection rather than per access token. */
  tokens?: TokenService | undefined;
}

/**
 * Limits every request (routes, the token endpoint and unknown paths alike) to `perMinute` per
 * minute per caller, answering 429 `too_many_requests` with `Retry-After`, and sends the draft
 * standard `RateLimit-Limit/-Remaining/-Reset` headers on every response (`delivery-api.md` §16).
 *
 * The limit runs as an `onRequest` hook of the root, before authentication, so a flood is refused
 * before any connection lookup. A route opts out with `config: { rateLimit: false }` (e.g. a
 * health probe). The token endpoint also has a stricter limit of its own
 * (`auth/token-rate-limit.ts`), which is why the plugin is registered even with `perMinute` 0.
 */
export async function registerRateLimit(
  app: FastifyInstance, options: RateLimitOptions,
): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    max: options.perMinute,
    timeWindow: WINDOW_MS,
    enableDraftSpec: true,
    keyGenerator: rateLimitKeyOf(options.tokens),
    errorResponseBuilder: (_request, context) => new HubError(
      'too_many_requests', 'Too many requests; retry later',
      { retryAfterSec: Math.ceil(context.ttl / 1000) }),
  });

  if (options.perMinute <= 0) return;

  const limit = app.rateLimit();
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.rateLimit === false) return;

    await limit.call(app, request, reply);
  });
}

/**
 * The bucket a request counts against. On the compatible API a request with an access token
 * counts for its API connection: with `tokens` the token is verified and every token of one
 * connection shares one bucket, so fetching a new token per call gains nothing, and a forged token
 * counts for its IP; without `tokens` the token string is hashed, unverified, so each token has a
 * bucket. Everything else (the token endpoint, the admin API, calls without a token) counts per
 * client IP: random admin tokens must not earn a fresh bucket each, as each costs an scrypt check.
 */
export function rateLimitKeyOf(
  tokens: TokenService | undefined,
): (request: FastifyRequest) => Promise<string> {
  return async (request) => {
    const token = request.url.startsWith(API_BASE) ? bearerTokenOf(request) : undefined;
    if (token !== undefined && JWT_SHAPE.test(token)) {
      if (!tokens) return `token:${createHash('sha256').update(token).digest('base64url')}`;

      const clientId = await tokens.verify(token);
      if (clientId !== undefined) return `client:${clientId}`;
    }
    return `ip:${normalizeIP(request.ip)}`;
  };
}
