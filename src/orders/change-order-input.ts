import { BodyReader } from '../api/body-reader.js';
import { FieldProblems } from '../errors/hub-error.js';
import { type CreateOrderInput, readCreateOrder } from './create-order-input.js';
import type { Address, Guest } from './order-record.js';

/** The top-level fields of an order a PATCH may carry (`delivery-api.md` §11.1). */
export const CHANGE_FIELDS = [
  'restaurantId', 'comment', 'persons', 'dishList', 'expeditionType', 'expectedAt', 'soonest',
  'paymentTypeId', 'changeFrom', 'guest', 'address',
] as const;

export type ChangeField = (typeof CHANGE_FIELDS)[number];

/**
 * A nested object's change, field by field: a value to set, or `null` to clear a field the client
 * sent blank. Fields the client did not send are absent and keep their value.
 */
export type FieldChanges<T> = { [K in keyof T]?: T[K] | null };

/** The PATCH body after type checks: what was sent, read exactly as create reads it. */
export interface ChangeOrderInput {
  /** Top-level fields present in the body (an explicit `null` counts as absent). */
  sent: ReadonlySet<ChangeField>;
  /** The body read by the create reader; only the fields in `sent` mean anything. */
  values: CreateOrderInput;
  guest: FieldChanges<Guest>;
  address: FieldChanges<Address>;
}

const GUEST_FIELDS = ['email', 'phone', 'firstName', 'lastName'] as const;

const ADDRESS_FIELDS = [
  'postcode', 'street', 'comment', 'lat', 'lon', 'cityId', 'cityName', 'floor', 'houseNumber',
  'apartmentNumber', 'entrance', 'intercom', 'subway', 'fullAddress',
] as const;

/**
 * Reads the body of `PATCH /orders/{id}` with the create reader, so both accept the same
 * spellings and types and answer type problems with the same 400 `ERR_PARSE_REQUEST`; on top it
 * records which fields were sent. `orderId`, `orderStatusId` and `orderStatusName` are ignored.
 */
export function readChangeOrder(body: unknown): ChangeOrderInput {
  const values = readCreateOrder(body);
  const root = new BodyReader(body, '', new FieldProblems());

  return {
    sent: new Set(CHANGE_FIELDS.filter((field) => !root.field(field).absent)),
    values,
    guest: changesOf(root.field('guest'), GUEST_FIELDS, values.guest),
    address: changesOf(root.field('address'), ADDRESS_FIELDS, values.address ?? {}),
  };
}

/** The sent members of a nested object: their read value, or `null` when sent blank. */
function changesOf<T extends object>(
  reader: BodyReader, fields: readonly (keyof T & string)[], read: T,
): FieldChanges<T> {
  const changes: FieldChanges<T> = {};
  for (const field of fields) {
    if (reader.field(field).absent) continue;
    changes[field] = read[field] ?? null;
  }
  return changes;
}

/** `base` with `changes` applied; cleared fields are dropped. */
export function mergeFields<T extends object>(base: T, changes: FieldChanges<T>): T {
  const merged = { ...base } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (value === null || value === undefined) delete merged[field];
    else merged[field] = value;
  }
  return merged as T;
}
