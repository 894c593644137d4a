import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transferOrder } from '../src/orders/transfer-order.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** Cancelling orders over HTTP (`delivery-api.md` §11.2), at the hub and at the cash station. */

const REFUSED = 'a762a6da-2379-4fa2-9a04-7f5ca82b39d4';
const GUEST_REFUSED = '37631981-7d11-4e36-8465-dd1887d888cc';
const OTHER = '5ff37e88-61ef-46ff-9f6c-4c9579e74210';

describe('PUT /orders/{id}/reject', () => {
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

  const sim = () => {
    const simulator = t.hub.simulator;
    assert.ok(simulator, 'the embedded simulator runs');
    return simulator;
  };
  const order = async (id: string) => (await t.api('GET', `/orders/${id}`)).body.result;
  const reject = (id: string, body?: unknown) => t.api('PUT', `/orders/${id}/reject`, body);
  const create = async () =>
    (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;
  /** An order transferred to the kitchen: created at the station, status 4. */
  const atStation = async () => {
    const id = await create();
    await t.runTimers();
    const view = await order(id);
    assert.equal(view.orderStatusId, 4);
    return { id, guid: await guidOf(id) };
  };
  const guidOf = async (id: string) => (await t.hub.store.db.selectFrom('orders')
    .select('posOrderGuid').where('id', '=', Number(id)).executeTakeFirstOrThrow())
    .posOrderGuid as string;
  const setCorporation = (rejectionReasonRequired: number) => t.hub.store.db
    .updateTable('corporations').set({ rejectionReasonRequired })
    .where('id', '=', DEMO.corporationId).execute();

  test('GET /rejectionReasons lists the seven documented reasons', async () => {
    const res = await t.api('GET', '/rejectionReasons');

    assert.equal(res.status, 200);
    assert.equal(res.body.result.length, 7);
    assert.deepEqual(res.body.result[0], {
      id: REFUSED, reason: 'Test order', type: 'simple', isPossibleDelete: true,
    });
    assert.deepEqual(res.body.result.map((r: { type: string }) => r.type),
      ['simple', 'simple', 'simple', 'simple', 'simple', 'simple', 'text']);
    assert.equal(res.body.result[5].isPossibleDelete, false);
    assert.equal((await t.api('GET', '/rejectionReasons', undefined, null)).status, 401);
  });

  test('an order before the kitchen is cancelled in the hub; its timer is gone', async () => {
    const id = await create();
    const res = await reject(id, { rejectionReasonId: GUEST_REFUSED, rejectionReasonText: '' });

    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { result: {} });
    const view = await order(id);
    assert.equal(view.orderStatusId, 12);
    assert.equal(view.orderStatusName, 'Cancelled');
    assert.deepEqual(view.rejectionReason,
      { id: GUEST_REFUSED, reason: 'The guest refused the order', text: '' });
    assert.equal(await t.hub.orders.timers.find('transfer', Number(id)), undefined);
    const creates = sim().commandCount('CreateOrder');
    await t.runTimers();
    assert.equal(sim().commandCount('CreateOrder'), creates, 'nothing reached the station');
  });

  test('a transfer already claimed when the order is cancelled creates nothing', async () => {
    const id = await create();
    assert.ok(await t.hub.orders.timers.find('transfer', Number(id)), 'the timer is due');
    const creates = sim().commandCount('CreateOrder');

    assert.equal((await reject(id)).status, 200);
    await transferOrder(t.hub.orders, Number(id));
    assert.equal(sim().commandCount('CreateOrder'), creates);
    assert.equal((await order(id)).orderStatusId, 12);
  });

  test('cancelling a cancelled order changes nothing', async () => {
    const id = await create();
    await reject(id, { rejectionReasonId: REFUSED });
    const first = await order(id);

    const again = await reject(id, { rejectionReasonId: GUEST_REFUSED });
    assert.equal(again.status, 200);
    const second = await order(id);
    assert.equal(second.version, first.version);
    assert.equal(second.rejectionReason.id, REFUSED);
  });

  test('an unknown reason is rejection_reason_not_found; the order stays', async () => {
    const id = await create();

    for (const reasonId of ['0e9c2b7a-0000-4000-8000-000000000000', 'not-a-guid']) {
      const res = await reject(id, { rejectionReasonId: reasonId, rejectionReasonText: '' });
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'rejection_reason_not_found');
    }
    assert.equal((await order(id)).orderStatusId, 3);
  });

  test('a text reason needs its text; with it the text is shown', async () => {
    const id = await create();

    const bare = await reject(id, { rejectionReasonId: OTHER, rejectionReasonText: '  ' });
    assert.equal(bare.status, 400);
    assert.equal(bare.body.code, 'err_parse_request');
    assert.deepEqual(Object.keys(bare.body.errors), ['rejectionReasonText']);
    assert.equal((await order(id)).orderStatusId, 3);

    const res = await reject(id, { rejectionReasonID: OTHER.toUpperCase(),
      rejectionReasonText: 'Wrong address', restaurantId: DEMO.restaurantId });
    assert.equal(res.status, 200);
    assert.deepEqual((await order(id)).rejectionReason,
      { id: OTHER, reason: 'Other', text: 'Wrong address' });
  });

  test('without required reasons empty strings or no body cancel', async () => {
    const empty = await create();
    const bodiless = await create();

    assert.equal((await reject(empty, { rejectionReasonId: '', rejectionReasonText: '' })).status,
      200);
    assert.equal((await reject(bodiless)).status, 200);
    assert.equal((await order(empty)).rejectionReason, null);
    assert.equal((await order(bodiless)).orderStatusId, 12);
    assert.equal((await reject(await create(), [1])).body.code, 'ERR_PARSE_REQUEST');
  });

  test('a corporation requiring reasons refuses a cancel without one', async () => {
    const id = await create();
    await setCorporation(1);
    try {
      const res = await reject(id, { rejectionReasonId: '', rejectionReasonText: '' });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'err_parse_request');
      assert.equal((await reject(id)).body.code, 'err_parse_request');
      assert.equal((await order(id)).orderStatusId, 3);

      assert.equal((await reject(id, { rejectionReasonId: REFUSED })).status, 200);
    } finally {
      await setCorporation(0);
    }
  });

  test('an order at the cash station is voided there first', async () => {
    const { id, guid } = await atStation();
    const voids = sim().commandCount('VoidOrder');

    const res = await reject(id, { rejectionReasonId: REFUSED });
    assert.equal(res.status, 200);
    assert.equal((await order(id)).orderStatusId, 12);
    const there = sim().getOrder(guid);
    assert.equal(there?.deleted, true);
    assert.equal(there?.orderSum, 0);
    assert.equal(sim().commandCount('VoidOrder'), voids + 1);
  });

  test('a station refusal leaves the status and answers the station error', async () => {
    const { id, guid } = await atStation();
    sim().faults.add({ mode: 'decline', match: { cmd: 'VoidOrder', orderGuid: guid }, times: 1,
      params: { rk7ErrorN: 2219, text: 'Cannot lock the order: it is locked with another key' } });

    const locked = await reject(id);
    assert.equal(locked.status, 503);
    assert.equal(locked.body.code, 'ERR_EXTERNAL_LOCKED_WS');
    assert.equal(locked.body.msg, 'WS error: Error code: WsaOrderError. RkInternal: Cash station '
      + '[2219] Cannot lock the order: it is locked with another key');
    assert.equal((await order(id)).orderStatusId, 4);
    assert.equal(sim().getOrder(guid)?.deleted, false);

    assert.equal((await reject(id)).status, 200, 'repeating after the lock succeeds');
    assert.equal(sim().getOrder(guid)?.deleted, true);
  });

  test('a paid order is refused; the station order stays', async () => {
    const { id, guid } = await atStation();
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
    const voids = sim().commandCount('VoidOrder');

    const res = await reject(id, { rejectionReasonId: REFUSED });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'err_unprocessable_entity');
    assert.equal(res.body.msg, `Order ${id} is paid; cancel it at the cash station`);
    assert.equal(sim().commandCount('VoidOrder'), voids);
    assert.equal(sim().getOrder(guid)?.paid, true);
  });

  test('a completed order is refused', async () => {
    const { id } = await atStation();
    await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);

    const res = await reject(id);
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'err_unprocessable_entity');
    assert.equal(res.body.msg, `Order ${id} is completed`);
    assert.equal((await order(id)).orderStatusId, 11);
  });

  test('an order paid at the till is refused by the station', async () => {
    const { id, guid } = await atStation();
    await sim().actions.payAtTill({ orderGuid: guid, amount: 97800 });

    const res = await reject(id);
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.match(res.body.msg, /^WS error: Error code: WsaOrderError\. Order 1\.\d+ is paid/);
    assert.equal((await order(id)).orderStatusId, 4);
  });

  test('an order a failed transfer left at the station is voided with the cancel', async () => {
    sim().faults.add({ mode: 'decline', match: { cmd: 'SaveOrder' }, times: 1,
      params: { text: 'Filling refused' } });
    const id = await create();
    const guid = await guidOf(id);
    await t.runTimers();
    const failed = await order(id);
    assert.equal(failed.orderStatusId, 3);
    assert.equal(failed.posSyncState, 'failed');
    assert.equal(sim().getOrder(guid)?.deleted, false, 'the empty order is at the station');

    assert.equal((await reject(id)).status, 200);
    assert.equal(sim().getOrder(guid)?.deleted, true);
    assert.equal((await order(id)).isAttention, false);
  });

  test('another connection\'s order or an unknown one is order_not_found', async () => {
    const res = await reject('999999');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'order_not_found');
  });
});
