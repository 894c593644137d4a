import { DemoClient, asObject, describeError } from './demo-client.js';
import { DemoReport, show } from './demo-report.js';
import { settleSteps } from './settle-steps.js';
import { STORY_TOTAL, type StoryOrder, readOrder } from './story-order.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Origin of the running hub, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Client ID of an API connection attached to a restaurant with the demo menu. */
  clientId: string;
  clientSecret: string;
  /** How long to wait for the order to reach the kitchen (status 4); default 60 s. */
  waitTransferSec?: number;
  /** Where report lines go; default `console.log`. */
  log?: (line: string) => void;
}

/** The story's dishes by r_keeper code: 400 + 290 + 2 × 144 = 978.00. */
const STORY_DISHES = [
  { externalId: '101', name: 'Caesar salad', price: 400, quantity: 1 },
  { externalId: '102', name: 'Borscht', price: 290, quantity: 1 },
  { externalId: '103', name: 'Cranberry mors', price: 144, quantity: 2 },
] as const;

const TRANSFERRED_TO_KITCHEN = 4;
const STEPS = 8;

/** A type, not an interface, so that it fits the client's open `OrderDish`. */
type OrderLine = {
  id: string;
  name: string;
  price: number;
  quantity: number;
};

/**
 * Plays the seed story "paying and closing" (`seed-paying-and-closing.txt`) against a running
 * hub over HTTP, as a website would: token, restaurant and menu, a delivery order paid online,
 * the wait until it reaches the kitchen, a short payment the cash station refuses, a close of
 * the unpaid order it refuses, the full payment, and the close.
 *
 * Each step checks what the contract (`delivery-api.md` §3, §8, §9, §11.3, §11.4, §13)
 * documents and prints numbered ✔/✘ lines. Nothing is retried, except that step 4 polls the
 * order once a second. Stops at the first step that deviates.
 *
 * @returns true when every step held.
 */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.log(line));
  const report = new DemoReport(log);
  const client = new DemoClient(options.baseUrl,
    { clientId: options.clientId, clientSecret: options.clientSecret });

  log(`delivery-hub demo: the "paying and closing" story against ${options.baseUrl}`);
  log('');
  try {
    await playStory(client, report, options);
  } catch (err) {
    report.fail(`request failed: ${describeError(err)}`);
  }
  return report.finish(STEPS);
}

async function playStory(client: DemoClient, report: DemoReport, options: DemoOptions) {
  if (!(await getToken(client, report, options))) return;

  const menu = await findDishes(client, report);
  if (!menu) return;

  const orderId = await createOrder(client, report, menu);
  if (orderId === undefined) return;

  const order = await waitForKitchen(client, report, orderId, options.waitTransferSec ?? 60);
  if (!order) return;

  await settleSteps(client, report, order);
}

async function getToken(client: DemoClient, report: DemoReport, options: DemoOptions) {
  report.step(1, `Get an access token (POST /connect/token, client_id ${options.clientId})`);
  const reply = await client.run((hub) => hub.token());
  const body = asObject(reply.body);
  if (!report.expectStatus('token', reply, 200)) {
    if (body.error === 'invalid_client') {
      report.note('the hub does not know these credentials: give the demo the same '
        + 'DEMO_CLIENT_ID / DEMO_CLIENT_SECRET as the hub (see the hub\'s start banner)');
    }
    return false;
  }

  const token = body.access_token;
  const lifetime = body.expires_in;
  const held = report.passIf([
    report.expectThat('access_token', typeof token === 'string' && token !== '', token,
      'a non-empty string'),
    report.expectThat('expires_in', typeof lifetime === 'number' && lifetime > 0, lifetime,
      'a positive number of seconds'),
  ], `token issued, valid for ${show(lifetime)} s`);
  return held;
}

async function findDishes(client: DemoClient, report: DemoReport) {
  report.step(2, 'Find the restaurant and the dishes 101, 102, 103 in its menu');
  const restaurants = await client.run((hub) => hub.getRestaurants());
  if (!report.expectStatus('restaurants', restaurants, 200)) return undefined;

  const list = asObject(restaurants.body).result;
  const first = asObject(Array.isArray(list) ? list[0] : undefined);
  if (typeof first.id !== 'string') {
    report.fail('no restaurant is attached to this API connection', `body: ${restaurants.text}`);
    return undefined;
  }
  report.pass(`restaurant ${show(first.name)} (${first.id}), state ${show(first.state)}`);

  const restaurantId = first.id;
  const menu = await client.run((hub) => hub.getMenu(restaurantId));
  if (!report.expectStatus('menu', menu, 200)) return undefined;

  const products = asObject(asObject(menu.body).result).products;
  const byCode = new Map((Array.isArray(products) ? products : [])
    .map((p) => asObject(p)).map((p) => [String(p.externalId), p]));
  const lines: OrderLine[] = [];
  for (const dish of STORY_DISHES) {
    const product = byCode.get(dish.externalId);
    if (product === undefined || typeof product.id !== 'string') {
      report.fail(`no dish with externalId ${dish.externalId} (${dish.name}) in the menu`);
      continue;
    }
    if (!report.expect(`price of ${dish.externalId} ${dish.name}`, product.price, dish.price)) {
      continue;
    }
    lines.push({ id: product.id, name: String(product.name), price: dish.price,
      quantity: dish.quantity });
  }
  if (!report.stepOk) return undefined;

  report.pass(lines.map((l, i) => `${STORY_DISHES[i]?.externalId} ${l.name} ${l.price.toFixed(2)}`)
    .join(', '));
  return { restaurantId: first.id, lines };
}

async function createOrder(
  client: DemoClient, report: DemoReport, menu: { restaurantId: string; lines: OrderLine[] },
) {
  const summary = menu.lines.map((l) => `${l.name} ×${l.quantity}`).join(', ');
  report.step(3, `Create a delivery order paid online: ${summary}`);
  const created = await client.run((hub) => hub.createOrder({
    restaurantId: menu.restaurantId,
    expeditionType: 'delivery',
    paymentTypeId: 'online',
    soonest: true,
    persons: 1,
    comment: 'delivery-hub demo',
    guest: { firstName: 'Guest', phone: '79000000001' },
    address: {
      street: 'Yunykh Lenintsev', houseNumber: '85', cityName: 'Moscow', apartmentNumber: '6',
    },
    dishList: menu.lines,
  }));
  if (!report.expectStatus('POST /orders', created, 201)) return undefined;

  const orderId = asObject(asObject(created.body).result).orderId;
  if (!report.passIf([
    report.expectThat('result.orderId', typeof orderId === 'string' && /^\d+$/.test(orderId),
      orderId, 'a numeric string'),
  ], `201, orderId ${show(orderId)}`)) return undefined;

  const order = await readOrder(client, report, orderId as string);
  if (!order) return undefined;
  const held = report.passIf([report.expect('fullAmount', order.fullAmount, STORY_TOTAL)],
    `GET /orders/${String(orderId)}: fullAmount ${STORY_TOTAL.toFixed(2)}, `
      + `status ${show(order.orderStatusId)} ${show(order.orderStatusName)}`);
  return held ? orderId as string : undefined;
}

async function waitForKitchen(
  client: DemoClient, report: DemoReport, orderId: string, waitSec: number,
): Promise<StoryOrder | undefined> {
  report.step(4, 'Wait until the order is "Transferred to the kitchen" '
    + `(status 4, up to ${waitSec} s)`);
  const started = Date.now();
  const seen: unknown[] = [];
  for (;;) {
    const order = await readOrder(client, report, orderId);
    if (!order) return undefined;

    const status = order.orderStatusId;
    if (seen.at(-1) !== status) {
      seen.push(status);
      report.note(`status ${show(status)} ${show(order.orderStatusName)}`);
    }
    if (status === TRANSFERRED_TO_KITCHEN) return kitchenReached(report, orderId, order, started);
    if (status === 11 || status === 12) {
      report.fail(`the order ended (status ${show(status)}) before reaching the kitchen`);
      return undefined;
    }
    if (Date.now() - started >= waitSec * 1000) {
      report.fail(`still at status ${show(status)} after ${waitSec} s`);
      stuckHint(report, orderId, status, order.isAttention);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function kitchenReached(
  report: DemoReport, orderId: string, order: Record<string, unknown>, started: number,
): StoryOrder | undefined {
  const name = order.posOrderName;
  const held = report.passIf([
    report.expectThat('posOrderName', typeof name === 'string' && name !== '', name,
      'the cash-station order name'),
  ], `at the kitchen after ${Math.round((Date.now() - started) / 1000)} s; `
    + `cash-station order ${show(name)}`);
  return held ? { orderId, posOrderName: name as string } : undefined;
}

function stuckHint(report: DemoReport, orderId: string, status: unknown, attention: unknown) {
  if (attention === true) {
    report.note('the hub flagged the order for attention: the transfer to the cash station '
      + 'failed; the hub\'s log says why');
  } else if (status === 1 || status === 2) {
    const action = status === 1 ? 'confirm' : 'accept';
    report.note('the order waits for an operator: '
      + `node dist/src/main.js orders ${action} ${orderId}`);
  }
}
