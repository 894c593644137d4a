import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { ShiftedClock, count, orderOf, placeAtStation } from './helpers/exactly-once.js';
import { demoOrderBody, payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { addConnection } from './helpers/second-connection.js';
import {
  type ApiResponse, type TestEnv, type TestHub, createTestEnv, startTestHub,
} from './helpers/test-hub.js';

/** Idempotent creates and writes (issue #4, `delivery-api.md` §16), over HTTP. */

const OTHER = { clientId: '7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f', secret: 'other-secret' };

describe('exactly-once creates and Idempotency-Key', () => {
  let env: TestEnv;
  let t: TestHub;
  let otherToken: string;
  const clock = new ShiftedClock();

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { clock: clock.now, env: { CREATE_DEDUPE_WINDOW_SEC: '120' } });
    otherToken = await addConnection(t, OTHER);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  async function send(
    method: string, path: string, body: unknown, headers: Record<string, string> = {},
    token?: string,
  ): Promise<ApiResponse> {
    return t.request(method, `/orders/api/v1${path}`, {
      headers: {
        authorization: `Bearer ${token ?? await t.token()}`, 'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify(body),
    });
  }

  const ordersCount = async () => Number((await t.hub.store.db.selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('the same create body posted twice 5 s apart makes one order; both get its id',
    async () => {
      const body = demoOrderBody({ comment: 'timed out once' });
      const before = await ordersCount();

      const first = await send('POST', '/orders', body);
      assert.equal(first.status, 201);
      clock.advance(5_000);
      // Same body, keys in another order: still the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await send('POST', '/orders', reordered);

      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      assert.equal(second.headers.get('idempotency-replayed'), 'true');
      assert.equal(await ordersCount(), before + 1);
    });

  test('after the window, or from another connection, the same body is a new order',
    async () => {
      const body = demoOrderBody({ comment: 'the regular' });
      const first = await send('POST', '/orders', body);
      const fromOther = await send('POST', '/orders', body, {}, otherToken);
      assert.notEqual(fromOther.body.result.orderId, first.body.result.orderId);

      clock.advance(121_000);
      const later = await send('POST', '/orders', body);
      assert.equal(later.status, 201);
      assert.notEqual(later.body.result.orderId, first.body.result.orderId);
    });

  test('concurrent identical creates make one order', async () => {
    const body = demoOrderBody({ comment: 'double click' });
    const before = await ordersCount();

    const answers = await Promise.all([1, 2, 3].map(() => send('POST', '/orders', body)));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201]);
    assert.equal(new Set(answers.map((a) => a.body.result.orderId)).size, 1);
    assert.equal(await ordersCount(), before + 1);
  });

  test('an Idempotency-Key replays status and body; another body with it is 422', async () => {
    const key = { 'idempotency-key': 'create-1' };
    const first = await send('POST', '/orders', piesOrderBody(), key);
    assert.equal(first.status, 201);

    const replay = await send('POST', '/orders', piesOrderBody(), key);
    assert.equal(replay.status, 201);
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers.get('idempotency-replayed'), 'true');

    const reused = await send('POST', '/orders', demoOrderBody(), key);
    assert.equal(reused.status, 422);
    assert.equal(reused.body.code, 'idempotency_key_reused');
    assert.deepEqual(Object.keys(reused.body).sort(), ['code', 'errors', 'msg', 'requestId']);

    const otherConnection = await send('POST', '/orders', demoOrderBody(), key, otherToken);
    assert.equal(otherConnection.status, 201, 'keys are scoped per connection');
  });

  test('a create whose process died before answering is found again, not repeated',
    async () => {
      const key = { 'idempotency-key': 'died-after-commit' };
      const first = await send('POST', '/orders', piesOrderBody(), key);
      const before = await ordersCount();
      // What a process killed between its commit and its answer leaves: a claim, no answer.
      await t.hub.store.db.updateTable('idempotencyKeys')
        .set({ state: 'running', lockedUntil: '', statusCode: null, responseBody: null })
        .where('idemKey', '=', 'died-after-commit').execute();

      const repeat = await send('POST', '/orders', piesOrderBody(), key);
      assert.equal(repeat.status, 201);
      assert.equal(repeat.body.result.orderId, first.body.result.orderId);
      assert.equal(await ordersCount(), before);
    });

  test('a stored refusal is replayed; a key expires after its day', async () => {
    const key = { 'idempotency-key': 'bad-create' };
    const refused = await send('POST', '/orders', { restaurantId: DEMO.restaurantId }, key);
    assert.equal(refused.status, 400);
    const replay = await send('POST', '/orders', { restaurantId: DEMO.restaurantId }, key);
    assert.equal(replay.status, 400);
    assert.deepEqual(replay.body, refused.body, 'the same body, the first requestId included');

    clock.advance(24 * 3600_000 + 1_000);
    const reused = await send('POST', '/orders', piesOrderBody(), key);
    assert.equal(reused.status, 201, 'an expired key is free again');
  });

  test('concurrent pays with one key make one PayOrder and answer alike', async () => {
    const { id } = await placeAtStation(t);
    const payOrders = count(t, 'PayOrder');
    t.hub.simulator?.faults.add({ mode: 'latency', match: { cmd: 'PayOrder' },
      params: { ms: 150 }, times: 1 });
    const key = { 'idempotency-key': `pay-${id}` };

    const answers = await Promise.all([1, 2].map(() =>
      send('PUT', `/orders/${id}/pay`, payBody(978), key)));
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.equal(count(t, 'PayOrder'), payOrders + 1);

    const otherAmount = await send('PUT', `/orders/${id}/pay`, payBody(900), key);
    assert.equal(otherAmount.status, 422);
    assert.equal(otherAmount.body.code, 'idempotency_key_reused');
    assert.equal((await orderOf(t, id)).payments.length, 1);
  });

  test('a malformed Idempotency-Key is a 400 naming the header', async () => {
    const long = await send('POST', '/orders', piesOrderBody(), {
      'idempotency-key': 'k'.repeat(256),
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.code, 'ERR_PARSE_REQUEST');
    assert.deepEqual(Object.keys(long.body.errors), ['Idempotency-Key']);
  });
});
