import type { BodyReader } from '../api/body-reader.js';
import { hashSecret, newSecret } from '../auth/secret-hash.js';
import { HubError, parseError } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import {
  type WriteOutcome, adminObject, finishInput, guid, guidList, needed, newId, nonBlank,
} from './admin-input.js';
import { findCorporation } from './corporation-admin.js';

/** What an API connection may do: its name, whether it works, and which restaurants it serves. */
export interface ConnectionSettings {
  name: string;
  enabled: boolean;
  restaurantIds: string[];
}

/** An API connection as the admin API shows it; the secret never appears here. */
export interface ConnectionView extends ConnectionSettings {
  clientId: string;
  corporationId: string;
  createdAt: string;
}

/** A connection with its new secret: the only answer that ever carries the secret. */
export interface ConnectionWithSecret extends ConnectionView {
  clientSecret: string;
}

/** Keys of a connection in admin input; `clientId` and `corporationId` only when creating. */
export const CONNECTION_KEYS = ['name', 'enabled', 'restaurantIds'] as const;

/** Reads connection settings over `current` (a patch), or creating (`name` required). */
export function readConnectionSettings(
  r: BodyReader, current: ConnectionSettings | undefined,
): ConnectionSettings | undefined {
  const name = needed(r.field('name'), current === undefined, nonBlank) ?? current?.name;
  const merged = {
    name,
    enabled: r.field('enabled').bool() ?? current?.enabled ?? true,
    restaurantIds: guidList(r.field('restaurantIds')) ?? current?.restaurantIds ?? [],
  };
  return merged.name === undefined ? undefined : { ...merged, name: merged.name };
}

export async function listConnections(db: Db, corporationId?: string): Promise<ConnectionView[]> {
  let query = db.selectFrom('apiConnections')
    .select(['clientId', 'name', 'corporationId', 'enabled', 'createdAt']);
  if (corporationId !== undefined) query = query.where('corporationId', '=', corporationId);
  const rows = await query.orderBy('name').orderBy('clientId').execute();

  const ids = rows.map((row) => row.clientId);
  const links = ids.length === 0 ? [] : await db.selectFrom('apiConnectionRestaurants')
    .select(['clientId', 'restaurantId']).where('clientId', 'in', ids).execute();
  return rows.map((row) => ({
    clientId: row.clientId,
    name: row.name,
    corporationId: row.corporationId,
    enabled: row.enabled === 1,
    restaurantIds: links.filter((l) => l.clientId === row.clientId).map((l) => l.restaurantId)
      .sort(),
    createdAt: row.createdAt,
  }));
}

export async function findConnection(
  db: Db, clientId: string,
): Promise<ConnectionView | undefined> {
  const row = await db.selectFrom('apiConnections')
    .select(['clientId', 'name', 'corporationId', 'enabled', 'createdAt'])
    .where('clientId', '=', clientId).executeTakeFirst();
  if (!row) return undefined;

  const links = await db.selectFrom('apiConnectionRestaurants').select('restaurantId')
    .where('clientId', '=', clientId).execute();
  return {
    ...row,
    enabled: row.enabled === 1,
    restaurantIds: links.map((l) => l.restaurantId).sort(),
  };
}

/** The connection, or 404 `order_source_not_found` (a connection is an order source). */
export async function requireConnection(db: Db, clientId: string): Promise<ConnectionView> {
  const found = await findConnection(db, clientId);
  if (!found) throw new HubError('order_source_not_found', `API connection ${clientId} not found`);
  return found;
}

/**
 * Inserts or updates a connection. `secretHash` replaces the stored one when given (creation
 * needs it). Every restaurant must belong to the connection's corporation; a stranger is a 400
 * naming `path.restaurantIds[i]`.
 */
export async function saveConnection(
  db: Db,
  target: { clientId: string; corporationId: string; path: string },
  settings: ConnectionSettings,
  secret: { hash: string | undefined; now: string },
): Promise<WriteOutcome> {
  const prefix = target.path === '' ? '' : `${target.path}.`;
  await checkRestaurants(db, target.corporationId, settings.restaurantIds,
    `${prefix}restaurantIds`);

  const current = await findConnection(db, target.clientId);
  if (current && current.corporationId !== target.corporationId) {
    throw parseError(`${prefix}clientId`,
      `connection ${target.clientId} belongs to corporation ${current.corporationId}`);
  }
  if (!current && secret.hash === undefined) throw new Error('a new connection needs a secret');

  const values = { name: settings.name, enabled: settings.enabled ? 1 : 0 };
  if (!current) {
    await db.insertInto('apiConnections').values({
      clientId: target.clientId, corporationId: target.corporationId, ...values,
      secretHash: secret.hash as string, createdAt: secret.now,
    }).execute();
  } else if (sameSettings(current, settings) && secret.hash === undefined) {
    return 'unchanged';
  } else {
    await db.updateTable('apiConnections')
      .set(secret.hash === undefined ? values : { ...values, secretHash: secret.hash })
      .where('clientId', '=', target.clientId).execute();
  }

  await db.deleteFrom('apiConnectionRestaurants').where('clientId', '=', target.clientId).execute();
  if (settings.restaurantIds.length > 0) {
    await db.insertInto('apiConnectionRestaurants').values(settings.restaurantIds
      .map((restaurantId) => ({ clientId: target.clientId, restaurantId }))).execute();
  }
  return current ? 'updated' : 'created';
}

/** `POST /connections`: a new connection with a generated client id and secret. */
export async function createConnection(
  ctx: AdminContext, body: unknown,
): Promise<ConnectionWithSecret> {
  const { root, problems } = adminObject(body, ['clientId', 'corporationId', ...CONNECTION_KEYS]);
  const clientId = guid(root.field('clientId')) ?? newId();
  const corporationId = needed(root.field('corporationId'), true, guid);
  const settings = readConnectionSettings(root, undefined);
  finishInput(problems);

  if (!await findCorporation(ctx.db, corporationId as string)) {
    throw parseError('corporationId', 'no such corporation');
  }
  if (await findConnection(ctx.db, clientId)) {
    throw parseError('clientId', 'a connection with this client id already exists');
  }

  const clientSecret = newSecret();
  const hash = await hashSecret(clientSecret);
  await ctx.db.transaction().execute((trx) => saveConnection(trx,
    { clientId, corporationId: corporationId as string, path: '' },
    settings as ConnectionSettings, { hash, now: nowIso(ctx.clock) }));
  return { ...await requireConnection(ctx.db, clientId), clientSecret };
}

/** `PATCH /connections/{clientId}`: name, enabled, restaurants. */
export async function updateConnection(
  ctx: AdminContext, clientId: string, body: unknown,
): Promise<ConnectionView> {
  const current = await requireConnection(ctx.db, clientId);
  const { root, problems } = adminObject(body, CONNECTION_KEYS);
  const settings = readConnectionSettings(root, current);
  finishInput(problems);

  await ctx.db.transaction().execute((trx) => saveConnection(trx,
    { clientId, corporationId: current.corporationId, path: '' },
    settings as ConnectionSettings, { hash: undefined, now: nowIso(ctx.clock) }));
  return requireConnection(ctx.db, clientId);
}

/**
 * `POST /connections/{clientId}/rotate-secret`: a new secret replaces the old one at once; the
 * old secret gets no more tokens. Tokens issued before stay valid until they expire.
 */
export async function rotateSecret(
  ctx: AdminContext, clientId: string,
): Promise<ConnectionWithSecret> {
  await requireConnection(ctx.db, clientId);

  const clientSecret = newSecret();
  await ctx.db.updateTable('apiConnections').set({ secretHash: await hashSecret(clientSecret) })
    .where('clientId', '=', clientId).execute();
  return { ...await requireConnection(ctx.db, clientId), clientSecret };
}

async function checkRestaurants(
  db: Db, corporationId: string, ids: readonly string[], path: string,
): Promise<void> {
  if (ids.length === 0) return;

  const rows = await db.selectFrom('restaurants').select('id')
    .where('corporationId', '=', corporationId).where('id', 'in', ids).execute();
  const own = new Set(rows.map((r) => r.id));
  const stranger = ids.findIndex((id) => !own.has(id));
  if (stranger >= 0) {
    throw parseError(`${path}[${stranger}]`, 'no such restaurant in the corporation');
  }
}

function sameSettings(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.name === b.name && a.enabled === b.enabled
    && JSON.stringify([...a.restaurantIds].sort()) === JSON.stringify([...b.restaurantIds].sort());
}
