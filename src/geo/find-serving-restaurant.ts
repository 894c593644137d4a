import type { ApiClient } from '../api/request-context.js';
import { HubError } from '../errors/hub-error.js';
import type { ChainRepo, Restaurant } from '../store/chain-repo.js';
import type { DeliveryZone, DeliveryZoneRepo } from './delivery-zone-repo.js';
import { findZone } from './find-zone.js';
import type { GeoPoint } from './zone-geometry.js';

/** The restaurant that delivers to a point, and the zone that decided it. */
export interface ServingRestaurant {
  restaurant: Restaurant;
  zone: DeliveryZone;
}

/**
 * E2 (`delivery-api.md` §5.2): of the restaurants the connection may use and that take orders,
 * the one whose active zone contains the point (lowest priority, then smallest zone).
 *
 * @throws HubError `restaurant_not_found` with HTTP 500 when no zone contains the point, as the
 *   r_k service answers (§18 row 18).
 */
export async function findServingRestaurant(
  deps: { chain: ChainRepo; zones: DeliveryZoneRepo }, client: ApiClient, point: GeoPoint,
): Promise<ServingRestaurant> {
  const restaurants = (await deps.chain.listRestaurants(client.restaurantIds))
    .filter((r) => r.corporationId === client.corporationId && r.state === 'active');
  const zones = await deps.zones.activeZones(restaurants.map((r) => r.id));

  const zone = findZone(zones, point);
  const restaurant = zone && restaurants.find((r) => r.id === zone.restaurantId);
  if (!zone || !restaurant) {
    throw new HubError('restaurant_not_found', 'The address is outside every delivery zone',
      { status: 500 });
  }
  return { restaurant, zone };
}
