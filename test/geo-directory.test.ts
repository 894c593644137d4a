import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_GEO } from '../src/geo/demo-geography.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const RUSSIA = DEMO_GEO.russiaId;

describe('country and city directories (E15, E16)', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
    await t.hub.store.db.insertInto('countries').values(Array.from({ length: 25 }, (_, i) => ({
      id: `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Country ${String(i + 1).padStart(2, '0')}`,
    }))).execute();
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('countries come in the paged envelope with the documented defaults', async () => {
    const reply = await t.api('GET', '/countries');

    assert.equal(reply.status, 200);
    assert.deepEqual(Object.keys(reply.body.result), ['total', 'offset', 'limit', 'items']);
    assert.equal(reply.body.result.total, 26);
    assert.equal(reply.body.result.offset, 0);
    assert.equal(reply.body.result.limit, 20);
    assert.equal(reply.body.result.items.length, 20);
    assert.deepEqual(Object.keys(reply.body.result.items[0]), ['id', 'name']);
  });

  test('offset and limit page through one stable order', async () => {
    const all = (await t.api('GET', '/countries?limit=1000')).body.result;
    assert.equal(all.items.length, 26);
    assert.ok(all.items.some((c: { id: string; name: string }) =>
      c.id === RUSSIA && c.name === 'Россия'));
    const numbered = all.items.map((c: { name: string }) => c.name)
      .filter((name: string) => name.startsWith('Country'));
    assert.deepEqual(numbered, [...numbered].sort());

    const page = (await t.api('GET', '/countries?offset=5&limit=10')).body.result;
    assert.deepEqual(page, { total: 26, offset: 5, limit: 10, items: all.items.slice(5, 15) });

    const tail = (await t.api('GET', '/countries?OFFSET=24&Limit=5')).body.result;
    assert.deepEqual(tail.items, all.items.slice(24));
    const beyond = (await t.api('GET', '/countries?offset=100')).body.result;
    assert.deepEqual(beyond, { total: 26, offset: 100, limit: 20, items: [] });
  });

  test('bad paging values are 400 ERR_PARSE_REQUEST naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=1001', 'limit'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit=2.5', 'limit'],
      ['offset=-1', 'offset'], ['offset=x', 'offset'],
    ] as const) {
      const reply = await t.api('GET', `/countries?${query}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.code, 'ERR_PARSE_REQUEST', query);
      assert.deepEqual(Object.keys(reply.body.errors), [field], query);
    }
    const cities = await t.api('GET', `/countries/${RUSSIA}/cities?limit=5000`);
    assert.equal(cities.status, 400);
    assert.equal(cities.body.code, 'ERR_PARSE_REQUEST');
  });

  test('the cities of a country, paged; ids match case-insensitively and with braces', async () => {
    const reply = await t.api('GET', `/countries/${RUSSIA}/cities`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.total, 3);
    assert.equal(reply.body.result.limit, 20);
    const names = reply.body.result.items.map((c: { name: string }) => c.name).sort();
    assert.deepEqual(names, ['Москва', 'Новосибирск', 'Санкт-Петербург']);
    assert.ok(reply.body.result.items.some((c: { id: string; name: string }) =>
      c.id === DEMO_GEO.moscowId && c.name === 'Москва'));

    const upper = await t.api('GET', `/countries/{${RUSSIA.toUpperCase()}}/cities`);
    assert.deepEqual(upper.body, reply.body);

    const page = await t.api('GET', `/countries/${RUSSIA}/cities?offset=1&limit=1`);
    assert.deepEqual(page.body.result, {
      total: 3, offset: 1, limit: 1, items: reply.body.result.items.slice(1, 2),
    });
    const empty = await t.api('GET', '/countries/c0000000-0000-4000-8000-000000000000/cities');
    assert.deepEqual(empty.body.result, { total: 0, offset: 0, limit: 20, items: [] });
  });

  test('an unknown country is 404 ERR_NOT_FOUND', async () => {
    const reply = await t.api('GET', '/countries/00000000-0000-0000-0000-000000000000/cities');
    assert.equal(reply.status, 404);
    assert.equal(reply.body.code, 'ERR_NOT_FOUND');
    assert.equal(typeof reply.body.requestId, 'string');
  });

  test('the directories need a bearer token', async () => {
    assert.equal((await t.api('GET', '/countries', undefined, null)).status, 401);
    assert.equal((await t.api('GET', `/countries/${RUSSIA}/cities`, undefined, null)).status, 401);
  });
});

describe('address suggestions (E1)', () => {
  let env: TestEnv;
  let t: TestHub;
  const suggest = async (search: string) =>
    t.api('GET', `/addresses/suggestions?search=${encodeURIComponent(search)}`);

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('the documentation\'s query finds the address with its coordinates', async () => {
    const reply = await t.api('GET',
      '/addresses/suggestions?search=%D0%93%D0%BE%D0%B3%D0%BE%D0%BB%D1%8F+13');

    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.result, [{
      address: 'Новосибирск, улица Гоголя, 13',
      fullAddress: '630005, Россия, Новосибирск, улица Гоголя, 13',
      country: 'Россия', region: '', city: 'Новосибирск', street: 'улица Гоголя', house: '13',
      building: '', postalCode: '630005', geoLat: 55.04372025, geoLon: 82.92234039,
      geoAccuracy: 'House',
    }]);
  });

  test('words match the start of city, street and house words, in any case', async () => {
    const tverskaya = (await suggest('ТВЕРСКАЯ')).body.result;
    assert.deepEqual(tverskaya.map((a: { house: string }) => a.house), ['7', '13']);

    const thirteen = (await suggest('13 тверская москва')).body.result;
    assert.equal(thirteen.length, 1);
    assert.equal(thirteen[0].address, 'Москва, Тверская улица, 13');
    assert.equal(thirteen[0].geoLat, 55.7618);

    const arbat = (await suggest('ул. Арбат')).body.result;
    assert.deepEqual(arbat.map((a: { house: string }) => a.house), ['10', '25']);

    const building = (await suggest('мясницкая 24')).body.result;
    assert.equal(building[0].address, 'Москва, Мясницкая улица, 24 стр. 1');
    assert.equal(building[0].building, 'стр. 1');

    assert.equal((await suggest('Невский')).body.result[0].city, 'Санкт-Петербург');
  });

  test('a city name alone lists its addresses, at most twenty', async () => {
    const moscow = (await suggest('москва')).body.result;
    assert.equal(moscow.length, 20);
    assert.ok(moscow.every((a: { city: string }) => a.city === 'Москва'));
  });

  test('nothing matching is an empty array', async () => {
    for (const search of ['Лондон', 'тверская 99', ', ; .']) {
      const reply = await suggest(search);
      assert.equal(reply.status, 200, search);
      assert.deepEqual(reply.body, { result: [] }, search);
    }
  });

  test('a missing or blank search is 400 ERR_PARSE_REQUEST', async () => {
    for (const path of ['/addresses/suggestions', '/addresses/suggestions?search=',
      '/addresses/suggestions?search=%20%20']) {
      const reply = await t.api('GET', path);
      assert.equal(reply.status, 400, path);
      assert.equal(reply.body.code, 'ERR_PARSE_REQUEST', path);
      assert.deepEqual(reply.body.errors, { search: ['Value is required'] }, path);
    }
  });

  test('the parameter name is matched case-insensitively', async () => {
    const search = encodeURIComponent('Арбат 10');
    const reply = await t.api('GET', `/addresses/suggestions?Search=${search}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.result.length, 1);
  });
});
