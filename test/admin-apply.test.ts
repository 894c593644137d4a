import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../src/store/database.js';
import { adminApi, connectToken } from './helpers/admin-api.js';
import { repoJson } from './helpers/repo-files.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const EXAMPLE = 'examples/chain.example.json';
const CORPORATION = '5b1e6a2c-7d3f-4e8a-9c41-2f6d8e0a7b13';
const RESTAURANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c61';

/** Every row the chain file writes, for comparing the database before and after a run. */
async function chainRows(db: Db) {
  const all = (table: string, ...order: string[]) => {
    let query = db.selectFrom(table as 'corporations').selectAll();
    for (const column of order) query = query.orderBy(column as 'id');
    return query.execute();
  };
  return {
    corporations: await all('corporations', 'id'),
    restaurants: await all('restaurants', 'id'),
    currencies: await all('restaurantCurrencies', 'restaurantId', 'code'),
    connections: await all('apiConnections', 'clientId'),
    links: await all('apiConnectionRestaurants', 'clientId', 'restaurantId'),
    categories: await all('menuCategories', 'id'),
    products: await all('menuProducts', 'id'),
    ingredients: await all('menuIngredients', 'id'),
    groups: await all('menuGroupIngredients', 'groupId', 'ingredientId'),
    schemes: await all('menuSchemeGroups', 'schemeId', 'groupId'),
    sets: await all('menuSets', 'corporationId'),
    stops: await all('menuStopList', 'restaurantId', 'itemType', 'itemId'),
    reasons: await all('rejectionReasons', 'corporationId', 'id'),
    zones: await all('deliveryZones', 'id'),
  };
}

describe('a chain file applied through the admin API', () => {
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

  test('a dry run reports what it would do and writes nothing', async () => {
    const rows = await chainRows(t.hub.store.db);

    const dry = await adminApi(t, 'POST', '/apply?dryRun=true', repoJson(EXAMPLE));

    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.result.dryRun, true);
    assert.equal(dry.body.result.changed, true);
    assert.equal(dry.body.result.counts.corporations.created, 1);
    assert.deepEqual(dry.body.result.newSecrets, []);
    assert.deepEqual(await chainRows(t.hub.store.db), rows);
  });

  test('the example sets up a working chain; applying it again changes nothing', async () => {
    const first = await adminApi(t, 'POST', '/apply', repoJson(EXAMPLE));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const { counts, newSecrets } = first.body.result;
    assert.equal(first.body.result.changed, true);
    assert.deepEqual(counts.corporations, { created: 1, updated: 0, unchanged: 0, deleted: 0 });
    assert.deepEqual(counts.restaurants, { created: 1, updated: 0, unchanged: 0, deleted: 0 });
    assert.deepEqual(counts.menuProducts, { created: 5, updated: 0, unchanged: 0, deleted: 0 });
    assert.deepEqual(counts.rejectionReasons, { created: 1, updated: 3, unchanged: 1, deleted: 3 });
    assert.equal(newSecrets.length, 1);
    const rows = await chainRows(t.hub.store.db);

    const second = await adminApi(t, 'POST', '/apply', repoJson(EXAMPLE));
    assert.equal(second.status, 200);
    assert.equal(second.body.result.changed, false);
    assert.deepEqual(second.body.result.newSecrets, [], 'a secret is shown once');
    for (const [kind, count] of Object.entries(second.body.result.counts)) {
      assert.deepEqual({ ...count as object, unchanged: 0 },
        { created: 0, updated: 0, unchanged: 0, deleted: 0 }, kind);
    }
    assert.deepEqual(await chainRows(t.hub.store.db), rows);

    const [{ clientId, clientSecret }] = newSecrets;
    const token = (await connectToken(t, clientId, clientSecret)).body.access_token as string;
    const menu = await t.api('GET', `/menu/view?restaurantId=${RESTAURANT}`, undefined, token);
    const pie = menu.body.result.products
      .find((p: { externalId: string }) => p.externalId === '104');
    assert.deepEqual(pie.isContainInStopList, [RESTAURANT]);
    assert.equal(menu.body.result.name, 'Example menu');
    assert.equal(menu.body.result.ingredientsSchemes[0].ingredientsGroups[0].maxCount, 2);
    const reasons = await t.api('GET', '/rejectionReasons', undefined, token);
    assert.deepEqual(reasons.body.result.map((r: { reason: string }) => r.reason), [
      'Test order', 'The guest refused the order', 'Cancelled by the restaurant',
      'The courier could not come', 'Other',
    ]);
  });

  test('an edited file updates only what changed', async () => {
    const doc = repoJson(EXAMPLE) as any;
    doc.corporations[0].transferDelaySec = 30;
    doc.corporations[0].restaurants[0].stopList = [];
    doc.corporations[0].menu.products[3].price = 109.99;

    const applied = await adminApi(t, 'POST', '/apply', doc);

    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const { counts } = applied.body.result;
    assert.deepEqual(counts.corporations, { created: 0, updated: 1, unchanged: 0, deleted: 0 });
    assert.deepEqual(counts.menuProducts, { created: 0, updated: 1, unchanged: 4, deleted: 0 });
    assert.deepEqual(counts.stopList, { created: 0, updated: 0, unchanged: 0, deleted: 1 });
    assert.deepEqual(counts.connections, { created: 0, updated: 0, unchanged: 1, deleted: 0 });
    const corporation = await adminApi(t, 'GET', `/corporations/${CORPORATION}`);
    assert.equal(corporation.body.result.transferDelaySec, 30);
  });

  test('a problem anywhere in the file is named and nothing is written', async () => {
    const doc = repoJson(EXAMPLE) as any;
    doc.corporations[0].id = 'c0ffee00-0000-4000-8000-000000000001';
    doc.corporations[0].name = 'Never written';
    doc.corporations[0].restaurants[0].id = 'c0ffee00-0000-4000-8000-000000000002';
    doc.corporations[0].restaurants[0].objectId = 199990501;
    doc.corporations[0].restaurants[0].cashStation.stationId = 'till';
    doc.corporations[0].connections[0].restaurantIds = ['c0ffee00-0000-4000-8000-000000000002'];
    const rows = await chainRows(t.hub.store.db);

    const refused = await adminApi(t, 'POST', '/apply', doc);

    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'ERR_PARSE_REQUEST');
    assert.deepEqual(Object.keys(refused.body.errors),
      ['corporations[0].restaurants[0].cashStation.stationId']);
    assert.deepEqual(await chainRows(t.hub.store.db), rows);

    doc.corporations[0].restaurants[0].cashStation.stationId = 15002;
    const clash = await adminApi(t, 'POST', '/apply', doc);
    assert.equal(clash.status, 400, 'menu ids and codes belong to the example corporation');
    assert.deepEqual(await chainRows(t.hub.store.db), rows);
  });
});
