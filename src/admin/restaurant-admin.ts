import type { BodyReader } from '../api/body-reader.js';
import { HubError, parseError } from '../errors/hub-error.js';
import { type Restaurant, parseCashStation } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';
import type { RestaurantRow } from '../store/schema.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import {
  type WriteOutcome, adminObject, finishInput, guid, intIn, needed, newId, nonBlank, oneOf,
  timeZone,
} from './admin-input.js';
import {
  type CashStationView, canonicalStation, cashStationView, readCashStation,
} from './cash-station-input.js';
import { findCorporation } from './corporation-admin.js';

/** A restaurant's settings, as the admin API writes them: all but its ids. */
export type RestaurantSettings = Omit<Restaurant, 'id' | 'corporationId'>;

/** A restaurant as the admin API shows it: the cash-station password left out. */
export interface RestaurantView extends Omit<RestaurantSettings, 'cashStation'> {
  id: string;
  corporationId: string;
  cashStation: CashStationView;
  createdAt: string;
}

/** Keys of a restaurant in admin input; `id` and `corporationId` only when creating. */
export const RESTAURANT_KEYS = [
  'objectId', 'name', 'actualAddress', 'state', 'timeZone', 'autoAccept', 'minLeadMinutes',
  'tableCode', 'cashStation',
] as const;

const MAX_LEAD_MINUTES = 7 * 24 * 60;

/**
 * Reads restaurant settings over `current` (a patch), or over the defaults when creating:
 * `objectId`, `name` and `cashStation` are then required, the time zone defaults to the
 * corporation's and the table code to the delivery table's ident.
 */
export function readRestaurantSettings(
  r: BodyReader,
  current: RestaurantSettings | undefined,
  defaults: { timeZone: string },
  env?: Readonly<Record<string, string | undefined>>,
): RestaurantSettings | undefined {
  const creating = current === undefined;
  const objectId = needed(r.field('objectId'), creating, (f) => intIn(f, 1, 2 ** 31 - 1));
  const name = needed(r.field('name'), creating, nonBlank);
  const stationReader = r.field('cashStation');
  const cashStation = needed(stationReader, creating,
    (f) => readCashStation(f, current?.cashStation, env)) ?? current?.cashStation;

  const merged = {
    objectId: objectId ?? current?.objectId,
    name: name ?? current?.name,
    actualAddress: r.field('actualAddress').string()?.trim() ?? current?.actualAddress ?? '',
    state: oneOf(r.field('state'), ['active', 'noActive'] as const) ?? current?.state ?? 'active',
    timeZone: timeZone(r.field('timeZone')) ?? current?.timeZone ?? defaults.timeZone,
    autoAccept: r.field('autoAccept').bool() ?? current?.autoAccept ?? true,
    minLeadMinutes: intIn(r.field('minLeadMinutes'), 0, MAX_LEAD_MINUTES)
      ?? current?.minLeadMinutes ?? 30,
    tableCode: nonBlank(r.field('tableCode')) ?? current?.tableCode
      ?? (cashStation ? String(cashStation.tableId) : undefined),
    cashStation,
  };
  const { objectId: id, name: n, tableCode, cashStation: station } = merged;
  if (id === undefined || n === undefined || tableCode === undefined || !station) return undefined;
  return { ...merged, objectId: id, name: n, tableCode, cashStation: station };
}

export async function listRestaurants(db: Db, corporationId?: string): Promise<RestaurantView[]> {
  let query = db.selectFrom('restaurants').selectAll();
  if (corporationId !== undefined) query = query.where('corporationId', '=', corporationId);
  const rows = await query.orderBy('name').orderBy('id').execute();
  return rows.map(toView);
}

/** The stored settings of a restaurant (password included), with its corporation. */
export async function findRestaurant(
  db: Db, id: string,
): Promise<{ corporationId: string; settings: RestaurantSettings } | undefined> {
  const row = await db.selectFrom('restaurants').selectAll().where('id', '=', id)
    .executeTakeFirst();
  return row && { corporationId: row.corporationId, settings: toSettings(row) };
}

/** The restaurant's corporation, or 404 `restaurant_not_found`. */
export async function requireRestaurantRow(db: Db, id: string): Promise<{ corporationId: string }> {
  const row = await db.selectFrom('restaurants').select('corporationId').where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new HubError('restaurant_not_found', `Restaurant ${id} not found`);
  return row;
}

/** The restaurant's view, or 404 `restaurant_not_found`. */
export async function requireRestaurantView(db: Db, id: string): Promise<RestaurantView> {
  const row = await db.selectFrom('restaurants').selectAll().where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new HubError('restaurant_not_found', `Restaurant ${id} not found`);
  return toView(row);
}

/**
 * Inserts or updates a restaurant; writes nothing when it is already so. An `objectId` used by
 * another restaurant, or a restaurant of another corporation under this id, is a 400 naming
 * `path`'s field.
 */
export async function saveRestaurant(
  db: Db, target: { id: string; corporationId: string; path: string },
  settings: RestaurantSettings, now: string,
): Promise<WriteOutcome> {
  const prefix = target.path === '' ? '' : `${target.path}.`;
  const clash = await db.selectFrom('restaurants').select('id')
    .where('objectId', '=', settings.objectId).where('id', '!=', target.id).executeTakeFirst();
  if (clash) {
    throw parseError(`${prefix}objectId`, `is already used by restaurant ${clash.id}`);
  }

  const current = await findRestaurant(db, target.id);
  if (current && current.corporationId !== target.corporationId) {
    throw parseError(`${prefix}id`,
      `restaurant ${target.id} belongs to corporation ${current.corporationId}`);
  }

  const values = toRow(settings);
  if (!current) {
    await db.insertInto('restaurants').values({
      id: target.id, corporationId: target.corporationId, ...values, createdAt: now,
    }).execute();
    return 'created';
  }
  if (JSON.stringify(toRow(current.settings)) === JSON.stringify(values)) return 'unchanged';

  await db.updateTable('restaurants').set(values).where('id', '=', target.id).execute();
  return 'updated';
}

/** `POST /restaurants`: a new restaurant of `corporationId` (`id` optional, generated). */
export async function createRestaurant(ctx: AdminContext, body: unknown): Promise<RestaurantView> {
  const { root, problems } = adminObject(body, ['id', 'corporationId', ...RESTAURANT_KEYS]);
  const id = guid(root.field('id')) ?? newId();
  const corporationId = needed(root.field('corporationId'), true, guid);
  finishInput(problems);

  const corporation = await findCorporation(ctx.db, corporationId as string);
  if (!corporation) throw parseError('corporationId', 'no such corporation');
  const settings = readRestaurantSettings(root, undefined, corporation);
  finishInput(problems);

  if (await findRestaurant(ctx.db, id)) {
    throw parseError('id', 'a restaurant with this id already exists');
  }
  await saveRestaurant(ctx.db, { id, corporationId: corporation.id, path: '' },
    settings as RestaurantSettings, nowIso(ctx.clock));
  return requireRestaurantView(ctx.db, id);
}

/** `PATCH /restaurants/{id}`: changes what the body names; `cashStation` is merged key by key. */
export async function updateRestaurant(
  ctx: AdminContext, id: string, body: unknown,
): Promise<RestaurantView> {
  const current = await findRestaurant(ctx.db, id);
  if (!current) throw new HubError('restaurant_not_found', `Restaurant ${id} not found`);

  const { root, problems } = adminObject(body, RESTAURANT_KEYS);
  const settings = readRestaurantSettings(root, current.settings, current.settings);
  finishInput(problems);

  await saveRestaurant(ctx.db, { id, corporationId: current.corporationId, path: '' },
    settings as RestaurantSettings, nowIso(ctx.clock));
  return requireRestaurantView(ctx.db, id);
}

function toRow(s: RestaurantSettings) {
  return {
    objectId: s.objectId,
    name: s.name,
    actualAddress: s.actualAddress,
    state: s.state,
    timeZone: s.timeZone,
    autoAccept: s.autoAccept ? 1 : 0,
    minLeadMinutes: s.minLeadMinutes,
    tableCode: s.tableCode,
    cashStation: JSON.stringify(canonicalStation(s.cashStation)),
  };
}

function toSettings(row: RestaurantRow): RestaurantSettings {
  return {
    objectId: row.objectId,
    name: row.name,
    actualAddress: row.actualAddress,
    state: row.state === 'noActive' ? 'noActive' : 'active',
    timeZone: row.timeZone,
    autoAccept: row.autoAccept === 1,
    minLeadMinutes: row.minLeadMinutes,
    tableCode: row.tableCode,
    cashStation: parseCashStation(row.cashStation),
  };
}

function toView(row: RestaurantRow): RestaurantView {
  const { cashStation, ...settings } = toSettings(row);
  return {
    id: row.id,
    corporationId: row.corporationId,
    ...settings,
    cashStation: cashStationView(cashStation),
    createdAt: row.createdAt,
  };
}
