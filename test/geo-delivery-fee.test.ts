import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_GEO } from '../src/geo/demo-geography.js';
import { DEMO } from '../src/store/seed-demo.js';
import { addZone, clearZones, square } from './helpers/geo-fixtures.js';
import { demoOrderBody, payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const ADDRESS = {
  street: 'Тверская улица', houseNumber: '13', cityName: 'Москва', cityId: DEMO_GEO.moscowId,
};

/** The demo order (978.00) delivered to a point, coordinates sent as strings like the docs do. */
function deliveredTo(point: { lat: number; lon: number }, overrides: Record<string, unknown> = {}) {
  return demoOrderBody({
    address: { ...ADDRESS, lat: String(point.lat), lon: String(point.lon) }, ...overrides,
  });
}

async function amountsOf(t: TestHub, orderId: string) {
  const { amount, deliveryAmount, fullAmount } = (await t.api('GET', `/orders/${orderId}`))
    .body.result;
  return { amount, deliveryAmount, fullAmount };
}

async function orderCount(t: TestHub): Promise<number> {
  const rows = await t.hub.store.db.selectFrom('orders').select('id').execute();
  return rows.length;
}

describe('delivery fee and minimum amounts on create (demo zone)', () => {
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

  test('inside the zone below the free amount the zone\'s price is added', async () => {
    const created = await t.api('POST', '/orders', deliveredTo(DEMO_GEO.inside));

    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(await amountsOf(t, created.body.result.orderId),
      { amount: 978, deliveryAmount: 150, fullAmount: 1128 });
  });

  test('from the free-delivery amount on delivery costs nothing', async () => {
    const body = deliveredTo(DEMO_GEO.inside,
      { dishList: [{ id: DEMO.dishes.caesar, quantity: 5 }] });
    const created = await t.api('POST', '/orders', body);

    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(await amountsOf(t, created.body.result.orderId),
      { amount: 2000, deliveryAmount: 0, fullAmount: 2000 });
  });

  test('below the zone\'s minimum the order is refused and nothing is stored', async () => {
    const before = await orderCount(t);
    const body = deliveredTo(DEMO_GEO.inside, { dishList: [
      { id: DEMO.dishes.caesar, quantity: 1 }, { id: DEMO.dishes.pie, quantity: 1 },
    ] });
    const reply = await t.api('POST', '/orders', body);

    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 'order_validation');
    assert.deepEqual(reply.body.errors,
      { dishList: ['The order amount is below the minimum for delivery: 500.00'] });
    assert.equal(reply.body.msg, 'dishList: The order amount is below the minimum for delivery: '
      + '500.00');
    assert.equal(await orderCount(t), before);
  });

  test('an address outside every zone of the restaurant is "Address not found"', async () => {
    const before = await orderCount(t);
    const reply = await t.api('POST', '/orders', deliveredTo(DEMO_GEO.outside));

    assert.equal(reply.status, 400);
    assert.equal(reply.body.code, 'order_validation');
    assert.deepEqual(reply.body.errors, { address: ['Address not found'] });
    assert.equal(await orderCount(t), before);
  });

  test('without coordinates there is no zone, so no fee and no minimum', async () => {
    const created = await t.api('POST', '/orders', demoOrderBody());
    assert.deepEqual(await amountsOf(t, created.body.result.orderId),
      { amount: 978, deliveryAmount: 0, fullAmount: 978 });

    const small = await t.api('POST', '/orders', demoOrderBody({
      dishList: [{ id: DEMO.dishes.pie, quantity: 1 }],
    }));
    assert.equal(small.status, 201);
  });

  test('pickup pays no delivery, wherever its address is', async () => {
    const body = { ...piesOrderBody(), address: { lat: DEMO_GEO.outside.lat,
      lon: DEMO_GEO.outside.lon } };
    const created = await t.api('POST', '/orders', body);

    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(await amountsOf(t, created.body.result.orderId),
      { amount: 299.97, deliveryAmount: 0, fullAmount: 299.97 });
  });

  test('one coordinate without the other, or out of range, names the field', async () => {
    const lone = await t.api('POST', '/orders', demoOrderBody({
      address: { ...ADDRESS, lat: DEMO_GEO.inside.lat },
    }));
    assert.equal(lone.status, 400);
    assert.equal(lone.body.code, 'order_validation');
    assert.deepEqual(lone.body.errors, { 'address.lon': ['Value is required'] });

    const far = await t.api('POST', '/orders', deliveredTo({ lat: 95, lon: 37 }));
    assert.deepEqual(far.body.errors, { 'address.lat': ['Value is not allowed'] });
  });
});

describe('delivery fee with zones of the test\'s own', () => {
  let env: TestEnv;
  let t: TestHub;
  const here = { lat: 50, lon: 50 };

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  beforeEach(async () => {
    await clearZones(t.hub.store.db);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('a restaurant without zones takes deliveries anywhere without a fee', async () => {
    const created = await t.api('POST', '/orders', deliveredTo(here));
    assert.equal(created.status, 201);
    assert.deepEqual(await amountsOf(t, created.body.result.orderId),
      { amount: 978, deliveryAmount: 0, fullAmount: 978 });
  });

  test('the restaurant\'s best zone prices the order; a zone that is off does not count',
    async () => {
      await addZone(t.hub.store.db, { geometry: square(50, 50, 2), priority: 1, price: 30000 });
      await addZone(t.hub.store.db, { geometry: square(50, 50, 1), priority: 0, price: 25000,
        free: 100000 });
      await addZone(t.hub.store.db, { geometry: square(50, 50, 0.5), priority: 0, price: 100,
        active: false });

      const created = await t.api('POST', '/orders', deliveredTo(here));
      assert.deepEqual(await amountsOf(t, created.body.result.orderId),
        { amount: 978, deliveryAmount: 250, fullAmount: 1228 });

      const outer = await t.api('POST', '/orders', deliveredTo({ lat: 51.5, lon: 51.5 }));
      assert.deepEqual(await amountsOf(t, outer.body.result.orderId),
        { amount: 978, deliveryAmount: 300, fullAmount: 1278 });
    });

  test('a paid delivery reaches the cash station with the hub\'s total, and is settled',
    async () => {
      await addZone(t.hub.store.db, { geometry: square(50, 50, 1), price: 19950 });
      const created = await t.api('POST', '/orders', deliveredTo(here));
      const orderId = created.body.result.orderId as string;
      assert.deepEqual(await amountsOf(t, orderId),
        { amount: 978, deliveryAmount: 199.5, fullAmount: 1177.5 });

      await t.runTimers();
      const order = (await t.api('GET', `/orders/${orderId}`)).body.result;
      assert.equal(order.orderStatusId, 4);
      assert.equal(order.isAttention, false);

      const row = await t.hub.store.db.selectFrom('orders').select('posOrderGuid')
        .where('id', '=', Number(orderId)).executeTakeFirstOrThrow();
      const station = t.hub.simulator?.getOrder(row.posOrderGuid as string);
      assert.equal(station?.orderSum, 117750);
      const fee = station?.sessions.flatMap((s) => s.lines)
        .filter((line) => line.kind === 'dish' && line.menuIdent === 105);
      assert.deepEqual(fee?.map((line) => line.kind === 'dish' && [line.quantity, line.price]),
        [[1000, 19950]]);

      const paid = await t.api('PUT', `/orders/${orderId}/pay`, payBody(1177.5));
      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      const completed = await t.api('PUT', `/orders/${orderId}/complete`);
      assert.equal(completed.status, 200, JSON.stringify(completed.body));
    });
});
