import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { ROUBLES, demoOrderBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

describe('input limits and identifier tolerance', () => {
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

  async function countOrders(): Promise<number> {
    return (await t.hub.store.db.selectFrom('orders').select('id').execute()).length;
  }

  test('more than 500 dish lines is refused before anything is written', async () => {
    const before = await countOrders();
    const lines = Array.from({ length: 501 }, () => ({ id: DEMO.dishes.pie, quantity: 1 }));
    const response = await t.api('POST', '/orders', demoOrderBody({ dishList: lines }));

    assert.equal(response.status, 400);
    assert.ok(response.body.errors.dishList, JSON.stringify(response.body).slice(0, 300));
    assert.equal(await countOrders(), before);
  });

  test('a body nested thousands of levels deep is a 400, on create and with a key', async () => {
    const before = await countOrders();
    const depth = 5_000;
    const deep = `{"restaurantId":"${DEMO.restaurantId}","junk":${'{"a":'.repeat(depth)}1`
      + `${'}'.repeat(depth)}}`;

    for (const headers of [{}, { 'idempotency-key': 'deep-1' }] as Record<string, string>[]) {
      const response = await t.request('POST', '/orders/api/v1/orders', {
        headers: {
          'content-type': 'application/json', authorization: `Bearer ${await t.token()}`,
          ...headers,
        },
        body: deep,
      });
      assert.equal(response.status, 400, JSON.stringify(response.body).slice(0, 200));
      assert.equal(response.body.code, 'ERR_PARSE_REQUEST');
      assert.equal(response.body.msg, 'The request body is nested more than 32 levels deep');
    }
    assert.equal(await countOrders(), before);
  });

  test('more than 500 payment items is refused before the station is called', async () => {
    const id = (await t.api('POST', '/orders', piesOrderBody())).body.result.orderId;
    await t.runTimers();
    const payCalls = t.hub.simulator?.commandCount('PayOrder') ?? 0;
    const items = Array.from({ length: 501 }, () => ({ code: ROUBLES, amount: 0.01 }));

    const response = await t.api('PUT', `/orders/${id}/pay`, items);
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 'ERR_PARSE_REQUEST');
    assert.equal(response.body.msg, 'The body must contain at most 500 payments');
    assert.equal(t.hub.simulator?.commandCount('PayOrder'), payCalls);
  });

  test('absurd quantities and amounts are refused naming the field', async () => {
    const huge = await t.api('POST', '/orders',
      demoOrderBody({ dishList: [{ id: DEMO.dishes.caesar, quantity: 1e12 }] }));
    assert.equal(huge.status, 400);
    assert.ok(huge.body.errors['dishList[0].quantity']);

    const change = await t.api('POST', '/orders', demoOrderBody({ changeFrom: 1e15 }));
    assert.equal(change.status, 400);
    assert.ok(change.body.errors.changeFrom);
  });

  test('overlong text is refused, not stored or echoed', async () => {
    const phone = '7'.repeat(5000);
    const response = await t.api('POST', '/orders',
      demoOrderBody({ guest: { phone, firstName: 'Guest' } }));

    assert.equal(response.status, 400);
    assert.ok(response.body.errors['guest.phone']);
    assert.ok(JSON.stringify(response.body).length < 1000);
  });

  test('restaurant ids match whatever their case and braces', async () => {
    for (const id of [DEMO.restaurantId.toUpperCase(), `{${DEMO.restaurantId}}`]) {
      const response = await t.api('POST', '/orders', demoOrderBody({ restaurantId: id }));
      assert.equal(response.status, 201, `${id}: ${JSON.stringify(response.body)}`);
      const order = await t.api('GET', `/orders/${response.body.result.orderId}`);
      assert.equal(order.body.result.restaurantId, DEMO.restaurantId);
    }
  });

  test('a bodyful of unknown keys is read like the same body without them', async () => {
    const noise = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    const response = await t.api('POST', '/orders', { ...noise, ...demoOrderBody() });
    assert.equal(response.status, 201);
  });

  test('impossible offsets in times are refused', async () => {
    const response = await t.api('POST', '/orders',
      demoOrderBody({ soonest: false, expectedAt: '2099-04-05T15:12:58+99:00' }));
    assert.equal(response.status, 400);
    assert.ok(response.body.errors.expectedAt);
  });

  test('search text is literal: % and _ are not wildcards', async () => {
    await t.api('POST', '/orders', demoOrderBody());
    for (const q of ['%', '_', '%25']) {
      const response = await t.api('GET', `/orders?q=${encodeURIComponent(q)}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.result, [], q);
    }
 
    for (const q of ['\u0000', 'a\u0001', '\u0085']) {
      const response = await t.api('GET', `/orders?q=${encodeURIComponent(q)}`);
      assert.equal(response.status, 400, 'a NUL would end the pattern: every order would match');
      assert.ok(response.body.errors.q);
    }
  });
  test('control characters and broken Unicode in text are a 400 naming the field', async () => {
    const before = await countOrders();
    const cases: [Record<string, unknown>, string][] = [
      [{ guest: { phone: '79000000001', firstName: 'Gu\u0000est' } }, 'guest.firstName'],
      [{ comment: 'bell \u0007' }, 'comment'],
      [{ comment: 'next line \u0085' }, 'comment'],
      [{ comment: 'half a pair \ud800' }, 'comment'],
    ];
    for (const [fields, path] of cases) {
      const response = await t.api('POST', '/orders', demoOrderBody(fields));
      assert.equal(response.status, 400, path);
      assert.ok(response.body.errors[path], JSON.stringify(response.body));
    }
    assert.equal(await countOrders(), before);

    const kept = await t.api('POST', '/orders',
      demoOrderBody({ comment: 'line one\r\n\tline two 😀' }));
    assert.equal(kept.status, 201, 'tabs, line breaks and whole pairs are text');
    const id = kept.body.result.orderId;
    const patch = await t.api('PATCH', `/orders/${id}`, { comment: 'a\u0000b' });
    assert.equal(patch.status, 400);
    assert.ok(patch.body.errors.comment);
    const read = await t.api('GET', `/orders/${id}`);
    assert.equal(read.body.result.comment, 'line one\r\n\tline two 😀');
  });

  test('one key in two spellings: the same value is one key, different values a 400',
    async () => {
      const same = await t.api('POST', '/orders',
        { ...demoOrderBody({ comment: 'twice' }), Comment: 'twice' });
      assert.equal(same.status, 201);

      const before = await countOrders();
      const differing = await t.api('POST', '/orders',
        { ...demoOrderBody({ comment: 'this' }), COMMENT: 'that' });
      assert.equal(differing.status, 400);
      assert.match(differing.body.errors.comment[0], /different spellings/);
      assert.equal(await countOrders(), before);

      const id = same.body.result.orderId;
      const patch = await t.api('PATCH', `/orders/${id}`, { comment: 'X', Comment: 'Y' });
      assert.equal(patch.status, 400);
      assert.ok(patch.body.errors.comment);
    });
});
