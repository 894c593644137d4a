import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { DeliveryZoneRepo } from '../geo/delivery-zone-repo.js';
import { findServingRestaurant } from '../geo/find-serving-restaurant.js';
import type { AddressMatch, GeoDirectoryRepo } from '../geo/geo-directory-repo.js';
import { type PreCalculation, preCalculateOrder } from '../geo/pre-calculate-order.js';
import { toRoubles } from '../money/money.js';
import { readCreateOrder } from '../orders/create-order-input.js';
import type { OrderContext } from '../orders/order-context.js';
import type { ChainRepo } from '../store/chain-repo.js';
import { QueryReader } from './query-reader.js';
import { clientOf } from './request-context.js';

export interface GeoRoutesDeps {
  places: GeoDirectoryRepo;
  zones: DeliveryZoneRepo;
  chain: ChainRepo;
  orders: OrderContext;
}

/**
 * Geography and delivery pricing of the r_k Delivery API: address suggestions (E1), the
 * restaurant serving a point (E2), the pre-calculation of a draft order (E6) and the country and
 * city directories (E15, E16).
 */
export function registerGeoRoutes(app: FastifyInstance, deps: GeoRoutesDeps): void {
  app.get('/addresses/suggestions', async (request) => {
    const query = new QueryReader(request.query);
    const search = query.requiredText('search');
    query.throwIfAny();

    const matches = await deps.places.suggestions(search as string);
    return { result: matches.map(suggestionView) };
  });

  app.get('/restaurants/geo/first', async (request) => {
    const client = clientOf(request);
    const query = new QueryReader(request.query);
    const lat = query.degrees('lat', 90);
    const lon = query.degrees('lon', 180);
    query.throwIfAny();

    const { restaurant, zone } = await findServingRestaurant(deps, client,
      { lat: lat as number, lon: lon as number });
    return {
      result: {
        restaurantId: restaurant.id,
        restaurantName: restaurant.name,
        corporationId: restaurant.corporationId,
        objectId: restaurant.objectId,
        legalAddress: restaurant.actualAddress,
        polygonId: zone.id,
        polygonName: zone.name,
        priority: zone.priority,
        isActive: zone.active,
        deliveryTime: zone.deliveryTimeMinutes,
        amountDelivery: { price: toRoubles(zone.deliveryPrice) },
        minOrderAmountDelivery: toRoubles(zone.minOrderAmountDelivery),
        minOrderAmountFreeDelivery: zone.minOrderAmountFreeDelivery === undefined
          ? null : toRoubles(zone.minOrderAmountFreeDelivery),
        typeOfTransportIds: [],
      },
    };
  });

  app.post('/orders/delivery', async (request) => {
    const client = clientOf(request);
    const input = readCreateOrder(request.body);
    const calculation = await preCalculateOrder(deps.orders, client, input);

    return { result: { amount: preCalculationView(calculation) } };
  });

  app.get('/countries', async (request) => {
    const query = new QueryReader(request.query);
    const page = query.page();
    query.throwIfAny();

    return { result: await deps.places.countries(page) };
  });

  app.get<{ Params: { countryId: string } }>('/countries/:countryId/cities', async (request) => {
    const query = new QueryReader(request.query);
    const page = query.page();
    query.throwIfAny();

    const { countryId } = request.params;
    const country = await deps.places.findCountry(countryId.replace(/[{}]/g, ''));
    if (!country) throw new HubError('ERR_NOT_FOUND', `Country ${countryId} not found`);
    return { result: await deps.places.cities(country, page) };
  });
}

/**
 * `result.amount` of E6 (§7): the documented `discounts` and `loyaltyAmount` (r_k Loyalty is out
 * of scope: zeros, `useRkLoyalty:false`), plus the hub's `deliveryAmount`, `amount` and
 * `fullAmount` (§18 row 5).
 */
function preCalculationView(calculation: PreCalculation) {
  return {
    discounts: {
      useRk7Discounts: false,
      total: toRoubles(calculation.total),
      discount: toRoubles(calculation.discount),
      discountList: [],
    },
    loyaltyAmount: {
      totalAmount: 0,
      loyaltyDiscountAmount: 0,
      bonuses: {
        guestBalance: 0, rankName: '', maxBonusesForPayment: 0, accrualWithPayment: 0,
        accrualWithoutPayment: 0,
      },
      loyaltyPrograms: [],
      fingerPrint: '',
      useRkLoyalty: false,
      useLoyaltyBonusPayments: false,
      loyaltyPromo: [],
      loyaltyType: '',
    },
    deliveryAmount: toRoubles(calculation.deliveryAmount),
    amount: toRoubles(calculation.amount),
    fullAmount: toRoubles(calculation.fullAmount),
  };
}

/** One suggestion in the documented shape (§5.1), without the sample's quirks. */
function suggestionView(match: AddressMatch) {
  const house = [match.house, match.building].filter((part) => part !== '').join(' ');
  const address = [match.city, match.street, house].filter((part) => part !== '').join(', ');
  const fullAddress = [match.postalCode, match.country, address]
    .filter((part) => part !== '').join(', ');
  return {
    address,
    fullAddress,
    country: match.country,
    region: '',
    city: match.city,
    street: match.street,
    house: match.house,
    building: match.building,
    postalCode: match.postalCode,
    geoLat: match.lat,
    geoLon: match.lon,
    geoAccuracy: 'House',
  };
}
