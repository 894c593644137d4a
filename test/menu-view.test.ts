import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_MENU } from '../src/menu/demo-menu.js';
import { DEMO } from '../src/store/seed-demo.js';
import { addRestaurant, stop, unstop } from './helpers/menu-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const SECOND = 'a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3d4e';
const FOREIGN = 'b3d5f7a9-2c4e-4a6b-9d8f-0e1c2b3d4e5f';

const sortedKeys = (value: object) => Object.keys(value).sort();

describe('menu view (E4) and limited dishes (E5)', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    // Attached before the first call, so the connection is read with both restaurants.
    await addRestaurant(t.hub.store.db, SECOND, 'Second restaurant', t.clientId);
    await addRestaurant(t.hub.store.db, FOREIGN, 'Not attached');
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const product = (menu: any, externalId: string) =>
    menu.products.find((p: { externalId: string }) => p.externalId === externalId);
  const ingredient = (menu: any, id: string) =>
    menu.ingredients.find((i: { id: string }) => i.id === id);

  test('every documented key is present, with the demo menu\'s values', async () => {
    await t.hub.store.db.updateTable('menuProducts').set({
      calories: 250.5, energyValue: 1048, proteins: 6.5, fats: 12, carbohydrates: 30.25,
      imageUrls: JSON.stringify(['https://example.com/pie.jpg']), changeQntOnce: 1,
      joinMode: 'almJoinLines',
      dishTaxes: JSON.stringify({ groupName: 'VAT 20%',
        taxes: [{ taxName: 'VAT', rateName: '20,00 %', rate: 20.0 }] }),
    }).where('id', '=', DEMO.dishes.pie).execute();

    const response = await t.api('GET', '/menu/view');
    assert.equal(response.status, 200);
    const menu = response.body.result;

    assert.deepEqual(sortedKeys(menu), ['categories', 'dateModified', 'haveChanges',
      'ingredients', 'ingredientsGroups', 'ingredientsSchemes', 'isPossibleDelete', 'name',
      'products']);
    assert.equal(menu.name, 'Demo menu');
    assert.equal(menu.isPossibleDelete, false);
    assert.equal(menu.haveChanges, false);
    assert.match(menu.dateModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
    assert.deepEqual(sortedKeys(menu.categories[0]), ['id', 'name', 'parentId']);

    const pie = product(menu, '104');
    assert.deepEqual(sortedKeys(pie), ['calories', 'carbohydrates', 'categoryId', 'description',
      'dishTaxes', 'energyValue', 'externalId', 'fats', 'id', 'imageUrls',
      'isContainInStopList', 'measure', 'name', 'price', 'proteins', 'schemeId']);
    assert.deepEqual(sortedKeys(pie.measure),
      ['changeQntOnce', 'joinMode', 'priceMode', 'qntDecDigits', 'unit', 'value']);
    assert.deepEqual({ ...pie, id: undefined, categoryId: undefined }, {
      id: undefined, categoryId: undefined, externalId: '104', name: 'Pie', price: 99.99,
      schemeId: null, description: '', imageUrls: ['https://example.com/pie.jpg'],
      measure: { value: 150, unit: 'g', priceMode: 'PerPiece', qntDecDigits: null,
        changeQntOnce: true, joinMode: 'almJoinLines' },
      isContainInStopList: [], calories: 250.5, energyValue: 1048, proteins: 6.5, fats: 12,
      carbohydrates: 30.25,
      dishTaxes: { groupName: 'VAT 20%',
        taxes: [{ taxName: 'VAT', rateName: '20,00 %', rate: 20 }] },
    });

    const caesar = product(menu, '101');
    assert.equal(caesar.id, DEMO.dishes.caesar);
    assert.equal(caesar.schemeId, DEMO_MENU.caesarScheme);
    const shashlik = product(menu, '106');
    assert.equal(shashlik.measure.priceMode, 'PerUnitOfWeight');
    assert.equal(shashlik.measure.qntDecDigits, 3);
  });

  test('schemes, groups and ingredients describe the Caesar salad\'s modifiers', async () => {
    const menu = (await t.api('GET', '/menu/view')).body.result;

    assert.deepEqual(menu.ingredientsSchemes, [{
      id: DEMO_MENU.caesarScheme,
      ingredientsGroups: [
        { id: DEMO_MENU.groups.extras, minCount: 0, maxCount: 2 },
        { id: DEMO_MENU.groups.serving, minCount: 0, maxCount: 1 },
      ],
    }]);
    assert.deepEqual(menu.ingredientsGroups, [
      { id: DEMO_MENU.groups.extras, name: 'Extras',
        ingredients: [DEMO_MENU.modifiers.extraCheese] },
      { id: DEMO_MENU.groups.serving, name: 'Serving',
        ingredients: [DEMO_MENU.modifiers.rare, DEMO_MENU.modifiers.withoutSalt] },
    ]);
    assert.deepEqual(ingredient(menu, DEMO_MENU.modifiers.extraCheese), {
      id: DEMO_MENU.modifiers.extraCheese, externalId: '203', name: 'Extra cheese', price: 50,
      schemeId: null, description: '', imageUrls: [], measure: { value: null, unit: null },
      maxCountForDish: null, isContainInStopList: [],
    });
    assert.deepEqual(menu.ingredients.map((i: { externalId: string }) => i.externalId),
      ['201', '202', '203']);
  });

  test('a trailing slash answers exactly as without one', async () => {
    const query = `?restaurantId=${DEMO.restaurantId}`;
    for (const [withSlash, without] of [
      ['/menu/view/', '/menu/view'],
      [`/menu/view/${query}`, `/menu/view${query}`],
      ['/menu/dishes/limitedlist/', '/menu/dishes/limitedlist'],
    ] as const) {
      const a = await t.api('GET', withSlash);
      const b = await t.api('GET', without);
      assert.equal(a.status, 200, withSlash);
      assert.deepEqual(a.body, b.body, withSlash);
    }
  });

  test('isContainInStopList names the restaurants where an item is stopped', async () => {
    const db = t.hub.store.db;
    await stop(db, SECOND, 'product', DEMO.dishes.pie);
    await stop(db, DEMO.restaurantId, 'product', DEMO.dishes.borscht);
    await stop(db, DEMO.restaurantId, 'ingredient', DEMO_MENU.modifiers.rare);
    await stop(db, FOREIGN, 'product', DEMO.dishes.mors);
    try {
      const all = (await t.api('GET', '/menu/view')).body.result;
      assert.deepEqual(product(all, '104').isContainInStopList, [SECOND]);
      assert.deepEqual(product(all, '102').isContainInStopList, [DEMO.restaurantId]);
      assert.deepEqual(product(all, '103').isContainInStopList, [], 'not the connection\'s');
      assert.deepEqual(product(all, '106').isContainInStopList, [], 'limited, not stopped');
      assert.deepEqual(ingredient(all, DEMO_MENU.modifiers.rare).isContainInStopList,
        [DEMO.restaurantId]);

      const demo = (await t.api('GET', `/menu/view?restaurantId=${DEMO.restaurantId}`))
        .body.result;
      assert.deepEqual(product(demo, '104').isContainInStopList, []);
      assert.deepEqual(product(demo, '102').isContainInStopList, [DEMO.restaurantId]);

      // Any case of the parameter name and of the id, braces included, names the restaurant.
      const second = (await t.api('GET',
        `/menu/view?RESTAURANTID=${encodeURIComponent(`{${SECOND.toUpperCase()}}`)}`)).body;
      assert.deepEqual(product(second.result, '104').isContainInStopList, [SECOND]);
      assert.deepEqual(product(second.result, '102').isContainInStopList, []);
      const restaurantID = await t.api('GET', `/menu/view?restaurantID=${SECOND}`);
      assert.deepEqual(restaurantID.body, second);
    } finally {
      for (const [r, id] of [[SECOND, DEMO.dishes.pie], [DEMO.restaurantId, DEMO.dishes.borscht],
        [DEMO.restaurantId, DEMO_MENU.modifiers.rare], [FOREIGN, DEMO.dishes.mors]] as const) {
        await unstop(db, r, id);
      }
    }
  });

  test('a restaurant the connection is not attached to is restaurant_not_found', async () => {
    for (const path of ['/menu/view', '/menu/dishes/limitedlist']) {
      for (const id of [FOREIGN, 'nope']) {
        const response = await t.api('GET', `${path}?restaurantId=${id}`);
        assert.equal(response.status, 404, `${path} ${id}`);
        assert.equal(response.body.code, 'restaurant_not_found');
        assert.equal(response.body.errors, null);
      }
    }
  });

  test('the limited list shows what is left of limited and stopped items', async () => {
    const db = t.hub.store.db;
    const limitedShashlik = {
      restaurantId: DEMO.restaurantId, typeOfDish: 'product', externalId: '106',
      name: 'Shashlik (per kg)', quantity: 5,
    };
    assert.deepEqual((await t.api('GET', '/menu/dishes/limitedlist')).body.result,
      [limitedShashlik]);

    await stop(db, DEMO.restaurantId, 'ingredient', DEMO_MENU.modifiers.extraCheese);
    await stop(db, SECOND, 'product', DEMO.dishes.pie, 2500);
    await stop(db, FOREIGN, 'product', DEMO.dishes.borscht);
    try {
      const all = (await t.api('GET', '/menu/dishes/limitedlist')).body.result;
      assert.deepEqual(all, [
        { restaurantId: DEMO.restaurantId, typeOfDish: 'ingredient', externalId: '203',
          name: 'Extra cheese', quantity: 0 },
        limitedShashlik,
        { restaurantId: SECOND, typeOfDish: 'product', externalId: '104', name: 'Pie',
          quantity: 2.5 },
      ]);

      const second = await t.api('GET', `/menu/dishes/limitedlist?restaurantId=${SECOND}`);
      assert.deepEqual(second.body.result, [all[2]]);
    } finally {
      await unstop(db, DEMO.restaurantId, DEMO_MENU.modifiers.extraCheese);
      await unstop(db, SECOND, DEMO.dishes.pie);
      await unstop(db, FOREIGN, DEMO.dishes.borscht);
    }
  });
});
