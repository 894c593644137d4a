import type { ApiClient } from '../api/request-context.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import type { Kopecks } from '../money/money.js';
import type { CreateOrderInput } from '../orders/create-order-input.js';
import { restaurantFor } from '../orders/create-order.js';
import type { OrderContext } from '../orders/order-context.js';
import { priceLines } from '../orders/order-pricing.js';
import type { DeliveryZone } from './delivery-zone-repo.js';
import { quoteDelivery } from './quote-delivery.js';

const EXPEDITION_TYPES: readonly string[] = ['delivery', 'pickup'];
const PAYMENT_TYPES: readonly string[] = ['cash', 'card', 'online'];

/** The amounts of a draft order, in kopecks, as creating it would set them. */
export interface PreCalculation {
  /** Σ line totals before discounts. */
  total: Kopecks;
  /** Discounts found for the draft (none until cash-register discounts exist). */
  discount: Kopecks;
  /** Dishes after discounts. */
  amount: Kopecks;
  deliveryAmount: Kopecks;
  /** `amount + deliveryAmount`. */
  fullAmount: Kopecks;
  zone: DeliveryZone | undefined;
}

/**
 * E6 `POST /orders/delivery` (`delivery-api.md` §7): prices a draft order exactly as
 * `POST /orders` would — the same restaurant checks, menu pricing (`order-pricing.ts`) and
 * delivery fee by zone (`quoteDelivery`) — without storing anything or calling the cash station.
 *
 * A draft is checked only for what decides its amounts: restaurant, dishes, the values of
 * `expeditionType`/`paymentTypeId` when given, and the delivery zone with its minimum. Guest,
 * address text fields and time are left to create, because clients call this while the guest is
 * still filling them in (the documented example has neither `guest` nor `expeditionType`).
 * Without `expeditionType` the draft is priced as a delivery, which is what the endpoint is for.
 */
export async function preCalculateOrder(
  ctx: OrderContext, client: ApiClient, input: CreateOrderInput,
): Promise<PreCalculation> {
  const restaurant = await restaurantFor(ctx, client, input.restaurantId);
  const corporation = await ctx.chain.getCorporation(restaurant.corporationId);
  if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');

  const problems = new FieldProblems();
  const expeditionType = input.expeditionType ?? 'delivery';
  if (!EXPEDITION_TYPES.includes(expeditionType)) {
    problems.add('expeditionType', 'Value is not allowed');
  }
  if (input.paymentTypeId !== undefined && !PAYMENT_TYPES.includes(input.paymentTypeId)) {
    problems.add('paymentTypeId', 'Value is not allowed');
  }
  const menu = await ctx.menu.restaurantMenu(corporation.id, restaurant.id);
  const lines = priceLines(input.dishes, {
    menu, checkPrices: corporation.checkContentsAndPrice,
  }, problems);
  problems.throwIfAny('order_validation');

  const total = lines.reduce((sum, line) => sum + line.total, 0);
  const amount = total;
  const quote = await quoteDelivery(ctx.zones, {
    restaurantId: restaurant.id, expeditionType, address: input.address, amount,
  });
  return {
    total,
    discount: 0,
    amount,
    deliveryAmount: quote.deliveryAmount,
    fullAmount: amount + quote.deliveryAmount,
    zone: quote.zone,
  };
}
