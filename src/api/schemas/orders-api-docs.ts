import { Type } from '@sinclair/typebox';
import {
  EmptyResult, Guid, openObject, pageOf, ref, resultOf,
} from './common-schemas.js';
import { type RouteSchema, routeDoc } from './route-doc.js';

const ORDERS = 'Orders';
const REFERENCE = 'Reference data';
const GEO = 'Geography';

const orderId = 'orders/:orderId';
const id = Type.String();
const page = { offset: Type.Integer({ minimum: 0 }), limit: Type.Integer({ minimum: 1 }) };
/** `If-Match` of `delivery-api.md` §16, on the routes that change one order. */
const ifMatch = {
  'If-Match': Type.String({ description: 'The order `version` the change is based on: `3`, '
    + '`"3"` or `W/"3"`. When the order is at another version nothing is changed and the answer '
    + 'is 409 `err_version_mismatch`; a value of another shape is 400 `ERR_PARSE_REQUEST`.' }),
};
const restaurantFilter = {
  restaurantId: Type.String({ description: 'Narrow stop lists to one restaurant.' }),
};

/**
 * The documentation of every route under `/orders/api/v1`, keyed `METHOD path` (path relative
 * to the prefix, as the route files register it).
 */
export const ORDERS_API_DOCS: Record<string, RouteSchema> = {
  'POST /orders': routeDoc(ORDERS, {
    summary: 'Create an order (E7)', okStatus: 201, body: ref('CreateOrderBody'),
    description: 'Send an `Idempotency-Key` header to make retries safe.',
    ok: resultOf(Type.Object({ orderId: Type.String() })),
    errors: ['ERR_PARSE_REQUEST', 'order_validation', 'restaurant_not_found',
      'order_source_not_found_for_restaurant', 'ERR_PAYLOAD_TOO_LARGE'],
  }),
  [`GET /${orderId}`]: routeDoc(ORDERS, {
    summary: 'Read an order (E8)', ok: resultOf(ref('Order')), errors: ['order_not_found'],
  }),
  'GET /orders': routeDoc(ORDERS, {
    summary: 'Search orders (E9)', description: 'A plain array, no paging envelope.',
    querystring: {
      includeStatusIds: Type.Union([Type.Integer(), Type.Array(Type.Integer()), Type.String()]),
      sortOrder: Type.Union([Type.Literal('asc'), Type.Literal('desc')]),
      orderBy: Type.Union([Type.Literal('updatedAt'), Type.Literal('expectedAt')]),
      q: Type.String(), fromDate: Type.String(), toDate: Type.String(), ...page,
    },
    ok: resultOf(Type.Array(ref('Order'))), errors: ['ERR_PARSE_REQUEST'],
  }),
  [`PATCH /${orderId}`]: routeDoc(ORDERS, {
    summary: 'Change an order (E10)', body: ref('CreateOrderBody'), ok: EmptyResult,
    description: 'Editable until paid; the corporation may forbid changes.', headers: ifMatch,
    errors: ['ERR_PARSE_REQUEST', 'order_validation', 'order_not_found',
      'err_unprocessable_entity', 'err_operation_in_progress', 'err_version_mismatch',
      'ERR_EXTERNAL_ERROR_WS', 'ERR_EXTERNAL_LOCKED_WS', 'ERR_EXTERNAL_UNAVAILABLE_WS',
      'ERR_EXTERNAL_TIMEOUT_WS'],
  }),
  'GET /rejectionReasons': routeDoc(ORDERS, {
    summary: 'Rejection reasons (E11)', ok: resultOf(Type.Array(ref('RejectionReason'))),
  }),
  [`PUT /${orderId}/reject`]: routeDoc(ORDERS, {
    summary: 'Cancel an order (E12)', body: ref('RejectBody'), ok: EmptyResult,
    headers: ifMatch,
    errors: ['err_parse_request', 'ERR_PARSE_REQUEST', 'order_not_found',
      'rejection_reason_not_found', 'err_unprocessable_entity', 'err_operation_in_progress',
      'err_version_mismatch', 'ERR_EXTERNAL_ERROR_WS', 'ERR_EXTERNAL_LOCKED_WS',
      'ERR_EXTERNAL_UNAVAILABLE_WS', 'ERR_EXTERNAL_TIMEOUT_WS'],
  }),
  [`PUT /${orderId}/pay`]: routeDoc(ORDERS, {
    summary: 'Pay an order (E13)', body: Type.Array(ref('PaymentItem')), ok: EmptyResult,
    description: 'Repeating the identical request after `ERR_EXTERNAL_TIMEOUT_WS` is safe, '
      + 'with the same `If-Match` too.',
    headers: ifMatch,
    errors: ['ERR_PARSE_REQUEST', 'order_not_found', 'err_unprocessable_entity',
      'err_operation_in_progress', 'err_version_mismatch', 'ERR_EXTERNAL_ERROR_WS',
      'ERR_EXTERNAL_LOCKED_WS', 'ERR_EXTERNAL_UNAVAILABLE_WS', 'ERR_EXTERNAL_TIMEOUT_WS',
      'ERR_EXTERNAL_SHIFT_WS', 'ERR_EXTERNAL_CONFIG_WS'],
  }),
  [`PUT /${orderId}/complete`]: routeDoc(ORDERS, {
    summary: 'Close an order (E14)', ok: EmptyResult, headers: ifMatch,
    errors: ['order_not_found', 'err_unprocessable_entity', 'err_operation_in_progress',
      'err_version_mismatch', 'ERR_PARSE_REQUEST', 'rk7_close_order', 'ERR_EXTERNAL_ERROR_WS',
      'ERR_EXTERNAL_LOCKED_WS', 'ERR_EXTERNAL_UNAVAILABLE_WS', 'ERR_EXTERNAL_TIMEOUT_WS',
      'ERR_EXTERNAL_SHIFT_WS', 'ERR_EXTERNAL_CONFIG_WS'],
  }),
  'GET /events': routeDoc(ORDERS, {
    summary: 'Order events feed', querystring: { after: Type.String(), limit: Type.Integer() },
    ok: resultOf(openObject('Events after the cursor, with the next cursor.')),
    errors: ['ERR_PARSE_REQUEST'],
  }),
  'GET /orderSources/:orderSourceId/restaurants': routeDoc(REFERENCE, {
    summary: 'Restaurants of the order source (E3)',
    ok: resultOf(Type.Array(Type.Object({
      id: Guid, objectId: Type.Integer(), name: Type.String(),
      actualAddress: Type.Union([Type.String(), Type.Null()]), state: Type.String(),
    }, { additionalProperties: true }))),
    errors: ['order_source_not_found'],
  }),
  'GET /restaurants/:restaurantId/settings/currencies': routeDoc(REFERENCE, {
    summary: 'Payment currencies of a restaurant (E17)',
    ok: resultOf(Type.Array(Type.Object({ name: Type.String(), code: Type.String() }))),
    errors: ['restaurant_not_found'],
  }),
  'GET /menu/view': routeDoc(REFERENCE, {
    summary: 'The menu (E4)', querystring: restaurantFilter,
    ok: resultOf(openObject('Categories, products, modifier schemes/groups, ingredients.')),
    errors: ['restaurant_not_found'],
  }),
  'GET /menu/dishes/limitedlist': routeDoc(REFERENCE, {
    summary: 'Stopped and limited dishes (E5)', querystring: restaurantFilter,
    ok: resultOf(Type.Array(openObject('A dish in the stop list, with its limit.'))),
    errors: ['restaurant_not_found'],
  }),
  'GET /addresses/suggestions': routeDoc(GEO, {
    summary: 'Address suggestions (E1)', querystring: { search: Type.String() },
    ok: resultOf(Type.Array(openObject('An address with its city and coordinates.'))),
    errors: ['ERR_PARSE_REQUEST'],
  }),
  'GET /restaurants/geo/first': routeDoc(GEO, {
    summary: 'The restaurant delivering to a point (E2)',
    querystring: { lat: Type.Number(), lon: Type.Number() },
    ok: resultOf(openObject('Restaurant, its delivery zone, delivery price and minimums.')),
    errors: ['ERR_PARSE_REQUEST', 'restaurant_not_found'],
  }),
  'POST /orders/delivery': routeDoc(GEO, {
    summary: 'Pre-calculate an order (E6)', body: ref('CreateOrderBody'),
    ok: resultOf(Type.Object({ amount: openObject('Amounts, delivery cost and discounts.') })),
    errors: ['ERR_PARSE_REQUEST', 'order_validation', 'restaurant_not_found'],
  }),
  'GET /countries': routeDoc(GEO, {
    summary: 'Countries (E15)', querystring: page,
    ok: resultOf(pageOf(Type.Object({ id, name: Type.String() }, { additionalProperties: true }))),
    errors: ['ERR_PARSE_REQUEST'],
  }),
  'GET /countries/:countryId/cities': routeDoc(GEO, {
    summary: 'Cities of a country (E16)', querystring: page,
    ok: resultOf(pageOf(Type.Object({ id, name: Type.String() }, { additionalProperties: true }))),
    errors: ['ERR_PARSE_REQUEST', 'ERR_NOT_FOUND'],
  }),
};
