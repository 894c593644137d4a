import type { DeliveryZone } from './delivery-zone-repo.js';
import { type GeoPoint, geometryContains } from './zone-geometry.js';

/**
 * The zone that serves a point (`delivery-api.md` §5.2): of the active zones containing it, the
 * lowest `priority` wins, then the smallest area (a district carved out of a wider zone keeps
 * its own price), then the zone id, so the choice never depends on storage order.
 */
export function findZone(
  zones: readonly DeliveryZone[], point: GeoPoint,
): DeliveryZone | undefined {
  let best: DeliveryZone | undefined;
  for (const zone of zones) {
    if (!zone.active || !geometryContains(zone.geometry, point)) continue;
    if (best === undefined || better(zone, best)) best = zone;
  }
  return best;
}

function better(a: DeliveryZone, b: DeliveryZone): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (a.areaM2 !== b.areaM2) return a.areaM2 < b.areaM2;
  return a.id < b.id;
}
