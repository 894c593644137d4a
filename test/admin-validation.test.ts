import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { adminApi, embeddedStation } from './helpers/admin-api.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

describe('admin input is checked and every problem names its field', () => {
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

  /** Asserts a 400 `ERR_PARSE_REQUEST` whose `errors` name exactly `fields`. */
  function assertRefused(
    answer: { status: number; body: any }, fields: string[],
  ): void {
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'ERR_PARSE_REQUEST');
    assert.deepEqual(Object.keys(answer.body.errors).sort(), [...fields].sort());
    assert.ok(answer.body.msg.startsWith(fields.length === 1 && fields[0] !== '' ? fields[0] : ''));
  }

  async function countOf(table: 'corporations' | 'restaurants' | 'apiConnections') {
    const rows = await t.hub.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(rows.n);
  }

  test('corporations: required, typed, known fields only', async () => {
    const before = await countOf('corporations');

    assertRefused(await adminApi(t, 'POST', '/corporations', {}), ['name', 'timeZone']);
    assertRefused(await adminApi(t, 'POST', '/corporations',
      { name: 'x', timeZone: 'Mars/Olympus' }), ['timeZone']);
    assertRefused(await adminApi(t, 'POST', '/corporations',
      { name: 'x', timeZone: 'UTC', transferDelaySecs: 5 }), ['transferDelaySecs']);
    assertRefused(await adminApi(t, 'POST', '/corporations', {
      name: ' ', timeZone: 'UTC', orderProcessing: 'rules', transferDelaySec: '5s',
      checkContentsAndPrice: 'maybe',
    }), ['name', 'orderProcessing', 'transferDelaySec', 'checkContentsAndPrice']);
    assertRefused(await adminApi(t, 'POST', '/corporations', [{ name: 'x' }]), ['']);
    assertRefused(await adminApi(t, 'POST', '/corporations',
      { id: DEMO.corporationId, name: 'x', timeZone: 'UTC' }), ['id']);
    assertRefused(await adminApi(t, 'PATCH', `/corporations/${DEMO.corporationId}`,
      { id: 'a-new-id' }), ['id']);

    assert.equal(await countOf('corporations'), before, 'nothing stored');
  });

  test('restaurants: the cash station is checked key by key, the password never shown',
    async () => {
      const before = await countOf('restaurants');

      assertRefused(await adminApi(t, 'POST', '/restaurants', {
        corporationId: DEMO.corporationId, objectId: 'abc', name: '',
        cashStation: { url: 'ftp://10.0.0.5/rk7', stationId: 0, cashierId: 1001, tableId: 1,
          orderCategoryId: 3, voidReasonId: 1, deliveryFeeDishCode: 'fee', timeout: 5 },
      }), ['objectId', 'name', 'cashStation.url', 'cashStation.username', 'cashStation.password',
        'cashStation.stationId', 'cashStation.deliveryFeeDishCode', 'cashStation.timeout']);
      assertRefused(await adminApi(t, 'POST', '/restaurants', {
        corporationId: DEMO.corporationId, objectId: 1, name: 'No station',
      }), ['cashStation']);
      assertRefused(await adminApi(t, 'POST', '/restaurants', {
        corporationId: '6a4f0c1e-0000-4000-8000-000000000000', objectId: 1, name: 'x',
        cashStation: embeddedStation(),
      }), ['corporationId']);
      assertRefused(await adminApi(t, 'POST', '/restaurants', {
        corporationId: DEMO.corporationId, objectId: DEMO.objectId, name: 'Same code',
        cashStation: embeddedStation(),
      }), ['objectId']);
      assert.equal(await countOf('restaurants'), before, 'nothing stored');

      const real = await adminApi(t, 'POST', '/restaurants', {
        corporationId: DEMO.corporationId, objectId: 199990300, name: 'Real station',
        cashStation: embeddedStation({
          url: 'https://10.0.0.5:16090/rk7api/v0/xmlinterface.xml', username: 'http-user',
          password: 'first-password', tlsInsecure: true,
        }),
      });
      assert.equal(real.status, 201, JSON.stringify(real.body));
      const id = real.body.result.id as string;

      const patched = await adminApi(t, 'PATCH', `/restaurants/${id}`,
        { cashStation: { password: 'second-password', timeoutMs: 15000, maxConnections: 48 },
          autoAccept: false });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const shown = await adminApi(t, 'GET', `/restaurants/${id}`);
      for (const answer of [real, patched, shown]) {
        assert.doesNotMatch(JSON.stringify(answer.body), /password"|first-password|second/);
        assert.equal(answer.body.result.cashStation.passwordSet, true);
      }
      assert.equal(shown.body.result.cashStation.timeoutMs, 15000);
      assert.equal(shown.body.result.cashStation.maxConnections, 48);
      assert.equal(shown.body.result.cashStation.username, 'http-user', 'kept');
      assert.equal(shown.body.result.autoAccept, false);
      const stored = await t.hub.orders.chain.getRestaurant(id);
      assert.equal(stored?.cashStation.password, 'second-password');

      assertRefused(await adminApi(t, 'PATCH', `/restaurants/${id}`,
        { cashStation: { password: '', maxConnections: 257 }, minLeadMinutes: -1 }),
      ['cashStation.password', 'cashStation.maxConnections', 'minLeadMinutes']);
      assertRefused(await adminApi(t, 'PATCH', `/restaurants/${id}`,
        { cashStation: { maxConnections: 2.5 } }), ['cashStation.maxConnections']);

      // Settings stored before maxConnections existed show its default.
      const { maxConnections: _, ...older } = stored!.cashStation;
      await t.hub.store.db.updateTable('restaurants')
        .set({ cashStation: JSON.stringify(older) }).where('id', '=', id).execute();
      const olderShown = await adminApi(t, 'GET', `/restaurants/${id}`);
      assert.equal(olderShown.body.result.cashStation.maxConnections, 0);
    });

  test('currencies and connections: codes, duplicates and strangers are named', async () => {
    const restaurant = `/restaurants/${DEMO.restaurantId}/currencies`;
    assertRefused(await adminApi(t, 'PUT', restaurant, [{ code: 'roubles', name: 'Cash' }]),
      ['[0].code']);
    assertRefused(await adminApi(t, 'PUT', restaurant, [
      { code: DEMO.roublesCurrency, name: 'Cash' }, { code: DEMO.roublesCurrency, name: 'Again' },
    ]), ['[1].code']);
    assertRefused(await adminApi(t, 'PUT', restaurant, { code: DEMO.roublesCurrency }), ['']);
    assert.equal((await t.hub.orders.chain.currencies(DEMO.restaurantId)).length, 2, 'kept');

    const other = await adminApi(t, 'POST', '/corporations', { name: 'Other', timeZone: 'UTC' });
    const before = await countOf('apiConnections');
    assertRefused(await adminApi(t, 'POST', '/connections', {
      corporationId: other.body.result.id, name: 'Stranger', restaurantIds: [DEMO.restaurantId],
    }), ['restaurantIds[0]']);
    assertRefused(await adminApi(t, 'POST', '/connections',
      { corporationId: DEMO.corporationId, restaurantIds: ['not-a-guid'], secret: 'mine' }),
    ['name', 'restaurantIds[0]', 'secret']);
    assert.equal(await countOf('apiConnections'), before, 'nothing stored');
  });

  test('unknown ids are the usual 404 codes', async () => {
    const missing = '6a4f0c1e-0000-4000-8000-000000000001';
    for (const [path, code] of [
      [`/corporations/${missing}`, 'corporation_not_found'],
      [`/corporations/${missing}/menu`, 'corporation_not_found'],
      [`/restaurants/${missing}`, 'restaurant_not_found'],
      [`/restaurants/${missing}/currencies`, 'restaurant_not_found'],
      [`/connections/${missing}`, 'order_source_not_found'],
    ]) {
      const answer = await adminApi(t, 'GET', path as string);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body.code, code);
    }
    const patch = await adminApi(t, 'PATCH', `/restaurants/${missing}`, { name: 'x' });
    assert.equal(patch.body.code, 'restaurant_not_found');
  });
});
