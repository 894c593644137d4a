import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';
import {
  ShiftedClock, count, orderOf, placeAtStation, stationOrder,
} from './helpers/exactly-once.js';
import { payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { waitUntil } from './helpers/wait-until.js';

/** Handed cases of issue #4 about paying and closing, over HTTP. */

const SHORT_PAY_MSG = 'WS error: Error code: WsaOrderError. RkInternal: Cash station [3373] '
  + 'There is not enough money to fully pay the order.';

describe('exactly-once payment and close', () => {
  let env: TestEnv;
  let t: TestHub;
  let sim: RunningSimulator;
  const clock = new ShiftedClock();

  before(async () => {
    env = await createTestEnv();
    // A short station timeout keeps "no answer" cases quick; entries settle after 2 s.
    t = await startTestHub(env, { clock: clock.now, env: { CASH_TIMEOUT_MS: '1000' } });
    sim = t.hub.simulator as RunningSimulator;
  });
  beforeEach(() => sim.faults.clear());
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const pay = async (id: string, amount = 978, headers: Record<string, string> = {}) =>
    t.request('PUT', `/orders/api/v1/orders/${id}/pay`, {
      headers: {
        'content-type': 'application/json', authorization: `Bearer ${await t.token()}`,
        ...headers,
      },
      body: JSON.stringify(payBody(amount)),
    });

  test('the pay body sent three times, the first answer lost after the station took it',
    async () => {
      const { id, guid } = await placeAtStation(t);
      const payOrders = count(t, 'PayOrder');
      sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'PayOrder' }, times: 1 });

      const first = await pay(id, 978);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal((await orderOf(t, id)).paymentStatus, 'paid', 'paid after the first');

      for (const again of [await pay(id), await pay(id)]) {
        assert.equal(again.status, 200);
        assert.deepEqual(again.body, { result: {} });
      }
      assert.equal(count(t, 'PayOrder'), payOrders + 1);
      assert.equal(stationOrder(t, guid).checks.length, 1, 'one payment at the station');
      assert.equal((await orderOf(t, id)).payments.length, 1, 'one payment in the hub');
    });

  test('two identical pays fired within 10 ms make exactly one PayOrder', async () => {
    const { id, guid } = await placeAtStation(t);
    const payOrders = count(t, 'PayOrder');
    sim.faults.add({ mode: 'latency', match: { cmd: 'PayOrder' }, params: { ms: 150 } });

    await t.token();
    const firing = [pay(id), sleep(5).then(() => pay(id))];
    const answers = await Promise.all(firing);

    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.equal(count(t, 'PayOrder'), payOrders + 1);
    assert.equal(stationOrder(t, guid).checks.length, 1);
    assert.equal((await orderOf(t, id)).payments.length, 1);
  });

  test('pay then complete with no pause both succeed', async () => {
    const first = await placeAtStation(t);
    assert.equal((await pay(first.id, 978)).status, 200);
    const completed = await t.api('PUT', `/orders/${first.id}/complete`);
    assert.equal(completed.status, 200, JSON.stringify(completed.body));

    // Complete sent while the payment is still at the station waits for it.
    const second = await placeAtStation(t);
    const payOrders = count(t, 'PayOrder');
    sim.faults.add({ mode: 'latency', match: { cmd: 'PayOrder' }, params: { ms: 200 } });
    const paying = pay(second.id, 978);
    await waitUntil(() => count(t, 'PayOrder') > payOrders, 'the PayOrder at the station');
    const closing = t.api('PUT', `/orders/${second.id}/complete`);

    assert.equal((await paying).status, 200);
    assert.equal((await closing).status, 200, JSON.stringify((await closing).body));
    const done = await orderOf(t, second.id);
    assert.equal(done.orderStatusId, 11);
    assert.equal(done.paymentStatus, 'paid');
  });

  test('an HTTP 200 "Query Executing Error" 3373 is the [3373] envelope; nothing is paid',
    async () => {
      const { id, guid } = await placeAtStation(t);
      sim.faults.add({
        mode: 'decline', match: { cmd: 'PayOrder' }, times: 1,
        params: { rk7ErrorN: 3373, text: 'There is not enough money to fully pay the order.' },
      });

      const refused = await pay(id, 978);
      assert.equal(refused.status, 500);
      assert.equal(refused.body.code, 'ERR_EXTERNAL_ERROR_WS');
      assert.equal(refused.body.msg, SHORT_PAY_MSG);
      assert.equal(refused.body.errors, null);
      const order = await orderOf(t, id);
      assert.equal(order.paymentStatus, 'notPaid');
      assert.equal(order.payments, null);
      assert.equal(stationOrder(t, guid).paid, false);

      const entries = await t.hub.orders.journal.repo.ofOrder(Number(id));
      assert.deepEqual(entries.filter((e) => e.operation === 'pay').map((e) => e.state),
        ['refused']);
      assert.equal((await pay(id, 978)).status, 200, 'a refusal blocks nothing');
    });

  test('complete, then pay and complete again: pay refused unsent, complete a no-op',
    async () => {
      const { id } = await placeAtStation(t);
      assert.equal((await pay(id, 978)).status, 200);
      assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);
      const calls = () => ['PayOrder', 'GetOrder', 'SaveOrder'].map((cmd) => count(t, cmd));
      const before = calls();

      const again = await pay(id, 978);
      assert.equal(again.status, 422);
      assert.equal(again.body.code, 'err_unprocessable_entity');
      assert.match(again.body.msg, /completed/);
      const closeAgain = await t.api('PUT', `/orders/${id}/complete`);
      assert.equal(closeAgain.status, 200);
      assert.deepEqual(calls(), before, 'no station call');
      assert.equal((await orderOf(t, id)).orderStatusId, 11);
    });

  test('station link down while paying, back after 30 s: a bounded error, paid at most once',
    async () => {
      const { id, guid } = await placeAtStation(t);
      const payOrders = count(t, 'PayOrder');
      sim.faults.add({ mode: 'hang', match: { cmd: 'PayOrder' }, params: { ms: 60_000 } });
      sim.faults.add({ mode: 'httpStatus', match: { cmd: 'GetOrder' }, params: { code: 502 } });

      const lost = await pay(id, 978);
      assert.equal(lost.status, 503);
      assert.equal(lost.body.code, 'ERR_EXTERNAL_TIMEOUT_WS');
      assert.ok(Number(lost.headers.get('retry-after')) >= 1);
      const flagged = await orderOf(t, id);
      assert.equal(flagged.posSyncState, 'unknown');
      assert.equal(flagged.isAttention, true);
      assert.equal(flagged.paymentStatus, 'notPaid');

      const stillDown = await pay(id, 978);
      assert.equal(stillDown.status, 503);
      assert.equal(stillDown.body.code, 'ERR_EXTERNAL_TIMEOUT_WS');
      assert.equal(count(t, 'PayOrder'), payOrders + 1, 'nothing sent blindly while unknown');

      clock.advance(30_000);
      sim.faults.clear();
      const back = await pay(id, 978);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(stationOrder(t, guid).checks.length, 1, 'one payment at the station');
      const paid = await orderOf(t, id);
      assert.equal(paid.paymentStatus, 'paid');
      assert.equal(paid.payments.length, 1);
      assert.equal(paid.posSyncState, 'confirmed');
      assert.equal(paid.isAttention, false);

      const events = await t.hub.store.db.selectFrom('events').select(['type', 'payload'])
        .where('orderId', '=', Number(id)).orderBy('sequence').execute();
      const flags = events.filter((e) => e.type === 'order.attention')
        .map((e) => JSON.parse(e.payload) as { attentionReason: string; orderStatusId: number });
      assert.equal(flags.length, 1, 'one order.attention for the one incident');
      assert.match(flags[0]?.attentionReason ?? '', /PayOrder|unknown|answer/i);
      assert.equal(flags[0]?.orderStatusId, 4);
      assert.deepEqual(events.slice(-2).map((e) => e.type), ['order.attention', 'order.paid']);
    });

  test('a payment the station took before the link dropped is confirmed, never resent',
    async () => {
      const { id, guid } = await placeAtStation(t);
      const payOrders = count(t, 'PayOrder');
      sim.faults.add({ mode: 'hang', match: { cmd: 'PayOrder' },
        params: { ms: 60_000, commit: true } });
      sim.faults.add({ mode: 'httpStatus', match: { cmd: 'GetOrder' }, params: { code: 502 } });

      assert.equal((await pay(id, 978)).status, 503);
      clock.advance(30_000);
      sim.faults.clear();
      const back = await pay(id, 978);

      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(count(t, 'PayOrder'), payOrders + 1);
      assert.equal(stationOrder(t, guid).checks.length, 1);
      assert.equal((await orderOf(t, id)).payments.length, 1);
    });

  test('an unknown outcome is not resent until it can have settled', async () => {
    const { id, guid } = await placeAtStation(t);
    const payOrders = count(t, 'PayOrder');
    sim.faults.add({ mode: 'httpStatus', match: { cmd: 'PayOrder' }, params: { code: 502 },
      times: 1 });

    assert.equal((await pay(id, 978)).status, 503);
    const early = await pay(id, 978);
    assert.equal(early.status, 503);
    assert.equal(early.body.code, 'ERR_EXTERNAL_TIMEOUT_WS');
    assert.equal(count(t, 'PayOrder'), payOrders + 1);

    clock.advance(30_000);
    assert.equal((await pay(id, 978)).status, 200);
    assert.equal(count(t, 'PayOrder'), payOrders + 2, 'resent once it had lapsed');
    assert.equal(stationOrder(t, guid).checks.length, 1);
    const states = (await t.hub.orders.journal.repo.ofOrder(Number(id)))
      .filter((e) => e.operation === 'pay').map((e) => e.state);
    assert.deepEqual(states, ['lapsed', 'confirmed']);
  });
});
