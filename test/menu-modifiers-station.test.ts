import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_MENU } from '../src/menu/demo-menu.js';
import type { SimOrderSnapshot } from '../src/simulator/sim-station.js';
import { DEMO } from '../src/store/seed-demo.js';
import { payBody, piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const { caesar, shashlik } = DEMO.dishes;
const { extraCheese, rare } = DEMO_MENU.modifiers;

describe('modifiers at the cash station: the hub total is the station\'s orderSum', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    // Shashlik takes the Caesar scheme here, to price a paid modifier on a weighed line.
    await t.hub.store.db.updateTable('menuProducts').set({ schemeId: DEMO_MENU.caesarScheme })
      .where('id', '=', shashlik).execute();
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  /** Creates the order, transfers it, and returns the hub's view and the station's order. */
  async function transferred(dishList: unknown[]) {
    const response = await t.api('POST', '/orders', { ...piesOrderBody(), dishList });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const id = response.body.result.orderId;
    await t.runTimers();

    const view = (await t.api('GET', `/orders/${id}`)).body.result;
    const row = await t.hub.store.db.selectFrom('orders')
      .select(['posOrderGuid', 'attentionReason']).where('id', '=', Number(id))
      .executeTakeFirstOrThrow();
    const station = t.hub.simulator?.getOrder(row.posOrderGuid as string);
    assert.ok(station, 'the order is at the station');
    return { id, view, station, attentionReason: row.attentionReason };
  }

  /** The station's modifier lines as [modifier ident (= code), count, price]. */
  function modifiersAt(station: SimOrderSnapshot) {
    return station.sessions.flatMap((s) => s.lines).flatMap((line) =>
      line.kind === 'dish' ? line.modifiers.map((m) => [m.modiIdent, m.count, m.price]) : []);
  }

  test('Caesar × 2 with Extra cheese: 900.00 at the hub and at the station', async () => {
    const { id, view, station, attentionReason } = await transferred([
      { id: caesar, quantity: 2, ingredients: [{ id: extraCheese }] },
    ]);

    assert.equal(view.fullAmount, 900);
    assert.equal(station.orderSum, 90000);
    assert.deepEqual(modifiersAt(station), [[203, 2, 5000]]);
    assert.equal(view.orderStatusId, 4);
    assert.equal(view.posSyncState, 'confirmed');
    assert.equal(view.isAttention, false, attentionReason ?? '');

    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(900));
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
  });

  test('several modifiers, free and paid, several per dish', async () => {
    const { view, station } = await transferred([
      { id: caesar, quantity: 3, ingredients: [{ id: extraCheese, quantity: 2 }, { id: rare }] },
      { id: caesar, quantity: 1 },
    ]);

    assert.equal(view.fullAmount, 1900, '(400 + 2 × 50) × 3 + 400');
    assert.equal(station.orderSum, 190000);
    assert.deepEqual(modifiersAt(station), [[203, 6, 5000], [202, 3, 0]]);
    assert.equal(view.isAttention, false);
  });

  test('a paid modifier on a weighed line adds the same kopecks at both ends', async () => {
    for (const [kg, hubTotal] of [[1.5, 1875], [0.333, 416.25], [0.001, 1.25]] as const) {
      const { view, station } = await transferred([
        { id: shashlik, quantity: kg, ingredients: [{ id: extraCheese }] },
      ]);

      assert.equal(view.fullAmount, hubTotal, `${kg} kg`);
      assert.equal(station.orderSum, Math.round(hubTotal * 100), `${kg} kg at the station`);
      assert.equal(view.isAttention, false, `${kg} kg`);
    }
  });
});
