import { BodyReader } from '../api/body-reader.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import type { Address, Guest } from './order-record.js';

/** Longest `discounts` object accepted, as JSON text: a pre-calculation's list fits. */
export const MAX_DISCOUNTS_LENGTH = 10_000;

/** A dish line as the client sent it, types checked, meaning not yet. */
export interface DishInput {
  path: string;
  /** Menu id, or r_keeper code (`externalId`); `externalId` is read when `id` is absent. */
  id: string | undefined;
  name: string | undefined;
  price: number | undefined;
  quantity: number | undefined;
  ingredients: IngredientInput[];
}

/** A chosen ingredient (modifier) of a dish line, as the client sent it. */
export interface IngredientInput {
  path: string;
  /** Menu id, or r_keeper modifier code (`externalId`). */
  id: string | undefined;
  name: string | undefined;
  price: number | undefined;
  /** Per dish, thousandths. */
  quantity: number | undefined;
  /** How many ingredients of its own the item carries (modifiers take none). */
  nested: number;
}

/** The create-order body after type checks (`delivery-api.md` §8.1). */
export interface CreateOrderInput {
  restaurantId: string | undefined;
  comment: string;
  persons: number | undefined;
  expeditionType: string | undefined;
  paymentTypeId: string | undefined;
  soonest: boolean;
  expectedAt: string | undefined;
  changeFrom: number | undefined;
  guest: Guest;
  address: Address | undefined;
  dishes: DishInput[] | undefined;
  orderExternalId: string | undefined;
  /** The client's `discounts` object as JSON text, to store and echo; never applied. */
  discounts: string | undefined;
}

const ADDRESS_TEXT_FIELDS = [
  'postcode', 'street', 'comment', 'cityId', 'cityName', 'floor', 'houseNumber',
  'apartmentNumber', 'entrance', 'intercom', 'subway', 'fullAddress',
] as const;

/**
 * Reads the body of `POST /orders`. Wrong types (a price of `"4OO"`, an object where a list is
 * due) are a 400 `ERR_PARSE_REQUEST` naming every such field; missing and invalid values are
 * left for business validation, which answers `order_validation`.
 */
export function readCreateOrder(body: unknown): CreateOrderInput {
  const problems = new FieldProblems();
  const root = new BodyReader(body, '', problems);
  if (!root.isObject) throw new HubError('ERR_PARSE_REQUEST', 'The body must be a JSON object');

  const input: CreateOrderInput = {
    restaurantId: root.field('restaurantId').text(),
    comment: root.field('comment').string() ?? '',
    persons: root.field('persons').int(),
    expeditionType: root.field('expeditionType').text(),
    paymentTypeId: root.field('paymentTypeId').text(),
    soonest: root.field('soonest').bool() ?? false,
    expectedAt: root.field('expectedAt').text(),
    changeFrom: root.field('changeFrom').kopecks(),
    guest: readGuest(root.field('guest')),
    address: readAddress(root.field('address')),
    dishes: root.field('dishList').array()?.map(readDish),
    orderExternalId: root.field('orderExternalId').text(),
    discounts: readDiscounts(root.field('discounts')),
  };

  problems.throwIfAny('ERR_PARSE_REQUEST');
  return input;
}

function readGuest(guest: BodyReader): Guest {
  if (!guest.absent && !guest.isObject) guest.problem('must be an object');

  return dropUndefined({
    email: guest.field('email').text(),
    phone: guest.field('phone').text(),
    firstName: guest.field('firstName').text(),
    lastName: guest.field('lastName').text(),
  });
}

function readAddress(address: BodyReader): Address | undefined {
  if (address.absent) return undefined;
  if (!address.isObject) {
    address.problem('must be an object');
    return undefined;
  }

  const result: Address = {};
  for (const name of ADDRESS_TEXT_FIELDS) {
    const value = address.field(name).text();
    if (value !== undefined) result[name] = value;
  }
  const lat = address.field('lat').number();
  const lon = address.field('lon').number();
  if (lat !== undefined) result.lat = lat;
  if (lon !== undefined) result.lon = lon;
  return result;
}

/** Any JSON object of bounded size (`delivery-api.md` §8.1); null or absent → undefined. */
function readDiscounts(discounts: BodyReader): string | undefined {
  if (discounts.absent) return undefined;
  if (!discounts.isObject) {
    discounts.problem('must be an object');
    return undefined;
  }

  const json = JSON.stringify(discounts.value);
  if (json.length > MAX_DISCOUNTS_LENGTH) {
    discounts.problem(`must be at most ${MAX_DISCOUNTS_LENGTH} characters long as JSON`);
    return undefined;
  }
  return json;
}

function readDish(dish: BodyReader): DishInput {
  if (!dish.isObject) dish.problem('must be an object');

  return {
    path: dish.path,
    id: dish.field('id').text() ?? dish.field('externalId').text(),
    name: dish.field('name').string(),
    price: dish.field('price').kopecks(),
    quantity: dish.field('quantity').thousandths(),
    ingredients: (dish.field('ingredients').array() ?? []).map(readIngredient),
  };
}

function readIngredient(ingredient: BodyReader): IngredientInput {
  if (!ingredient.isObject) ingredient.problem('must be an object');

  return {
    path: ingredient.path,
    id: ingredient.field('id').text() ?? ingredient.field('externalId').text(),
    name: ingredient.field('name').string(),
    price: ingredient.field('price').kopecks(),
    quantity: ingredient.field('quantity').thousandths(),
    nested: ingredient.field('ingredients').array()?.length ?? 0,
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
