import { randomFillSync } from 'node:crypto';
import {
  type FastifyError, type FastifyHttpOptions, type FastifyInstance, type FastifyReply,
  type FastifyRequest, LogController,
} from 'fastify';
import type { Server, ServerOptions } from 'node:http';
import type { Logger } from 'pino';
import type { TokenService } from '../auth/token-service.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../config/hub-config.js';
import { registerApiCors } from './api-cors.js';
import { clientErrorHandler } from './client-error-reply.js';
import { replyWithError } from './error-reply.js';
import { logRequest } from './request-log.js';
import { registerJsonBodyParsers } from './json-body-parsers.js';
import { registerNotFound } from './not-found.js';
import { registerRateLimit } from './rate-limit.js';
import { registerShutdownGate } from './shutdown-gate.js';

/** Settings of {@link registerHttpBasics}. */
export interface HttpBasicsDeps {
  /** Requests per minute per API connection (per IP without a token); 0 turns limiting off. */
  rateLimitPerMinute: number;
  /** When given, the rate limit counts per API connection instead of per access token. */
  tokens?: TokenService;
  /** Browser origins allowed on the compatible API (`CORS_ORIGINS`); absent: no CORS at all. */
  corsOrigins?: readonly string[];
}

/** Settings of {@link fastifyOptions}. */
export interface FastifyOptionsConfig {
  /** Largest accepted request body (`BODY_LIMIT_BYTES`). */
  bodyLimitBytes: number;
  /**
   * Bound of receiving a whole request, headers and body (`REQUEST_TIMEOUT_MS`); 0 turns it off.
   * Default: {@link DEFAULT_REQUEST_TIMEOUT_MS}.
   */
  requestTimeoutMs?: number;
  logger: Logger;
}

/**
 * A request id: 32 lower-case hex characters (`delivery-api.md` §2.2). Pass it to Fastify as
 * `genReqId`; {@link fastifyOptions} does.
 */
export function genRequestId(): string {
  // Random bytes are taken in batches: one UUID per request cost more than the id is worth.
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

const ID_BYTES = 16;
const idPool = Buffer.alloc(ID_BYTES * 256);
let idOffset = idPool.length;

/**
 * The Fastify constructor options the hub's HTTP conventions rely on: request ids of
 * {@link genRequestId} (never taken from a client header) logged as `reqId`, private query
 * values masked in request logs, the body limit, paths that work with and without a trailing
 * slash, and Fastify's own routing failures (a malformed URL) answered in the error envelope,
 * as are requests Node cannot read (headers over the limit, or not received within the request
 * timeout: 408) and, through the shutdown gate of {@link registerHttpBasics}, requests arriving
 * while the app closes.
 */
export function fastifyOptions(config: FastifyOptionsConfig): FastifyHttpOptions<Server> {
  // A guest's phone in `?q=` must not land in request logs: Fastify's `req` serializer,
  // replaced on a child, masks private query values.
  const logger = config.logger.child({}, { serializers: { req: logRequest } });
  const requestTimeout = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    loggerInstance: logger,
    genReqId: genRequestId,
    requestIdHeader: false,
    // `requestIdLogLabel` as a top-level option is deprecated since Fastify 5.x (FSTDEP024).
    logController: new LogController({ requestIdLogLabel: 'reqId' }),
    bodyLimit: config.bodyLimitBytes,
    // Only the receiving of a request is bounded (a slow or stalled client); `connectionTimeout`
    // would also cut a handler waiting long on a cash station, so it stays off.
    requestTimeout,
    http: serverTimeouts(requestTimeout),
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: false,
    clientErrorHandler: clientErrorHandler(logger, genRequestId),
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // Raised before any hook has run, so the id header is not set yet.
      reply.header('x-request-id', request.id);
      replyWithError(error, request, reply);
    },
  };
}

/**
 * Node's request timeouts, read when the server is created. While `headersTimeout` exceeds
 * `requestTimeout`, Node 20 stops watching a request once its headers are in, and a stalled body
 * waits forever: the headers get the smaller of the two (Node's 60 s when requests are
 * unbounded). Node looks for late requests every `connectionsCheckingInterval`; its 30 s would
 * let a stalled request live up to twice a 30 s timeout, hence a quarter of the timeout, between
 * 50 ms and 1 s.
 */
function serverTimeouts(requestTimeout: number): ServerOptions {
  const headersTimeout = requestTimeout === 0 ? 60_000 : Math.min(60_000, requestTimeout);
  const interval = Math.min(1000, Math.max(50, Math.floor((requestTimeout || 4000) / 4)));
  return { requestTimeout, headersTimeout, connectionsCheckingInterval: interval };
}

/**
 * Installs everything the JSON API shares, on the root instance and before any route:
 * the `X-Request-Id` header, the error envelope for every failure, 503 for requests arriving
 * during shutdown, 404/405 for unknown routes, JSON parsing tolerant of content types
 * (`delivery-api.md` §14), CORS for the compatible API when `corsOrigins` is given, and the
 * per-connection rate limit. It also declares `request.apiClient`, which the bearer-token hook
 * fills.
 */
export async function registerHttpBasics(
  app: FastifyInstance, deps: HttpBasicsDeps,
): Promise<void> {
  if (!app.hasRequestDecorator('apiClient')) app.decorateRequest('apiClient', undefined);

  // Callback hooks on the hot path: an async one costs a promise and a microtask per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerShutdownGate(app);
  if (deps.corsOrigins) await registerApiCors(app, deps.corsOrigins);

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    replyWithError(error, request, reply));
  registerNotFound(app);
  registerJsonBodyParsers(app);

  await registerRateLimit(app, { perMinute: deps.rateLimitPerMinute, tokens: deps.tokens });
}
