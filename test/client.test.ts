import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DeliveryHubClient, type DeliveryHubClientOptions,
} from '../src/client/delivery-hub-client.js';
import { DeliveryHubError } from '../src/client/delivery-hub-error.js';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

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

/** A client of the test hub whose requests are counted (and optionally altered) by `intercept`. */
function clientWith(options: Partial<DeliveryHubClientOptions> & {
  intercept?: (url: string, init: RequestInit) => Response | undefined;
} = {}) {
  const calls: string[] = [];
  const { intercept, ...rest } = options;
  const client = new DeliveryHubClient({
    baseUrl: t.baseUrl, clientId: t.clientId, clientSecret: t.clientSecret,
    sleep: async () => undefined,
    fetch: async (input, init = {}) => {
      const url = String(input);
      calls.push(`${init.method ?? 'GET'} ${new URL(url).pathname}`);
      return intercept?.(url, init) ?? fetch(input, init);
    },
    ...rest,
  });
  return { client, calls };
}

const tokenCalls = (calls: string[]) => calls.filter((c) => c.endsWith('/connect/token')).length;

test('the token is cached, and renewed before it expires', async () => {
  let now = Date.now();
  const { client, calls } = clientWith({ clock: () => now });

  await client.getRejectionReasons();
  await client.getRejectionReasons();
  assert.equal(tokenCalls(calls), 1);

  now += 24 * 3600 * 1000;
  await client.getRejectionReasons();
  assert.equal(tokenCalls(calls), 2);
});

test('a 401 renews the token once and repeats the call', async () => {
  let spoilt = 0;
  const { client, calls } = clientWith({
    intercept: (url, init) => {
      if (url.includes('/rejectionReasons') && spoilt++ === 0) {
        return new Response(JSON.stringify({ code: 'ERR_UNAUTHORIZED', msg: 'expired',
          requestId: 'x', errors: null }), { status: 401 });
      }
      void init;
      return undefined;
    },
  });

  const reasons = await client.getRejectionReasons();
  assert.ok(Array.isArray(reasons));
  assert.equal(tokenCalls(calls), 2);
});

test('a refused short payment is a typed error with the hub\'s code, msg and request id',
  async () => {
    const { client } = clientWith();
    const orderId = await client.createOrder(demoOrderBody() as never);
    await t.runTimers();

    const failure = await client.pay(orderId, payBody(900) as never).then(
      () => assert.fail('the short payment was accepted'), (err: unknown) => err);
    assert.ok(failure instanceof DeliveryHubError);
    assert.equal(failure.status, 500);
    assert.equal(failure.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.match(failure.msg, /\[3373\]/);
    assert.match(failure.requestId, /^[0-9a-f]{32}$/);
    assert.equal(failure.errors, null);

    const order = await client.getOrder(orderId);
    assert.equal(order.paymentStatus, 'notPaid');
  });

test('a write is repeated after a timeout only when it carries an Idempotency-Key', async () => {
  const timeoutOnce = () => {
    let sent = 0;
    return (url: string) => url.endsWith('/complete') && sent++ === 0
      ? new Response(JSON.stringify({ code: 'ERR_EXTERNAL_TIMEOUT_WS', msg: 'no answer',
        requestId: 'y', errors: null }), { status: 503, headers: { 'retry-after': '1' } })
      : undefined;
  };
  const completes = (calls: string[]) => calls.filter((c) => c.endsWith('/complete')).length;

  const bare = clientWith({ intercept: timeoutOnce() });
  await assert.rejects(bare.client.complete('1'),
    (err: unknown) => err instanceof DeliveryHubError && err.code === 'ERR_EXTERNAL_TIMEOUT_WS');
  assert.equal(completes(bare.calls), 1);

  const keyed = clientWith({ intercept: timeoutOnce() });
  await assert.rejects(keyed.client.complete('999999', { idempotencyKey: 'k-1' }),
    (err: unknown) => err instanceof DeliveryHubError && err.code === 'order_not_found');
  assert.equal(completes(keyed.calls), 2, 'repeated once, then the hub answered');
});

test('a read is not repeated after a client error', async () => {
  const { client, calls } = clientWith();
  await assert.rejects(client.getOrder('999999'),
    (err: unknown) => err instanceof DeliveryHubError && err.status === 404);
  assert.equal(calls.filter((c) => c.includes('/orders/999999')).length, 1);
});

test('ifMatch is sent as If-Match: a stale version is a typed 409, the current one goes through',
  async () => {
    const { client } = clientWith();
    const orderId = await client.createOrder(demoOrderBody() as never);
    const { version } = await client.getOrder(orderId);
    assert.equal(typeof version, 'number');
    await client.changeOrder(orderId, { comment: 'leave at the door' }, { ifMatch: version });

    const stale = await client.complete(orderId, { ifMatch: version }).then(
      () => assert.fail('a stale version was accepted'), (err: unknown) => err);
    assert.ok(stale instanceof DeliveryHubError);
    assert.equal(stale.status, 409);
    assert.equal(stale.code, 'err_version_mismatch');
    assert.equal((await client.getOrder(orderId)).comment, 'leave at the door');
  });
