import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
import { HubError } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import type {
  ClaimTerms, IdempotencyRepo, IdempotencyScope,
} from '../store/idempotency-repo.js';
import { isoFromMillis } from '../time/instant.js';
import { canonicalJson } from './canonical-json.js';

/** Settings of {@link idempotencyPlugin}. */
export interface IdempotencyOptions {
  repo: IdempotencyRepo;
  clock: () => number;
  /** Names this process in claims (`instanceId/bootId`). */
  owner: string;
  /** How long a stored answer to an `Idempotency-Key` is replayed (24 h). */
  keyTtlMs: number;
  /** How long an identical create without a key is recognised as a repeat. */
  createWindowMs: number;
  /** Longest time a request waits for an identical one still running before 409. */
  waitMs: number;
  /** How long a running request's claim holds, should its process die. */
  leaseMs: number;
  logger: Logger;
}

interface HeldClaim {
  id: IdempotencyScope;
  /**
   * Names the claim for the work it guards: a create records it with the order, so a repeat
   * after the first run's process died finds that order.
   */
  requestKey: string;
}

/**
 * The body-dedupe claim of a create without `Idempotency-Key`, folded into the order's own
 * transaction: `record` writes claim and answer together with the order (one transaction: no
 * claim without its order, no order without its answer) instead of a claim before and an answer
 * after. When another request already holds the key, `record` throws {@link KeyHeld}; the route
 * lets the transaction roll back and calls `claim`, which does what every other request does
 * up front (replay, wait for a running one, take over an abandoned one).
 */
export interface FoldedClaim {
  /** Stores the answer in `trx`, the transaction of the work it answers. */
  record(trx: Db, answer: StoredAnswer): Promise<void>;
  /**
   * Claims the key as usual: true when the stored answer was sent (a replay); false when this
   * request now holds the claim and runs the work under `request.idempotencyClaim`.
   */
  claim(reply: FastifyReply): Promise<boolean>;
}

/** What a replay sends: the status and the exact body of the first answer. */
export interface StoredAnswer {
  statusCode: number;
  body: string;
}

/** {@link FoldedClaim.record} found the key held by another request. */
export class KeyHeld extends Error {
  constructor() {
    super('the idempotency key is held by another request');
    this.name = 'KeyHeld';
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request holds while it runs (issue #4). */
    idempotencyClaim: HeldClaim | undefined;
    /** A create's body-dedupe claim, still to be written with the order (see FoldedClaim). */
    foldedClaim: FoldedClaim | undefined;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH']);
const MAX_KEY_LENGTH = 255;
const WAIT_STEP_MS = 50;
const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Idempotent writes on the compatible API (`delivery-api.md` §16), for the routes of the
 * instance it is registered on:
 * - `Idempotency-Key` on POST/PUT/PATCH: the answer is stored per API connection and key; a
 *   repeat within the TTL gets the same status and body (`Idempotency-Replayed: true`), the same
 *   key with another method, path or body is 422 `idempotency_key_reused`, and a repeat arriving
 *   while the first is still running waits for it (409 `err_operation_in_progress` past the
 *   wait bound). Answers that invite a retry (retryable codes, unexpected faults) are not stored,
 *   so the retry runs again.
 * - `POST /orders` without a key: a body identical (as canonical JSON) to one this connection
 *   posted within `createWindowMs` is answered with that first create's answer — the client
 *   that timed out and posted again gets its order, not a second one.
 *
 * Registered with `skip-override`, so its hooks apply to the routes of the registering instance.
 */
export function idempotencyPlugin(options: IdempotencyOptions) {
  let lastPurge = 0;

  async function plugin(app: FastifyInstance): Promise<void> {
    app.decorateRequest('idempotencyClaim', undefined);
    app.decorateRequest('foldedClaim', undefined);

    // Callback hooks that leave reads alone at once; the async work only when there is some.
    app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done) => {
      const client = request.apiClient;
      if (!client || !MUTATING.has(request.method)) done();
      else void admit(request, reply, client.clientId).then(() => done(), done);
    });

    app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
      const claim = request.idempotencyClaim;
      if (!claim) done(null, payload);
      else void settle(request, reply, claim, payload).then((sent) => done(null, sent), done);
    });
  }

  /** What the `preHandler` hook does for a mutating request of `clientId`. */
  async function admit(
    request: FastifyRequest, reply: FastifyReply, clientId: string,
  ): Promise<FastifyReply | undefined> {
    const scope = scopeOf(request, clientId, options.createWindowMs);
    if (!scope) return undefined;

    const fingerprint = fingerprintOf(request);
    const id: IdempotencyScope = { ...scope, key: scope.key ?? fingerprint };
    const ttlMs = scope.scope === 'key' ? options.keyTtlMs : options.createWindowMs;
    await purgeNow();

    // A body-recognised create claims with its order's transaction: one write, not three.
    if (scope.scope === 'body') {
      request.foldedClaim = folded(request, id, fingerprint, ttlMs);
      return undefined;
    }
    return claimOrReplay(request, reply, id, fingerprint, ttlMs);
  }

  /** What the `onSend` hook does for a request holding `claim`: stores or releases it. */
  async function settle(
    request: FastifyRequest, reply: FastifyReply, claim: HeldClaim, payload: unknown,
  ): Promise<unknown> {
    request.idempotencyClaim = undefined;

    try {
      const body = typeof payload === 'string' ? payload : undefined;
      if (body !== undefined && storable(claim.id, reply.statusCode, body)) {
        await options.repo.complete(claim.id, options.owner,
          { statusCode: reply.statusCode, body });
      } else {
        await options.repo.release(claim.id, options.owner);
      }
    } catch (err) {
      options.logger.error({ err, reqId: request.id }, 'idempotent answer not stored');
    }
    return payload;
  }

  /**
   * Claims `id` for the request: holds it (`request.idempotencyClaim`), sends the stored answer
   * (returns the reply), waits for a running holder, or throws (reused key, still running).
   */
  async function claimOrReplay(
    request: FastifyRequest, reply: FastifyReply, id: IdempotencyScope, fingerprint: string,
    ttlMs: number,
  ): Promise<FastifyReply | undefined> {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const now = options.clock();
      const claim = await options.repo.claim(id, termsOf(fingerprint, now, ttlMs));
      switch (claim.kind) {
        case 'claimed':
          request.idempotencyClaim = { id, requestKey: `${id.scope}:${id.key}@${claim.since}` };
          return undefined;
        case 'replay':
          request.log.info({ idempotencyScope: id.scope }, 'idempotent request replayed');
          return reply.code(claim.statusCode).header('idempotency-replayed', 'true')
            .type('application/json; charset=utf-8').send(claim.body);
        case 'mismatch':
          throw new HubError('idempotency_key_reused', 'The Idempotency-Key was already used '
            + 'with another request; use a new key for a new request');
        case 'running':
          if (Date.now() >= deadline) {
            throw new HubError('err_operation_in_progress', 'The same request is still being '
              + 'processed; repeat it later', { retryAfterSec: 1 });
          }
          await sleep(WAIT_STEP_MS);
      }
    }
  }

  function folded(
    request: FastifyRequest, id: IdempotencyScope, fingerprint: string, ttlMs: number,
  ): FoldedClaim {
    const terms = termsOf(fingerprint, options.clock(), ttlMs);
    return {
      async record(trx, answer) {
        if (!storable(id, answer.statusCode, answer.body)) return;
        if (!await options.repo.record(trx, id, terms, answer)) throw new KeyHeld();
      },
      async claim(reply) {
        // Not by what it returns: a reply is thenable, so awaiting it waits for it to be sent.
        await claimOrReplay(request, reply, id, fingerprint, ttlMs);
        return reply.sent;
      },
    };
  }

  function termsOf(fingerprint: string, now: number, ttlMs: number): ClaimTerms {
    return {
      fingerprint, owner: options.owner, now: isoFromMillis(now),
      leaseUntil: isoFromMillis(now + options.leaseMs), expiresAt: isoFromMillis(now + ttlMs),
    };
  }

  async function purgeNow(): Promise<void> {
    const now = options.clock();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    await options.repo.purgeExpired(isoFromMillis(now));
  }

  // What fastify-plugin does: the hooks belong to the instance the plugin is registered on.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

/** The key scope of a request, or undefined when it is not deduplicated. */
function scopeOf(
  request: FastifyRequest, clientId: string, bodyWindowMs: number,
): { clientId: string; scope: 'key' | 'body'; key?: string } | undefined {
  const header = request.headers['idempotency-key'];
  if (header !== undefined) {
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key.trim() === '' || key.length > MAX_KEY_LENGTH) {
      throw new HubError('ERR_PARSE_REQUEST', 'Idempotency-Key: must be 1 to 255 characters', {
        errors: { 'Idempotency-Key': ['must be 1 to 255 characters'] },
      });
    }
    return { clientId, scope: 'key', key };
  }
  const isCreate = request.method === 'POST' && request.routeOptions.url?.endsWith('/orders');
  return isCreate && bodyWindowMs > 0 ? { clientId, scope: 'body' } : undefined;
}

/** Method, path and canonical body: what makes two requests "the same request". */
function fingerprintOf(request: FastifyRequest): string {
  const text = `${request.method} ${request.url}\n${canonicalJson(request.body)}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Whether an answer is kept for replay: successes always; for a key, also errors that the same
 * request would meet again (non-retryable codes). A create recognised by its body replays only
 * its success.
 */
function storable(id: IdempotencyScope, statusCode: number, body: string): boolean {
  if (statusCode >= 200 && statusCode < 300) return true;
  if (id.scope === 'body') return false;

  let code: unknown;
  try {
    code = (JSON.parse(body) as { code?: unknown }).code;
  } catch {
    return false;
  }
  const spec = typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code)
    ? ERROR_CATALOGUE[code as ErrorCode]
    : undefined;
  return spec !== undefined && !spec.retryable && code !== 'ERR_INTERNAL';
}
