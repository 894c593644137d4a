import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { addConnection } from './helpers/second-connection.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { MINUTE, manualClock } from './helpers/webhook-fixtures.js';

const OTHER_CLIENT = '5b9d1c3e-0000-4000-8000-00000000feed';
const OTHER_SECRET = 'other-secret';

describe('event feed and updatedSince', () => {
  const clock = manualClock(Date.parse('2024-03-01T09:00:00.000Z'));
  let env: TestEnv;
  let t: TestHub;
  let otherToken: string;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { clock: clock.now });
    otherToken = await addConnection(t, { clientId: OTHER_CLIENT, secret: OTHER_SECRET });
  });

  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('the feed pages through the caller\'s own events with an opaque cursor', async () => {
    const mine = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
    const theirs = (await t.api('POST', '/orders', demoOrderBody(), otherToken)).body.result
      .orderId;

    const page1 = await t.api('GET', '/events?limit=2');
    assert.equal(page1.status, 200);
    assert.deepEqual(page1.body.result.events.map((e: { sequence: number }) => e.sequence), [1, 2]);
    assert.ok(page1.body.result.events.every((e: { orderId: string }) => e.orderId === mine));
    assert.doesNotMatch(page1.body.result.cursor, /^\d+$/, 'the cursor is not a bare number');

    const page2 = await t.api('GET', `/events?after=${page1.body.result.cursor}&limit=2`);
    const page2Events = page2.body.result.events as { sequence: number; orderStatusId: number }[];
    assert.deepEqual(page2Events.map((e) => [e.sequence, e.orderStatusId]), [[3, 3]]);

    const idle = await t.api('GET', `/events?after=${page2.body.result.cursor}`);
    assert.deepEqual(idle.body.result.events, []);
    assert.equal(idle.body.result.cursor, page2.body.result.cursor);

    await t.runTimers();
    const next = await t.api('GET', `/events?after=${idle.body.result.cursor}`);
    assert.deepEqual(next.body.result.events.map((e: { orderId: string; orderStatusId: number }) =>
      [e.orderId, e.orderStatusId]), [[mine, 4]]);

    const other = await t.api('GET', '/events', undefined, otherToken);
    const otherEvents = other.body.result.events as { orderId: string }[];
    const otherOrders = new Set(otherEvents.map((e) => e.orderId));
    assert.deepEqual([...otherOrders], [theirs]);
    assert.equal(other.body.result.events.length, 4);
  });

  test('a cursor or limit that cannot be read is a 400; no token is a 401', async () => {
    const bad = await t.api('GET', '/events?after=garbage');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'ERR_PARSE_REQUEST');
    assert.equal((await t.api('GET', '/events?limit=0')).status, 400);
    assert.equal((await t.api('GET', '/events', undefined, null)).status, 401);
  });

  test('a payment is an order.paid event in the status it was paid in; repeats add none',
    async () => {
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      await t.runTimers();
      const cursor = async () => {
        let page = await t.api('GET', '/events?limit=500');
        while (page.body.result.events.length > 0) {
          page = await t.api('GET', `/events?after=${page.body.result.cursor}&limit=500`);
        }
        return page.body.result.cursor as string;
      };
      const before = await cursor();

      assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
      assert.equal((await t.api('PUT', `/orders/${id}/pay`, payBody(978))).status, 200);
      assert.equal((await t.api('PUT', `/orders/${id}/complete`)).status, 200);

      const events = (await t.api('GET', `/events?after=${before}`)).body.result.events as {
        orderId: string; eventType: string; orderStatusId: number;
        previousOrderStatusId: number; paymentStatus: string; sequence: number;
      }[];
      assert.deepEqual(events.map((e) => [e.orderId, e.eventType, e.previousOrderStatusId,
        e.orderStatusId, e.paymentStatus]), [
        [id, 'order.paid', 4, 4, 'paid'],
        [id, 'order.status_changed', 4, 11, 'paid'],
      ]);
      assert.equal(events[1]?.sequence, (events[0]?.sequence ?? 0) + 1);
    });

  test('GET /orders?updatedSince= returns only orders changed since then', async () => {
    clock.advance(10 * MINUTE);
    const since1 = new Date(clock.now()).toISOString();
    const first = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
    clock.advance(MINUTE);
    const since2 = new Date(clock.now()).toISOString();
    const second = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;

    const ids = async (query: string) => (await t.api('GET', `/orders?${query}`)).body.result
      .map((o: { orderId: string }) => o.orderId).sort();
    assert.deepEqual(await ids(`updatedSince=${encodeURIComponent(since1)}`),
      [first, second].sort());
    assert.deepEqual(await ids(`updatedSince=${encodeURIComponent(since2)}`), [second]);

    clock.advance(MINUTE);
    const since3 = new Date(clock.now()).toISOString();
    assert.deepEqual(await ids(`updatedSince=${encodeURIComponent(since3)}`), []);
    await t.runTimers();
    const moved = await ids(`updatedsince=${encodeURIComponent(since3)}`);
    assert.ok(moved.includes(first) && moved.includes(second), 'transfers touched both');

    const bad = await t.api('GET', '/orders?updatedSince=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'ERR_PARSE_REQUEST');
  });
});
