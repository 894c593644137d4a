import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** The value of the sample `name{labels}` in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}) {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;

    const have = new Map([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)]
      .map((m) => [m[1], m[2]]));
    if (wanted.every(([key, value]) => have.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(t: TestHub): Promise<string> {
  const res = await t.request('GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.body as string;
}

describe('Prometheus metrics', () => {
  test('requests, cash-station calls, orders by status and timer lag are counted', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      const created = await t.api('POST', '/orders', demoOrderBody());
      const id = created.body.result.orderId as string;
      assert.equal((await t.api('GET', `/orders/${id}`)).status, 200);
      assert.equal((await t.api('GET', '/orders/999999')).status, 404);
      assert.equal((await t.request('GET', '/no/such/path')).status, 404);
      assert.equal(await t.runTimers(), 1);
      assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(900))).status, 500);

      const text = await scrape(t);
      const http = 'delivery_hub_http_request_duration_seconds_count';
      assert.equal(sample(text, http,
        { method: 'POST', route: '/orders/api/v1/orders', status_code: '201' }), 1);
      assert.equal(sample(text, http,
        { method: 'GET', route: '/orders/api/v1/orders/:orderId', status_code: '200' }), 1);
      assert.equal(sample(text, http,
        { method: 'GET', route: '/orders/api/v1/orders/:orderId', status_code: '404' }), 1);
      assert.equal(sample(text, http,
        { method: 'GET', route: 'unmatched', status_code: '404' }), 1);
      assert.doesNotMatch(text, /route="\/orders\/api\/v1\/orders\/\d+"/, 'no raw paths');

      const cash = 'delivery_hub_cash_call_duration_seconds_count';
      assert.equal(sample(text, cash, { command: 'createOrder', outcome: 'ok' }), 1);
      assert.equal(sample(text, cash, { command: 'payOrder', outcome: 'refused' }), 1);
      assert.equal(sample(text, 'delivery_hub_cash_call_errors_total',
        { command: 'payOrder', kind: 'refused' }), 1);
      assert.equal(sample(text, 'delivery_hub_cash_call_errors_total',
        { command: 'createOrder' }), undefined, 'no error for a call that succeeded');

      assert.equal(sample(text, 'delivery_hub_orders', { status_id: '4' }), 1);
      assert.equal(sample(text, 'delivery_hub_orders', { status_id: '1' }), 0);
      assert.equal(sample(text, 'delivery_hub_timer_lag_seconds_count', { kind: 'transfer' }), 1);
      assert.notEqual(sample(text, 'process_resident_memory_bytes'), undefined);
      assert.equal(sample(text, 'delivery_hub_outbox_backlog'), undefined, 'no slot filled yet');
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('each hub has its own registry, and the outbox backlog slot reads on scrape', async () => {
    const envA = await createTestEnv();
    const envB = await createTestEnv();
    const a = await startTestHub(envA);
    const b = await startTestHub(envB);
    try {
      await a.api('POST', '/orders', demoOrderBody());
      let backlog = 7;
      b.hub.metrics.registerOutboxBacklog(async () => backlog);

      const route = { method: 'POST', route: '/orders/api/v1/orders', status_code: '201' };
      const http = 'delivery_hub_http_request_duration_seconds_count';
      assert.equal(sample(await scrape(a), http, route), 1);
      assert.equal(sample(await scrape(b), http, route), undefined);
      assert.equal(sample(await scrape(b), 'delivery_hub_orders', { status_id: '3' }), 0);
      assert.equal(sample(await scrape(b), 'delivery_hub_outbox_backlog'), 7);
      backlog = 2;
      assert.equal(sample(await scrape(b), 'delivery_hub_outbox_backlog'), 2);
      assert.equal(sample(await scrape(a), 'delivery_hub_outbox_backlog'), undefined);
    } finally {
      await a.close();
      await b.close();
      await envA.dispose();
      await envB.dispose();
    }
  });
});
