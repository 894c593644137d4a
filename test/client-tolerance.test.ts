import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SimOrderSnapshot } from '../src/simulator/sim-station.js';
import { DEMO } from '../src/store/seed-demo.js';
import { adminApi } from './helpers/admin-api.js';
import { storedCounts } from './helpers/menu-fixtures.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const { caesar } = DEMO.dishes;
/** Keys real clients send that the hub must drop (`delivery-api.md` §14, "Unknown keys"). */
const UNKNOWN_KEYS = ['hideLoader', 'mealId', 'isListStoped', 'imageUrls', 'manualDiscounts'];

/** A pickup order as the r_k docs print them: numbers as strings, Caesar salad at 400. */
function pickupBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    restaurantId: DEMO.restaurantId, expeditionType: 'pickup', paymentTypeId: 'card',
    soonest: true, guest: { firstName: 'Guest', phone: '79000000002' },
    dishList: [{ id: caesar, quantity: 1 }],
    ...overrides,
  };
}

/**
 * Issue #3's request shapes, each over HTTP with the value the spec requires. Neighbouring
 * suites cover the rest of the list: token forms in `auth-token`, the trailing slash in
 * `menu-view`, string prices and repeated dishes with modifiers in `menu-order-validation`.
 */
describe('issue #3: bodies as real clients send them', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  /** Posts `body`, expects 201 and returns the order as `GET /orders/{id}` shows it. */
  async function create(body: unknown): Promise<{ id: string; view: any }> {
    const created = await t.api('POST', '/orders', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.result.orderId as string;

    const read = await t.api('GET', `/orders/${id}`);
    assert.equal(read.status, 200);
    return { id, view: read.body.result };
  }

  /** Expects a 400 naming `field` (with `message` when given) and nothing stored. */
  async function refuse(
    body: unknown, code: string, field: string, message?: string,
  ): Promise<void> {
    const before = await storedCounts(t.hub.store.db);
    const response = await t.api('POST', '/orders', body);

    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.body.code, code);
    assert.ok(response.body.errors?.[field], `${field} in ${JSON.stringify(response.body)}`);
    if (message !== undefined) assert.deepEqual(response.body.errors[field], [message]);
    assert.deepEqual(await storedCounts(t.hub.store.db), before, 'nothing stored');
  }

  /** Sends the order to the cash station and returns the station's copy. */
  async function atStation(id: string): Promise<SimOrderSnapshot> {
    // Earlier tests' orders are due too; the transfers run together.
    assert.ok(await t.runTimers() >= 1, 'the transfer to the station');
    const guid = (await t.hub.orders.orders.get(Number(id)))?.posOrderGuid;
    assert.ok(guid, 'the order reached the station');
    const order = t.hub.simulator?.getOrder(guid);
    assert.ok(order);
    return order;
  }

  function stationDishLines(order: SimOrderSnapshot) {
    return order.sessions.flatMap((s) => s.lines).filter((line) => line.kind === 'dish');
  }

  test('restaurantID, paymentTypeID and dishList[].ID (the old docs\' casing) bind', async () => {
    const { view } = await create({
      restaurantID: DEMO.restaurantId, expeditionType: 'pickup', paymentTypeID: 'cash',
      soonest: true, guest: { phone: '79000000002' }, dishList: [{ ID: caesar, quantity: 1 }],
    });

    assert.equal(view.restaurantId, DEMO.restaurantId);
    assert.equal(view.paymentTypeId, 'cash');
    assert.equal(view.dishList.length, 1);
    assert.equal(view.dishList[0].id, caesar);
    assert.equal(view.amount, 400);
  });

  test('"persons":"1", "price":"400", "quantity":"1", "changeFrom":"5000" are numbers',
    async () => {
      const { view } = await create(pickupBody({
        paymentTypeId: 'cash', persons: '1', changeFrom: '5000',
        dishList: [{ id: caesar, price: '400', quantity: '1' }],
      }));

      assert.equal(view.persons, 1);
      assert.equal(view.changeFrom, 5000);
      assert.equal(view.dishList[0].price, 400);
      assert.equal(view.dishList[0].quantity, 1);
      assert.equal(view.amount, 400);
      assert.equal(view.fullAmount, 400);
    });

  test('"price":"4OO" is a 400 ERR_PARSE_REQUEST naming dishList[0].price', async () => {
    await refuse(pickupBody({ dishList: [{ id: caesar, price: '4OO', quantity: '1' }] }),
      'ERR_PARSE_REQUEST', 'dishList[0].price');
  });

  test('explicit nulls and unknown keys are accepted; the unknown keys go nowhere', async () => {
    const { id, view } = await create(pickupBody({
      expectedAt: null, address: null, discounts: null, manualDiscounts: null, comment: null,
      soonest: true, hideLoader: true,
      dishList: [{ id: caesar, quantity: 1, mealId: 7, ingredients: null, isListStoped: false,
        imageUrls: [] }],
    }));

    assert.equal(view.address, null);
    assert.equal(view.comment, '');
    assert.equal(view.dishList.length, 1);
    assert.equal(view.amount, 400);
    const row = await t.hub.store.db.selectFrom('orders').selectAll()
      .where('id', '=', Number(id)).executeTakeFirstOrThrow();
    const lines = await t.hub.store.db.selectFrom('orderLines').selectAll()
      .where('orderId', '=', Number(id)).execute();
    const station = await atStation(id);
    const lineAtStation = stationDishLines(station);
    assert.equal(lineAtStation.length, 1);
    assert.equal(lineAtStation[0]?.quantity, 1000);
    assert.equal(station.orderSum, 40000);

    for (const [where, value] of Object.entries({ view, row, lines, station })) {
      const text = JSON.stringify(value);
      for (const key of UNKNOWN_KEYS) assert.ok(!text.includes(key), `${key} in the ${where}`);
    }
  });

  test('the same dish twice as two lines of 1 stays two lines, here and at the station',
    async () => {
      const { id, view } = await create(pickupBody({
        dishList: [{ id: caesar, quantity: 1 }, { id: caesar, quantity: 1 }],
      }));

      assert.deepEqual(view.dishList.map((line: any) => [line.id, line.quantity]),
        [[caesar, 1], [caesar, 1]]);
      assert.equal(view.amount, 800);
      assert.equal(view.fullAmount, 800);
      const station = await atStation(id);
      assert.deepEqual(stationDishLines(station).map((line) => line.quantity), [1000, 1000]);
      assert.equal(station.orderSum, 80000);
    });

  test('"dishList":[] is a 400 naming dishList, nothing stored', async () => {
    await refuse(demoOrderBody({ dishList: [] }), 'order_validation', 'dishList');
  });

  test('"paymentTypeId":"bitcoin" is a 400 naming paymentTypeId, nothing stored', async () => {
    await refuse(demoOrderBody({ paymentTypeId: 'bitcoin' }), 'order_validation',
      'paymentTypeId', 'Value is not allowed');
  });

  test('"guest":{"phone":""} on delivery is a 400 naming guest.phone, nothing stored',
    async () => {
      await refuse(demoOrderBody({ guest: { phone: '' } }), 'order_validation', 'guest.phone',
        'Phone is required');
    });

  test('E17 currencies: {name, code}, the code upper-case without braces; others 404',
    async () => {
      const put = await adminApi(t, 'PUT', `/restaurants/${DEMO.restaurantId}/currencies`, [
        { name: 'Рубли', code: DEMO.roublesCurrency }, { name: 'Card', code: DEMO.cardCurrency },
        { name: 'Vouchers', code: '{0d5a6b7c-1111-4a2b-8c3d-4e5f6a7b8c9d}' },
      ]);
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const path = `/restaurants/{${DEMO.restaurantId.toLowerCase()}}/settings/currencies`;
      const currencies = await t.api('GET', path);

      assert.equal(currencies.status, 200);
      const byName = (a: any, b: any) => (a.name < b.name ? -1 : 1);
      assert.deepEqual(currencies.body.result.sort(byName), [
        { name: 'Card', code: DEMO.cardCurrency },
        { name: 'Vouchers', code: '0D5A6B7C-1111-4A2B-8C3D-4E5F6A7B8C9D' },
        { name: 'Рубли', code: DEMO.roublesCurrency },
      ]);
      const other = await t.api('GET',
        '/restaurants/00000000-0000-0000-0000-000000000001/settings/currencies');
      assert.equal(other.status, 404);
      assert.equal(other.body.code, 'restaurant_not_found');
    });

  // delivery-api.md §8.3 and §18 #22: the doc requires an offset, so a zone-less expectedAt is
  // refused rather than read in the restaurant's zone (that rule is for paidAt and query dates).
  test('a zone-less "expectedAt":"2024-03-01T18:00:00" is refused: a zone is required',
    async () => {
      await refuse(demoOrderBody({ soonest: false, expectedAt: '2024-03-01T18:00:00' }),
        'order_validation', 'expectedAt', 'Time zone is required');
      await refuse(demoOrderBody({ soonest: false, expectedAt: '2024-03-01T18:00:00+03:00' }),
        'order_validation', 'expectedAt',
        'The requested time is earlier than the earliest possible time');
    });

  // Our bound (MAX_ADVANCE_DAYS, README "Conventions"): a year typed wrong is not an order.
  test('an expectedAt more than 60 days ahead is refused; 59 days ahead is taken', async () => {
    const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await refuse(demoOrderBody({ soonest: false, expectedAt: ahead(61) }),
      'order_validation', 'expectedAt', 'The requested time is more than 60 days ahead');
    await refuse(demoOrderBody({ soonest: false, expectedAt: '9999-12-31T18:00:00+03:00' }),
      'order_validation', 'expectedAt', 'The requested time is more than 60 days ahead');

    const { view } = await create(demoOrderBody({ soonest: false, expectedAt: ahead(59) }));
    assert.equal(view.soonest, false);
  });
});
