import type { Kopecks } from '../money/money.js';
import type { Db } from '../store/database.js';
import type { DeliveryZoneRow } from '../store/schema.js';
import { type ZoneGeometry, geometryArea, parseZoneGeometry } from './zone-geometry.js';

/** A restaurant's delivery zone with its prices, ready for point-in-polygon tests. */
export interface DeliveryZone {
  id: string;
  restaurantId: string;
  name: string;
  geometry: ZoneGeometry;
  /** Geodesic area in m², to prefer the smaller of two overlapping zones. */
  areaM2: number;
  /** Lower wins when zones overlap. */
  priority: number;
  deliveryTimeMinutes: number;
  deliveryPrice: Kopecks;
  /** 0 when there is no minimum. */
  minOrderAmountDelivery: Kopecks;
  /** Undefined when delivery is never free in this zone. */
  minOrderAmountFreeDelivery: Kopecks | undefined;
  active: boolean;
}

/** Reads delivery zones; zones are written by the seed and the admin tools. */
export class DeliveryZoneRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Active zones of the given restaurants, in a stable order. */
  async activeZones(restaurantIds: readonly string[]): Promise<DeliveryZone[]> {
    if (restaurantIds.length === 0) return [];

    const rows = await this.#db.selectFrom('deliveryZones').selectAll()
      .where('restaurantId', 'in', restaurantIds).where('active', '=', 1)
      .orderBy('priority').orderBy('id').execute();
    return rows.map(toDeliveryZone);
  }
}

/**
 * A stored zone as the domain uses it. A shape that no longer parses is a configuration fault
 * the admin tools should have refused, so it fails loudly instead of silently hiding the zone.
 */
export function toDeliveryZone(row: DeliveryZoneRow): DeliveryZone {
  const parsed = parseZoneGeometry(row.polygon);
  if (!parsed.ok) {
    throw new Error(`delivery zone ${row.id} has an invalid polygon: ${parsed.problem}`);
  }

  return {
    id: row.id,
    restaurantId: row.restaurantId,
    name: row.name,
    geometry: parsed.geometry,
    areaM2: geometryArea(parsed.geometry),
    priority: row.priority,
    deliveryTimeMinutes: row.deliveryTimeMinutes,
    deliveryPrice: row.deliveryPrice,
    minOrderAmountDelivery: row.minOrderAmountDelivery,
    minOrderAmountFreeDelivery: row.minOrderAmountFreeDelivery ?? undefined,
    active: row.active === 1,
  };
}
