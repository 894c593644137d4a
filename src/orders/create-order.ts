import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { ApiClient } from '../api/request-context.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import { quoteDelivery } from '../geo/quote-delivery.js';
import type { MenuIndex } from '../menu/menu-index.js';
import type { ChainView } from '../store/chain-cache.js';
import type { Corporation, Restaurant } from '../store/chain-repo.js';
import { orderSearchText } from '../store/order-search-text.js';
import type { Database, NewOrderRow } from '../store/schema.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { isoFromMillis } from '../time/instant.js';
import type { CreateOrderInput } from './create-order-input.js';
import { type OrderContext, loadRestaurant } from './order-context.js';
import { checkDeliveryFields } from './delivery-fields.js';
import { readExpectedAt } from './expected-at.js';
import { checkGuestPhone } from './guest-phone.js';
import { acceptanceSteps, transferDueAt } from './order-automation.js';
import { type PricedLine, priceLines } from './order-pricing.js';
import { isPersonsCount } from './order-record.js';
import { OrderStatus } from './order-status.js';

const EXPEDITION_TYPES = ['delivery', 'pickup'];
const PAYMENT_TYPES = ['cash', 'card', 'online'];

/** What `POST /orders` answers. */
export interface CreatedOrder {
  orderId: number;
  /** False when the call repeated an earlier one (same `orderExternalId`). */
  created: boolean;
}

/** How a create runs under the request's idempotency claim. */
export interface CreateOptions {
  /** The claim the request holds: recorded with the order, found again by a repeat. */
  requestKey?: string;
  /**
   * Writes the request's answer in the order's transaction, last (a claim folded into it); what
   * it throws rolls the order back.
   */
  answer?: (trx: Transaction<Database>, orderId: number) => Promise<void>;
}

/**
 * Creates an order for an API connection: checks it against the restaurant and the menu, prices
 * it from the menu in kopecks, stores it with its first status changes, and sets the timer that
 * will take it to the cash station. Nothing is stored when anything is wrong.
 */
export async function createOrder(
  ctx: OrderContext, client: ApiClient, input: CreateOrderInput,
  options: CreateOptions = {},
): Promise<CreatedOrder> {
  const existing = await earlierCreate(ctx, client, input, options.requestKey);
  if (existing !== undefined) return { orderId: existing, created: false };

  // Restaurant, corporation and menu from the chain cache: one small read instead of a dozen.
  const chain = await ctx.chain.current();
  const restaurant = await restaurantFor(ctx, client, input.restaurantId, chain);
  const corporation = await chain.corporation(restaurant.corporationId);
  if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');

  const menu = await chain.restaurantMenu(corporation.id, restaurant.id);
  const now = ctx.clock();
  const checked = validate(input, { corporation, restaurant, menu, now });

  const createdAt = isoFromMillis(now);
  const steps = acceptanceSteps(corporation, restaurant, createdAt);
  const statusId = steps.at(-1)?.to ?? OrderStatus.New;
  const amount = checked.lines.reduce((sum, line) => sum + line.total, 0);
  const { deliveryAmount } = await quoteDelivery(ctx.zones, {
    restaurantId: restaurant.id, expeditionType: checked.expeditionType,
    address: input.address, amount,
  });

  const stored = await ctx.orders.transaction(async (trx) => {
    const row: NewOrderRow = {
      orderSourceId: client.clientId,
      corporationId: corporation.id,
      restaurantId: restaurant.id,
      statusId,
      expeditionType: checked.expeditionType,
      paymentTypeId: checked.paymentTypeId,
      persons: input.persons ?? 1,
      comment: input.comment,
      guest: JSON.stringify(input.guest),
      address: input.address ? JSON.stringify(input.address) : null,
      expectedAt: checked.expectedAt,
      soonest: input.soonest ? 1 : 0,
      changeFrom: input.changeFrom ?? null,
      amount,
      deliveryAmount,
      fullAmount: amount + deliveryAmount,
      paymentStatus: 'notPaid',
      paidRequest: null,
      orderExternalId: input.orderExternalId ?? null,
      searchText: orderSearchText(input.guest),
      tableCode: restaurant.tableCode,
      createdAt,
      updatedAt: createdAt,
      completedAt: null,
      version: 1,
      posSyncState: 'none',
      posOrderGuid: randomUUID().toUpperCase(),
      posOrderName: null,
      posVisit: null,
      posOrderIdent: null,
      isAttention: 0,
      attentionReason: null,
      rejectionReason: null,
      requestKey: options.requestKey ?? null,
      discounts: input.discounts ?? null,
    };
    const id = await ctx.orders.insert(trx, row, checked.lines);

    // The order is new: the event writer takes it as written instead of reading it back.
    await ctx.orders.addHistory(trx, id, [
      { from: null, to: OrderStatus.New, at: createdAt, actor: `api:${client.clientId}` },
      ...steps,
    ], { created: { ...row, id } });
    if (statusId === OrderStatus.TakenAtRestaurant) {
      const dueAt = transferDueAt(corporation, createdAt, checked.expectedAt);
      await ctx.timers.schedule(trx, 'transfer', id, dueAt, createdAt);
    }
    await options.answer?.(trx, id);
    return id;
  }).then((orderId) => ({ orderId, created: true }), async (err: unknown) => {
    // A create racing this one stored the same external id (or claim) first: the unique index
    // refused this insert, the transaction rolled back, and this call is a repeat of that one.
    const first = isUniqueViolation(err)
      ? await earlierCreate(ctx, client, input, options.requestKey) : undefined;
    if (first === undefined) throw err;
    return { orderId: first, created: false };
  });
  if (!stored.created) return stored;

  ctx.logger.info({ orderId: stored.orderId, restaurantId: restaurant.id, statusId, amount },
    'order created');
  return stored;
}

/**
 * The order an earlier create of the same request made: one under the same idempotency claim
 * (its first run's process died), or one with the same `orderExternalId` from this connection.
 */
async function earlierCreate(
  ctx: OrderContext, client: ApiClient, input: CreateOrderInput, requestKey: string | undefined,
): Promise<number | undefined> {
  if (requestKey !== undefined) {
    const existing = await ctx.orders.findByRequestKey(client.clientId, requestKey);
    if (existing !== undefined) return existing;
  }
  if (!input.orderExternalId) return undefined;
  return ctx.orders.findByExternalId(client.clientId, input.orderExternalId);
}

/**
 * The restaurant of a new order, if the connection may order there and it takes orders; from
 * `chain` (the chain cache) when given.
 */
export async function restaurantFor(
  ctx: OrderContext, client: ApiClient, restaurantId: string | undefined, chain?: ChainView,
): Promise<Restaurant> {
  if (!restaurantId) {
    throw new HubError('order_validation', 'restaurantId: Value is required', {
      errors: { restaurantId: ['Value is required'] },
    });
  }

  const restaurant = chain === undefined
    ? await loadRestaurant(ctx, restaurantId)
    : await chain.restaurant(restaurantId);
  if (!restaurant) {
    throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
  }
  if (restaurant.corporationId !== client.corporationId) {
    throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
  }
  if (!client.restaurantIds.includes(restaurant.id)) {
    throw new HubError('order_source_not_found_for_restaurant',
      `The API connection is not attached to restaurant ${restaurantId}`);
  }
  if (restaurant.state !== 'active') {
    throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} does not take orders`);
  }
  return restaurant;
}

interface ValidationContext {
  corporation: Corporation;
  restaurant: Restaurant;
  menu: MenuIndex;
  now: number;
}

interface CheckedOrder {
  expeditionType: 'delivery' | 'pickup';
  paymentTypeId: 'cash' | 'card' | 'online';
  expectedAt: string | null;
  lines: PricedLine[];
}

/** Business rules of `delivery-api.md` §8.1/§8.3; all failures answered together. */
function validate(input: CreateOrderInput, ctx: ValidationContext): CheckedOrder {
  const problems = new FieldProblems();

  if (!input.expeditionType) problems.add('expeditionType', 'Value is required');
  else if (!EXPEDITION_TYPES.includes(input.expeditionType)) {
    problems.add('expeditionType', 'Value is not allowed');
  }
  if (!input.paymentTypeId) problems.add('paymentTypeId', 'Value is required');
  else if (!PAYMENT_TYPES.includes(input.paymentTypeId)) {
    problems.add('paymentTypeId', 'Value is not allowed');
  }
  if (input.persons !== undefined && !isPersonsCount(input.persons)) {
    problems.add('persons', 'Value is not allowed');
  }
  if (input.changeFrom !== undefined && input.changeFrom < 0) {
    problems.add('changeFrom', 'Value is not allowed');
  }

  if (input.expeditionType === 'delivery') {
    checkDeliveryFields(input.guest, input.address, problems);
  }
  checkGuestPhone(input.guest.phone, problems);
  const expectedAt = checkExpectedAt(input, ctx, problems);
  const lines = priceLines(input.dishes, {
    menu: ctx.menu, checkPrices: ctx.corporation.checkContentsAndPrice,
  }, problems);

  problems.throwIfAny('order_validation');
  return {
    expeditionType: input.expeditionType as CheckedOrder['expeditionType'],
    paymentTypeId: input.paymentTypeId as CheckedOrder['paymentTypeId'],
    expectedAt,
    lines,
  };
}

/** `soonest` wins over `expectedAt`; a scheduled time needs a zone and enough lead time. */
function checkExpectedAt(
  input: CreateOrderInput, ctx: ValidationContext, problems: FieldProblems,
): string | null {
  if (input.soonest) return null;
  return readExpectedAt(input.expectedAt, ctx.restaurant, ctx.now, problems) ?? null;
}
