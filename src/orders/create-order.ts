import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../api/request-context.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import { lineTotal } from '../money/money.js';
import type { Corporation, Restaurant } from '../store/chain-repo.js';
import { orderSearchText } from '../store/order-repo.js';
import type { MenuProductRow } from '../store/schema.js';
import { isoFromMillis, parseInstant } from '../time/instant.js';
import type { CreateOrderInput, DishInput } from './create-order-input.js';
import { type OrderContext, loadRestaurant } from './order-context.js';
import type { OrderLine } from './order-record.js';
import { acceptanceSteps, transferDueAt } from './order-automation.js';
import { OrderStatus } from './order-status.js';

const EXPEDITION_TYPES = ['delivery', 'pickup'];
const PAYMENT_TYPES = ['cash', 'card', 'online'];

/** What `POST /orders` answers. */
export interface CreatedOrder {
  orderId: number;
  /** False when the call repeated an earlier one (same `orderExternalId`). */
  created: boolean;
}

/**
 * Creates an order for an API connection: checks it against the restaurant and the menu, prices
 * it from the menu in kopecks, stores it with its first status changes, and sets the timer that
 * will take it to the cash station. Nothing is stored when anything is wrong.
 */
export async function createOrder(
  ctx: OrderContext, client: ApiClient, input: CreateOrderInput,
): Promise<CreatedOrder> {
  if (input.orderExternalId) {
    const existing = await ctx.orders.findByExternalId(client.clientId, input.orderExternalId);
    if (existing !== undefined) return { orderId: existing, created: false };
  }

  const restaurant = await restaurantFor(ctx, client, input.restaurantId);
  const corporation = await ctx.chain.getCorporation(restaurant.corporationId);
  if (!corporation) throw new HubError('corporation_not_found', 'Corporation not found');

  const menu = await ctx.chain.menuProducts(corporation.id);
  const now = ctx.clock();
  const checked = validate(input, { corporation, restaurant, menu, now });

  const createdAt = isoFromMillis(now);
  const steps = acceptanceSteps(corporation, restaurant, createdAt);
  const statusId = steps.at(-1)?.to ?? OrderStatus.New;
  const amount = checked.lines.reduce((sum, line) => sum + line.total, 0);

  const orderId = await ctx.orders.transaction(async (trx) => {
    const id = await ctx.orders.insert(trx, {
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
      deliveryAmount: 0,
      fullAmount: amount,
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
    }, checked.lines);

    await ctx.orders.addHistory(trx, id, [
      { from: null, to: OrderStatus.New, at: createdAt, actor: `api:${client.clientId}` },
      ...steps,
    ]);
    if (statusId === OrderStatus.TakenAtRestaurant) {
      const dueAt = transferDueAt(corporation, createdAt, checked.expectedAt);
      await ctx.timers.schedule(trx, 'transfer', id, dueAt, createdAt);
    }
    return id;
  });

  ctx.logger.info({ orderId, restaurantId: restaurant.id, statusId, amount }, 'order created');
  return { orderId, created: true };
}

async function restaurantFor(
  ctx: OrderContext, client: ApiClient, restaurantId: string | undefined,
): Promise<Restaurant> {
  if (!restaurantId) {
    throw new HubError('order_validation', 'restaurantId: Value is required', {
      errors: { restaurantId: ['Value is required'] },
    });
  }

  const restaurant = await loadRestaurant(ctx, restaurantId);
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
  menu: MenuProductRow[];
  now: number;
}

interface CheckedOrder {
  expeditionType: 'delivery' | 'pickup';
  paymentTypeId: 'cash' | 'card' | 'online';
  expectedAt: string | null;
  lines: Omit<OrderLine, 'lineNo'>[];
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
  if (input.persons !== undefined && input.persons < 1) {
    problems.add('persons', 'Value is not allowed');
  }
  if (input.changeFrom !== undefined && input.changeFrom < 0) {
    problems.add('changeFrom', 'Value is not allowed');
  }

  if (input.expeditionType === 'delivery') checkDeliveryFields(input, problems);
  const expectedAt = checkExpectedAt(input, ctx, problems);
  const lines = priceLines(input.dishes, ctx, problems);

  problems.throwIfAny('order_validation');
  return {
    expeditionType: input.expeditionType as CheckedOrder['expeditionType'],
    paymentTypeId: input.paymentTypeId as CheckedOrder['paymentTypeId'],
    expectedAt,
    lines,
  };
}

function checkDeliveryFields(input: CreateOrderInput, problems: FieldProblems): void {
  if (!input.guest.phone) problems.add('guest.phone', 'Phone is required');
  if (!input.address) {
    problems.add('address', 'Delivery address is required');
    return;
  }
  if (!input.address.street) problems.add('address.street', 'Street is required');
  if (!input.address.cityName) problems.add('address.cityName', 'City is required');
  if (!input.address.houseNumber) problems.add('address.houseNumber', 'House number is required');
}

/** `soonest` wins over `expectedAt`; a scheduled time needs a zone and enough lead time. */
function checkExpectedAt(
  input: CreateOrderInput, ctx: ValidationContext, problems: FieldProblems,
): string | null {
  if (input.soonest) return null;
  if (!input.expectedAt) {
    problems.add('expectedAt', 'Select the time of receipt');
    return null;
  }

  const parsed = parseInstant(input.expectedAt, ctx.restaurant.timeZone);
  if (!parsed) {
    problems.add('expectedAt', 'Value is not a valid date and time');
    return null;
  }
  if (!parsed.hadZone || parsed.dateOnly) {
    problems.add('expectedAt', 'Time zone is required');
    return null;
  }
  const earliest = ctx.now + ctx.restaurant.minLeadMinutes * 60_000;
  if (Date.parse(parsed.instant) < earliest) {
    problems.add('expectedAt', 'The requested time is earlier than the earliest possible time');
  }
  return parsed.instant;
}

/** Prices every line from the menu; lines are never merged. */
function priceLines(
  dishes: DishInput[] | undefined, ctx: ValidationContext, problems: FieldProblems,
): Omit<OrderLine, 'lineNo'>[] {
  if (!dishes || dishes.length === 0) {
    problems.add('dishList', 'Select dishes from the menu');
    return [];
  }

  const byId = new Map(ctx.menu.map((p) => [p.id.toLowerCase(), p]));
  const byExternalId = new Map(ctx.menu.map((p) => [p.externalId, p]));
  const lines: Omit<OrderLine, 'lineNo'>[] = [];

  for (const dish of dishes) {
    if (!dish.id) {
      problems.add(`${dish.path}.id`, 'Value is required');
      continue;
    }
    const product = byId.get(dish.id.toLowerCase()) ?? byExternalId.get(dish.id);
    if (!product) {
      problems.add(`${dish.path}.id`, `Dish ${dish.id} ${dish.name ?? ''} not found`.trimEnd());
      continue;
    }
    if (dish.quantity === undefined) {
      problems.add(`${dish.path}.quantity`, 'Value is required');
      continue;
    }
    if (dish.quantity <= 0) {
      problems.add(`${dish.path}.quantity`, 'The number of dishes must be greater than 0');
      continue;
    }
    if (ctx.corporation.checkContentsAndPrice && dish.price !== undefined
      && dish.price !== product.price) {
      problems.add(`${dish.path}.price`, `Wrong price for dish ${dish.id} ${product.name}`);
    }
    for (const ingredient of dish.ingredients) {
      // Modifier schemes arrive with the full menu (issue #3); until then no dish has any.
      problems.add(`${ingredient.path}.id`,
        `Ingredient ${ingredient.id ?? ''} ${ingredient.name ?? ''} is not in the menu`
          .replace(/ +/g, ' ').trimEnd());
    }
    lines.push({
      productId: product.id,
      externalId: product.externalId,
      name: product.name,
      price: product.price,
      quantity: dish.quantity,
      total: lineTotal(product.price, dish.quantity),
    });
  }
  return lines;
}
