import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { ROUBLES, SEED_PAID_AT, demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const SHORT_PAY_MSG = 'WS error: Error code: WsaOrderError. RkInternal: Cash station [3373] '
  + 'There is not enough money to fully pay the order.';

describe('the paying-and-closing story', () => {
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

  async function placeAndTransfer(): Promise<string> {
    const created = await t.api('POST', '/orders', demoOrderBody());
    assert.equal(created.status, 201);
    const orderId = created.body.result.orderId as string;
    await t.runTimers();
    return orderId;
  }

  test('create answers 201 with a numeric-string order id and prices from the menu', async () => {
    const created = await t.api('POST', '/orders', demoOrderBody());

    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ['result']);
    assert.match(created.body.result.orderId, /^\d+$/);

    const order = await t.api('GET', `/orders/${created.body.result.orderId}`);
    assert.equal(order.status, 200);
    assert.equal(order.body.result.fullAmount, 978);
    assert.equal(order.body.result.amount, 978);
    assert.equal(order.body.result.deliveryAmount, 0);
    assert.equal(order.body.result.paymentStatus, 'notPaid');
    assert.equal(order.body.result.payments, null);
    assert.equal(order.body.result.orderSourceId, t.clientId);
    assert.match(order.body.result.createdAt, /\+00:00$/);
  });

  test('automatic processing confirms, accepts, then transfers to the kitchen', async () => {
    await t.runTimers();
    const creates = t.hub.simulator?.commandCount('CreateOrder') ?? 0;
    const created = await t.api('POST', '/orders', demoOrderBody());
    const id = created.body.result.orderId;

    const before = await t.api('GET', `/orders/${id}`);
    assert.equal(before.body.result.orderStatusId, 3);
    assert.equal(before.body.result.orderStatusName, 'Taken at the restaurant');
    assert.equal(before.body.result.posSyncState, 'none');

    await t.runTimers();

    const after = await t.api('GET', `/orders/${id}`);
    assert.equal(after.body.result.orderStatusId, 4);
    assert.equal(after.body.result.orderStatusName, 'Transferred to the kitchen');
    assert.equal(after.body.result.posSyncState, 'confirmed');
    assert.match(after.body.result.posOrderName, /^1\.\d+$/);
    assert.equal(after.body.result.isAttention, false);
    assert.equal(t.hub.simulator?.commandCount('CreateOrder'), creates + 1);
  });

  test('a short payment is refused with the documented [3373] error and nothing recorded',
    async () => {
      const id = await placeAndTransfer();

      const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(900));
      assert.equal(paid.status, 500);
      assert.deepEqual(Object.keys(paid.body).sort(), ['code', 'errors', 'msg', 'requestId']);
      assert.equal(paid.body.code, 'ERR_EXTERNAL_ERROR_WS');
      assert.equal(paid.body.msg, SHORT_PAY_MSG);
      assert.equal(paid.body.errors, null);
      assert.equal(paid.body.requestId, paid.headers.get('x-request-id'));

      const order = await t.api('GET', `/orders/${id}`);
      assert.equal(order.body.result.paymentStatus, 'notPaid');
      assert.equal(order.body.result.payments, null);
    });

  test('closing an unpaid order is a 500 rk7_close_order naming the station order', async () => {
    const id = await placeAndTransfer();
    const order = await t.api('GET', `/orders/${id}`);
    const name = order.body.result.posOrderName;

    const completed = await t.api('PUT', `/orders/${id}/complete`);
    assert.equal(completed.status, 500);
    assert.equal(completed.body.code, 'rk7_close_order');
    assert.equal(completed.body.msg,
      `RkInternal: Cash station [3071] Cannot save order ${name}, it is not fully paid`);
    assert.equal(completed.body.errors, null);

    const still = await t.api('GET', `/orders/${id}`);
    assert.equal(still.body.result.orderStatusId, 4);
  });

  test('paying 978 then completing closes the order in both systems', async () => {
    const id = await placeAndTransfer();

    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
    assert.equal(paid.status, 200);
    assert.deepEqual(paid.body, { result: {} });

    const afterPay = await t.api('GET', `/orders/${id}`);
    assert.equal(afterPay.body.result.paymentStatus, 'paid');
    assert.deepEqual(afterPay.body.result.payments, [
      { code: ROUBLES, amount: 978, paidAt: '2022-04-05T12:12:58.658+00:00', name: '' },
    ]);
    const guid = (await t.hub.orders.orders.get(Number(id)))?.posOrderGuid as string;
    assert.equal((await t.hub.simulator?.getOrder(guid))?.paid, true);

    const completed = await t.api('PUT', `/orders/${id}/complete`);
    assert.equal(completed.status, 200);
    assert.deepEqual(completed.body, { result: {} });

    const done = await t.api('GET', `/orders/${id}`);
    assert.equal(done.body.result.orderStatusId, 11);
    assert.equal(done.body.result.orderStatusName, 'Completed');
    assert.match(done.body.result.completedAt, /\+00:00$/);
  });

  test('the identical pay repeated, and complete repeated, never reach the station twice',
    async () => {
      const id = await placeAndTransfer();
      const payCalls = t.hub.simulator?.commandCount('PayOrder') ?? 0;

      assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
      const again = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, { result: {} });
      assert.equal(t.hub.simulator?.commandCount('PayOrder'), payCalls + 1);

      const different = await t.api('PUT', `/orders/${id}/pay`, payBody(978, DEMO.cardCurrency));
      assert.equal(different.status, 422);
      assert.equal(different.body.code, 'err_unprocessable_entity');

      assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);
      const completeAgain = await t.api('PUT', `/orders/${id}/complete`);
      assert.equal(completeAgain.status, 200);
      assert.deepEqual(completeAgain.body, { result: {} });

      const payAfterClose = await t.api('PUT', `/orders/${id}/pay`, payBody(978));
      assert.equal(payAfterClose.status, 422);
      assert.equal(t.hub.simulator?.commandCount('PayOrder'), payCalls + 1);
      const order = await t.api('GET', `/orders/${id}`);
      assert.equal(order.body.result.orderStatusId, 11);
      assert.equal(order.body.result.payments.length, 1);
    });

  test('paying before the order reaches the cash station is refused without a station call',
    async () => {
      const created = await t.api('POST', '/orders', demoOrderBody());
      const payCalls = t.hub.simulator?.commandCount('PayOrder') ?? 0;

      const paid = await t.api('PUT', `/orders/${created.body.result.orderId}/pay`, payBody(978));
      assert.equal(paid.status, 422);
      assert.equal(paid.body.code, 'err_unprocessable_entity');
      assert.match(paid.body.msg, /not at the cash station/);

      const completed = await t.api('PUT', `/orders/${created.body.result.orderId}/complete`);
      assert.equal(completed.status, 422);
      assert.equal(t.hub.simulator?.commandCount('PayOrder'), payCalls);
    });

  test('paying more than the order costs is refused before the station is called', async () => {
    const id = await placeAndTransfer();
    const payCalls = t.hub.simulator?.commandCount('PayOrder') ?? 0;

    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(1000));
    assert.equal(paid.status, 500);
    assert.equal(paid.body.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.equal(paid.body.msg,
      'WS error: Error code: WsaOrderError. Payment amount 1000 exceeds the order amount 978');
    assert.equal(t.hub.simulator?.commandCount('PayOrder'), payCalls);
  });

  test('an unknown currency is refused before the station is called', async () => {
    const id = await placeAndTransfer();

    const paid = await t.api('PUT', `/orders/${id}/pay`,
      payBody(978, '00000000-0000-0000-0000-000000000000'));
    assert.equal(paid.status, 500);
    assert.equal(paid.body.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.match(paid.body.msg, /Currency 00000000-0000-0000-0000-000000000000 is not registered/);
  });

  test('a currency in braces and lower case is the same currency', async () => {
    const id = await placeAndTransfer();

    const paid = await t.api('PUT', `/orders/${id}/pay`,
      [{ code: `{${ROUBLES.toLowerCase()}}`, amount: '978.00', paidAt: SEED_PAID_AT }]);
    assert.equal(paid.status, 200);
    const order = await t.api('GET', `/orders/${id}`);
    assert.equal(order.body.result.payments[0].code, ROUBLES);
  });
});
