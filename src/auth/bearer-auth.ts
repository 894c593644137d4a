import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { ApiClient } from '../api/request-context.js';
import { HubError } from '../errors/hub-error.js';
import type { ChainRepo, ConnectionRecord } from '../store/chain-repo.js';
import type { TokenService } from './token-service.js';

/** How long a looked-up connection is trusted; a disabled connection stops working after it. */
const DEFAULT_CACHE_TTL_MS = 2000;
const CACHE_MAX_ENTRIES = 1000;

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** What the bearer-token hook needs; the cache settings exist for tests. */
export interface BearerAuthDeps {
  tokens: TokenService;
  findConnection: ChainRepo['findConnection'];
  /** Lifetime of a cached connection lookup, milliseconds (default 2000; 0 turns caching off). */
  cacheTtlMs?: number;
  /** Current time in milliseconds since the epoch; `Date.now` by default. */
  clock?: () => number;
}

/**
 * The token of an `Authorization: Bearer <token>` header (scheme matched case-insensitively), or
 * undefined when the header is missing or has another shape.
 */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;

  return BEARER.exec(header)?.[1];
}

/**
 * The `onRequest` hook of `/orders/api/v1`: verifies the bearer token, loads its API connection
 * (which must exist and be enabled) and sets `request.apiClient`. Anything else is a 401
 * `ERR_UNAUTHORIZED` in the error envelope (`delivery-api.md` §3.2).
 */
export function bearerAuthHook(deps: BearerAuthDeps): onRequestHookHandler {
  const connections = new ConnectionCache(
    deps.findConnection, deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS, deps.clock ?? Date.now);

  // A remembered token of a cached, enabled connection is let in without a promise; anything
  // else takes the full path below, which decides every case again.
  return (request, reply, done) => {
    const token = bearerTokenOf(request);
    const clientId = token === undefined ? undefined : deps.tokens.verifyKnown(token);
    const connection = typeof clientId === 'string' ? connections.fresh(clientId) : undefined;
    if (connection?.enabled) {
      request.apiClient = toApiClient(connection);
      done();
    } else {
      void authenticate(request, reply).then(() => done(), done);
    }
  };

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = bearerTokenOf(request);
    if (token === undefined) {
      throw unauthorized(reply, 'An Authorization header with a bearer token is required');
    }

    const clientId = await deps.tokens.verify(token);
    if (clientId === undefined) {
      throw unauthorized(reply, 'The access token is invalid or expired', 'invalid_token');
    }

    const connection = await connections.get(clientId);
    if (!connection?.enabled) {
      throw unauthorized(reply, 'The API connection is unknown or disabled', 'invalid_token');
    }

    request.apiClient = toApiClient(connection);
  }
}

function unauthorized(reply: FastifyReply, msg: string, oauthError?: string): HubError {
  // RFC 6750 §3: a 401 names the scheme it expects.
  reply.header('www-authenticate',
    oauthError === undefined ? 'Bearer' : `Bearer error="${oauthError}"`);
  return new HubError('ERR_UNAUTHORIZED', msg);
}

function toApiClient(connection: ConnectionRecord): ApiClient {
  return {
    clientId: connection.clientId,
    name: connection.name,
    corporationId: connection.corporationId,
    restaurantIds: connection.restaurantIds,
  };
}

/** Connection lookups kept for a few seconds, so a busy client costs no query per request. */
class ConnectionCache {
  readonly #find: ChainRepo['findConnection'];
  readonly #ttlMs: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, { connection: ConnectionRecord; expiresAt: number }>();

  constructor(find: ChainRepo['findConnection'], ttlMs: number, clock: () => number) {
    this.#find = find;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  /** The cached connection of `clientId` while its entry is fresh; else undefined. */
  fresh(clientId: string): ConnectionRecord | undefined {
    const cached = this.#entries.get(clientId);
    return cached && cached.expiresAt > this.#clock() ? cached.connection : undefined;
  }

  async get(clientId: string): Promise<ConnectionRecord | undefined> {
    const now = this.#clock();
    const cached = this.#entries.get(clientId);
    if (cached && cached.expiresAt > now) return cached.connection;

    const connection = await this.#find(clientId);
    this.#entries.delete(clientId);
    if (connection && this.#ttlMs > 0) {
      if (this.#entries.size >= CACHE_MAX_ENTRIES) this.#evictOldest();
      this.#entries.set(clientId, { connection, expiresAt: now + this.#ttlMs });
    }
    return connection;
  }

  #evictOldest(): void {
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.#entries.delete(oldest.value);
  }
}
