import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { cashErrorToHubError } from '../src/cash/cash-error-mapping.js';
import { classifyStationResult } from '../src/cash/rk7/rk7-error-classifier.js';
import { createOrderRequest } from '../src/cash/rk7/rk7-requests.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';
import type { FaultSpec } from '../src/simulator/fault-injector.js';
import { type RunningSimulator, startSimulator } from '../src/simulator/start-simulator.js';
import { count, orderOf, placeAtStation } from './helpers/exactly-once.js';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * The station-side fault modes and actions of `rk7-xml.md` §8.7, each mapped to one documented
 * hub error code (`delivery-api.md` §13.5), observed over HTTP.
 */

describe('station faults as the hub answers them', () => {
  let env: TestEnv;
  let t: TestHub;
  let sim: RunningSimulator;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    sim = t.hub.simulator as RunningSimulator;
  });
  beforeEach(() => sim.faults.clear());
  after(async () => {
    await t.close();
    await env.dispose();
  });

  async function payWith(fault: FaultSpec | undefined, amount = 978) {
    const { id, guid } = await placeAtStation(t);
    const faultId = fault === undefined ? undefined : sim.faults.add(fault);
    const answer = await t.api('PUT', `/orders/${id}/pay`, payBody(amount));
    return { id, guid, faultId, answer };
  }

  const PAY_REFUSALS: [string, FaultSpec, number, string, RegExp][] = [
    ['shiftClosing', { mode: 'shiftClosing' }, 503, 'ERR_EXTERNAL_UNAVAILABLE_WS', /\[2172\]/],
    ['licenceStrict', { mode: 'licenceStrict' }, 500, 'ERR_EXTERNAL_CONFIG_WS',
      /^WS error: Error code: License\. Bad license anchor$/],
    ['stationOffline', { mode: 'stationOffline' }, 500, 'ERR_EXTERNAL_ERROR_WS',
      /Station Cash 1 is not available/],
  ];
  for (const [mode, fault, status, code, msg] of PAY_REFUSALS) {
    test(`${mode}: pay answers ${code}, nothing recorded`, async () => {
      const { id, answer } = await payWith(fault);
      assert.equal(answer.status, status);
      assert.equal(answer.body.code, code);
      assert.match(answer.body.msg, msg);
      assert.equal((await orderOf(t, id)).paymentStatus, 'notPaid');
      const states = (await t.hub.orders.journal.repo.ofOrder(Number(id)))
        .filter((e) => e.operation === 'pay').map((e) => e.state);
      assert.deepEqual(states, ['refused']);
    });
  }

  test('lockedByStation: ERR_EXTERNAL_LOCKED_WS until the unlock, then paid', async () => {
    const { id, guid } = await placeAtStation(t);
    const lock = sim.faults.add({ mode: 'lockedByStation', match: { orderGuid: guid } });

    const locked = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(locked.status, 503);
    assert.equal(locked.body.code, 'ERR_EXTERNAL_LOCKED_WS');
    assert.match(locked.body.msg, /\[2219\]/);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);

    assert.equal(sim.faults.remove(lock), true);
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
  });

  test('openOnPos / closeOnPos: locked while open at the POS', async () => {
    const { id, guid } = await placeAtStation(t);
    await sim.actions.openOnPos({ orderGuid: guid });
    const locked = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(locked.body.code, 'ERR_EXTERNAL_LOCKED_WS');

    await sim.actions.closeOnPos({ orderGuid: guid });
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
  });

  test('closeShift / openShift: unavailable while the shift closes', async () => {
    const { id } = await placeAtStation(t);
    await sim.actions.closeShift();
    try {
      const closing = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
      assert.equal(closing.status, 503);
      assert.equal(closing.body.code, 'ERR_EXTERNAL_UNAVAILABLE_WS');
    } finally {
      await sim.actions.openShift();
    }
    assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
  });

  test('overpayPolicy reject: the hub refuses overpayment before calling', async () => {
    const payOrders = count(t, 'PayOrder');
    const { answer } = await payWith({ mode: 'overpayPolicy', params: { policy: 'reject' } },
      1000);
    assert.equal(answer.status, 500);
    assert.equal(answer.body.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.match(answer.body.msg, /exceeds the order amount/);
    assert.equal(count(t, 'PayOrder'), payOrders);
  });

  const TRANSFER_FAILURES: [string, FaultSpec, RegExp][] = [
    ['shiftTooOld', { mode: 'shiftTooOld' }, /^ERR_EXTERNAL_SHIFT_WS: .*\[2133\]/],
    ['dishNotFound', { mode: 'dishNotFound', params: { code: '101' } },
      /^ERR_EXTERNAL_ERROR_WS: WS error: Error code: WsaOrderCreationDishNotFound\./],
    ['fillingFails', { mode: 'fillingFails' },
      /^ERR_EXTERNAL_ERROR_WS: WS error: Error code: WsaFillingOrderError\./],
  ];
  for (const [mode, fault, reason] of TRANSFER_FAILURES) {
    test(`${mode}: the transfer fails with attention and the code in the reason`, async () => {
      sim.faults.add({ ...fault, times: 1 });
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      await t.runTimers();

      const order = await orderOf(t, id);
      assert.equal(order.orderStatusId, 3);
      assert.equal(order.posSyncState, 'failed');
      assert.equal(order.isAttention, true);
      const stored = await t.hub.orders.orders.get(Number(id));
      assert.match(stored?.attentionReason ?? '', reason);
    });
  }

  test('requireGuests: the hub always sends the guest count, so the transfer goes through',
    async () => {
      sim.faults.add({ mode: 'requireGuests' });
      const { id } = await placeAtStation(t);
      assert.equal((await orderOf(t, id)).posSyncState, 'confirmed');
    });
});

describe('station faults on the wire and the control API', () => {
  let sim: RunningSimulator;
  const auth = `Basic ${Buffer.from('cashier:control-secret').toString('base64')}`;
  const control = (method: string, route: string, body?: unknown) =>
    fetch(new URL(route, sim.baseUrl), {
      method, headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    sim = await startSimulator({ username: 'cashier', password: 'control-secret', control: true });
  });
  after(() => sim.close());

  test('requireGuests refuses a CreateOrder without guests with 3444, a hub refusal', async () => {
    await control('POST', '/_sim/faults', { mode: 'requireGuests' });
    const req = createOrderRequest({
      guid: randomUUID().toUpperCase(), tableId: 1, stationId: 15001, cashierId: 1001,
      orderCategoryId: 3, guests: 0, hubOrderId: '1', comment: '',
    });
    const reply = await fetch(sim.url, { method: 'POST', headers: { authorization: auth },
      body: req.xml });
    const result = parseRk7Result(await reply.text());
    assert.equal(result.rk7ErrorN, 3444);

    const hubError = cashErrorToHubError(classifyStationResult(result, true), 'transfer');
    assert.equal(hubError.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.equal(hubError.message,
      'WS error: Error code: WsaOrderError. RkInternal: Cash station [3444] '
      + 'Guest count cannot be zero');
  });

  test('a fault is removed by id; the shift actions answer the shift', async () => {
    const added = await (await control('POST', '/_sim/faults', { mode: 'shiftClosing' }))
      .json() as { id: string };
    assert.equal((await control('DELETE', `/_sim/faults/${added.id}`)).status, 200);
    assert.equal((await control('DELETE', `/_sim/faults/${added.id}`)).status, 404);

    const closing = await (await control('POST', '/_sim/actions', { action: 'closeShift' }))
      .json() as { closing: boolean };
    assert.equal(closing.closing, true);
    const opened = await (await control('POST', '/_sim/actions', { action: 'openShift' }))
      .json() as { open: boolean; closing: boolean; num: number };
    assert.deepEqual([opened.open, opened.closing, opened.num], [true, false, 2]);
  });

  test('a malformed station fault is a 400', async () => {
    const bad = await control('POST', '/_sim/faults', { mode: 'dishNotFound' });
    assert.equal(bad.status, 400);
  });
});
