import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../src/config/hub-config.js';
import {
  ADMIN_TOKEN, type TestEnv, type TestHub, createTestEnv, startTestHub,
} from './helpers/test-hub.js';

/** CORS on the compatible API only (`delivery-api.md` §14), over HTTP. */

const SHOP = 'https://shop.example';
const ELSEWHERE = 'https://evil.example';

/** Every `Access-Control-*` header of a response, by lower-case name. */
function corsHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => name.startsWith('access-control-')));
}

function preflight(origin: string, method: string, requestHeaders: string) {
  return {
    headers: {
      origin, 'access-control-request-method': method,
      'access-control-request-headers': requestHeaders,
    },
  };
}

describe('CORS with the default CORS_ORIGINS (*)', () => {
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

  test('a preflight of the API answers 204 with the allowed methods and headers', async () => {
    const res = await t.request('OPTIONS', '/orders/api/v1/orders/1/pay',
      preflight(SHOP, 'PUT', 'authorization,content-type,idempotency-key,if-match'));

    assert.equal(res.status, 204);
    const cors = corsHeaders(res.headers);
    assert.equal(cors['access-control-allow-origin'], '*');
    assert.match(cors['access-control-allow-methods'] ?? '', /\bPUT\b/);
    assert.match(cors['access-control-allow-methods'] ?? '', /\bPATCH\b/);
    for (const header of ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match']) {
      assert.ok(cors['access-control-allow-headers']?.includes(header), header);
    }
    assert.equal(cors['access-control-allow-credentials'], undefined, 'never credentials');
    assert.ok(Number(cors['access-control-max-age']) > 0, 'browsers may cache it');
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
  });

  test('the token endpoint answers preflights too', async () => {
    const res = await t.request('OPTIONS', '/connect/token',
      preflight(SHOP, 'POST', 'content-type'));

    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');

    const refused = await t.request('POST', '/connect/token', {
      headers: { origin: SHOP, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=nobody&client_secret=x',
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: 'invalid_client' });
    assert.equal(refused.headers.get('access-control-allow-origin'), '*');
  });

  test('a GET from a page carries the origin and exposes the hub headers', async () => {
    const res = await t.request('GET', '/orders/api/v1/rejectionReasons', {
      headers: { origin: SHOP, authorization: `Bearer ${await t.token()}` },
    });

    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of ['x-request-id', 'retry-after', 'ratelimit-limit',
      'ratelimit-remaining', 'ratelimit-reset']) {
      assert.ok(exposed.split(/,\s*/).includes(header), `${header} is exposed`);
    }
  });

  test('a refused request is still readable by the page', async () => {
    const res = await t.request('GET', '/orders/api/v1/orders', { headers: { origin: SHOP } });

    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.body.code, 'ERR_UNAUTHORIZED');
  });

  test('preflights need no token and are not counted by the rate limit', async () => {
    const ownEnv = await createTestEnv();
    const limited = await startTestHub(ownEnv, { env: { RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      for (let i = 0; i < 5; i += 1) {
        const res = await limited.request('OPTIONS', '/orders/api/v1/orders',
          preflight(SHOP, 'POST', 'authorization,content-type'));
        assert.equal(res.status, 204, `preflight ${i + 1}`);
      }

      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 3; i += 1) {
        last = await limited.request('GET', '/orders/api/v1/orders', { headers: { origin: SHOP } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [401, 401, 429], 'the two allowed calls were not used up');
      assert.equal(last?.headers.get('access-control-allow-origin'), '*',
        'a page can read the 429 and its Retry-After');
      assert.ok(last?.headers.get('retry-after'));
    } finally {
      await limited.close();
      await ownEnv.dispose();
    }
  });

  test('OPTIONS that is not a preflight is answered as before', async () => {
    const plain = await t.request('OPTIONS', '/orders/api/v1/orders');
    assert.equal(plain.status, 405);
    assert.equal(plain.body.code, 'ERR_METHOD_NOT_ALLOWED');

    const unknown = await t.request('DELETE', '/orders/api/v1/no-such-thing');
    assert.equal(unknown.status, 404, 'the preflight route makes no path a 405');
    assert.equal(unknown.body.code, 'ERR_NOT_FOUND');
  });

  test('the console and the admin API get no CORS headers', async () => {
    const calls = [
      t.request('GET', '/console', { headers: { origin: SHOP } }),
      t.request('GET', '/console/api/session', { headers: { origin: SHOP } }),
      t.request('OPTIONS', '/console/api/session',
        preflight(SHOP, 'POST', 'content-type')),
      t.request('GET', '/admin/api/v1/orders/1', {
        headers: { origin: SHOP, authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
      t.request('OPTIONS', '/admin/api/v1/orders/1',
        preflight(SHOP, 'GET', 'authorization')),
    ];
    for (const res of await Promise.all(calls)) {
      assert.deepEqual(corsHeaders(res.headers), {});
      assert.notEqual(res.status, 204);
    }
  });
});

describe('CORS with a list of origins', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, {
      env: { CORS_ORIGINS: `${SHOP}, https://m.shop.example` },
    });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('a listed origin is echoed, with Vary: Origin', async () => {
    const res = await t.request('OPTIONS', '/orders/api/v1/orders',
      preflight(SHOP, 'POST', 'authorization'));

    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
    assert.match(res.headers.get('vary') ?? '', /origin/i);
  });

  test('another origin gets no Access-Control-Allow-Origin', async () => {
    const pre = await t.request('OPTIONS', '/orders/api/v1/orders',
      preflight(ELSEWHERE, 'POST', 'authorization'));
    assert.equal(pre.headers.get('access-control-allow-origin'), null);

    const get = await t.request('GET', '/orders/api/v1/rejectionReasons', {
      headers: { origin: ELSEWHERE, authorization: `Bearer ${await t.token()}` },
    });
    assert.equal(get.status, 200, 'the server answers; the browser withholds it');
    assert.equal(get.headers.get('access-control-allow-origin'), null);
  });
});

test('CORS_ORIGINS is read as a list and refuses what browsers never send', () => {
  assert.deepEqual(readConfig({}).corsOrigins, ['*']);
  assert.deepEqual(readConfig({ CORS_ORIGINS: 'https://A.example, http://b.example:8080' })
    .corsOrigins, ['https://a.example', 'http://b.example:8080']);
  assert.deepEqual(readConfig({ CORS_ORIGINS: 'https://a.example,*' }).corsOrigins, ['*']);
  assert.throws(() => readConfig({ CORS_ORIGINS: 'https://a.example/' }), /CORS_ORIGINS/);
  assert.throws(() => readConfig({ CORS_ORIGINS: 'a.example' }), /CORS_ORIGINS/);
});
