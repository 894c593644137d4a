import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { ADMIN_TOKEN, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { waitUntil } from './helpers/wait-until.js';

async function statusOf(t: TestHub, id: string): Promise<number> {
  return (await t.api('GET', `/orders/${id}`)).body.result.orderStatusId;
}

async function waitForStatus(t: TestHub, id: string, status: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await statusOf(t, id) === status) return;
    await sleep(100);
  }
  assert.equal(await statusOf(t, id), status, `order ${id} reached status ${status}`);
}

describe('order lifecycle timers and operator actions', () => {
  test('a transfer timer survives a restart and fires once', async () => {
    const env = await createTestEnv();
    try {
      const first = await startTestHub(env, { transferDelaySec: 2 });
      const id = (await first.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      assert.equal(await first.runTimers(), 0, 'not due yet');
      await first.close();

      const second = await startTestHub(env, { transferDelaySec: 2, schedulerRunning: true });
      try {
        await waitForStatus(second, id, 4, 15_000);
        assert.equal(second.hub.simulator?.commandCount('CreateOrder'), 1);
        // The scheduler removes a timer once its handler has returned: just after the status.
        const timers = () => second.hub.store.db.selectFrom('timers').selectAll().execute();
        await waitUntil(async () => (await timers()).length === 0, 'the timer to be done', 1000);
        assert.deepEqual(await timers(), []);

        await sleep(300);
        assert.equal(second.hub.simulator?.commandCount('CreateOrder'), 1, 'fired once');
      } finally {
        await second.close();
      }
    } finally {
      await env.dispose();
    }
  });

  test('a claimed transfer whose process died is taken over after its lease, once', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      const past = new Date(Date.now() - 1000).toISOString();
      await t.hub.store.db.updateTable('timers')
        .set({ lockedBy: 'a-dead-instance', lockedUntil: past }).execute();

      assert.equal(await t.runTimers(), 1);
      assert.equal(await statusOf(t, id), 4);
      assert.equal(await t.runTimers(), 0);
      assert.equal(t.hub.simulator?.commandCount('CreateOrder'), 1);
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('without automatic processing an order waits for the operator', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env, { orderProcessing: 'none' });
    const admin = (method: string, path: string, token = ADMIN_TOKEN) =>
      t.request(method, `/admin/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    try {
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      assert.equal(await statusOf(t, id), 1);
      await t.runTimers();
      assert.equal(await statusOf(t, id), 1, 'nothing happens by itself');

      assert.equal((await admin('POST', `/orders/${id}/confirm`, 'wrong')).status, 401);
      const confirmed = await admin('POST', `/orders/${id}/confirm`);
      assert.equal(confirmed.status, 200);
      assert.equal(confirmed.body.result.statusId, 3);

      await t.runTimers();
      assert.equal(await statusOf(t, id), 4);

      const again = await admin('POST', `/orders/${id}/transfer`);
      assert.equal(again.status, 422);
      assert.equal(again.body.code, 'err_unprocessable_entity');

      const view = await admin('GET', `/orders/${id}`);
      assert.equal(view.body.result.posSyncState, 'confirmed');
      assert.equal((await admin('GET', '/orders/999999')).status, 404);
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('a station failure keeps the status, flags attention and retries later', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      t.hub.simulator?.faults.add({ mode: 'decline', match: { cmd: 'CreateOrder' }, times: 2,
        params: { rk7ErrorN: 2133, text: 'The common shift was opened too long ago, close it' } });
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;

      await t.runTimers();
      const failed = (await t.api('GET', `/orders/${id}`)).body.result;
      assert.equal(failed.orderStatusId, 3);
      assert.equal(failed.isAttention, true);
      assert.equal(failed.posSyncState, 'failed');
      const timer = await t.hub.orders.timers.find('transfer', Number(id));
      assert.equal(timer?.attempts, 1);
      assert.ok(timer && Date.parse(timer.dueAt) > Date.now(), 'retry is in the future');

      const retryNow = () => t.hub.store.db.updateTable('timers')
        .set({ dueAt: new Date(0).toISOString() }).where('kind', '=', 'transfer').execute();
      await retryNow();
      await t.runTimers();
      assert.equal((await t.api('GET', `/orders/${id}`)).body.result.orderStatusId, 3,
        'the same failure again');
      await retryNow();
      await t.runTimers();
      const recovered = (await t.api('GET', `/orders/${id}`)).body.result;
      assert.equal(recovered.orderStatusId, 4);
      assert.equal(recovered.isAttention, false);

      const events = await t.hub.store.db.selectFrom('events').select(['type', 'payload'])
        .where('orderId', '=', Number(id)).orderBy('sequence').execute();
      assert.deepEqual(events.map((e) => e.type), ['order.created', 'order.status_changed',
        'order.status_changed', 'order.attention', 'order.status_changed'],
      'one order.attention for two failures with the same reason');
      const flag = JSON.parse(events[3]?.payload ?? '{}') as { attentionReason?: string };
      assert.match(flag.attentionReason ?? '', /2133|shift/);
    } finally {
      await t.close();
      await env.dispose();
    }
  });
});
