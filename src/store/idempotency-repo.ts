import type { Insertable } from 'kysely';
import type { Db } from './database.js';
import { PreparedQuery, PreparedRows } from './prepared-query.js';
import type { IdempotencyKeysTable } from './journal-schema.js';

/** Which stored request: the connection, the kind of key (`key` | `body`) and the key. */
export interface IdempotencyScope {
  clientId: string;
  scope: 'key' | 'body';
  key: string;
}

/** What trying to claim a key found. */
export type IdempotencyClaim =
  /** `since` names the claim's generation: a repeat after its holder died keeps it. */
  | { kind: 'claimed'; since: string }
  | { kind: 'replay'; statusCode: number; body: string }
  | { kind: 'mismatch' }
  | { kind: 'running' };

/** The claim's terms: who asks, for which request, and until when. */
export interface ClaimTerms {
  fingerprint: string;
  owner: string;
  now: string;
  /** Until when the claim holds while the request runs (a dead owner's claim lapses then). */
  leaseUntil: string;
  /** Until when the stored answer is replayed. */
  expiresAt: string;
}

const CLAIM_ATTEMPTS = 5;

/** A lease that has run out: sorts before every instant. */
const ABANDONED = '';

// Every create runs the claim and its answer: both prepared once.
const INSERT_CLAIM = new PreparedRows<Insertable<IdempotencyKeysTable>, unknown>([
  'clientId', 'scope', 'idemKey', 'fingerprint', 'state', 'owner', 'lockedUntil', 'statusCode',
  'responseBody', 'createdAt', 'expiresAt',
], (db, rows) => db.insertInto('idempotencyKeys').values(rows)
  .onConflict((oc) => oc.columns(['clientId', 'scope', 'idemKey']).doNothing()));
const COMPLETE = new PreparedQuery((db, p: IdempotencyScope & {
  owner: string; statusCode: number; body: string;
}) => db.updateTable('idempotencyKeys')
  .set({ state: 'done', lockedUntil: null, statusCode: p.statusCode, responseBody: p.body })
  .where('clientId', '=', p.clientId).where('scope', '=', p.scope).where('idemKey', '=', p.key)
  .where('owner', '=', p.owner).where('state', '=', 'running'));

// A create's answer stored in the order's own transaction (`record`): a key nobody holds, or
// one whose replay window has passed, takes the answer; a live key is left as it is.
const RECORD = new PreparedRows<Insertable<IdempotencyKeysTable>, unknown>([
  'clientId', 'scope', 'idemKey', 'fingerprint', 'state', 'owner', 'lockedUntil', 'statusCode',
  'responseBody', 'createdAt', 'expiresAt',
], (db, rows) => db.insertInto('idempotencyKeys').values(rows)
  .onConflict((oc) => oc.columns(['clientId', 'scope', 'idemKey'])
    .doUpdateSet((eb) => ({
      fingerprint: eb.ref('excluded.fingerprint'), state: eb.ref('excluded.state'),
      owner: eb.ref('excluded.owner'), lockedUntil: eb.ref('excluded.lockedUntil'),
      statusCode: eb.ref('excluded.statusCode'), responseBody: eb.ref('excluded.responseBody'),
      createdAt: eb.ref('excluded.createdAt'), expiresAt: eb.ref('excluded.expiresAt'),
    }))
    .where((eb) => eb('idempotencyKeys.expiresAt', '<=', eb.ref('excluded.createdAt')))));

/** Stored responses of idempotent requests (`idempotency_keys`, `delivery-api.md` §16). */
export class IdempotencyRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Claims the key for a request: a new or expired key is claimed afresh; a finished request
   * with the same fingerprint is replayed; another fingerprint is a mismatch; a request still
   * running under a live lease is `running`; one whose holder gave up or died (lease over) is
   * taken over in the same generation (`since`), so work it already committed is found again.
   */
  async claim(id: IdempotencyScope, terms: ClaimTerms): Promise<IdempotencyClaim> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const inserted = await INSERT_CLAIM.execute(this.#db, [{
        clientId: id.clientId, scope: id.scope, idemKey: id.key,
        fingerprint: terms.fingerprint, state: 'running', owner: terms.owner,
        lockedUntil: terms.leaseUntil, statusCode: null, responseBody: null,
        createdAt: terms.now, expiresAt: terms.expiresAt,
      }]);
      if (Number(inserted.numAffectedRows ?? 0) === 1) {
        return { kind: 'claimed', since: terms.now };
      }

      const row = await this.#where(this.#db.selectFrom('idempotencyKeys').selectAll(), id)
        .executeTakeFirst();
      if (!row) continue;

      const expired = row.expiresAt <= terms.now;
      if (!expired && row.fingerprint !== terms.fingerprint) return { kind: 'mismatch' };
      if (!expired && row.state === 'done' && row.statusCode !== null
        && row.responseBody !== null) {
        return { kind: 'replay', statusCode: row.statusCode, body: row.responseBody };
      }
      const abandoned = row.state === 'running' && (row.lockedUntil ?? '') < terms.now;
      if (!expired && !abandoned) return { kind: 'running' };

      const fresh = expired
        ? {
          fingerprint: terms.fingerprint, statusCode: null, responseBody: null,
          createdAt: terms.now, expiresAt: terms.expiresAt,
        }
        : {};
      const taken = await this.#where(this.#db.updateTable('idempotencyKeys'), id)
        .set({ ...fresh, state: 'running', owner: terms.owner, lockedUntil: terms.leaseUntil })
        .where('createdAt', '=', row.createdAt).where('state', '=', row.state)
        .where('lockedUntil', row.lockedUntil === null ? 'is' : '=', row.lockedUntil)
        .executeTakeFirst();
      if (taken.numUpdatedRows === 1n) {
        return { kind: 'claimed', since: expired ? terms.now : row.createdAt };
      }
    }
    return { kind: 'running' };
  }

  /**
   * Stores a request's answer, claim and answer in one, with `executor` (the transaction of the
   * work it answers: both commit or neither does). False when a live key is already there
   * (another request's answer or claim): the caller rolls back and claims as usual.
   */
  async record(
    executor: Db, id: IdempotencyScope, terms: ClaimTerms,
    answer: { statusCode: number; body: string },
  ): Promise<boolean> {
    const inserted = await RECORD.execute(executor, [{
      clientId: id.clientId, scope: id.scope, idemKey: id.key, fingerprint: terms.fingerprint,
      state: 'done', owner: terms.owner, lockedUntil: null, statusCode: answer.statusCode,
      responseBody: answer.body, createdAt: terms.now, expiresAt: terms.expiresAt,
    }]);
    return Number(inserted.numAffectedRows ?? 0) === 1;
  }

  /** Stores the answer of a claimed request for replay. */
  async complete(
    id: IdempotencyScope, owner: string, answer: { statusCode: number; body: string },
  ): Promise<void> {
    await COMPLETE.execute(this.#db, {
      ...id, owner, statusCode: answer.statusCode, body: answer.body,
    });
  }

  /**
   * Gives a claimed key up without storing an answer: the next request with it runs again, in
   * the same generation (it may find what this one committed).
   */
  async release(id: IdempotencyScope, owner: string): Promise<void> {
    await this.#where(this.#db.updateTable('idempotencyKeys'), id)
      .set({ lockedUntil: ABANDONED })
      .where('owner', '=', owner).where('state', '=', 'running')
      .execute();
  }

  /** Gives up the running claims of a dead earlier life of this process (owner prefix). */
  async releaseOwnedBy(ownerPrefix: string, except: string): Promise<void> {
    await this.#db.updateTable('idempotencyKeys').set({ lockedUntil: ABANDONED })
      .where('state', '=', 'running').where('owner', 'like', `${ownerPrefix}%`)
      .where('owner', '!=', except)
      .execute();
  }

  /** Deletes keys whose replay window has passed. */
  async purgeExpired(now: string): Promise<void> {
    await this.#db.deleteFrom('idempotencyKeys').where('expiresAt', '<=', now).execute();
  }

  #where<Q extends {
    where(column: 'clientId' | 'scope' | 'idemKey', op: '=', value: string): Q;
  }>(query: Q, id: IdempotencyScope): Q {
    return query.where('clientId', '=', id.clientId).where('scope', '=', id.scope)
      .where('idemKey', '=', id.key);
  }
}
