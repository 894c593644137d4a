import type { BodyReader } from '../api/body-reader.js';
import { parseZoneGeometry } from '../geo/zone-geometry.js';
import type { ZoneGeometry } from '../geo/zone-geometry.js';
import { toRoubles } from '../money/money.js';
import type { Kopecks } from '../money/money.js';
import type { Db } from '../store/database.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import {
  adminInput, finishInput, guid, inputError, intIn, needed, newId, nonBlank, strictObject,
} from './admin-input.js';
import { requireRestaurantRow } from './restaurant-admin.js';
import { WriteTally, sameValues } from './write-tally.js';

/** A delivery zone of admin input; without `id` it is matched by name within the restaurant. */
export interface ZoneInput {
  id: string | undefined;
  name: string;
  polygon: ZoneGeometry;
  priority: number;
  deliveryTimeMinutes: number;
  deliveryPrice: Kopecks;
  minOrderAmountDelivery: Kopecks;
  minOrderAmountFreeDelivery: Kopecks | null;
  active: boolean;
  path: string;
}

/** A zone as the admin API shows it (money in roubles, the polygon as GeoJSON). */
export interface ZoneView extends Omit<ZoneInput, 'id' | 'path'> {
  id: string;
}

const ZONE_KEYS = [
  'id', 'name', 'polygon', 'priority', 'deliveryTimeMinutes', 'deliveryPrice',
  'minOrderAmountDelivery', 'minOrderAmountFreeDelivery', 'active',
];

/**
 * Reads `[{id?, name, polygon, …}]`: `polygon` is a GeoJSON Polygon or MultiPolygon (or a
 * Feature holding one), positions `[lon, lat]`; amounts are roubles.
 */
export function readZones(r: BodyReader): ZoneInput[] | undefined {
  const items = r.array();
  if (items === undefined) {
    if (r.absent) r.problem('is required');
    return undefined;
  }

  return items.flatMap((item) => {
    if (!strictObject(item, ZONE_KEYS)) return [];
    const name = needed(item.field('name'), true, nonBlank);
    const polygon = needed(item.field('polygon'), true, geometry);
    const zone = {
      id: guid(item.field('id')),
      priority: intIn(item.field('priority'), 0, 1_000_000) ?? 0,
      deliveryTimeMinutes: intIn(item.field('deliveryTimeMinutes'), 0, 24 * 60) ?? 60,
      deliveryPrice: amount(item.field('deliveryPrice')) ?? 0,
      minOrderAmountDelivery: amount(item.field('minOrderAmountDelivery')) ?? 0,
      minOrderAmountFreeDelivery: amount(item.field('minOrderAmountFreeDelivery')) ?? null,
      active: item.field('active').bool() ?? true,
      path: item.path,
    };
    return name === undefined || polygon === undefined ? [] : [{ ...zone, name, polygon }];
  });
}

export async function listZones(db: Db, restaurantId: string): Promise<ZoneView[]> {
  const rows = await db.selectFrom('deliveryZones').selectAll()
    .where('restaurantId', '=', restaurantId).orderBy('priority').orderBy('name').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    polygon: JSON.parse(row.polygon) as ZoneGeometry,
    priority: row.priority,
    deliveryTimeMinutes: row.deliveryTimeMinutes,
    deliveryPrice: toRoubles(row.deliveryPrice),
    minOrderAmountDelivery: toRoubles(row.minOrderAmountDelivery),
    minOrderAmountFreeDelivery: row.minOrderAmountFreeDelivery === null
      ? null : toRoubles(row.minOrderAmountFreeDelivery),
    active: row.active === 1,
  }));
}

/**
 * Makes the restaurant's zones exactly `zones`: zones left out are deleted, the others created
 * or updated; a zone id of another restaurant is a 400 naming it.
 */
export async function saveZones(
  db: Db, restaurantId: string, zones: readonly ZoneInput[], now: string, tally: WriteTally,
): Promise<void> {
  const stored = await db.selectFrom('deliveryZones').selectAll()
    .where('restaurantId', '=', restaurantId).execute();
  const ids = zones.map((z) => z.id ?? stored.find((s) => s.name === z.name)?.id ?? newId());
  const twice = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (twice >= 0) throw inputError(`${zones[twice]?.path}.id`, 'is listed twice');
  if (ids.length > 0) {
    const foreign = await db.selectFrom('deliveryZones').select('id')
      .where('id', 'in', ids).where('restaurantId', '!=', restaurantId).executeTakeFirst();
    const at = foreign ? ids.indexOf(foreign.id) : -1;
    if (at >= 0) throw inputError(`${zones[at]?.path}.id`, 'is a zone of another restaurant');
  }

  for (const old of stored.filter((s) => !ids.includes(s.id))) {
    await db.deleteFrom('deliveryZones').where('id', '=', old.id).execute();
    tally.add('deliveryZones', 'deleted');
  }
  for (const [i, zone] of zones.entries()) {
    const id = ids[i] as string;
    const values = {
      name: zone.name, polygon: JSON.stringify(zone.polygon), priority: zone.priority,
      deliveryTimeMinutes: zone.deliveryTimeMinutes, deliveryPrice: zone.deliveryPrice,
      minOrderAmountDelivery: zone.minOrderAmountDelivery,
      minOrderAmountFreeDelivery: zone.minOrderAmountFreeDelivery, active: zone.active ? 1 : 0,
    };
    const current = stored.find((s) => s.id === id);
    if (current && sameValues(current, values)) {
      tally.add('deliveryZones', 'unchanged');
    } else if (current) {
      await db.updateTable('deliveryZones').set(values).where('id', '=', id).execute();
      tally.add('deliveryZones', 'updated');
    } else {
      await db.insertInto('deliveryZones')
        .values({ id, restaurantId, ...values, createdAt: now }).execute();
      tally.add('deliveryZones', 'created');
    }
  }
}

/** `PUT /restaurants/{id}/delivery-zones`: replaces the restaurant's zones. */
export async function replaceZones(
  ctx: AdminContext, restaurantId: string, body: unknown,
): Promise<ZoneView[]> {
  await requireRestaurantRow(ctx.db, restaurantId);
  const { root, problems } = adminInput(body);
  const zones = readZones(root);
  finishInput(problems);

  await ctx.db.transaction().execute((trx) =>
    saveZones(trx, restaurantId, zones as ZoneInput[], nowIso(ctx.clock), new WriteTally()));
  return listZones(ctx.db, restaurantId);
}

function geometry(r: BodyReader): ZoneGeometry | undefined {
  const parsed = parseZoneGeometry(r.value);
  if (parsed.ok) return parsed.geometry;
  r.problem(parsed.problem);
  return undefined;
}

function amount(r: BodyReader): Kopecks | undefined {
  const value = r.kopecks();
  if (value === undefined || value >= 0) return value;
  r.problem('must not be negative');
  return undefined;
}
