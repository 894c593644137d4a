import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_GEO } from '../src/geo/demo-geography.js';
import { DEMO } from '../src/store/seed-demo.js';
import { addRestaurant, addZone, clearZones, square } from './helpers/geo-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const first = (t: TestHub, lat: number | string, lon: number | string) =>
  t.api('GET', `/restaurants/geo/first?lat=${lat}&lon=${lon}`);

describe('the restaurant serving a point (E2) with the demo zone', () => {
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

  test('a point inside the zone gives the restaurant and the zone\'s terms', async () => {
    const { lat, lon } = DEMO_GEO.inside;
    const reply = await first(t, lat, lon);

    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      result: {
        restaurantId: DEMO.restaurantId, restaurantName: 'Demo restaurant',
        corporationId: DEMO.corporationId, objectId: DEMO.objectId,
        legalAddress: 'Moscow, Sorge str., 2', polygonId: DEMO_GEO.zoneId,
        polygonName: 'Central Moscow', priority: 0, isActive: true, deliveryTime: 60,
        amountDelivery: { price: 150 }, minOrderAmountDelivery: 500,
        minOrderAmountFreeDelivery: 2000, typeOfTransportIds: [],
      },
    });
  });

  test('a point outside every zone is HTTP 500 restaurant_not_found', async () => {
    const { lat, lon } = DEMO_GEO.outside;
    const reply = await first(t, lat, lon);

    assert.equal(reply.status, 500);
    assert.equal(reply.body.code, 'restaurant_not_found');
    assert.equal(reply.body.errors, null);
    assert.equal(typeof reply.body.msg, 'string');
    assert.equal(reply.body.requestId, reply.headers.get('x-request-id'));
    assert.equal((await first(t, 0, 0)).status, 500);
  });

  test('parameters are matched case-insensitively', async () => {
    const { lat, lon } = DEMO_GEO.inside;
    const reply = await t.api('GET', `/restaurants/geo/first?Lat=${lat}&LON=${lon}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.restaurantId, DEMO.restaurantId);
  });

  test('missing or non-numeric coordinates are 400 ERR_PARSE_REQUEST naming them', async () => {
    for (const [query, fields] of [
      ['', ['lat', 'lon']], ['lat=55.7', ['lon']], ['lon=37.6', ['lat']],
      ['lat=abc&lon=37.6', ['lat']], ['lat=55,7&lon=37.6', ['lat']],
      ['lat=91&lon=37.6', ['lat']], ['lat=55.7&lon=-180.5', ['lon']], ['lat=1e1&lon=2', ['lat']],
    ] as const) {
      const reply = await t.api('GET', `/restaurants/geo/first?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.code, 'ERR_PARSE_REQUEST', query);
      assert.deepEqual(Object.keys(reply.body.errors), fields, query);
    }
  });

  test('it needs a bearer token', async () => {
    const { lat, lon } = DEMO_GEO.inside;
    const reply = await t.api('GET', `/restaurants/geo/first?lat=${lat}&lon=${lon}`, undefined,
      null);
    assert.equal(reply.status, 401);
  });
});

describe('zone choice among restaurants and overlapping zones (E2)', () => {
  let env: TestEnv;
  let t: TestHub;
  const ids = { second: '', foreign: '', closed: '', wide: '', district: '', low: '' };
  // Two points in an empty corner of the map, far from the seeded zone.
  const centre = { lat: 10, lon: 10 };
  const edge = { lat: 10.8, lon: 10.8 };

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    const db = t.hub.store.db;
    ids.second = await addRestaurant(db, { name: 'Second restaurant' });
    ids.foreign = await addRestaurant(db, { name: 'Not attached', attached: false });
    ids.closed = await addRestaurant(db, { name: 'Closed', state: 'noActive' });

    // Priority 1 on the demo restaurant loses to priority 0 on the second one…
    ids.low = await addZone(db, { geometry: square(10, 10, 3), priority: 1, name: 'Low' });
    ids.wide = await addZone(db, {
      restaurantId: ids.second, geometry: square(10, 10, 1), priority: 0, name: 'Wide',
    });
    // …and at equal priority the smaller, nested zone wins.
    ids.district = await addZone(db, { geometry: square(10, 10, 0.2), name: 'District',
      price: 5000 });
    // Better priorities that must not count: another connection's restaurant, a restaurant
    // that takes no orders, a switched-off zone.
    await addZone(db, { restaurantId: ids.foreign, geometry: square(10, 10, 5), priority: -9 });
    await addZone(db, { restaurantId: ids.closed, geometry: square(10, 10, 5), priority: -9 });
    await addZone(db, { geometry: square(10, 10, 5), priority: -9, active: false });
    await addZone(db, { restaurantId: ids.foreign, geometry: square(30, 30, 1) });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('the nested smaller zone wins at equal priority', async () => {
    const reply = await first(t, centre.lat, centre.lon);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.polygonId, ids.district);
    assert.equal(reply.body.result.restaurantId, DEMO.restaurantId);
    assert.deepEqual(reply.body.result.amountDelivery, { price: 50 });
  });

  test('the lower priority wins over a smaller zone', async () => {
    const reply = await first(t, edge.lat, edge.lon);
    assert.equal(reply.body.result.polygonId, ids.wide);
    assert.equal(reply.body.result.restaurantId, ids.second);
    assert.equal(reply.body.result.restaurantName, 'Second restaurant');
    assert.equal(reply.body.result.minOrderAmountFreeDelivery, null);
  });

  test('only a zone of a lower rank is left further out', async () => {
    const reply = await first(t, 12.5, 12.5);
    assert.equal(reply.body.result.polygonId, ids.low);
    assert.equal(reply.body.result.priority, 1);
  });

  test('a zone of a restaurant the connection may not use is never chosen', async () => {
    const reply = await first(t, 30, 30);
    assert.equal(reply.status, 500);
    assert.equal(reply.body.code, 'restaurant_not_found');
  });
});

describe('zone shapes (E2)', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    const db = t.hub.store.db;
    await clearZones(db);
    // A ring: the square of half-size 1 with a hole of half-size 0.5.
    const outer = square(20, 20, 1).coordinates[0];
    const hole = square(20, 20, 0.5).coordinates[0];
    await addZone(db, {
      name: 'Ring', geometry: { type: 'Polygon', coordinates: [outer ?? [], hole ?? []] },
    });
    await addZone(db, {
      name: 'Islands',
      geometry: { type: 'MultiPolygon',
        coordinates: [square(40, 40, 0.1).coordinates, square(41, 41, 0.1).coordinates] },
    });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('a point in a polygon\'s hole is outside it', async () => {
    assert.equal((await first(t, 20.8, 20)).body.result.polygonName, 'Ring');
    assert.equal((await first(t, 20, 20)).status, 500);
  });

  test('every part of a MultiPolygon counts', async () => {
    assert.equal((await first(t, 40, 40)).body.result.polygonName, 'Islands');
    assert.equal((await first(t, 41.05, 40.95)).body.result.polygonName, 'Islands');
    assert.equal((await first(t, 40.5, 40.5)).status, 500);
  });

  test('a point on the border counts as inside', async () => {
    assert.equal((await first(t, 21, 20)).body.result.polygonName, 'Ring');
  });
});
