import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
import { HubError } from '../errors/hub-error.js';
import type { IdempotencyRepo, IdempotencyScope } from '../store/idempotency-repo.js';
import { isoFromMillis } from '../time/instant.js';

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

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency key this request holds while it runs (issue #4). */
    idempotencyClaim: HeldClaim | undefined;
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

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const client = request.apiClient;
      if (!client || !MUTATING.has(request.method)) return;
      const scope = scopeOf(request, client.clientId, options.createWindowMs);
      if (!scope) return;

      const fingerprint = fingerprintOf(request);
      const id: IdempotencyScope = { ...scope, key: scope.key ?? fingerprint };
      const ttlMs = scope.scope === 'key' ? options.keyTtlMs : options.createWindowMs;
      const deadline = Date.now() + options.waitMs;
      await purgeNow();

      for (;;) {
        const now = options.clock();
        const claim = await options.repo.claim(id, {
          fingerprint, owner: options.owner, now: isoFromMillis(now),
          leaseUntil: isoFromMillis(now + options.leaseMs), expiresAt: isoFromMillis(now + ttlMs),
        });
        switch (claim.kind) {
          case 'claimed':
            request.idempotencyClaim = { id, requestKey: `${id.scope}:${id.key}@${claim.since}` };
            return;
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
    });

    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
      const claim = request.idempotencyClaim;
      if (!claim) return payload;
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
    });
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
 * JSON with object keys sorted, so key order and spacing do not make bodies differ. Byte for
 * byte what `JSON.stringify` with a key-sorting replacer writes (stored fingerprints stay
 * valid), without building a sorted copy of every object.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return canonical(value) ?? '';
}

function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(value, (_key, v: unknown) => sortedCopy(v));
  }

  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i > 0 ? ',' : ''}${canonical(value[i]) ?? 'null'}`;
    }
    return `${out}]`;
  }

  let out = '{';
  let first = true;
  for (const key of sortedKeys(value)) {
    const text = canonical((value as Record<string, unknown>)[key]);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Keys in the order of the sorted copy the replacer made: array-index keys first, ascending (an
 * object lists them so, whatever their insertion order), then the rest sorted by code units.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices] as string)) indices += 1;
  if (indices === 0) return keys.sort(byCodeUnits);
  return [...keys.slice(0, indices), ...keys.slice(indices).sort(byCodeUnits)];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}

function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>)
    .sort(([a], [b]) => byCodeUnits(a, b)));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
