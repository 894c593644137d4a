import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OrderStatus } from '../src/orders/order-status.js';
import { count, orderOf, placeAtStation } from './helpers/exactly-once.js';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import {
  type ApiResponse, type TestEnv, type TestHub, createTestEnv, startTestHub,
} from './helpers/test-hub.js';

/** `If-Match` on the order mutations (`delivery-api.md` §16), over HTTP. */

const STATION_COMMANDS = ['CreateOrder', 'SaveOrder', 'UpdateOrder', 'PayOrder', 'VoidOrder',
  'GetOrder'];

describe('If-Match on order mutations', () => {
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

  /** Every command the station received so far, all kinds together. */
  const stationCalls = () => STATION_COMMANDS.reduce((sum, cmd) => sum + count(t, cmd), 0);
  const versionOf = async (id: string) => (await orderOf(t, id)).version as number;

  const call = async (
    method: string, path: string, body: unknown, headers: Record<string, string> = {},
  ): Promise<ApiResponse> => t.request(method, `/orders/api/v1/orders/${path}`, {
    headers: {
      authorization: `Bearer ${await t.token()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

  const expectMismatch = (res: ApiResponse) => {
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 'err_version_mismatch');
    assert.match(res.body.requestId, /^[0-9a-f]{32}$/);
  };

  test('PATCH: the current version changes the order, a stale one changes nothing',
    async () => {
      const { id } = await placeAtStation(t);
      const version = await versionOf(id);

      const calls = stationCalls();
      const stale = await call('PATCH', id, { comment: 'Stale' },
        { 'if-match': String(version - 1) });
      expectMismatch(stale);
      assert.equal(stationCalls(), calls, 'nothing sent to the station');
      assert.equal(await versionOf(id), version);
      assert.notEqual((await orderOf(t, id)).comment, 'Stale');

      const fresh = await call('PATCH', id, { comment: 'Ring twice' },
        { 'if-match': String(version) });
      assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
      const view = await orderOf(t, id);
      assert.equal(view.version, version + 1);
      assert.equal(view.comment, 'Ring twice');
    });

  test('pay and complete take the version bare, quoted or weak', async () => {
    const { id } = await placeAtStation(t);
    const version = await versionOf(id);

    const calls = stationCalls();
    expectMismatch(await call('PUT', `${id}/pay`, payBody(978),
      { 'if-match': `"${version + 1}"` }));
    assert.equal(stationCalls(), calls, 'no PayOrder for a stale version');

    const paid = await call('PUT', `${id}/pay`, payBody(978), { 'if-match': `"${version}"` });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const afterPay = await versionOf(id);
    assert.equal(afterPay, version + 1);

    const payOrders = count(t, 'PayOrder');
    const repeat = await call('PUT', `${id}/pay`, payBody(978), { 'if-match': `"${version}"` });
    assert.equal(repeat.status, 200, 'the identical repeat stays safe');
    assert.equal(count(t, 'PayOrder'), payOrders, 'and reaches no station');

    const beforeClose = stationCalls();
    expectMismatch(await call('PUT', `${id}/complete`, undefined,
      { 'if-match': `W/"${version}"` }));
    assert.equal(stationCalls(), beforeClose, 'no close for a stale version');

    const closed = await call('PUT', `${id}/complete`, undefined,
      { 'if-match': `W/"${afterPay}"` });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    const view = await orderOf(t, id);
    assert.equal(view.orderStatusId, OrderStatus.Completed);
    assert.equal(view.version, afterPay + 1);
  });

  test('reject: a stale version voids nothing, the current one cancels', async () => {
    const { id } = await placeAtStation(t);
    const version = await versionOf(id);

    const calls = stationCalls();
    expectMismatch(await call('PUT', `${id}/reject`, {}, { 'if-match': String(version + 5) }));
    assert.equal(stationCalls(), calls, 'no VoidOrder for a stale version');
    const unchanged = await orderOf(t, id);
    assert.equal(unchanged.orderStatusId, OrderStatus.TransferredToKitchen);

    const voids = count(t, 'VoidOrder');
    const cancelled = await call('PUT', `${id}/reject`, {}, { 'if-match': String(version) });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    const view = await orderOf(t, id);
    assert.equal(view.orderStatusId, OrderStatus.Cancelled);
    assert.equal(view.version, version + 1);
    assert.equal(count(t, 'VoidOrder'), voids + 1);
  });

  test('a malformed If-Match is 400 ERR_PARSE_REQUEST naming the header', async () => {
    const created = await t.api('POST', '/orders', demoOrderBody());
    const id = created.body.result.orderId as string;
    const version = await versionOf(id);

    for (const bad of ['abc', '"3', '3, 4', 'W/3x', '-1', '1.5', '""']) {
      const res = await call('PATCH', id, { comment: 'x' }, { 'if-match': bad });
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.code, 'ERR_PARSE_REQUEST', bad);
      assert.deepEqual(Object.keys(res.body.errors), ['If-Match'], bad);
    }
    assert.equal(await versionOf(id), version, 'nothing changed');

    const any = await call('PATCH', id, { comment: 'Any version' }, { 'if-match': '*' });
    assert.equal(any.status, 200, '* matches any current version');
    assert.equal(await versionOf(id), version + 1);
  });

  test('a repeat with the same Idempotency-Key gets its stored answer', async () => {
    const created = await t.api('POST', '/orders', demoOrderBody());
    const id = created.body.result.orderId as string;
    const version = await versionOf(id);
    const headers = { 'if-match': String(version), 'idempotency-key': `if-match-${id}` };

    const first = await call('PATCH', id, { comment: 'Once' }, headers);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const again = await call('PATCH', id, { comment: 'Once' }, headers);
    assert.equal(again.status, 200, 'replayed, not refused as stale');
    assert.equal(again.headers.get('idempotency-replayed'), 'true');
    assert.equal(await versionOf(id), version + 1, 'changed once');

    const newKey = await call('PATCH', id, { comment: 'Once' },
      { ...headers, 'idempotency-key': `if-match-${id}-2` });
    expectMismatch(newKey);
  });
});
