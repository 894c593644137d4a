import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, orderOf } from './helpers/exactly-once.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * `discounts` on `POST /orders` (`delivery-api.md` §8.1, §9.1): stored as sent, echoed by
 * `GET /orders/{id}` and the search, never applied to the amounts; wrong types are refused
 * before anything is stored. SQLite, or PostgreSQL when TEST_DATABASE_URL is set.
 */

/** The pre-calculation's answer (§7) as a real client sends it back. */
const DISCOUNTS = {
  useRk7Discounts: true, total: 978, discount: 50,
  discountList: [{ name: '10% off', amount: 50, isManual: false, isVariable: false, rk7Id: 1004 }],
  nested: { empty: {}, list: [1, 'two', null, { deep: true }], text: 'скидка' },
};

describe('discounts on create', () => {
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

  const ordersCount = async () => Number((await t.hub.store.db.selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('the object is echoed identical by GET and the search; amounts are not applied',
    async () => {
      const created = await t.api('POST', '/orders',
        demoOrderBody({ comment: 'with discounts', discounts: DISCOUNTS }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.result.orderId as string;

      const order = await orderOf(t, id);
      assert.deepEqual(order.discounts, DISCOUNTS);
      assert.equal(order.amount, 978);
      assert.equal(order.fullAmount, 978);

      const found = await t.api('GET', `/orders?q=${id}`);
      assert.equal(found.status, 200);
      const item = found.body.result.find((o: { orderId: string }) => o.orderId === id);
      assert.deepEqual(item?.discounts, DISCOUNTS);

      // The station gets the order at the menu's prices too.
      const creates = count(t, 'CreateOrder');
      await t.runTimers();
      assert.equal(count(t, 'CreateOrder'), creates + 1);
      const stored = await t.hub.orders.orders.get(Number(id));
      const station = t.hub.simulator?.getOrder(stored?.posOrderGuid as string);
      assert.ok(station);
      assert.equal(station.orderSum, 97_800);
      assert.equal(station.discountSum, 0);
      assert.equal((await orderOf(t, id)).amount, 978);
    });

  test('absent, null and any key spelling', async () => {
    const absent = await t.api('POST', '/orders', demoOrderBody({ comment: 'no discounts' }));
    const nulled = await t.api('POST', '/orders', demoOrderBody({ discounts: null }));
    const spelled = await t.api('POST', '/orders', demoOrderBody({ Discounts: { total: 1 } }));
    for (const answer of [absent, nulled, spelled]) assert.equal(answer.status, 201);

    assert.equal((await orderOf(t, absent.body.result.orderId)).discounts, null);
    assert.equal((await orderOf(t, nulled.body.result.orderId)).discounts, null);
    assert.deepEqual((await orderOf(t, spelled.body.result.orderId)).discounts, { total: 1 });
  });

  test('a list, a scalar or an oversized object is 400 naming discounts; nothing stored',
    async () => {
      const before = await ordersCount();
      const huge = { discountList: [{ name: 'x'.repeat(10_001) }] };

      for (const discounts of [[DISCOUNTS], 50, '50', true, huge]) {
        const answer = await t.api('POST', '/orders', demoOrderBody({ discounts }));
        assert.equal(answer.status, 400, JSON.stringify(discounts).slice(0, 40));
        assert.equal(answer.body.code, 'ERR_PARSE_REQUEST');
        assert.deepEqual(Object.keys(answer.body.errors), ['discounts']);
      }
      assert.equal(await ordersCount(), before);
    });
});
