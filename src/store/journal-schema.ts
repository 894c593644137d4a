import type { Generated, Selectable } from 'kysely';

/**
 * Tables of migration 0005 (issue #4): the cash-station operation journal, stored idempotent
 * responses and the station-poll cursors. Same conventions as `schema.ts`.
 */
export interface JournalTables {
  stationOperations: StationOperationsTable;
  idempotencyKeys: IdempotencyKeysTable;
  stationPolls: StationPollsTable;
}

export interface StationOperationsTable {
  id: Generated<number>;
  orderId: number;
  restaurantId: string;
  /** `create` | `pay` | `close` | `void`. */
  operation: string;
  /** Hash of the request the operation sends, so a repeat is recognised. */
  fingerprint: string;
  /** JSON of what applying the confirmed operation to the hub order needs. */
  payload: string;
  /** `intent` | `confirmed` | `refused` | `unknown` | `lapsed`. */
  state: string;
  /** The process that sent it: `instanceId/bootId`. */
  owner: string;
  /** `[N] text` of the station's answer when it failed. */
  stationError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IdempotencyKeysTable {
  /** The API connection the key belongs to. */
  clientId: string;
  /** `key` for an `Idempotency-Key` header, `body` for a create recognised by its body. */
  scope: string;
  idemKey: string;
  /** Hash of method, path and canonical body. */
  fingerprint: string;
  /** `running` while the first request is being answered, then `done`. */
  state: string;
  owner: string | null;
  /** While `running`: until when the owner's claim holds. */
  lockedUntil: string | null;
  statusCode: number | null;
  responseBody: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface StationPollsTable {
  /** Also the `orderId` of the restaurant's `station-poll` timer. */
  id: Generated<number>;
  restaurantId: string;
  /** `GetOrderList@lastversion` of the last answer read. */
  lastVersion: number | null;
  polledAt: string | null;
}

export type StationOperationRow = Selectable<StationOperationsTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
