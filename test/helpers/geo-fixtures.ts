import { randomUUID } from 'node:crypto';
import type { Polygon } from 'geojson';
import type { ZoneGeometry } from '../../src/geo/zone-geometry.js';
import type { Db } from '../../src/store/database.js';
import { DEMO } from '../../src/store/seed-demo.js';

/** A square zone shape of `half` degrees around a point, positions `[lon, lat]`. */
export function square(lat: number, lon: number, half: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [[
      [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
      [lon - half, lat + half], [lon - half, lat - half],
    ]],
  };
}

export interface ZoneFixture {
  id?: string;
  restaurantId?: string;
  name?: string;
  geometry: ZoneGeometry;
  priority?: number;
  deliveryTimeMinutes?: number;
  /** Kopecks. */
  price?: number;
  minimum?: number;
  free?: number | null;
  active?: boolean;
}

/** Stores a delivery zone (demo restaurant by default); returns its id. */
export async function addZone(db: Db, zone: ZoneFixture): Promise<string> {
  const id = zone.id ?? randomUUID();
  await db.insertInto('deliveryZones').values({
    id,
    restaurantId: zone.restaurantId ?? DEMO.restaurantId,
    name: zone.name ?? `Zone ${id.slice(0, 8)}`,
    polygon: JSON.stringify(zone.geometry),
    priority: zone.priority ?? 0,
    deliveryTimeMinutes: zone.deliveryTimeMinutes ?? 45,
    deliveryPrice: zone.price ?? 10000,
    minOrderAmountDelivery: zone.minimum ?? 0,
    minOrderAmountFreeDelivery: zone.free === undefined ? null : zone.free,
    active: zone.active === false ? 0 : 1,
    createdAt: new Date().toISOString(),
  }).execute();
  return id;
}

/** Removes every delivery zone (the seed's included). */
export async function clearZones(db: Db): Promise<void> {
  await db.deleteFrom('deliveryZones').execute();
}

/**
 * A second restaurant of the demo corporation, a copy of the demo one under another id; attached
 * to the demo connection unless `attached` is false. Call it before the first API request: the
 * bearer hook caches the connection's restaurants for a moment.
 */
export async function addRestaurant(
  db: Db, options: { name: string; attached?: boolean; state?: 'active' | 'noActive' },
): Promise<string> {
  const demo = await db.selectFrom('restaurants').selectAll()
    .where('id', '=', DEMO.restaurantId).executeTakeFirstOrThrow();
  const id = randomUUID();
  await db.insertInto('restaurants').values({
    ...demo, id, name: options.name, objectId: demo.objectId + 1,
    state: options.state ?? 'active',
  }).execute();
  if (options.attached !== false) {
    await db.insertInto('apiConnectionRestaurants')
      .values({ clientId: DEMO.clientId, restaurantId: id }).execute();
  }
  return id;
}
