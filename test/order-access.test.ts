import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { addConnection } from './helpers/second-connection.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const OTHER = { clientId: '5b3c1a7e-2d4f-4e6a-9b8c-0d1e2f3a4b5c', secret: 'other-secret' };

describe('reading orders and reference data, per connection', () => {
  let env: TestEnv;
  let t: TestHub;
  let otherToken: string;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    otherToken = await addConnection(t, OTHER);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('a connection never sees, pays or closes another connection\'s order', async () => {
    const mine = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
    await t.runTimers();

    for (const [method, path, body] of [
      ['GET', `/orders/${mine}`, undefined],
      ['PUT', `/orders/${mine}/pay`, payBody(978)],
      ['PUT', `/orders/${mine}/complete`, undefined],
    ] as const) {
      const response = await t.api(method, path, body, otherToken);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.code, 'order_not_found');
    }

    const list = await t.api('GET', '/orders', undefined, otherToken);
    assert.equal(list.status, 200);
    assert.ok(!list.body.result.some((o: { orderId: string }) => o.orderId === mine));
    assert.equal((await t.api('GET', `/orders/${mine}`)).body.result.paymentStatus, 'notPaid');
  });

  test('an unknown or non-numeric order id is order_not_found', async () => {
    for (const id of ['999999', 'abc', '0', '-1']) {
      const response = await t.api('GET', `/orders/${id}`);
      assert.equal(response.status, 404, id);
      assert.equal(response.body.code, 'order_not_found');
    }
  });

  test('GET /orders filters by status, dates and text, and sorts', async () => {
    const pickup = (await t.api('POST', '/orders', piesOrderBody())).body.result.orderId;
    const delivery = (await t.api('POST', '/orders', demoOrderBody({
      guest: { firstName: 'Zinaida', phone: '+7 (912) 345-67-89' },
    }))).body.result.orderId;

    const byStatus = await t.api('GET', `/orders?includeStatusIds=3&includeStatusIds=12`);
    assert.equal(byStatus.status, 200);
    assert.ok(byStatus.body.result.length >= 2);
    assert.ok(byStatus.body.result.every((o: { orderStatusId: number }) =>
      o.orderStatusId === 3 || o.orderStatusId === 12));

    const commaList = await t.api('GET', '/orders?includeStatusIDs=3,4&sortOrder=asc');
    assert.equal(commaList.status, 200);
    const ids = commaList.body.result.map((o: { orderId: string }) => Number(o.orderId));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));

    const byPhone = await t.api('GET', '/orders?q=9123456789');
    assert.deepEqual(byPhone.body.result.map((o: { orderId: string }) => o.orderId), [delivery]);
    const written = await t.api('GET', `/orders?q=${encodeURIComponent('+7 (912) 345-67-89')}`);
    assert.deepEqual(written.body.result.map((o: { orderId: string }) => o.orderId), [delivery],
      'a phone pasted with its marks matches the digits');
    const byName = await t.api('GET', '/orders?q=zinaida');
    assert.deepEqual(byName.body.result.map((o: { orderId: string }) => o.orderId), [delivery]);
    const byNumber = await t.api('GET', `/orders?q=${pickup}`);
    assert.ok(byNumber.body.result.some((o: { orderId: string }) => o.orderId === pickup));

    // Zone-less dates are read in the corporation's zone.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' })
      .format(new Date());
    const inRange = await t.api('GET', `/orders?fromDate=${today}&toDate=${today}`);
    assert.ok(inRange.body.result.length >= 2);
    const future = await t.api('GET', '/orders?fromDate=2099-01-01T00:00:00%2B03:00');
    assert.deepEqual(future.body.result, []);
  });

  test('bad search parameters are 400 ERR_PARSE_REQUEST naming the parameter', async () => {
    for (const query of ['includeStatusIds=99', 'sortOrder=up', 'orderBy=price',
      'fromDate=yesterday', 'limit=0']) {
      const response = await t.api('GET', `/orders?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body.code, 'ERR_PARSE_REQUEST');
      assert.equal(Object.keys(response.body.errors).length, 1);
    }
  });

  test('the connection lists its restaurants; another source id is not found', async () => {
    const mine = await t.api('GET', `/orderSources/${t.clientId}/restaurants`);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.result, [{
      id: DEMO.restaurantId, objectId: DEMO.objectId, name: 'Demo restaurant',
      actualAddress: 'Moscow, Sorge str., 2', state: 'active',
    }]);

    const theirs = await t.api('GET', `/orderSources/${OTHER.clientId}/restaurants`);
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.code, 'order_source_not_found');
  });

  test('the menu lists the dishes with r_keeper codes and prices in roubles', async () => {
    const menu = await t.api('GET', `/menu/view/?restaurantId=${DEMO.restaurantId}`);
    assert.equal(menu.status, 200);
    const caesar = menu.body.result.products.find((p: { externalId: string }) =>
      p.externalId === '101');
    assert.equal(caesar.id, DEMO.dishes.caesar);
    assert.equal(caesar.price, 400);
    assert.ok(Array.isArray(menu.body.result.categories));

    const unknown = await t.api('GET', '/menu/view?restaurantId=nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'restaurant_not_found');
  });

  test('the restaurant currencies are listed for paying', async () => {
    const currencies = await t.api('GET', `/restaurants/${DEMO.restaurantId}/settings/currencies`);
    assert.equal(currencies.status, 200);
    assert.deepEqual(currencies.body.result.map((c: { code: string }) => c.code).sort(),
      [DEMO.cardCurrency, DEMO.roublesCurrency].sort());
  });
});
