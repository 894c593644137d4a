import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` keeps `@fastify/cors` off the route (set by {@link registerApiCors}). */
    cors?: false;
  }
}

/** `/connect/token` and everything under `/orders/api/v1`: the surface browsers may call. */
const COMPATIBLE_PATH = /^\/(?:connect\/token|orders\/api\/v1)(?:[/?#]|$)/;

/** Route of `@fastify/cors` that answers every preflight. */
const PREFLIGHT_ROUTE = '*';

/** Fixed part of the CORS answer; the origin is decided per request. */
const BASE_OPTIONS: FastifyCorsOptions = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
  exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining',
    'RateLimit-Reset', 'Idempotency-Replayed'],
  // Bearer tokens only: a browser must never send the console's session cookie cross-origin.
  credentials: false,
  // Browsers cache a preflight this long (seconds), so most calls need none.
  maxAge: 600,
};

/**
 * CORS for the r_k-compatible API (`delivery-api.md` §14): `/connect/token` and
 * `/orders/api/v1/**` answer preflights and carry `Access-Control-*` headers for `origins`
 * (`['*']`: any); the operator console and the admin API get none, and their routes do not even
 * vary on `Origin`. A disallowed origin gets no `Access-Control-Allow-Origin`, so the browser
 * refuses the answer.
 *
 * Register it on the root, before the rate limit and before 404/405 handling learns the routes:
 * its hook then answers preflights before they are counted or authenticated, a 429 still carries
 * the headers a browser needs to read `Retry-After`, and its catch-all `OPTIONS *` route does not
 * turn every unknown path into a 405. An `OPTIONS` that is not a preflight (no `Origin` or no
 * `Access-Control-Request-Method`) falls through to the 404/405 answer as before.
 */
export async function registerApiCors(
  app: FastifyInstance, origins: readonly string[],
): Promise<void> {
  const allowed = origins.includes('*') ? '*' : [...origins];
  app.addHook('onRoute', (route) => {
    if (route.url === PREFLIGHT_ROUTE || COMPATIBLE_PATH.test(route.url)) return;

    route.config = { ...route.config, cors: false };
  });

  await app.register(cors, {
    delegator: (request: FastifyRequest, callback) => {
      callback(null, { ...BASE_OPTIONS, origin: isCorsRequest(request) ? allowed : false });
    },
  });
}

function isCorsRequest(request: FastifyRequest): boolean {
  if (!COMPATIBLE_PATH.test(request.url) || request.headers.origin === undefined) return false;

  return request.method !== 'OPTIONS'
    || request.headers['access-control-request-method'] !== undefined;
}
