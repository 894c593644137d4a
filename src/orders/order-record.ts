import type { OrderStatusId } from './order-status.js';

export type ExpeditionType = 'delivery' | 'pickup';
export type PaymentTypeId = 'cash' | 'card' | 'online';
export type PosSyncState = 'none' | 'pending' | 'confirmed' | 'failed' | 'unknown';

/** Guests (cutlery sets) an order may be for; more is a typing mistake, not a delivery. */
export const MAX_PERSONS = 999;

/** Whether `persons` is a guest count the cash station should receive. */
export function isPersonsCount(persons: number): boolean {
  return persons >= 1 && persons <= MAX_PERSONS;
}

/**
 * The `discounts` object a client sends with a new order (`delivery-api.md` §7: what the
 * pre-calculation answered), kept as sent. The hub does not apply its amounts.
 */
export type Discounts = Record<string, unknown>;

export interface Guest {
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
}

export interface Address {
  postcode?: string;
  street?: string;
  comment?: string;
  lat?: number;
  lon?: number;
  cityId?: string;
  cityName?: string;
  floor?: string;
  houseNumber?: string;
  apartmentNumber?: string;
  entrance?: string;
  intercom?: string;
  subway?: string;
  fullAddress?: string;
}

/**
 * One dish line as stored: prices in kopecks, quantity in thousandths. `total` is the whole line,
 * its ingredients included.
 */
export interface OrderLine {
  lineNo: number;
  productId: string;
  externalId: string;
  name: string;
  price: number;
  quantity: number;
  total: number;
  /** Serving size from the menu (thousandths) and its unit; null when the menu had none. */
  measureValue: number | null;
  measureUnit: string | null;
  ingredients: OrderLineIngredient[];
}

/**
 * An ingredient (r_keeper modifier) chosen for a line: `quantity` per dish (thousandths, whole
 * units), `total` what it adds to the whole line.
 */
export interface OrderLineIngredient {
  ingredientId: string;
  externalId: string;
  name: string;
  price: number;
  quantity: number;
  total: number;
}

/** One accepted tender of `/pay`. */
export interface OrderPayment {
  currencyCode: string;
  name: string;
  amount: number;
  paidAt: string;
}

/** An order with everything the API shows of it. */
export interface OrderRecord {
  id: number;
  orderSourceId: string;
  orderSourceName: string;
  corporationId: string;
  restaurantId: string;
  restaurantCode: number;
  statusId: OrderStatusId;
  expeditionType: ExpeditionType;
  paymentTypeId: PaymentTypeId;
  persons: number;
  comment: string;
  guest: Guest;
  address: Address | null;
  expectedAt: string | null;
  soonest: boolean;
  changeFrom: number | null;
  amount: number;
  deliveryAmount: number;
  fullAmount: number;
  paymentStatus: 'notPaid' | 'paid';
  paidRequest: string | null;
  orderExternalId: string | null;
  tableCode: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
  posSyncState: PosSyncState;
  posOrderGuid: string | null;
  posOrderName: string | null;
  isAttention: boolean;
  attentionReason: string | null;
  rejectionReason: { id: string; reason: string; text: string } | null;
  /** The client's `discounts` object as sent at create; stored and echoed, never applied. */
  discounts: Discounts | null;
  lines: OrderLine[];
  payments: OrderPayment[];
}
