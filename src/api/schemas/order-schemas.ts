import { type TSchema, Type } from '@sinclair/typebox';
import { Guid, Money, ref } from './common-schemas.js';

/** Order shapes of the r_k Delivery API (`delivery-api.md` §8, §9, §11, §17). */

const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);

/** The pre-calculation's `discounts` (§7), sent back by the client: stored and echoed only. */
const Discounts = Type.Object({}, {
  additionalProperties: true,
  description: 'The `discounts` object of the pre-calculation (`POST /orders/delivery`) as the '
    + 'client sent it with the order: stored and echoed as sent; the hub does not apply its '
    + 'amounts (the cash station applies its own discounts).',
});

const Measure = Type.Object({
  value: Nullable(Type.Number()),
  unit: Nullable(Type.String()),
  priceMode: Type.Optional(Type.Union(['PerPiece', 'PerPortion', 'PerUnitOfWeight', 'PerDose']
    .map((mode) => Type.Literal(mode)))),
  qntDecDigits: Type.Optional(Nullable(Type.Integer())),
});

const Ingredient = Type.Object({
  id: Type.String(),
  externalId: Type.Optional(Nullable(Type.String())),
  name: Type.Optional(Type.String()),
  price: Type.Optional(Money),
  quantity: Type.Number({ description: 'Per dish; fractional for weighed items.' }),
  measure: Type.Optional(Nullable(Measure)),
  ingredients: Type.Optional(Nullable(Type.Array(Type.Unsafe({ $ref: 'OrderIngredient#' })))),
}, { $id: 'OrderIngredient', additionalProperties: true });

const Dish = Type.Object({
  id: Type.String({ description: 'Dish id from the menu, or its r_keeper id (`externalId`).' }),
  externalId: Type.Optional(Nullable(Type.String())),
  name: Type.Optional(Type.String()),
  price: Type.Optional(Money),
  quantity: Type.Number({ description: 'Greater than 0; fractional for weighed dishes.' }),
  measure: Type.Optional(Nullable(Measure)),
  schemeId: Type.Optional(Nullable(Type.String())),
  ingredients: Type.Optional(Nullable(Type.Array(ref('OrderIngredient')))),
}, { $id: 'OrderDish', additionalProperties: true });

const Guest = Type.Object({
  email: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Type.String()),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
}, { $id: 'Guest' });

const Address = Type.Object({
  postcode: Type.Optional(Nullable(Type.String())),
  street: Type.Optional(Nullable(Type.String())),
  comment: Type.Optional(Nullable(Type.String())),
  lat: Type.Optional(Nullable(Type.Number())),
  lon: Type.Optional(Nullable(Type.Number())),
  cityId: Type.Optional(Nullable(Type.String())),
  cityName: Type.Optional(Nullable(Type.String())),
  floor: Type.Optional(Nullable(Type.Union([Type.Integer(), Type.String()]))),
  houseNumber: Type.Optional(Nullable(Type.String())),
  apartmentNumber: Type.Optional(Nullable(Type.String())),
  entrance: Type.Optional(Nullable(Type.String())),
  intercom: Type.Optional(Nullable(Type.String())),
  subway: Type.Optional(Nullable(Type.String())),
  fullAddress: Type.Optional(Nullable(Type.String())),
}, { $id: 'Address' });

const ExpeditionType = Type.Union([Type.Literal('delivery'), Type.Literal('pickup')]);
const PaymentTypeId = Type.Union(['cash', 'card', 'online'].map((t) => Type.Literal(t)));

/** One payment of `PUT /orders/{id}/pay` (`delivery-api.md` §11.3). */
const PaymentItem = Type.Object({
  code: Type.String({ description: 'Currency code of the restaurant (GUID).' }),
  amount: Money,
  paidAt: Type.String({ description: 'Instant with offset.' }),
  name: Type.Optional(Nullable(Type.String())),
}, { $id: 'PaymentItem' });

const Order = Type.Object({
  orderId: Type.String(),
  comment: Nullable(Type.String()),
  guest: ref('Guest'),
  corporationId: Guid,
  restaurantId: Guid,
  orderStatusId: Type.Integer({ minimum: 1, maximum: 13 }),
  orderStatusName: Type.String(),
  tableCode: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  completedAt: Nullable(Type.String()),
  orderSourceId: Guid,
  orderSourceName: Type.String(),
  fullAmount: Money,
  amount: Money,
  changeFrom: Nullable(Money),
  deliveryAmount: Money,
  address: Nullable(ref('Address')),
  expectedAt: Nullable(Type.String()),
  soonest: Type.Optional(Type.Boolean()),
  isLate: Type.Boolean(),
  isAttention: Nullable(Type.Boolean()),
  courierId: Nullable(Type.String()),
  courierName: Nullable(Type.String()),
  dishList: Type.Array(ref('OrderDish')),
  expeditionType: ExpeditionType,
  paymentTypeId: PaymentTypeId,
  persons: Type.Integer(),
  rejectionReason: Nullable(Type.Object({
    id: Type.String(), reason: Type.String(), text: Type.String(),
  })),
  paymentStatus: Type.Union([Type.Literal('notPaid'), Type.Literal('paid')]),
  payments: Nullable(Type.Array(ref('PaymentItem'))),
  restaurantCode: Nullable(Type.Integer()),
  qmsId: Type.Optional(Nullable(Type.String())),
  orderExternalId: Type.Optional(Nullable(Type.String())),
  discounts: Type.Optional(Nullable(Discounts)),
  version: Type.Optional(Type.Integer({ description: 'Hub extension: optimistic version.' })),
  posSyncState: Type.Optional(Type.String({ description: 'Hub extension.' })),
  posOrderName: Type.Optional(Nullable(Type.String({ description: 'Hub extension.' }))),
}, { $id: 'Order', additionalProperties: true, description: 'An order (`delivery-api.md` §9.1).' });

/** Body of `POST /orders` and `PATCH /orders/{id}` as documented (keys read case-insensitively). */
const CreateOrderBody = Type.Object({
  restaurantId: Type.String(),
  comment: Type.Optional(Nullable(Type.String())),
  persons: Type.Optional(Type.Integer()),
  dishList: Type.Array(ref('OrderDish'), { minItems: 1 }),
  expeditionType: ExpeditionType,
  expectedAt: Type.Optional(Nullable(Type.String({
    description: 'Instant with an offset; from the restaurant\'s lead time to 60 days ahead.',
  }))),
  soonest: Type.Optional(Nullable(Type.Boolean())),
  paymentTypeId: PaymentTypeId,
  changeFrom: Type.Optional(Nullable(Money)),
  guest: Type.Optional(Nullable(ref('Guest'))),
  address: Type.Optional(Nullable(ref('Address'))),
  discounts: Type.Optional(Nullable(Discounts)),
  orderExternalId: Type.Optional(Nullable(Type.String())),
}, {
  $id: 'CreateOrderBody', additionalProperties: true,
  description: 'Keys match case-insensitively, numbers may be sent as strings, `null` counts as '
    + 'absent and unknown keys are ignored (`delivery-api.md` §14).',
});

const RejectBody = Type.Object({
  rejectionReasonId: Type.Optional(Type.String()),
  rejectionReasonText: Type.Optional(Type.String()),
}, { $id: 'RejectBody' });

const RejectionReason = Type.Object({
  id: Guid, reason: Type.String(),
  type: Type.Union([Type.Literal('simple'), Type.Literal('text')]),
  isPossibleDelete: Type.Boolean(),
}, { $id: 'RejectionReason' });

/** The order schemas registered under their `$id`. */
export const ORDER_SCHEMAS: readonly TSchema[] = [
  Ingredient, Dish, Guest, Address, PaymentItem, Order, CreateOrderBody, RejectBody,
  RejectionReason,
];
