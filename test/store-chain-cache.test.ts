import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

describe('chain cache of order creation', () => {
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

  const amountOfNewOrder = async (): Promise<number> => {
    const created = await t.api('POST', '/orders', piesOrderBody());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const order = await t.api('GET', `/orders/${created.body.result.orderId}`);
    return order.body.result.amount as number;
  };

  test('a change written straight to the tables is seen by the next create', async () => {
    assert.equal(await amountOfNewOrder(), 299.97);
    const db = t.hub.store.db;

    // Not through the admin API: a script, the CLI or another instance could have written it.
    await db.updateTable('menuProducts').set({ price: 10000 })
      .where('id', '=', DEMO.dishes.pie).execute();
    assert.equal(await amountOfNewOrder(), 300);

    await db.updateTable('restaurants').set({ state: 'noActive' })
      .where('id', '=', DEMO.restaurantId).execute();
    const refused = await t.api('POST', '/orders', piesOrderBody());
    assert.equal(refused.status, 404);
    assert.equal(refused.body.code, 'restaurant_not_found');

    await db.updateTable('restaurants').set({ state: 'active' })
      .where('id', '=', DEMO.restaurantId).execute();
    await db.insertInto('menuStopList').values({
      restaurantId: DEMO.restaurantId, itemType: 'product', itemId: DEMO.dishes.pie,
      remaining: null, updatedAt: new Date().toISOString(),
    }).execute();
    const stopped = await t.api('POST', '/orders', piesOrderBody());
    assert.equal(stopped.status, 400, JSON.stringify(stopped.body));

    await db.deleteFrom('menuStopList').where('itemId', '=', DEMO.dishes.pie).execute();
    await db.updateTable('menuProducts').set({ price: 9999 })
      .where('id', '=', DEMO.dishes.pie).execute();
    assert.equal(await amountOfNewOrder(), 299.97);
  });

  test('a rolled-back change leaves no stale entry behind', async () => {
    const chain = t.hub.orders.chain;
    const before = await chain.current();
    await assert.rejects(t.hub.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('corporations').set({ name: 'Renamed' })
        .where('id', '=', DEMO.corporationId).execute();
      throw new Error('roll back');
    }));
    const now = await chain.current();
    assert.equal((await now.corporation(DEMO.corporationId))?.name,
      (await before.corporation(DEMO.corporationId))?.name);
  });

  test('unchanged tables answer from one view; what it hands out is frozen', async () => {
    const chain = t.hub.orders.chain;
    const one = await chain.current();
    const two = await chain.current();
    assert.equal(one, two);

    const restaurant = await one.restaurant(DEMO.restaurantId);
    assert.ok(restaurant && Object.isFrozen(restaurant) && Object.isFrozen(restaurant.cashStation));
    assert.equal(await one.restaurant(DEMO.restaurantId), restaurant);
    assert.equal(await one.restaurant('no-such-restaurant'), undefined);
  });
});
