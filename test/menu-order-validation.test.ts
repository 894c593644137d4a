import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_MENU } from '../src/menu/demo-menu.js';
import type { Db } from '../src/store/database.js';
import { DEMO } from '../src/store/seed-demo.js';
import { stop, storedCounts, unstop } from './helpers/menu-fixtures.js';
import { piesOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const { caesar, borscht, pie, shashlik } = DEMO.dishes;
const { extraCheese, rare, withoutSalt } = DEMO_MENU.modifiers;

/** Menu items added for these tests only. */
const EXTRA = {
  ice: 'D1000000-0000-4000-8000-000000000204',
  truffle: 'D1000000-0000-4000-8000-000000000205',
  steak: 'D1000000-0000-4000-8000-000000000107',
  mystery: 'D1000000-0000-4000-8000-000000000108',
  olives: 'D1000000-0000-4000-8000-000000000109',
};

/** Ice (in no group), Truffle (Extras, one per dish), Steak (doneness 1..1), Mystery, Olives. */
async function addTestMenu(db: Db): Promise<void> {
  const corporationId = DEMO.corporationId;
  await db.insertInto('menuIngredients').values([
    { id: EXTRA.ice, corporationId, externalId: '204', name: 'Ice', description: '', price: 0,
      measureValue: null, measureUnit: null, maxCountForDish: null, sort: 10 },
    { id: EXTRA.truffle, corporationId, externalId: '205', name: 'Truffle', description: '',
      price: 30000, measureValue: null, measureUnit: null, maxCountForDish: 1, sort: 11 },
  ]).execute();
  await db.insertInto('menuGroupIngredients')
    .values({ groupId: DEMO_MENU.groups.extras, ingredientId: EXTRA.truffle, sort: 5 }).execute();

  await db.insertInto('menuIngredientGroups').values([
    { id: 'G-DONENESS', corporationId, name: 'Doneness' },
    { id: 'G-EMPTY', corporationId, name: 'Nothing to choose' },
  ]).execute();
  await db.insertInto('menuGroupIngredients')
    .values({ groupId: 'G-DONENESS', ingredientId: rare, sort: 0 }).execute();
  await db.insertInto('menuIngredientSchemes').values([
    { id: 'S-STEAK', corporationId, name: 'Steak' },
    { id: 'S-MYSTERY', corporationId, name: 'Mystery' },
  ]).execute();
  await db.insertInto('menuSchemeGroups').values([
    { schemeId: 'S-STEAK', groupId: 'G-DONENESS', minCount: 1, maxCount: 1, sort: 0 },
    { schemeId: 'S-MYSTERY', groupId: 'G-EMPTY', minCount: 1, maxCount: 1, sort: 0 },
  ]).execute();

  const base = { corporationId, categoryId: null, description: '', measureValue: null,
    measureUnit: null, sort: 20 };
  await db.insertInto('menuProducts').values([
    { ...base, id: EXTRA.steak, externalId: '107', name: 'Steak', price: 90000,
      priceMode: 'PerPiece', schemeId: 'S-STEAK' },
    { ...base, id: EXTRA.mystery, externalId: '108', name: 'Mystery box', price: 10000,
      priceMode: 'PerPiece', schemeId: 'S-MYSTERY' },
    { ...base, id: EXTRA.olives, externalId: '109', name: 'Olives (per kg)', price: 80000,
      priceMode: 'PerUnitOfWeight', qntDecDigits: 2 },
  ]).execute();
}

/** A pickup order of the given lines. */
function order(dishList: unknown[]): Record<string, unknown> {
  return { ...piesOrderBody(), dishList };
}

describe('ordering dishes with ingredients: pricing and validation against the menu', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    await addTestMenu(t.hub.store.db);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  async function created(body: unknown) {
    const response = await t.api('POST', '/orders', body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return (await t.api('GET', `/orders/${response.body.result.orderId}`)).body.result;
  }

  /** 400 `order_validation` naming `field` with `message`; nothing stored. */
  async function refused(body: unknown, field: string, message: string) {
    const before = await storedCounts(t.hub.store.db);
    const response = await t.api('POST', '/orders', body);

    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.body.code, 'order_validation');
    assert.deepEqual(response.body.errors?.[field], [message], JSON.stringify(response.body));
    assert.deepEqual(await storedCounts(t.hub.store.db), before, 'nothing stored');
    return response.body;
  }

  test('ingredients are priced into the line and shown on the order', async () => {
    const result = await created(order([{ id: caesar, quantity: 2, ingredients: [
      { id: extraCheese, name: 'Extra cheese', price: 50, quantity: 1, ingredients: [] },
      { id: rare, quantity: 1 },
    ] }]));

    assert.equal(result.amount, 900, '(400 + 50 + 0) × 2');
    assert.equal(result.fullAmount, 900);
    assert.deepEqual(result.dishList, [{
      id: caesar, externalId: '101', name: 'Caesar salad', price: 400,
      measure: { value: 300, unit: 'g' }, quantity: 2,
      ingredients: [
        { id: extraCheese, externalId: '203', name: 'Extra cheese', price: 50, quantity: 1 },
        { id: rare, externalId: '202', name: 'Rare', price: 0, quantity: 1 },
      ],
    }]);
  });

  test('ingredients are found by r_keeper code, in any key casing, numbers as strings',
    async () => {
      const result = await created(order([{ ID: caesar, Quantity: '1', Ingredients: [
        { ID: '203', Price: '50', QUANTITY: '2' },
        { externalId: '201' },
      ] }]));

      assert.equal(result.amount, 500);
      assert.deepEqual(result.dishList[0].ingredients.map((i: { id: string }) => i.id),
        [extraCheese, withoutSalt]);
      assert.equal(result.dishList[0].ingredients[0].quantity, 2);
    });

  test('an ingredient that is not in the menu is refused', async () => {
    await refused(order([{ id: caesar, quantity: 1, ingredients: [{ id: 'nope', name: 'Ham' }] }]),
      'dishList[0].ingredients[0].id', 'Ingredient nope Ham is not in the menu');
  });

  test('an ingredient outside the dish\'s scheme is refused by name', async () => {
    await refused(order([{ id: caesar, quantity: 1, ingredients: [
      { id: rare }, { id: EXTRA.ice, name: 'ice please' },
    ] }]), 'dishList[0].ingredients[1].id', 'Incorrect ingredient Ice for the dish');
  });

  test('a dish without a scheme takes no ingredients', async () => {
    await refused(order([{ id: pie, quantity: 1 }, { id: borscht, quantity: 1,
      ingredients: [{ id: rare }] }]),
    'dishList[1].ingredients', `Dish ${borscht} must not have ingredients`);
  });

  test('a group\'s minimum must be chosen', async () => {
    await refused(order([{ id: EXTRA.steak, quantity: 1 }]),
      'dishList[0].ingredients', `Set the ingredients for dish ${EXTRA.steak}`);
    await refused(order([{ id: '107', quantity: 1, ingredients: null }]),
      'dishList[0].ingredients', 'Set the ingredients for dish 107');

    const steak = await created(order([{ id: EXTRA.steak, quantity: 1,
      ingredients: [{ id: rare }] }]));
    assert.equal(steak.amount, 900);
  });

  test('a group\'s maximum, and an ingredient\'s own maximum, must not be exceeded', async () => {
    await refused(order([{ id: caesar, quantity: 1, ingredients: [
      { id: extraCheese, quantity: 3 },
    ] }]), 'dishList[0].ingredients', `The number of ingredients for ${caesar} must not exceed 2`);
    await refused(order([{ id: caesar, quantity: 1, ingredients: [
      { id: rare }, { id: withoutSalt },
    ] }]), 'dishList[0].ingredients', `The number of ingredients for ${caesar} must not exceed 1`);
    await refused(order([{ id: caesar, quantity: 1, ingredients: [
      { id: EXTRA.truffle }, { id: EXTRA.truffle },
    ] }]), 'dishList[0].ingredients', `The number of ingredients for ${caesar} must not exceed 1`);

    const twoExtras = await created(order([{ id: caesar, quantity: 1, ingredients: [
      { id: EXTRA.truffle }, { id: extraCheese },
    ] }]));
    assert.equal(twoExtras.amount, 750);
  });

  test('a scheme whose required group offers nothing is a menu export problem', async () => {
    await refused(order([{ id: EXTRA.mystery, quantity: 1 }]), 'dishList[0].ingredients',
      'Menu export problem: the dish lacks ingredients required by its scheme');
  });

  test('a wrong ingredient price is refused only when the corporation checks prices',
    async () => {
      const body = order([{ id: caesar, quantity: 1, price: 400, ingredients: [
        { id: extraCheese, name: 'cheese', price: '10' },
      ] }]);
      await refused(body, 'dishList[0].ingredients[0].price',
        `Wrong price for ingredient ${extraCheese} Extra cheese`);

      await setCheckPrices(t.hub.store.db, 0);
      try {
        const result = await created(body);
        assert.equal(result.amount, 450, 'the menu price, not the client\'s');
        assert.equal(result.dishList[0].ingredients[0].price, 50);
      } finally {
        await setCheckPrices(t.hub.store.db, 1);
      }
    });

  test('ingredient quantities are whole and above zero; modifiers carry none of their own',
    async () => {
      await refused(order([{ id: caesar, quantity: 1, ingredients: [
        { id: extraCheese, quantity: 1.5 }] }]),
      'dishList[0].ingredients[0].quantity', 'The number of ingredients must be a whole number');
      await refused(order([{ id: caesar, quantity: 1, ingredients: [
        { id: extraCheese, quantity: 0 }] }]),
      'dishList[0].ingredients[0].quantity', 'The number of ingredients must be greater than 0');
      await refused(order([{ id: caesar, quantity: 1, ingredients: [
        { id: extraCheese, ingredients: [{ id: rare }] }] }]),
      'dishList[0].ingredients[0].ingredients',
      `Ingredient ${extraCheese} Extra cheese must not have ingredients`);
    });

  test('a stopped dish or ingredient is refused', async () => {
    const db = t.hub.store.db;
    await stop(db, DEMO.restaurantId, 'product', pie);
    await stop(db, DEMO.restaurantId, 'ingredient', withoutSalt);
    try {
      await refused(order([{ id: caesar, quantity: 1 }, { id: '104', quantity: 1 }]),
        'dishList[1].id', 'Dish 104 Pie is in the stop list');
      await refused(order([{ id: caesar, quantity: 1, ingredients: [{ id: withoutSalt }] }]),
        'dishList[0].ingredients[0].id',
        `Ingredient ${withoutSalt} Without salt is in the stop list`);
    } finally {
      await unstop(db, DEMO.restaurantId, pie);
      await unstop(db, DEMO.restaurantId, withoutSalt);
    }
    await created(order([{ id: pie, quantity: 1 }]));
  });

  test('a limited dish or ingredient cannot be ordered beyond what is left', async () => {
    await refused(order([{ id: shashlik, quantity: 3 }, { id: shashlik, quantity: 2.5 }]),
      'dishList[1].quantity', `Dish ${shashlik} Shashlik (per kg): only 5 left`);
    const exactly = await created(order([{ id: shashlik, quantity: 3 },
      { id: shashlik, quantity: 2 }]));
    assert.equal(exactly.amount, 6000);

    const db = t.hub.store.db;
    await stop(db, DEMO.restaurantId, 'ingredient', extraCheese, 3000);
    try {
      await refused(order([{ id: caesar, quantity: 2, ingredients: [
        { id: extraCheese, quantity: 2 }] }]),
      'dishList[0].ingredients[0].quantity', `Ingredient ${extraCheese} Extra cheese: only 3 left`);
      await created(order([{ id: caesar, quantity: 3, ingredients: [{ id: extraCheese }] }]));
    } finally {
      await unstop(db, DEMO.restaurantId, extraCheese);
    }
  });

  test('a quantity with more decimals than the dish allows is refused', async () => {
    await refused(order([{ id: pie, quantity: 1.5 }]), 'dishList[0].quantity',
      `The quantity of dish ${pie} must be a whole number`);
    await refused(order([{ id: '109', quantity: '0.255' }]), 'dishList[0].quantity',
      'The quantity of dish 109 may have at most 2 decimal places');

    const olives = await created(order([{ id: '109', quantity: '0.25' }]));
    assert.equal(olives.amount, 200);
    const grams = await created(order([{ id: shashlik, quantity: 0.125 }]));
    assert.equal(grams.amount, 150);
  });

  test('every failing rule is listed; the first one is the message', async () => {
    const body = await refused(order([
      { id: caesar, quantity: 1, ingredients: [{ id: 'nope' }, { id: EXTRA.ice }] },
      { id: borscht, quantity: 1, ingredients: [{ id: rare }] },
    ]), 'dishList[0].ingredients[0].id', 'Ingredient nope is not in the menu');

    assert.deepEqual(Object.keys(body.errors).sort(), ['dishList[0].ingredients[0].id',
      'dishList[0].ingredients[1].id', 'dishList[1].ingredients']);
    assert.equal(body.msg, 'dishList[0].ingredients[0].id: Ingredient nope is not in the menu');
  });

  test('issue #3: "price":"400","quantity":"1" as strings are read as numbers', async () => {
    const result = await created(order([{ id: caesar, price: '400', quantity: '1' }]));
    assert.equal(result.dishList[0].price, 400);
    assert.equal(result.dishList[0].quantity, 1);
    assert.equal(result.amount, 400);

    const before = await storedCounts(t.hub.store.db);
    const garbage = await t.api('POST', '/orders',
      order([{ id: caesar, price: '4OO', quantity: '1' }]));
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.code, 'ERR_PARSE_REQUEST');
    assert.ok(garbage.body.errors['dishList[0].price']);
    assert.deepEqual(await storedCounts(t.hub.store.db), before);
  });

  test('issue #3: the same dish twice stays two lines and doubles the total', async () => {
    const result = await created(order([
      { id: caesar, quantity: 1, ingredients: [{ id: extraCheese }] },
      { id: caesar, quantity: 1, ingredients: [{ id: rare }] },
    ]));

    assert.equal(result.dishList.length, 2);
    assert.deepEqual(result.dishList.map((l: any) => l.ingredients[0].externalId), ['203', '202']);
    assert.equal(result.amount, 850);

    const plain = await created(order([{ id: caesar, quantity: 1 }, { id: caesar, quantity: 1 }]));
    assert.equal(plain.dishList.length, 2);
    assert.equal(plain.fullAmount, 800);
    assert.equal(plain.dishList[0].ingredients, null);
  });
});

async function setCheckPrices(db: Db, value: number): Promise<void> {
  await db.updateTable('corporations').set({ checkContentsAndPrice: value })
    .where('id', '=', DEMO.corporationId).execute();
}
