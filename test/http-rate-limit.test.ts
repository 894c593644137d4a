import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { fastifyOptions, registerHttpBasics } from '../src/api/error-handler.js';
import { clientOf } from '../src/api/request-context.js';
import { bearerAuthHook } from '../src/auth/bearer-auth.js';
import { hashSecret } from '../src/auth/secret-hash.js';
import { registerTokenRoute } from '../src/auth/token-route.js';
import { TokenService } from '../src/auth/token-service.js';
import { ChainRepo } from '../src/store/chain-repo.js';
import { type Store, openStore } from '../src/store/database.js';
import { SettingsRepo } from '../src/store/settings-repo.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const LIMIT = 3;
const CORPORATION_ID = '7a1c0b7e-1111-4d7e-8f0a-3b9c2d1e0001';
const CLIENT_ID = '9b2e4c6d-2222-4a8b-9c0d-1e2f3a4b0002';
const SECRET = 'rate-limit-secret';

interface Harness {
  base: string;
  settings: SettingsRepo;
  tokens: TokenService;
  close(): Promise<void>;
}

/**
 * The basics with a limit of `limit` a minute ({@link LIMIT} by default), the token route (with
 * its own limit when `tokenLimit` is given) and a protected route.
 */
async function startApp(
  { limit = LIMIT, tokenLimit }: { limit?: number; tokenLimit?: number } = {},
): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-http-rate-limit-'));
  const store = await openStore({ dataDir: dir });
  await seedConnection(store);

  const chain = new ChainRepo(store.db);
  const settings = new SettingsRepo(store.db);
  const tokens = new TokenService({ settings, lifetimeSec: 3600 });
  const findConnection = (id: string) => chain.findConnection(id);

  const logger = pino({ level: 'silent' });
  const app = Fastify(fastifyOptions({ bodyLimitBytes: 4096, logger }));
  await registerHttpBasics(app, { rateLimitPerMinute: limit, tokens });
  registerTokenRoute(app, {
    tokens, findConnection, ...(tokenLimit === undefined ? {} : { rateLimitPerMinute: tokenLimit }),
  });
  app.get('/probe/ping', async () => ({ result: {} }));
  app.get('/probe/health', { config: { rateLimit: false } }, async () => ({ result: {} }));
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuthHook({ tokens, findConnection }));
    api.get('/whoami', async (request) => ({ result: clientOf(request).clientId }));
  }, { prefix: '/orders/api/v1' });
  await app.listen({ host: '127.0.0.1', port: 0 });

  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`, settings, tokens,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function seedConnection({ db }: Store): Promise<void> {
  const createdAt = new Date().toISOString();
  await db.insertInto('corporations').values({
    id: CORPORATION_ID, name: 'Test chain', orderProcessing: 'auto', transferDelaySec: 60,
    checkContentsAndPrice: 1, completeWhenClosedAtStation: 0, timeZone: 'Europe/Moscow', createdAt,
  }).execute();
  await db.insertInto('apiConnections').values({
    clientId: CLIENT_ID, name: 'Site', corporationId: CORPORATION_ID,
    secretHash: await hashSecret(SECRET), enabled: 1, createdAt,
  }).execute();
}

async function call(h: Harness, method: string, url: string, init: RequestInit = {}) {
  const response = await fetch(`${h.base}${url}`, { ...init, method });
  const body = await response.json() as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}

describe('rate limit', () => {
  let h: Harness;
  before(async () => {
    h = await startApp();
  });
  after(async () => {
    await h.close();
  });

  it('answers the request over the limit with 429 too_many_requests and Retry-After', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const reply = await call(h, 'GET', '/probe/ping');
      assert.equal(reply.status, 200);
      assert.equal(reply.headers.get('ratelimit-remaining'), String(LIMIT - 1 - i));
    }

    const reply = await call(h, 'GET', '/probe/ping');

    assert.equal(reply.status, 429);
    assert.deepEqual(Object.keys(reply.body).sort(), ['code', 'errors', 'msg', 'requestId']);
    assert.equal(reply.body.code, 'too_many_requests');
    assert.equal(reply.body.requestId, reply.headers.get('x-request-id'));
    const retryAfter = Number(reply.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, String(retryAfter));
    assert.equal(reply.headers.get('ratelimit-remaining'), '0');
  });

  // The tests below run after the IP's bucket was spent by the one above.
  it('leaves routes that opt out unlimited', async () => {
    assert.equal((await call(h, 'GET', '/probe/health')).status, 200);
  });

  it('limits the token endpoint too, with an OAuth body', async () => {
    const response = await fetch(`${h.base}/connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: SECRET,
        grant_type: 'client_credentials' }),
    });

    assert.equal(response.status, 429);
    assert.deepEqual(await response.json(), { error: 'too_many_requests' });
    assert.ok(Number(response.headers.get('retry-after')) > 0);
  });

  // Passing calls with the IP's bucket spent also show that the two buckets are apart.
  it('counts the tokens of one connection together, apart from the IP', async () => {
    const earlier = new TokenService({
      settings: h.settings, lifetimeSec: 3600, clock: () => Date.now() - 5000,
    });
    const first = (await h.tokens.issue(CLIENT_ID)).accessToken;
    const second = (await earlier.issue(CLIENT_ID)).accessToken;
    assert.notEqual(first, second);

    const statuses: number[] = [];
    for (const token of [first, second, first, second]) {
      const reply = await call(h, 'GET', '/orders/api/v1/whoami',
        { headers: { authorization: `Bearer ${token}` } });
      statuses.push(reply.status);
    }

    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});


describe('token endpoint rate limit', () => {
  const TOKEN_LIMIT = 2;
  let h: Harness;
  before(async () => {
    h = await startApp({ limit: 1000, tokenLimit: TOKEN_LIMIT });
  });
  after(async () => {
    await h.close();
  });

  async function token(clientId: string, secret = SECRET) {
    const response = await fetch(`${h.base}/connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: clientId, client_secret: secret,
        grant_type: 'client_credentials' }),
    });
    return { status: response.status, headers: response.headers,
      body: await response.json() as Record<string, unknown> };
  }

  it('counts wrong secrets too, then answers 429 with an OAuth body and Retry-After', async () => {
    assert.equal((await token(CLIENT_ID, 'wrong')).status, 400);
    const second = await token(CLIENT_ID);
    assert.equal(second.status, 200);
    assert.equal(second.headers.get('ratelimit-limit'), String(TOKEN_LIMIT));
    assert.equal(second.headers.get('ratelimit-remaining'), '0');

    const third = await token(CLIENT_ID);

    assert.equal(third.status, 429);
    assert.deepEqual(third.body, { error: 'too_many_requests' });
    const retryAfter = Number(third.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, String(retryAfter));
    assert.equal(third.headers.get('ratelimit-remaining'), '0');
    assert.equal(third.headers.get('cache-control'), 'no-store');
  });

  // Runs after the bucket of CLIENT_ID was spent by the test above.
  it('counts a GUID in another case or in braces in the same bucket', async () => {
    const reply = await token(`{${CLIENT_ID.toUpperCase()}}`);

    assert.equal(reply.status, 429);
  });

  it('keeps a bucket per client id, so another client on the same IP is not refused', async () => {
    const other = await token('8c1d2e3f-5555-4a8b-9c0d-1e2f3a4b0005');

    assert.equal(other.status, 400);
    assert.deepEqual(other.body, { error: 'invalid_client' });
  });

  it('leaves the API\'s own limit alone', async () => {
    const { accessToken } = await h.tokens.issue(CLIENT_ID);
    const reply = await call(h, 'GET', '/orders/api/v1/whoami',
      { headers: { authorization: `Bearer ${accessToken}` } });

    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('ratelimit-limit'), '1000');
  });
});

describe('token endpoint rate limit in the hub', () => {
  let env: TestEnv;
  let t: TestHub;
  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { env: { TOKEN_RATE_LIMIT_PER_MINUTE: '1' } });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  it('reads TOKEN_RATE_LIMIT_PER_MINUTE', async () => {
    await t.token();
    const again = await t.request('POST', '/connect/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: t.clientId, client_secret: t.clientSecret,
        grant_type: 'client_credentials' }).toString(),
    });

    assert.equal(again.status, 429);
    assert.deepEqual(again.body, { error: 'too_many_requests' });
    assert.equal((await t.api('GET', '/rejectionReasons')).status, 200, 'the API is not limited');
  });
});
