import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';
import { DEMO } from '../src/store/seed-demo.js';
import { ShiftedClock, count, orderOf, placeAtStation } from './helpers/exactly-once.js';
import { ROUBLES, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** Station-side truth flows back (`rk7-xml.md` §6.8): the `station-poll` timer, over HTTP. */

const INTERVAL_MS = 1_000;

describe('station poll', () => {
  let env: TestEnv;
  let t: TestHub;
  let sim: RunningSimulator;
  const clock = new ShiftedClock();

  const start = async () => {
    t = await startTestHub(env, { clock: clock.now,
      env: { STATION_POLL_INTERVAL_MS: String(INTERVAL_MS) } });
    sim = t.hub.simulator as RunningSimulator;
  };
  /** The next poll: its interval passes and the due timers run. */
  const poll = async () => {
    clock.advance(INTERVAL_MS);
    await t.runTimers();
  };
  const setCompleteWhenClosed = (on: boolean) => t.hub.store.db.updateTable('corporations')
    .set({ completeWhenClosedAtStation: on ? 1 : 0 }).where('id', '=', DEMO.corporationId)
    .execute();

  before(async () => {
    env = await createTestEnv();
    await start();
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('an idle station answers "No changes" and nothing is read', async () => {
    await placeAtStation(t);
    await poll();
    const lists = count(t, 'GetOrderList');
    const reads = count(t, 'GetOrder');

    await poll();
    await poll();
    assert.equal(count(t, 'GetOrderList'), lists + 2);
    assert.equal(count(t, 'GetOrder'), reads, 'no order read while nothing changed');
  });

  test('paid at the till: payments recorded, Completed, later calls refused', async () => {
    const { id, guid } = await placeAtStation(t);
    await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
    await poll();

    const order = await orderOf(t, id);
    assert.equal(order.orderStatusId, 11);
    assert.equal(order.paymentStatus, 'paid');
    assert.deepEqual(order.payments.map((p: { code: string; amount: number }) =>
      [p.code, p.amount]), [[ROUBLES, 978]]);
    const history = await t.hub.store.db.selectFrom('orderStatusHistory').selectAll()
      .where('orderId', '=', Number(id)).where('toStatus', '=', 11).execute();
    assert.deepEqual(history.map((h) => h.actor), ['station']);
    const events = await t.hub.store.db.selectFrom('events').select(['type', 'statusId'])
      .where('orderId', '=', Number(id)).orderBy('sequence').execute();
    assert.deepEqual(events.slice(-2).map((e) => [e.type, e.statusId]),
      [['order.paid', 4], ['order.status_changed', 11]], 'paid, then closed');

    const payOrders = count(t, 'PayOrder');
    const pay = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(pay.status, 422);
    assert.match(pay.body.msg, /completed/);
    assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);
    assert.equal(count(t, 'PayOrder'), payOrders);
  });

  test('voided at the till: Cancelled, pay and complete refused', async () => {
    const { id, guid } = await placeAtStation(t);
    await sim.actions.voidAtTill({ orderGuid: guid });
    await poll();

    assert.equal((await orderOf(t, id)).orderStatusId, 12);
    const pay = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(pay.status, 422);
    assert.match(pay.body.msg, /cancelled/);
    assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 422);
  });

  test('without completeWhenClosedAtStation the payment is recorded, the close is the API\'s',
    async () => {
      await setCompleteWhenClosed(false);
      try {
        const { id, guid } = await placeAtStation(t);
        await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
        await poll();

        const paid = await orderOf(t, id);
        assert.equal(paid.orderStatusId, 4);
        assert.equal(paid.paymentStatus, 'paid');
        const pay = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
        assert.equal(pay.status, 422, 'paid at the till, not by this request');
        assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);
        assert.equal((await orderOf(t, id)).orderStatusId, 11);
        assert.equal((await orderOf(t, id)).payments.length, 1);
      } finally {
        await setCompleteWhenClosed(true);
      }
    });

  test('an order paid through the hub is left to the API', async () => {
    const { id } = await placeAtStation(t);
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
    await poll();

    const order = await orderOf(t, id);
    assert.equal(order.orderStatusId, 4, 'closed at the station by the payment, not completed');
    assert.equal(order.payments.length, 1);
  });

  test('the poll survives a restart', async () => {
    const { id, guid } = await placeAtStation(t);
    await t.close();
    await start();

    const pollRow = await t.hub.store.db.selectFrom('stationPolls').selectAll()
      .where('restaurantId', '=', DEMO.restaurantId).executeTakeFirstOrThrow();
    assert.ok(pollRow.lastVersion !== null, 'the cursor was kept');
    assert.ok(await t.hub.orders.timers.find('station-poll', pollRow.id));

    await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
    await poll();
    assert.equal((await orderOf(t, id)).orderStatusId, 11);
  });
});
