import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

describe('creating orders: validation and money', () => {
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

  async function orderCount(): Promise<number> {
    const rows = await t.hub.store.db.selectFrom('orders').select('id').execute();
    return rows.length;
  }

  async function expectRejected(
    body: unknown, code: string, field: string, status = 400,
  ): Promise<void> {
    const before = await orderCount();
    const response = await t.api('POST', '/orders', body);

    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.code, code);
    assert.ok(response.body.errors?.[field],
      `errors names ${field}: ${JSON.stringify(response.body)}`);
    assert.ok(response.body.msg.length > 0);
    assert.equal(await orderCount(), before, 'nothing stored');
  }

  test('99.99 × 3 is exactly 299.97 and pays exactly', async () => {
    const created = await t.api('POST', '/orders', piesOrderBody());
    assert.equal(created.status, 201);
    const id = created.body.result.orderId;

    const order = await t.api('GET', `/orders/${id}`);
    assert.equal(order.body.result.fullAmount, 299.97);
    assert.equal(order.body.result.dishList[0].price, 99.99);
    assert.equal(order.body.result.dishList[0].quantity, 3);

    await t.runTimers();
    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(299.97));
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
  });

  test('a weighed dish is priced price × weight, rounded to the kopeck', async () => {
    const body = piesOrderBody();
    body.dishList = [{ id: DEMO.dishes.shashlik, quantity: 0.333 }];
    const created = await t.api('POST', '/orders', body);
    assert.equal(created.status, 201);

    const order = await t.api('GET', `/orders/${created.body.result.orderId}`);
    assert.equal(order.body.result.fullAmount, 399.6);
  });

  test('an amount with three decimals is a 400 naming the field', async () => {
    const id = (await t.api('POST', '/orders', piesOrderBody())).body.result.orderId;
    await t.runTimers();

    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(299.971));
    assert.equal(paid.status, 400);
    assert.equal(paid.body.code, 'ERR_PARSE_REQUEST');
    assert.deepEqual(Object.keys(paid.body.errors), ['[0].amount']);
  });

  test('pay bodies that are not a list of payments are refused with the field', async () => {
    const id = (await t.api('POST', '/orders', piesOrderBody())).body.result.orderId;
    await t.runTimers();

    const cases: [unknown, string | undefined][] = [
      [{ code: DEMO.roublesCurrency, amount: 1 }, undefined],
      [[], undefined],
      [[{ code: DEMO.roublesCurrency, amount: -1 }], '[0].amount'],
      [[{ code: DEMO.roublesCurrency, amount: '12,50' }], '[0].amount'],
      [[{ amount: 1 }], '[0].code'],
      [[{ code: DEMO.roublesCurrency, amount: 1, paidAt: 'yesterday' }], '[0].paidAt'],
    ];
    for (const [body, field] of cases) {
      const paid = await t.api('PUT', `/orders/${id}/pay`, body);
      assert.equal(paid.status, 400, JSON.stringify(body));
      assert.equal(paid.body.code, 'ERR_PARSE_REQUEST');
      if (field) assert.ok(paid.body.errors[field], `${field} in ${JSON.stringify(paid.body)}`);
    }
  });

  test('a delivery order without a phone is refused, naming guest.phone', async () => {
    await expectRejected(demoOrderBody({ guest: { firstName: 'Guest' } }), 'order_validation',
      'guest.phone');
  });

  test('a phone that is not 5 to 15 digits is refused on create and PATCH; marks are fine',
    async () => {
      const guest = (phone: string) => ({ guest: { phone, firstName: 'Guest' } });
      const refused = [
        'call me', '12-34', '7900000000100000', '+7 912 abc 67 89', '+7\t9000000001',
      ];
      for (const phone of refused) {
        await expectRejected(demoOrderBody(guest(phone)), 'order_validation', 'guest.phone');
      }

      const typed = await t.api('POST', '/orders', demoOrderBody(guest('+7 (912) 345-67-89')));
      assert.equal(typed.status, 201, JSON.stringify(typed.body));
      const id = typed.body.result.orderId;
      assert.equal((await t.api('GET', `/orders/${id}`)).body.result.guest.phone,
        '+7 (912) 345-67-89');

      const patched = await t.api('PATCH', `/orders/${id}`, { guest: { phone: 'x' } });
      assert.equal(patched.status, 400);
      assert.ok(patched.body.errors['guest.phone']);
      assert.equal((await t.api('GET', `/orders/${id}`)).body.result.guest.phone,
        '+7 (912) 345-67-89');
    });

  test('a delivery order without a street, city or house is refused per field', async () => {
    const response = await t.api('POST', '/orders', demoOrderBody({ address: { comment: 'x' } }));
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 'order_validation');
    assert.deepEqual(Object.keys(response.body.errors).sort(),
      ['address.cityName', 'address.houseNumber', 'address.street']);
    assert.equal(response.body.msg, 'address.street: Street is required');
  });

  test('missing expedition type, payment type or dishes are named', async () => {
    await expectRejected(demoOrderBody({ expeditionType: undefined }), 'order_validation',
      'expeditionType');
    await expectRejected(demoOrderBody({ paymentTypeId: 'bitcoin' }), 'order_validation',
      'paymentTypeId');
    await expectRejected(demoOrderBody({ dishList: [] }), 'order_validation', 'dishList');
    await expectRejected(demoOrderBody({ restaurantId: undefined }), 'order_validation',
      'restaurantId');
  });

  test('a dish that is not on the menu, or a zero quantity, is refused', async () => {
    await expectRejected(demoOrderBody({ dishList: [{ id: 'no-such-dish', quantity: 1 }] }),
      'order_validation', 'dishList[0].id');
    await expectRejected(demoOrderBody({ dishList: [{ id: DEMO.dishes.pie, quantity: 0 }] }),
      'order_validation', 'dishList[0].quantity');
  });

  test('a wrong client price is refused when the corporation checks prices', async () => {
    await expectRejected(
      demoOrderBody({ dishList: [{ id: DEMO.dishes.pie, quantity: 1, price: 10 }] }),
      'order_validation', 'dishList[0].price');
  });

  test('garbage in a numeric field is a parse error naming the path', async () => {
    await expectRejected(
      demoOrderBody({ dishList: [{ id: DEMO.dishes.pie, quantity: 1, price: '4OO' }] }),
      'ERR_PARSE_REQUEST', 'dishList[0].price');
    await expectRejected(demoOrderBody({ persons: 'two' }), 'ERR_PARSE_REQUEST', 'persons');
  });

  test('a guest count outside 1..999 is refused before the station sees it', async () => {
    for (const persons of [0, 1000, '1000000']) {
      await expectRejected(demoOrderBody({ persons }), 'order_validation', 'persons');
    }
  });

  test('a scheduled order needs an offset and enough lead time', async () => {
    await expectRejected(
      demoOrderBody({ soonest: false, expectedAt: '2030-03-01T18:00:00' }),
      'order_validation', 'expectedAt');
    await expectRejected(
      demoOrderBody({ soonest: false, expectedAt: '2020-03-01T18:00:00+03:00' }),
      'order_validation', 'expectedAt');

    const later = new Date(Date.now() + 3 * 3600_000).toISOString();
    const created = await t.api('POST', '/orders', demoOrderBody({ soonest: false,
      expectedAt: later }));
    assert.equal(created.status, 201);
  });

  test('numbers sent as strings and keys in other casing are read', async () => {
    const created = await t.api('POST', '/orders', {
      restaurantID: DEMO.restaurantId, expeditionType: 'pickup', paymentTypeID: 'cash',
      soonest: 'true', persons: '2', changeFrom: '5000',
      guest: { phone: '79000000003' },
      dishList: [{ ID: DEMO.dishes.caesar, price: '400', quantity: '1', mealId: 7 }],
      hideLoader: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const order = await t.api('GET', `/orders/${created.body.result.orderId}`);
    assert.equal(order.body.result.persons, 2);
    assert.equal(order.body.result.changeFrom, 5000);
    assert.equal(order.body.result.paymentTypeId, 'cash');
  });

  test('a body that is not an object is a 400, never a 500', async () => {
    for (const body of ['[]', '"text"', '42', 'null', '{"dishList":']) {
      const response = await t.request('POST', '/orders/api/v1/orders', {
        headers: { authorization: `Bearer ${await t.token()}`,
          'content-type': 'application/json' },
        body,
      });
      assert.equal(response.status, 400, body);
      assert.equal(response.body.code, 'ERR_PARSE_REQUEST');
    }
  });

  test('an unknown or foreign-corporation restaurant is not found', async () => {
    const response = await t.api('POST', '/orders',
      demoOrderBody({ restaurantId: '00000000-0000-0000-0000-000000000001' }));
    assert.equal(response.status, 404);
    assert.equal(response.body.code, 'restaurant_not_found');
  });
});
