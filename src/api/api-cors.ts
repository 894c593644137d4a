import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the compatible API: its answers carry CORS headers ({@link registerApiCors}). */
    apiCors?: true;
  }
}

/** `/connect/token` and everything under `/orders/api/v1`: the surface browsers may call. */
const COMPATIBLE_PATH = /^\/(?:connect\/token|orders\/api\/v1)(?:[/?#]|$)/;

/** Fixed part of the CORS answer; the origin is decided per request. */
const BASE_OPTIONS = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'],
  exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining',
    'RateLimit-Reset', 'Idempotency-Replayed'],
  // Bearer tokens only: a browser must never send the console's session cookie cross-origin.
  credentials: false,
  // Browsers cache a preflight this long (seconds), so most calls need none.
  maxAge: 600,
} satisfies FastifyCorsOptions;

const EXPOSED_HEADERS = BASE_OPTIONS.exposedHeaders.join(', ');

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
 *
 * `@fastify/cors` with per-request options normalises them on every request, so it only answers
 * preflights, on its own catch-all route in a context of its own (registered before the rate
 * limit, whose hook that context therefore does not inherit); every other answer gets the same
 * headers from a hook that decides them directly.
 */
export async function registerApiCors(
  app: FastifyInstance, origins: readonly string[],
): Promise<void> {
  const allowed = origins.includes('*') ? '*' : [...origins];
  app.addHook('onRoute', (route) => {
    if (COMPATIBLE_PATH.test(route.url)) route.config = { ...route.config, apiCors: true };
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'OPTIONS'
      && (request.routeOptions.config?.apiCors === true || request.is404)) {
      addCorsHeaders(request, reply, allowed);
    }
    done();
  });

  await app.register(async (preflights) => {
    await preflights.register(cors, {
      delegator: (request: FastifyRequest, callback) => {
        callback(null, { ...BASE_OPTIONS, origin: isCorsRequest(request) ? allowed : false });
      },
    });
  });
}

/**
 * What `@fastify/cors` sets on a request that is not a preflight under the options of the
 * delegator above: `Vary: Origin` always (the origin option is per request), then for a CORS
 * request the allowed origin, if any, and the exposed headers.
 */
function addCorsHeaders(
  request: FastifyRequest, reply: FastifyReply, allowed: '*' | readonly string[],
): void {
  const vary = reply.getHeader('vary');
  if (vary === undefined) {
    reply.header('vary', 'Origin');
  } else if (!/(?:^|,)\s*(?:origin|\*)\s*(?:,|$)/i.test(String(vary))) {
    reply.header('vary', `${String(vary)}, Origin`);
  }
  if (!isCorsRequest(request)) return;

  const origin = request.headers.origin;
  if (allowed === '*') reply.header('access-control-allow-origin', '*');
  else if (origin !== undefined && allowed.includes(origin)) {
    reply.header('access-control-allow-origin', origin);
  }
  reply.header('access-control-expose-headers', EXPOSED_HEADERS);
}

function isCorsRequest(request: FastifyRequest): boolean {
  if (!COMPATIBLE_PATH.test(request.url) || request.headers.origin === undefined) return false;

  return request.method !== 'OPTIONS'
    || request.headers['access-control-request-method'] !== undefined;
}
