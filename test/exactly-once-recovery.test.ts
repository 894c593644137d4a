import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PayPayload } from '../src/orders/order-effects.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';
import { isoFromMillis } from '../src/time/instant.js';
import {
  ShiftedClock, count, orderOf, placeAtStation, stationOrder,
} from './helpers/exactly-once.js';
import { ROUBLES, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * The operation journal after crashes and lost answers (issue #4): open entries are settled by
 * reading the station back — by the next operation on the order or by the `reconcile` timer —
 * and never by sending again.
 */

const PAYLOAD: PayPayload = {
  request: JSON.stringify([{ code: ROUBLES, amount: 97800, paidAt: null, name: 'cash' }]),
  payments: [{ currencyCode: ROUBLES, name: 'cash', amount: 97800,
    paidAt: '2024-03-01T09:00:00.000Z' }],
};

describe('journal reconciliation after crashes and lost answers', () => {
  let env: TestEnv;
  let t: TestHub;
  let sim: RunningSimulator;
  const clock = new ShiftedClock();

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { clock: clock.now, env: { CASH_TIMEOUT_MS: '1000' } });
    sim = t.hub.simulator as RunningSimulator;
  });
  beforeEach(() => sim.faults.clear());
  after(async () => {
    await t.close();
    await env.dispose();
  });

  /** What a process killed right after sending a PayOrder leaves behind. */
  async function deadProcessIntent(hub: TestHub, orderId: string): Promise<number> {
    const ctx = hub.hub.orders;
    const nowMs = clock.now();
    const now = isoFromMillis(nowMs);
    const order = await ctx.orders.get(Number(orderId));
    return ctx.orders.transaction(async (trx) => {
      const id = await ctx.journal.repo.begin(trx, {
        orderId: Number(orderId), restaurantId: order?.restaurantId as string,
        operation: 'pay', fingerprint: 'f', payload: PAYLOAD, owner: 'dead-instance/1', now,
      });
      await ctx.timers.schedule(trx, 'reconcile', Number(orderId), isoFromMillis(nowMs + 3_000),
        now);
      return id;
    });
  }

  const stateOf = async (hub: TestHub, entryId: number) =>
    (await hub.hub.store.db.selectFrom('stationOperations').select('state')
      .where('id', '=', entryId).executeTakeFirstOrThrow()).state;

  test('a crash after the station took a payment: the reconcile timer records it once',
    async () => {
      const { id, guid } = await placeAtStation(t);
      const entryId = await deadProcessIntent(t, id);
      await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
      const payOrders = count(t, 'PayOrder');

      assert.equal(await t.runTimers(), 0, 'not due while the call may be on its way');
      clock.advance(5_000);
      assert.equal(await t.runTimers(), 1);

      const order = await orderOf(t, id);
      assert.equal(order.paymentStatus, 'paid');
      assert.deepEqual(order.payments, [{ code: ROUBLES, amount: 978, name: 'cash',
        paidAt: '2024-03-01T09:00:00+00:00' }]);
      assert.equal(await stateOf(t, entryId), 'confirmed');
      assert.equal(count(t, 'PayOrder'), payOrders, 'nothing sent');
      assert.equal(await t.hub.orders.timers.find('reconcile', Number(id)), undefined);
    });

  test('a client repeating the pay after the crash gets success from the read-back', async () => {
    const { id, guid } = await placeAtStation(t);
    await deadProcessIntent(t, id);
    await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
    const payOrders = count(t, 'PayOrder');

    const repeated = await t.api('PUT', `/orders/${id}/pay`,
      [{ code: ROUBLES, amount: 978, name: 'cash' }]);
    assert.equal(repeated.status, 200, JSON.stringify(repeated.body));
    assert.equal(count(t, 'PayOrder'), payOrders);
    assert.equal(stationOrder(t, guid).checks.length, 1);
  });

  test('an intent that never reached the station lapses; then the pay goes through', async () => {
    const { id, guid } = await placeAtStation(t);
    const entryId = await deadProcessIntent(t, id);

    const early = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(early.status, 503, 'maybe still on its way: not sent again');
    assert.equal(early.body.code, 'ERR_EXTERNAL_TIMEOUT_WS');

    clock.advance(5_000);
    await t.runTimers();
    assert.equal(await stateOf(t, entryId), 'lapsed');
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
    assert.equal(stationOrder(t, guid).checks.length, 1);
  });

  test('an unknown outcome shows on the order until the reconciler settles it', async () => {
    const { id, guid } = await placeAtStation(t);
    const payOrders = count(t, 'PayOrder');
    sim.faults.add({ mode: 'httpStatus', match: { cmd: 'PayOrder' },
      params: { code: 503, commit: true }, times: 1 });
    sim.faults.add({ mode: 'httpStatus', match: { cmd: 'GetOrder' }, params: { code: 503 },
      times: 1 });

    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 503);
    const flagged = await orderOf(t, id);
    assert.equal(flagged.posSyncState, 'unknown');
    assert.equal(flagged.isAttention, true);
    assert.equal(flagged.paymentStatus, 'notPaid');

    clock.advance(5_000);
    await t.runTimers();
    const settled = await orderOf(t, id);
    assert.equal(settled.paymentStatus, 'paid');
    assert.equal(settled.posSyncState, 'confirmed');
    assert.equal(settled.isAttention, false);
    assert.equal(count(t, 'PayOrder'), payOrders + 1);
    assert.equal(stationOrder(t, guid).checks.length, 1);
  });

  test('a transfer whose answer was lost is read back, not created twice', async () => {
    const creates = count(t, 'CreateOrder');
    const saves = count(t, 'SaveOrder');
    sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'SaveOrder' }, times: 1 });

    const { id, guid } = await placeAtStation(t);
    assert.equal(count(t, 'CreateOrder'), creates + 1);
    assert.equal(count(t, 'SaveOrder'), saves + 1);
    assert.equal(stationOrder(t, guid).sessions.length, 1);
    const entries = await t.hub.orders.journal.repo.ofOrder(Number(id));
    assert.deepEqual(entries.map((e) => [e.operation, e.state]), [['create', 'confirmed']]);
  });

  test('a void whose answer was lost: the reconciler cancels the order, nothing sent again',
    async () => {
      const { id, guid } = await placeAtStation(t);
      const voids = count(t, 'VoidOrder');
      sim.faults.add({ mode: 'httpStatus', match: { cmd: 'VoidOrder' },
        params: { code: 503, commit: true }, times: 1 });
      // The connector's own check before the void passes; the reads after it fail.
      sim.faults.add({ mode: 'httpStatus', match: { cmd: 'GetOrder', orderGuid: guid, nth: 2 },
        params: { code: 503 }, times: 2 });

      const lost = await t.api('PUT', `/orders/${id}/reject`, { rejectionReasonText: 'gone' });
      assert.equal(lost.status, 503, JSON.stringify(lost.body));
      assert.equal(lost.body.code, 'ERR_EXTERNAL_TIMEOUT_WS');
      assert.equal(stationOrder(t, guid).deleted, true, 'the station did void it');
      const open = await orderOf(t, id);
      assert.equal(open.orderStatusId, 4, 'the hub does not pretend');
      assert.equal(open.posSyncState, 'unknown');

      clock.advance(5_000);
      await t.runTimers();
      const cancelled = await orderOf(t, id);
      assert.equal(cancelled.orderStatusId, 12);
      assert.equal(cancelled.isAttention, false);
      assert.equal(cancelled.rejectionReason?.text, 'gone');
      assert.equal(count(t, 'VoidOrder'), voids + 1);
      const entries = await t.hub.orders.journal.repo.ofOrder(Number(id));
      assert.deepEqual(entries.map((e) => [e.operation, e.state]),
        [['create', 'confirmed'], ['void', 'confirmed']]);

      assert.equal((await t.api('PUT', `/orders/${id}/reject`)).status, 200, 'repeat: no-op');
      assert.equal(count(t, 'VoidOrder'), voids + 1);
    });

  test('after a restart the journal is still followed', async () => {
    const { id, guid } = await placeAtStation(t);
    const entryId = await deadProcessIntent(t, id);
    await sim.actions.payAtTill({ orderGuid: guid, amount: 97800 });
    await t.close();

    t = await startTestHub(env, { clock: clock.now, env: { CASH_TIMEOUT_MS: '1000' } });
    sim = t.hub.simulator as RunningSimulator;
    clock.advance(5_000);
    await t.runTimers();
    assert.equal(await stateOf(t, entryId), 'confirmed');
    assert.equal((await orderOf(t, id)).paymentStatus, 'paid');
  });
});
