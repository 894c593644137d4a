import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { OrderViewCache } from '../src/orders/order-view-cache.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { addConnection } from './helpers/second-connection.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const OTHER = { clientId: '0f6f2a51-8d3e-4c1b-a2d4-6e7f8a9b0c1d', secret: 'other-secret' };
const HOUR_MS = 3_600_000;

/** `GET /orders/{id}` answers from kept views: they must follow every change, and the clock. */
describe('kept order views', () => {
  let env: TestEnv;
  let t: TestHub;
  let now = Date.now();

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { orderProcessing: 'none', clock: () => now });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  async function created(): Promise<string> {
    const expectedAt = new Date(now + HOUR_MS).toISOString();
    const response = await t.api('POST', '/orders',
      demoOrderBody({ soonest: false, expectedAt }));
    assert.equal(response.status, 201);
    return response.body.result.orderId;
  }

  async function view(id: string, token?: string) {
    const response = await t.api('GET', `/orders/${id}`, undefined, token);
    assert.equal(response.status, 200);
    return response.body.result;
  }

  test('isLate follows the clock, not the moment the view was kept', async () => {
    const id = await created();
    const first = await view(id);
    assert.ok(first.expectedAt);
    assert.equal(first.isLate, false);
    assert.deepEqual(await view(id), first);

    now += 6 * HOUR_MS;
    const later = await view(id);
    assert.equal(later.isLate, true);
    assert.deepEqual({ ...later, isLate: false }, first, 'only isLate moved');
    now -= 6 * HOUR_MS;
  });

  test('a change by any writer shows at once (its version moves)', async () => {
    const id = await created();
    const before = await view(id);

    // As another instance or a script would: straight in the database, version bumped.
    await t.hub.store.db.updateTable('orders')
      .set({ comment: 'leave at the door', version: before.version + 1 })
      .where('id', '=', Number(id)).execute();
    const after = await view(id);
    assert.equal(after.comment, 'leave at the door');
    assert.equal(after.version, before.version + 1);
  });

  test('a renamed connection or a recoded restaurant shows at once', async () => {
    const id = await created();
    const before = await view(id);

    const db = t.hub.store.db;
    await db.updateTable('apiConnections').set({ name: 'Renamed shop' })
      .where('clientId', '=', t.clientId).execute();
    await db.updateTable('restaurants')
      .set({ objectId: sql<number>`object_id + 1` })
      .where('id', '=', DEMO.restaurantId).execute();
    const after = await view(id);
    assert.equal(after.orderSourceName, 'Renamed shop');
    assert.equal(after.restaurantCode, before.restaurantCode + 1);
    assert.equal(after.version, before.version);
  });

  test('a kept view is never shown to another connection', async () => {
    const id = await created();
    await view(id);
    await view(id);

    const token = await addConnection(t, { ...OTHER, name: 'Other' });

    const response = await t.api('GET', `/orders/${id}`, undefined, token);
    assert.equal(response.status, 404);
    assert.equal(response.body.code, 'order_not_found');
  });

  async function listed(ids: string[], token?: string) {
    const response = await t.api('GET', '/orders?limit=500', undefined, token);
    assert.equal(response.status, 200);
    const views = new Map<string, any>(
      response.body.result.map((order: any) => [order.orderId, order]));
    return ids.map((id) => views.get(id));
  }

  test('a list shows the same views as each order read alone, in the search order',
    async () => {
      const ids = [await created(), await created(), await created()];
      const alone = [];
      for (const id of ids) alone.push(await view(id));

      assert.deepEqual(await listed(ids), alone, 'views kept by get');
      const response = await t.api('GET', '/orders?limit=500&sortOrder=asc');
      const order = response.body.result.map((o: any) => o.orderId)
        .filter((id: string) => ids.includes(id));
      assert.deepEqual(order, ids, 'oldest first when asked');
    });

  test('a list follows a change by any writer and the clock', async () => {
    const ids = [await created(), await created()];
    const [first, second] = await listed(ids);
    assert.deepEqual(await listed(ids), [first, second], 'the same again from kept views');

    await t.hub.store.db.updateTable('orders')
      .set({ comment: 'ring twice', version: second.version + 1 })
      .where('id', '=', Number(ids[1])).execute();
    const [, changed] = await listed(ids);
    assert.equal(changed.comment, 'ring twice');
    assert.equal(changed.version, second.version + 1);

    now += 6 * HOUR_MS;
    const late = await listed(ids);
    now -= 6 * HOUR_MS;
    assert.deepEqual(late.map((o) => o.isLate), [true, true]);
    assert.deepEqual({ ...late[0], isLate: false }, first, 'only isLate moved');
  });

  test('kept views stay within their count and characters; a large one is not kept',
    async () => {
      const ids = [await created(), await created(), await created()].map(Number);
      const probe = new OrderViewCache(t.hub.orders);
      await probe.list(ids, t.clientId);
      const each = probe.kept.chars / 3;
      assert.equal(probe.kept.entries, 3);

      const budget = Math.ceil(each * 2.5);
      const byChars = new OrderViewCache(t.hub.orders, { chars: budget });
      const listed = await byChars.list(ids, t.clientId);
      assert.equal(JSON.parse(listed).result.length, 3, 'every order answered');
      assert.equal(byChars.kept.entries, 2);
      assert.ok(byChars.kept.chars <= budget, `${byChars.kept.chars} chars kept`);

      const byCount = new OrderViewCache(t.hub.orders, { entries: 1 });
      await byCount.list(ids, t.clientId);
      assert.equal(byCount.kept.entries, 1);

      const small = new OrderViewCache(t.hub.orders, { viewChars: Math.floor(each) - 1 });
      assert.equal(JSON.parse(await small.body(String(ids[0]), t.clientId)).result.orderId,
        String(ids[0]));
      await small.list(ids, t.clientId);
      assert.deepEqual(small.kept, { entries: 0, chars: 0 });
    });

  test('a list answers only the caller\'s orders, kept or loaded, in the order given',
    async () => {
      const fourth = { ...OTHER, clientId: OTHER.clientId.replace('0f', '4f'), name: 'Fourth' };
      const token = await addConnection(t, fourth);
      const a = Number(await created());
      const b = Number(await created());
      const c = Number(await created());
      const foreignCreate = await t.api('POST', '/orders', demoOrderBody(), token);
      assert.equal(foreignCreate.status, 201);
      const foreign = Number(foreignCreate.body.result.orderId);
      const ids = (body: string) => JSON.parse(body).result.map((o: any) => Number(o.orderId));

      // Through the stamps: b and the foreign order are kept, for their own owners.
      const views = new OrderViewCache(t.hub.orders);
      await views.body(String(b), t.clientId);
      assert.deepEqual(ids(await views.list([foreign], fourth.clientId)), [foreign]);
      assert.deepEqual(ids(await views.list([c, foreign, b, 999_999, a], t.clientId)), [c, b, a]);

      // Nothing kept: the page is loaded whole, and the owner checked on what was loaded.
      const cold = new OrderViewCache(t.hub.orders);
      assert.deepEqual(ids(await cold.list([foreign, a, 999_999], t.clientId)), [a]);
      assert.deepEqual(ids(await cold.list([a, foreign], fourth.clientId)), [foreign]);
    });
});
