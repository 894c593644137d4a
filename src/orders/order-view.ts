import { toQuantity, toRoubles } from '../money/money.js';
import { toWire } from '../time/instant.js';
import type { Address, OrderLine, OrderRecord } from './order-record.js';
import { OrderStatus, statusName } from './order-status.js';

const ADDRESS_KEYS: readonly (keyof Address)[] = [
  'postcode', 'street', 'comment', 'lat', 'lon', 'cityId', 'cityName', 'floor',
  'apartmentNumber', 'houseNumber', 'entrance', 'intercom', 'fullAddress', 'subway',
];

/**
 * An order as the wire shows it (`delivery-api.md` §9.1): camelCase keys, money as decimal
 * roubles in JSON numbers, instants in UTC with `+00:00`, every documented key present.
 * `version`, `posSyncState` and `posOrderName` are the hub's additive extensions.
 */
export function orderView(order: OrderRecord, now: number) {
  return {
    orderId: String(order.id),
    comment: order.comment,
    guest: {
      email: order.guest.email ?? null,
      phone: order.guest.phone ?? '',
      firstName: order.guest.firstName ?? '',
      lastName: order.guest.lastName ?? '',
    },
    corporationId: order.corporationId,
    restaurantId: order.restaurantId,
    orderStatusId: order.statusId,
    orderStatusName: statusName(order.statusId),
    tableCode: order.tableCode,
    createdAt: toWire(order.createdAt),
    updatedAt: toWire(order.updatedAt),
    completedAt: toWire(order.completedAt),
    orderSourceId: order.orderSourceId,
    orderSourceName: order.orderSourceName,
    fullAmount: toRoubles(order.fullAmount),
    amount: toRoubles(order.amount),
    changeFrom: order.changeFrom === null ? null : toRoubles(order.changeFrom),
    deliveryAmount: toRoubles(order.deliveryAmount),
    address: order.address === null ? null : addressView(order.address),
    expectedAt: toWire(order.expectedAt),
    soonest: order.soonest,
    isLate: lateAfter(order) < now,
    isAttention: order.isAttention,
    courierId: null,
    courierName: null,
    dishList: order.lines.map(lineView),
    expeditionType: order.expeditionType,
    paymentTypeId: order.paymentTypeId,
    persons: order.persons,
    rejectionReason: order.rejectionReason,
    paymentStatus: order.paymentStatus,
    payments: order.payments.length === 0 ? null : order.payments.map((p) => ({
      code: p.currencyCode,
      amount: toRoubles(p.amount),
      paidAt: toWire(p.paidAt),
      name: p.name,
    })),
    restaurantCode: order.restaurantCode,
    qmsId: null,
    orderExternalId: order.orderExternalId,
    discounts: order.discounts,
    version: order.version,
    posSyncState: order.posSyncState,
    posOrderName: order.posOrderName,
  };
}

/**
 * When an order becomes late (`isLate`), milliseconds since the epoch: its expected time, unless
 * it is finished or has none (then never: Infinity).
 */
export function lateAfter(order: OrderRecord): number {
  const finished = order.statusId === OrderStatus.Completed
    || order.statusId === OrderStatus.Cancelled;
  const expected = order.expectedAt === null ? NaN : Date.parse(order.expectedAt);
  return finished || Number.isNaN(expected) ? Infinity : expected;
}

/**
 * A dish line: `price` is the dish's unit price, `measure` its serving as the menu had it, and
 * `ingredients` the chosen modifiers with their unit price and quantity per dish (null when none,
 * as the documented example shows).
 */
function lineView(line: OrderLine) {
  return {
    id: line.productId,
    externalId: line.externalId,
    name: line.name,
    price: toRoubles(line.price),
    measure: {
      value: line.measureValue === null ? 0 : toQuantity(line.measureValue),
      unit: line.measureUnit ?? '',
    },
    quantity: toQuantity(line.quantity),
    ingredients: line.ingredients.length === 0 ? null : line.ingredients.map((i) => ({
      id: i.ingredientId,
      externalId: i.externalId,
      name: i.name,
      price: toRoubles(i.price),
      quantity: toQuantity(i.quantity),
    })),
  };
}

function addressView(address: Address) {
  const view: Record<string, string | number | null> = {};
  for (const key of ADDRESS_KEYS) view[key] = address[key] ?? (key === 'lat' || key === 'lon'
    || key === 'cityId' || key === 'floor' ? null : '');
  return view;
}
