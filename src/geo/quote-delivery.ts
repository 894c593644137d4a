import { FieldProblems, HubError } from '../errors/hub-error.js';
import { type Kopecks, formatScaled } from '../money/money.js';
import type { Address } from '../orders/order-record.js';
import type { DeliveryZone, DeliveryZoneRepo } from './delivery-zone-repo.js';
import { findZone } from './find-zone.js';
import { type GeoPoint, isValidPoint } from './zone-geometry.js';

/** What decides the delivery fee of an order or a draft. */
export interface DeliveryRequest {
  restaurantId: string;
  /** `delivery` or `pickup`; anything else is priced as pickup (validation reports it). */
  expeditionType: string | undefined;
  address: Address | undefined;
  /** Dishes after discounts, in kopecks: what the minimum and the free threshold compare. */
  amount: Kopecks;
}

/** The delivery fee of an order and the zone it came from. */
export interface DeliveryQuote {
  deliveryAmount: Kopecks;
  /** Undefined for pickup, without coordinates, or when the restaurant has no zones. */
  zone: DeliveryZone | undefined;
}

const NO_FEE: DeliveryQuote = { deliveryAmount: 0, zone: undefined };

/**
 * Prices delivery by zone (`delivery-api.md` §7, §8.3, §12). For a `delivery` order whose
 * address carries coordinates, the restaurant's zone containing them decides: its price, or 0
 * from its free-delivery amount on; below its minimum the order is refused. A point outside
 * every zone of the restaurant is "Address not found".
 *
 * No fee and no check without coordinates (the API does not require them and the hub has no
 * geocoder), for pickup, and for a restaurant without zones (it does not deliver by zone).
 *
 * @throws HubError `order_validation` naming `address`, `address.lat`/`address.lon` or
 *   `dishList` (amount below the zone's minimum).
 */
export async function quoteDelivery(
  zones: DeliveryZoneRepo, request: DeliveryRequest,
): Promise<DeliveryQuote> {
  if (request.expeditionType !== 'delivery' || !request.address) return NO_FEE;

  const problems = new FieldProblems();
  const point = coordinatesOf(request.address, problems);
  problems.throwIfAny('order_validation');
  if (!point) return NO_FEE;

  const restaurantZones = await zones.activeZones([request.restaurantId]);
  if (restaurantZones.length === 0) return NO_FEE;

  const zone = findZone(restaurantZones, point);
  if (!zone) throw refusal('address', 'Address not found');
  if (request.amount < zone.minOrderAmountDelivery) {
    throw refusal('dishList', 'The order amount is below the minimum for delivery: '
      + `${roubles(zone.minOrderAmountDelivery)}`);
  }
  return { deliveryAmount: deliveryFee(zone, request.amount), zone };
}

/** The zone's fee for a dishes amount: free from the zone's free-delivery amount on. */
export function deliveryFee(zone: DeliveryZone, amount: Kopecks): Kopecks {
  const free = zone.minOrderAmountFreeDelivery;
  return free !== undefined && amount >= free ? 0 : zone.deliveryPrice;
}

/** Both coordinates, or none; one without the other or out of range is a problem. */
function coordinatesOf(address: Address, problems: FieldProblems): GeoPoint | undefined {
  const { lat, lon } = address;
  if (lat === undefined && lon === undefined) return undefined;
  if (lat === undefined) problems.add('address.lat', 'Value is required');
  if (lon === undefined) problems.add('address.lon', 'Value is required');
  if (lat === undefined || lon === undefined) return undefined;

  if (!isValidPoint({ lat, lon })) {
    if (Math.abs(lat) > 90) problems.add('address.lat', 'Value is not allowed');
    if (Math.abs(lon) > 180) problems.add('address.lon', 'Value is not allowed');
    return undefined;
  }
  return { lat, lon };
}

function refusal(path: string, problem: string): HubError {
  return new HubError('order_validation', `${path}: ${problem}`, { errors: { [path]: [problem] } });
}

/** Kopecks as text with two decimals, for messages (50000 → "500.00"). */
function roubles(kopecks: Kopecks): string {
  const [whole, fraction = ''] = formatScaled(kopecks, 2).split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
