import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { adminApi, connectToken, embeddedStation } from './helpers/admin-api.js';
import { CARD, ROUBLES, SEED_PAID_AT } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a second chain set up through the admin API', () => {
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

  /** A corporation with one restaurant on the embedded station's second till and table. */
  async function corporationWithRestaurant(objectId: number) {
    const corp = await adminApi(t, 'POST', '/corporations',
      { name: `Chain ${objectId}`, timeZone: 'Asia/Yekaterinburg' });
    const restaurant = await adminApi(t, 'POST', '/restaurants', {
      corporationId: corp.body.result.id, objectId, name: `Kitchen ${objectId}`,
      cashStation: embeddedStation(),
    });
    assert.equal(restaurant.status, 201, JSON.stringify(restaurant.body));
    return { corporationId: corp.body.result.id as string,
      restaurantId: restaurant.body.result.id as string };
  }

  test('from nothing to a paid and completed order placed with the new connection', async () => {
    const corp = await adminApi(t, 'POST', '/corporations', {
      name: 'Second chain', timeZone: 'Asia/Yekaterinburg', transferDelaySec: 0,
    });
    assert.equal(corp.status, 201);
    const corporationId = corp.body.result.id as string;
    assert.match(corporationId, GUID);
    assert.deepEqual({ ...corp.body.result, id: undefined, createdAt: undefined }, {
      id: undefined, createdAt: undefined, name: 'Second chain', orderProcessing: 'auto',
      transferDelaySec: 0, checkContentsAndPrice: true, completeWhenClosedAtStation: true,
      timeZone: 'Asia/Yekaterinburg', allowOrderModification: true,
      rejectionReasonRequired: false,
    });

    const restaurant = await adminApi(t, 'POST', '/restaurants', {
      corporationId, objectId: 199990201, name: 'Second kitchen',
      actualAddress: 'Yekaterinburg, Lenina 1', cashStation: embeddedStation(),
    });
    assert.equal(restaurant.status, 201, JSON.stringify(restaurant.body));
    const restaurantId = restaurant.body.result.id as string;
    assert.equal(restaurant.body.result.timeZone, 'Asia/Yekaterinburg', 'the corporation\'s');
    assert.equal(restaurant.body.result.tableCode, '2', 'the delivery table\'s');
    assert.equal(restaurant.body.result.cashStation.stationId, 15002);
    assert.equal('password' in restaurant.body.result.cashStation, false);

    const currencies = await adminApi(t, 'PUT', `/restaurants/${restaurantId}/currencies`, [
      { code: `{${ROUBLES.toLowerCase()}}`, name: 'Cash' }, { code: CARD, name: 'Card' },
    ]);
    assert.equal(currencies.status, 200, JSON.stringify(currencies.body));
    assert.deepEqual(currencies.body.result,
      [{ code: ROUBLES, name: 'Cash' }, { code: CARD, name: 'Card' }]);

    const imported = await adminApi(t, 'POST',
      `/restaurants/${restaurantId}/menu/import-from-station`);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.deepEqual(imported.body.result.menuProducts,
      { created: 5, updated: 0, unchanged: 0, deleted: 0 }, 'every dish but the delivery fee');
    assert.deepEqual(imported.body.result.menuIngredients,
      { created: 3, updated: 0, unchanged: 0, deleted: 0 });

    const connection = await adminApi(t, 'POST', '/connections',
      { corporationId, name: 'Second website', restaurantIds: [restaurantId] });
    assert.equal(connection.status, 201, JSON.stringify(connection.body));
    const { clientId, clientSecret } = connection.body.result;
    assert.match(clientId, GUID);
    assert.ok(typeof clientSecret === 'string' && clientSecret.length >= 40);

    const granted = await connectToken(t, clientId, clientSecret);
    assert.equal(granted.status, 200);
    const token = granted.body.access_token as string;

    const sources = await t.api('GET', `/orderSources/${clientId}/restaurants`, undefined, token);
    assert.deepEqual(sources.body.result.map((r: { id: string }) => r.id), [restaurantId]);
    const demoSources = await t.api('GET', `/orderSources/${DEMO.clientId}/restaurants`);
    assert.ok(!demoSources.body.result.some((r: { id: string }) => r.id === restaurantId));

    const menu = await t.api('GET', `/menu/view?restaurantId=${restaurantId}`, undefined, token);
    const products = new Map<string, { id: string; price: number; measure: unknown }>(
      menu.body.result.products.map((p: { externalId: string }) => [p.externalId, p]));
    assert.deepEqual([...products.keys()].sort(), ['101', '102', '103', '104', '106']);
    assert.equal(products.get('101')?.price, 400);
    assert.equal(products.get('104')?.price, 99.99);
    assert.notEqual(products.get('101')?.id, DEMO.dishes.caesar, 'the demo chain has that id');

    const created = await t.api('POST', '/orders', {
      restaurantId, expeditionType: 'pickup', paymentTypeId: 'cash', soonest: true,
      guest: { firstName: 'Guest', phone: '79000000003' },
      dishList: [
        { id: products.get('101')?.id, quantity: 1 }, { id: products.get('104')?.id, quantity: 2 },
      ],
    }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const orderId = created.body.result.orderId as string;

    assert.equal(await t.runTimers(), 1, 'the transfer to the station');
    const transferred = await t.api('GET', `/orders/${orderId}`, undefined, token);
    assert.equal(transferred.body.result.orderStatusId, 4);
    assert.equal(transferred.body.result.fullAmount, 599.98);
    const guid = (await t.hub.orders.orders.get(Number(orderId)))?.posOrderGuid as string;
    const atStation = t.hub.simulator?.getOrder(guid);
    assert.match(atStation?.orderName ?? '', /^2\./, 'on the restaurant\'s delivery table');

    const paid = await t.api('PUT', `/orders/${orderId}/pay`,
      [{ code: ROUBLES, amount: 599.98, paidAt: SEED_PAID_AT, name: '' }], token);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const completed = await t.api('PUT', `/orders/${orderId}/complete`, undefined, token);
    assert.equal(completed.status, 200, JSON.stringify(completed.body));

    const done = await t.api('GET', `/orders/${orderId}`, undefined, token);
    assert.equal(done.body.result.orderStatusId, 11);
    assert.equal(t.hub.simulator?.getOrder(guid)?.paid, true);
    const notTheirs = await t.api('GET', `/orders/${orderId}`);
    assert.equal(notTheirs.status, 404, 'the demo connection does not see it');
  });

  test('a connection\'s secret is shown once, rotates, and a disabled connection gets 401',
    async () => {
      const { corporationId, restaurantId } = await corporationWithRestaurant(199990202);
      const created = await adminApi(t, 'POST', '/connections',
        { corporationId, name: 'Rotating', restaurantIds: [restaurantId] });
      const { clientId, clientSecret: first } = created.body.result;

      const shown = await adminApi(t, 'GET', `/connections/${clientId}`);
      assert.deepEqual(Object.keys(shown.body.result).sort(),
        ['clientId', 'corporationId', 'createdAt', 'enabled', 'name', 'restaurantIds']);
      const listed = await adminApi(t, 'GET', `/connections?corporationId=${corporationId}`);
      assert.equal(listed.body.result.length, 1);
      assert.doesNotMatch(JSON.stringify([shown.body, listed.body]), new RegExp(first));
      assert.doesNotMatch(JSON.stringify(listed.body), /secret/i);

      const earlier = await connectToken(t, clientId, first);
      assert.equal(earlier.status, 200);

      const rotated = await adminApi(t, 'POST', `/connections/${clientId}/rotate-secret`);
      assert.equal(rotated.status, 200);
      const second = rotated.body.result.clientSecret as string;
      assert.notEqual(second, first);
      const withOld = await connectToken(t, clientId, first);
      assert.equal(withOld.status, 400);
      assert.equal(withOld.body.error, 'invalid_client');
      assert.equal((await connectToken(t, clientId, second)).status, 200);

      const disabled = await adminApi(t, 'PATCH', `/connections/${clientId}`, { enabled: false });
      assert.equal(disabled.body.result.enabled, false);
      const refused = await t.api('GET', `/orderSources/${clientId}/restaurants`, undefined,
        earlier.body.access_token);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'ERR_UNAUTHORIZED');
      assert.equal((await connectToken(t, clientId, second)).status, 400);

      await adminApi(t, 'PATCH', `/connections/${clientId}`, { enabled: true });
      assert.equal((await connectToken(t, clientId, second)).status, 200);
    });

  test('the station check calls the cash station with the stored login', async () => {
    const sim = t.hub.simulator;
    assert.ok(sim);
    const { restaurantId: embedded } = await corporationWithRestaurant(199990203);
    const check = await adminApi(t, 'POST', `/restaurants/${embedded}/station-check`);
    assert.equal(check.status, 200, JSON.stringify(check.body));
    assert.deepEqual({ ...check.body.result, shiftDate: undefined }, {
      restCode: 199990147, netName: 'SIM-CASH', serverVersion: '7.6.4.483',
      shiftDate: undefined, objectIdMatches: false,
    });

    const created = await adminApi(t, 'POST', '/restaurants', {
      corporationId: DEMO.corporationId, objectId: 199990204, name: 'By URL',
      cashStation: embeddedStation({
        url: sim.url, username: sim.credentials.username, password: 'wrong-password',
      }),
    });
    const byUrl = created.body.result.id as string;
    const refused = await adminApi(t, 'POST', `/restaurants/${byUrl}/station-check`);
    assert.equal(refused.status, 500);
    assert.equal(refused.body.code, 'ERR_EXTERNAL_CONFIG_WS');

    await adminApi(t, 'PATCH', `/restaurants/${byUrl}`,
      { cashStation: { password: sim.credentials.password } });
    const fixed = await adminApi(t, 'POST', `/restaurants/${byUrl}/station-check`);
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
  });

  test('the admin API answers 401 without the admin token', async () => {
    const demoToken = await t.token();
    for (const token of [null, 'wrong-token', demoToken]) {
      for (const [method, path, body] of [
        ['GET', '/corporations'], ['POST', '/corporations', { name: 'x', timeZone: 'UTC' }],
        ['POST', '/apply', { corporations: [] }],
      ] as const) {
        const answer = await adminApi(t, method, path, body, token);
        assert.equal(answer.status, 401, `${method} ${path} with ${token}`);
        assert.equal(answer.body.code, 'ERR_UNAUTHORIZED');
      }
    }
    const corporations = await adminApi(t, 'GET', '/corporations');
    assert.ok(!corporations.body.result.some((c: { name: string }) => c.name === 'x'));
  });
});
