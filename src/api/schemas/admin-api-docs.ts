import { Type } from '@sinclair/typebox';
import type { ErrorCode } from '../../errors/error-catalogue.js';
import { openObject, ref, resultOf } from './common-schemas.js';
import { type RouteSchema, routeDoc } from './route-doc.js';

const CHAIN = 'Admin: chain';
const ORDERS = 'Admin: orders';
const WEBHOOKS = 'Admin: webhooks';

const any = (what: string) => resultOf(openObject(what));
const list = (what: string) => resultOf(Type.Array(openObject(what)));
const body = (what: string) => openObject(`${what} Bodies are read strictly: an unknown key `
  + 'is a 400 naming it.');
const WRITE: readonly ErrorCode[] = ['ERR_PARSE_REQUEST'];
const corp = '/corporations/:corporationId';
const rest = '/restaurants/:restaurantId';
const conn = '/connections/:clientId';
const corpErrors: readonly ErrorCode[] = ['corporation_not_found'];
const restErrors: readonly ErrorCode[] = ['restaurant_not_found'];
const station: readonly ErrorCode[] = ['ERR_EXTERNAL_ERROR_WS', 'ERR_EXTERNAL_UNAVAILABLE_WS',
  'ERR_EXTERNAL_TIMEOUT_WS', 'ERR_EXTERNAL_CONFIG_WS'];

function chain(summary: string, ok: ReturnType<typeof any>, errors: readonly ErrorCode[],
  extra: { body?: string; okStatus?: number; querystring?: Record<string, never> } = {},
): RouteSchema {
  return routeDoc(CHAIN, {
    summary, ok, errors,
    ...(extra.body === undefined ? {} : { body: body(extra.body) }),
    ...(extra.okStatus === undefined ? {} : { okStatus: extra.okStatus }),
  });
}

/** The documentation of every route under `/admin/api/v1`, keyed `METHOD path`. */
export const ADMIN_API_DOCS: Record<string, RouteSchema> = {
  'POST /apply': routeDoc(CHAIN, {
    summary: 'Apply a whole chain file', querystring: { dryRun: Type.Boolean() },
    body: body('A chain declaration.'), ok: any('What was created or changed.'), errors: WRITE,
  }),
  'GET /corporations': chain('List corporations', list('A corporation.'), []),
  'POST /corporations': chain('Create a corporation', any('The corporation.'), WRITE,
    { body: 'A corporation.', okStatus: 201 }),
  [`GET ${corp}`]: chain('Read a corporation', any('The corporation.'), corpErrors),
  [`PATCH ${corp}`]: chain('Change a corporation and its settings', any('The corporation.'),
    [...WRITE, ...corpErrors], { body: 'Fields to change.' }),
  [`GET ${corp}/menu`]: chain('Read the menu', any('The menu as `GET /menu/view`.'), corpErrors),
  [`POST ${corp}/menu/import`]: chain('Import a menu from JSON', any('Import summary.'),
    [...WRITE, ...corpErrors], { body: 'A menu document.' }),
  [`GET ${corp}/rejection-reasons`]: chain('List rejection reasons',
    resultOf(Type.Array(ref('RejectionReason'))), corpErrors),
  [`PUT ${corp}/rejection-reasons`]: chain('Replace rejection reasons',
    resultOf(Type.Array(ref('RejectionReason'))), [...WRITE, ...corpErrors],
    { body: 'The full list.' }),
  'GET /restaurants': routeDoc(CHAIN, {
    summary: 'List restaurants', querystring: { corporationId: Type.String() },
    ok: list('A restaurant with its cash station (no password).'), errors: WRITE,
  }),
  'POST /restaurants': chain('Create a restaurant', any('The restaurant.'),
    [...WRITE, ...corpErrors], { body: 'A restaurant.', okStatus: 201 }),
  [`GET ${rest}`]: chain('Read a restaurant', any('The restaurant.'), restErrors),
  [`PATCH ${rest}`]: chain('Change a restaurant', any('The restaurant.'),
    [...WRITE, ...restErrors], { body: 'Fields to change.' }),
  [`GET ${rest}/currencies`]: chain('List currencies', list('A currency.'), restErrors),
  [`PUT ${rest}/currencies`]: chain('Replace currencies', list('A currency.'),
    [...WRITE, ...restErrors], { body: 'The full list.' }),
  [`POST ${rest}/menu/import-from-station`]: chain('Import the menu from the cash station',
    any('Import summary.'), [...restErrors, ...station]),
  [`POST ${rest}/station-check`]: chain('Check the cash-station connection',
    any('What the station answered.'), [...restErrors, ...station]),
  [`GET ${rest}/stop-list`]: chain('Read the stop list', list('A stopped dish.'), restErrors),
  [`PUT ${rest}/stop-list`]: chain('Replace the stop list', list('A stopped dish.'),
    [...WRITE, ...restErrors], { body: 'The full list.' }),
  [`GET ${rest}/delivery-zones`]: chain('List delivery zones', list('A zone with polygon.'),
    restErrors),
  [`PUT ${rest}/delivery-zones`]: chain('Replace delivery zones', list('A zone with polygon.'),
    [...WRITE, ...restErrors], { body: 'The full list (GeoJSON polygons).' }),
  'GET /connections': routeDoc(CHAIN, {
    summary: 'List API connections', querystring: { corporationId: Type.String() },
    ok: list('A connection (never its secret).'), errors: WRITE,
  }),
  'POST /connections': chain('Create an API connection',
    any('The connection with its secret, shown this once.'), [...WRITE, ...corpErrors],
    { body: 'A connection.', okStatus: 201 }),
  [`GET ${conn}`]: chain('Read an API connection', any('The connection.'),
    ['order_source_not_found']),
  [`PATCH ${conn}`]: chain('Change an API connection', any('The connection.'),
    [...WRITE, 'order_source_not_found'], { body: 'Fields to change.' }),
  [`POST ${conn}/rotate-secret`]: chain('Rotate the secret',
    any('The connection with its new secret, shown this once.'), ['order_source_not_found']),
  'GET /orders/:orderId': routeDoc(ORDERS, {
    summary: 'Read any order (with operator fields)', ok: resultOf(ref('Order')),
    errors: ['order_not_found'],
  }),
  ...Object.fromEntries(['confirm', 'accept', 'transfer'].map((action) => [
    `POST /orders/:orderId/${action}`, routeDoc(ORDERS, {
      summary: `Operator action: ${action}`, ok: any('The order after the action.'),
      errors: ['order_not_found', 'err_unprocessable_entity', 'err_operation_in_progress',
        ...station],
    })])),
  'POST /orders/:orderId/status': routeDoc(ORDERS, {
    summary: 'Advance an order to a kitchen status',
    body: Type.Object({ statusId: Type.Integer() }), ok: any('The order after the change.'),
    errors: ['ERR_PARSE_REQUEST', 'order_not_found', 'err_unprocessable_entity'],
  }),
  'POST /webhooks': routeDoc(WEBHOOKS, {
    summary: 'Subscribe a webhook', okStatus: 201, body: body('URL, events, corporation.'),
    ok: any('The subscription with its signing secret.'), errors: WRITE,
  }),
  'GET /webhooks': routeDoc(WEBHOOKS, { summary: 'List subscriptions',
    ok: list('A subscription.') }),
  'GET /webhooks/:id': routeDoc(WEBHOOKS, { summary: 'Read a subscription',
    ok: any('The subscription.'), errors: ['webhook_not_found'] }),
  'PATCH /webhooks/:id': routeDoc(WEBHOOKS, { summary: 'Change a subscription',
    body: body('Fields to change.'), ok: any('The subscription.'),
    errors: [...WRITE, 'webhook_not_found'] }),
  'DELETE /webhooks/:id': routeDoc(WEBHOOKS, { summary: 'Delete a subscription',
    ok: any('Empty.'), errors: ['webhook_not_found'] }),
  'POST /webhooks/:id/resume': routeDoc(WEBHOOKS, {
    summary: 'Resume a subscription the hub paused',
    description: 'Deliveries that fail for their whole retry window with nothing delivered to '
      + 'the subscription meanwhile pause it (pausedAt, pauseReason); events are still queued. '
      + 'Resuming makes the queued deliveries due now, each with a fresh retry window.',
    ok: any('The subscription.'), errors: ['webhook_not_found'] }),
  'POST /webhooks/:id/ping': routeDoc(WEBHOOKS, { summary: 'Send a test event',
    ok: any('The queued delivery.'), errors: ['webhook_not_found'] }),
  'GET /webhooks/deliveries': routeDoc(WEBHOOKS, {
    summary: 'List deliveries', ok: list('A delivery.'), errors: WRITE,
    querystring: { subscriptionId: Type.String(), eventId: Type.String(),
      status: Type.Union(['pending', 'delivered', 'dead'].map((s) => Type.Literal(s))),
      limit: Type.Integer() },
  }),
  'GET /webhooks/deliveries/:id': routeDoc(WEBHOOKS, { summary: 'Read a delivery',
    ok: any('The delivery.'), errors: ['webhook_not_found'] }),
  'GET /webhooks/deliveries/:id/attempts': routeDoc(WEBHOOKS, {
    summary: 'Attempts of a delivery', ok: list('An attempt.'), errors: ['webhook_not_found'] }),
  'POST /webhooks/replay': routeDoc(WEBHOOKS, { summary: 'Replay deliveries',
    body: body('Which deliveries or events.'), ok: any('What was queued.'),
    errors: [...WRITE, 'webhook_not_found'] }),
};
