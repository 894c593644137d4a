import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { createTestEnv, startTestHub } from './helpers/test-hub.js';
import { waitUntil } from './helpers/wait-until.js';

describe('graceful shutdown', () => {
  test('a request in flight during close completes, with its station call', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    let id = '';
    try {
      id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      assert.equal(await t.runTimers(), 1);
      const simulator = t.hub.simulator;
      assert.ok(simulator);
      simulator.faults.add({ mode: 'latency', params: { ms: 300 }, match: { cmd: 'PayOrder' } });

      const paying = t.api('PUT', `/orders/${id}/pay`, payBody(978));
      await waitUntil(() => simulator.commandCount('PayOrder') === 1, 'PayOrder at the station');
      const closing = t.close();
      const paid = await paying;
      await closing;

      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      await assert.rejects(fetch(`${t.baseUrl}/healthz`), 'no longer listening');
    } finally {
      await t.close().catch(() => undefined);
    }

    const again = await startTestHub(env);
    try {
      const order = (await again.api('GET', `/orders/${id}`)).body.result;
      assert.equal(order.paymentStatus, 'paid', 'the payment was stored before the pools closed');
    } finally {
      await again.close();
      await env.dispose();
    }
  });

  test('close waits for the timer pass in progress, which finishes its transfer', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    let id = '';
    try {
      id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      const simulator = t.hub.simulator;
      assert.ok(simulator);
      simulator.faults.add({
        mode: 'latency', params: { ms: 300 }, match: { cmd: 'CreateOrder' },
      });

      const pass = t.runTimers();
      await waitUntil(() => simulator.commandCount('CreateOrder') === 1, 'CreateOrder sent');
      await t.close();

      assert.equal(await pass, 1);
    } finally {
      await t.close().catch(() => undefined);
    }

    const again = await startTestHub(env);
    try {
      const order = (await again.api('GET', `/orders/${id}`)).body.result;
      assert.equal(order.orderStatusId, 4);
      const timers = await again.hub.store.db.selectFrom('timers').selectAll().execute();
      assert.deepEqual(timers, [], 'the finished timer is gone, none left claimed');
    } finally {
      await again.close();
      await env.dispose();
    }
  });
});
