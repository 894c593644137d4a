import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { adminApi, embeddedStation } from './helpers/admin-api.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const CATEGORY = '0b5e2f7a-1c3d-4e5f-8a9b-000000000001';
const SCHEME = '0b5e2f7a-1c3d-4e5f-8a9b-000000000002';
const GROUP = '0b5e2f7a-1c3d-4e5f-8a9b-000000000003';
const CHEESE = '0b5e2f7a-1c3d-4e5f-8a9b-000000000004';

/** A small menu in the `GET /menu/view` shape, one dish with a modifier scheme. */
function menuDocument() {
  return {
    name: 'Lunch',
    categories: [{ id: CATEGORY, name: 'Salads', parentId: null }],
    products: [{
      externalId: '101', categoryId: CATEGORY, name: 'Caesar', price: '450.00',
      description: 'House recipe', schemeId: SCHEME, imageUrls: ['https://img.example/c.jpg'],
      measure: { value: 300, unit: 'g', priceMode: 'PerPiece' }, isContainInStopList: [],
      calories: 350.5,
    }],
    ingredients: [{ id: CHEESE, externalId: '203', name: 'Extra cheese', price: 50 }],
    ingredientsGroups: [{ id: GROUP, name: 'Extras', ingredients: [CHEESE] }],
    ingredientsSchemes: [
      { id: SCHEME, ingredientsGroups: [{ id: GROUP, minCount: 0, maxCount: 1 }] },
    ],
  };
}

describe('menus, stop lists, rejection reasons and zones through the admin API', () => {
  let env: TestEnv;
  let t: TestHub;
  let corporationId: string;
  let restaurantId: string;
  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    corporationId = (await adminApi(t, 'POST', '/corporations',
      { name: 'Menu chain', timeZone: 'Europe/Moscow' })).body.result.id;
    restaurantId = (await adminApi(t, 'POST', '/restaurants', {
      corporationId, objectId: 199990700, name: 'Menu kitchen', cashStation: embeddedStation(),
    })).body.result.id;
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const importPath = () => `/corporations/${corporationId}/menu/import`;

  test('a JSON menu imports once; again it changes nothing; the station fills in the rest',
    async () => {
      const first = await adminApi(t, 'POST', importPath(), { result: menuDocument() });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      for (const kind of ['menuCategories', 'menuProducts', 'menuIngredients',
        'menuIngredientGroups', 'menuIngredientSchemes', 'menuSet']) {
        assert.equal(first.body.result[kind].created, 1, kind);
      }
      const again = await adminApi(t, 'POST', importPath(), menuDocument());
      assert.deepEqual(Object.values(again.body.result).map((c: any) => c.unchanged),
        [1, 1, 1, 1, 1]);

      const exported = await adminApi(t, 'GET', `/corporations/${corporationId}/menu`);
      const caesar = exported.body.result.products[0];
      assert.equal(caesar.price, 450);
      assert.equal(caesar.measure.value, 300);
      assert.equal(caesar.calories, 350.5);
      const reimported = await adminApi(t, 'POST', importPath(), exported.body);
      assert.equal(reimported.status, 200, 'the export imports as is');
      assert.equal(reimported.body.result.menuProducts.unchanged, 1);

      const station = await adminApi(t, 'POST',
        `/restaurants/${restaurantId}/menu/import-from-station`);
      assert.equal(station.status, 200, JSON.stringify(station.body));
      assert.deepEqual(station.body.result.menuProducts,
        { created: 4, updated: 1, unchanged: 0, deleted: 0 });
      assert.deepEqual(station.body.result.menuIngredients,
        { created: 2, updated: 0, unchanged: 1, deleted: 0 });
      const menu = (await adminApi(t, 'GET', `/corporations/${corporationId}/menu`)).body.result;
      const byCode = new Map(menu.products.map((p: { externalId: string }) => [p.externalId, p]));
      const updated = byCode.get('101') as typeof caesar;
      assert.deepEqual([updated.id, updated.price, updated.description, updated.categoryId],
        [caesar.id, 400, 'House recipe', CATEGORY], 'the station\'s price, the admin\'s rest');
      const shashlik = byCode.get('106') as typeof caesar;
      assert.deepEqual([shashlik.measure.priceMode, shashlik.measure.qntDecDigits],
        ['PerUnitOfWeight', 3]);

      const stationAgain = await adminApi(t, 'POST',
        `/restaurants/${restaurantId}/menu/import-from-station`);
      assert.deepEqual(stationAgain.body.result.menuProducts,
        { created: 0, updated: 0, unchanged: 5, deleted: 0 });
    });

  test('menu references and codes are checked before anything is written', async () => {
    const doc = menuDocument() as any;
    doc.products[0].categoryId = '0b5e2f7a-1c3d-4e5f-8a9b-0000000000ff';
    doc.products[0].price = '4OO';
    doc.products.push({ externalId: '101', name: 'Twin', price: 1 });
    doc.products.push({ externalId: 'abc', name: 'Lettered', price: 1, colour: 'red' });
    doc.ingredientsGroups[0].ingredients.push('0b5e2f7a-1c3d-4e5f-8a9b-0000000000fe');

    const refused = await adminApi(t, 'POST', importPath(), doc);

    assert.equal(refused.status, 400);
    assert.deepEqual(Object.keys(refused.body.errors).sort(), [
      'products[0].price', 'products[2].colour', 'products[2].externalId',
    ]);
    doc.products[0].price = 1;
    doc.products.pop();
    const second = await adminApi(t, 'POST', importPath(), doc);
    assert.deepEqual(Object.keys(second.body.errors).sort(), [
      'ingredientsGroups[0].ingredients[1]', 'products[0].categoryId', 'products[1].externalId',
    ]);
    const demoIds = await adminApi(t, 'POST', importPath(), { products: [
      { id: DEMO.dishes.pie, externalId: '555', name: 'Not mine', price: 1 },
    ] });
    assert.deepEqual(Object.keys(demoIds.body.errors), ['products[0].id']);
  });

  test('a stop list names menu items; the r_k menu shows it', async () => {
    const path = `/restaurants/${restaurantId}/stop-list`;
    const refused = await adminApi(t, 'PUT', path,
      [{ externalId: '102' }, { id: 'x', externalId: '1' }]);
    assert.equal(refused.status, 400);
    assert.deepEqual(Object.keys(refused.body.errors), ['[1].id']);

    const set = await adminApi(t, 'PUT', path, [
      { externalId: '102' }, { type: 'ingredient', externalId: '203', remaining: 5 },
    ]);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.result.map((s: any) => [s.type, s.externalId, s.remaining]),
      [['ingredient', '203', 5], ['product', '102', null]]);
    const limited = await adminApi(t, 'GET', path);
    assert.deepEqual(limited.body.result, set.body.result);
  });

  test('rejection reasons: the corporation\'s own list, the system reason kept', async () => {
    const path = `/corporations/${corporationId}/rejection-reasons`;
    const initial = await adminApi(t, 'GET', path);
    assert.equal(initial.body.result.length, 7, 'a new corporation has the documented ones');

    const refused = await adminApi(t, 'PUT', path, [{ reason: 'Only this' }]);
    assert.equal(refused.status, 400);
    assert.match(refused.body.msg, /Cancelled by the restaurant.*cannot be deleted/);

    const kept = initial.body.result.find((r: any) => !r.isPossibleDelete);
    const replaced = await adminApi(t, 'PUT', path, [
      { id: kept.id, reason: kept.reason }, { reason: 'Kitchen closed', type: 'text' },
    ]);
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(replaced.body.result.map((r: any) => [r.reason, r.type]),
      [[kept.reason, 'simple'], ['Kitchen closed', 'text']]);
    assert.deepEqual(await adminApi(t, 'PUT', path, [{ reason: 'x', type: 'free' }]).then(
      (a) => Object.keys(a.body.errors)), ['[0].type']);
  });

  test('delivery zones: GeoJSON checked, amounts in roubles', async () => {
    const path = `/restaurants/${restaurantId}/delivery-zones`;
    const square = [[37.5, 55.7], [37.7, 55.7], [37.7, 55.8], [37.5, 55.8], [37.5, 55.7]];
    const refused = await adminApi(t, 'PUT', path, [
      { name: 'Open ring', polygon: { type: 'Polygon', coordinates: [square.slice(0, 4)] } },
      { polygon: { type: 'Point', coordinates: [37.6, 55.7] }, deliveryPrice: -1 },
    ]);
    assert.equal(refused.status, 400);
    assert.deepEqual(Object.keys(refused.body.errors).sort(),
      ['[0].polygon', '[1].deliveryPrice', '[1].name', '[1].polygon']);

    const zone = { name: 'Centre', polygon: { type: 'Polygon', coordinates: [square] },
      deliveryPrice: 150.5, minOrderAmountDelivery: '500' };
    const set = await adminApi(t, 'PUT', path, [zone]);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual({ ...set.body.result[0], id: undefined }, {
      id: undefined, name: 'Centre', polygon: zone.polygon, priority: 0,
      deliveryTimeMinutes: 60, deliveryPrice: 150.5, minOrderAmountDelivery: 500,
      minOrderAmountFreeDelivery: null, active: true,
    });
    const again = await adminApi(t, 'PUT', path, [zone]);
    assert.equal(again.body.result[0].id, set.body.result[0].id, 'matched by name');
  });
});
