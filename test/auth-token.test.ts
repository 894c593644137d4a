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

const CORPORATION_ID = '0f4b5a4e-1111-4c3a-9d51-6a8e0e5b0001';
const RESTAURANT_ID = '0f4b5a4e-2222-4c3a-9d51-6a8e0e5b0002';
const CLIENT_ID = '5e0d9a0c-3333-4b8b-8c53-1d7f4c1e0003';
const DISABLED_CLIENT_ID = '5e0d9a0c-4444-4b8b-8c53-1d7f4c1e0004';
// Characters that form encoding must escape, so decoding is exercised too.
const SECRET = 'S3cret+with/odd=chars&more';

interface Harness {
  base: string;
  rawLogs: string[];
  close(): Promise<void>;
}

/** The basics, the token route and one protected route, on a fresh SQLite store. */
async function startHub(): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-auth-token-'));
  const store = await openStore({ dataDir: dir });
  await seedChain(store);

  const chain = new ChainRepo(store.db);
  const tokens = new TokenService({ settings: new SettingsRepo(store.db), lifetimeSec: 3600 });
  const findConnection = (id: string) => chain.findConnection(id);

  const rawLogs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void rawLogs.push(line) });
  const app = Fastify(fastifyOptions({ bodyLimitBytes: 4096, logger }));
  await registerHttpBasics(app, { rateLimitPerMinute: 10_000, tokens });
  registerTokenRoute(app, { tokens, findConnection });
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuthHook({ tokens, findConnection, cacheTtlMs: 0 }));
    api.get('/whoami', async (request) => ({ result: clientOf(request) }));
  }, { prefix: '/orders/api/v1' });
  await app.listen({ host: '127.0.0.1', port: 0 });

  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`, rawLogs,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function seedChain({ db }: Store): Promise<void> {
  const createdAt = new Date().toISOString();
  await db.insertInto('corporations').values({
    id: CORPORATION_ID, name: 'Test chain', orderProcessing: 'auto', transferDelaySec: 60,
    checkContentsAndPrice: 1, completeWhenClosedAtStation: 0, timeZone: 'Europe/Moscow', createdAt,
  }).execute();
  await db.insertInto('restaurants').values({
    id: RESTAURANT_ID, corporationId: CORPORATION_ID, objectId: 1, name: 'Test restaurant',
    actualAddress: 'Test street 1', state: 'active', timeZone: 'Europe/Moscow', autoAccept: 1,
    minLeadMinutes: 30, tableCode: '1', cashStation: '{"url":"embedded"}', createdAt,
  }).execute();

  const secretHash = await hashSecret(SECRET);
  await db.insertInto('apiConnections').values([
    { clientId: CLIENT_ID, name: 'Site', corporationId: CORPORATION_ID, secretHash, enabled: 1,
      createdAt },
    { clientId: DISABLED_CLIENT_ID, name: 'Old site', corporationId: CORPORATION_ID, secretHash,
      enabled: 0, createdAt },
  ]).execute();
  await db.insertInto('apiConnectionRestaurants')
    .values({ clientId: CLIENT_ID, restaurantId: RESTAURANT_ID }).execute();
}

async function postForm(
  h: Harness, fields: Record<string, string>, headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${h.base}/connect/token`, {
    method: 'POST', body: new URLSearchParams(fields), headers,
  });
  const body = await response.json() as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}

const credentials = { client_id: CLIENT_ID, client_secret: SECRET };

describe('POST /connect/token', () => {
  let h: Harness;
  before(async () => {
    h = await startHub();
  });
  after(async () => {
    await h.close();
  });

  it('issues a token for scopes=orders, the spelling real clients send', async () => {
    const { status, body, headers } = await postForm(h, {
      ...credentials, grant_type: 'client_credentials', scopes: 'orders',
    });

    assert.equal(status, 200);
    assert.equal(typeof body.access_token, 'string');
    assert.deepEqual({ ...body, access_token: '' },
      { access_token: '', expires_in: 3600, token_type: 'Bearer', scope: 'orders' });
    assert.equal(headers.get('cache-control'), 'no-store');
  });

  it('issues a token the API accepts for its connection', async () => {
    const { body } = await postForm(h, { ...credentials, grant_type: 'client_credentials' });

    const response = await fetch(`${h.base}/orders/api/v1/whoami`,
      { headers: { authorization: `Bearer ${String(body.access_token)}` } });

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { result: {
      clientId: CLIENT_ID, name: 'Site', corporationId: CORPORATION_ID,
      restaurantIds: [RESTAURANT_ID],
    } });
  });

  it('issues a token without any scope field', async () => {
    const { status, body } = await postForm(h, {
      ...credentials, grant_type: 'client_credentials',
    });

    assert.equal(status, 200);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.expires_in, 3600);
  });

  it('issues a token for the standard scope=orders', async () => {
    const { status, body } = await postForm(h, {
      ...credentials, grant_type: 'client_credentials', scope: 'orders',
    });

    assert.equal(status, 200);
    assert.equal(typeof body.access_token, 'string');
  });

  it('matches field names case-insensitively (the doc spells client_Id, client_ID)', async () => {
    for (const idKey of ['client_Id', 'client_ID', 'CLIENT_ID']) {
      const { status } = await postForm(h, {
        [idKey]: CLIENT_ID, Client_Secret: SECRET, Grant_Type: 'client_credentials',
      });
      assert.equal(status, 200, idKey);
    }
  });

  it('accepts a GUID client id in upper case and braces', async () => {
    const { status } = await postForm(h, {
      client_id: `{${CLIENT_ID.toUpperCase()}}`, client_secret: SECRET,
      grant_type: 'client_credentials',
    });

    assert.equal(status, 200);
  });

  it('accepts credentials by HTTP Basic authentication', async () => {
    const basic = Buffer.from(`${CLIENT_ID}:${encodeURIComponent(SECRET)}`).toString('base64');
    const { status } = await postForm(h, { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` });

    assert.equal(status, 200);
  });

  it('answers invalid_request for clientId/clientSecret spellings', async () => {
    const { status, body } = await postForm(h, {
      clientId: CLIENT_ID, clientSecret: SECRET, grant_type: 'client_credentials',
    });

    assert.equal(status, 400);
    assert.deepEqual(body, { error: 'invalid_request' });
  });

  it('answers invalid_request for a JSON body', async () => {
    const response = await fetch(`${h.base}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, grant_type: 'client_credentials', scopes: 'orders' }),
    });

    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'invalid_request' });
  });

  it('answers invalid_request for an empty body, text/plain, or a repeated field', async () => {
    const empty = await fetch(`${h.base}/connect/token`, { method: 'POST' });
    const text = await fetch(`${h.base}/connect/token`, {
      method: 'POST', body: `client_id=${CLIENT_ID}&client_secret=x&grant_type=client_credentials`,
    });
    const repeated = await fetch(`${h.base}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=${CLIENT_ID}&client_id=other&client_secret=x&grant_type=client_credentials`,
    });

    for (const response of [empty, text, repeated]) {
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), { error: 'invalid_request' });
    }
  });

  it('answers invalid_request, not 500, for a body over the limit', async () => {
    const { status, body } = await postForm(h, {
      ...credentials, grant_type: 'client_credentials', padding: 'x'.repeat(5000),
    });

    assert.equal(status, 400);
    assert.deepEqual(body, { error: 'invalid_request' });
  });

  it('issues a token for a multipart/form-data body (older doc)', async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({
      client_ID: CLIENT_ID, client_secret: SECRET, grant_type: 'client_credentials',
      scopes: 'orders',
    })) form.append(name, value);
    const response = await fetch(`${h.base}/connect/token`, { method: 'POST', body: form });
    const body = await response.json() as Record<string, unknown>;

    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.scope, 'orders');
  });

  it('answers invalid_request, never 500, for multipart files, big or many fields', async () => {
    const formOf = (extra: (form: FormData) => void) => {
      const form = new FormData();
      form.append('client_id', CLIENT_ID);
      form.append('client_secret', SECRET);
      form.append('grant_type', 'client_credentials');
      extra(form);
      return form;
    };
    const bodies: Record<string, FormData | string> = {
      file: formOf((form) => form.append('scopes', new Blob(['orders']), 'scopes.txt')),
      bigField: formOf((form) => form.append('scopes', 'x'.repeat(5000))),
      manyFields: formOf((form) => {
        for (let i = 0; i < 10; i += 1) form.append(`extra${i}`, 'x');
      }),
    };
    const requests = Object.entries(bodies).map(async ([name, body]) => {
      const response = await fetch(`${h.base}/connect/token`, { method: 'POST', body });
      return { name, status: response.status, body: await response.json() };
    });
    requests.push(fetch(`${h.base}/connect/token`, {
      method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'client_id=x',
    }).then(async (response) =>
      ({ name: 'noBoundary', status: response.status, body: await response.json() })));

    for (const { name, status, body } of await Promise.all(requests)) {
      assert.equal(status, 400, name);
      assert.deepEqual(body, { error: 'invalid_request' }, name);
    }
    assert.ok(h.rawLogs.every((line) => !line.includes('token request failed')), 'no 500s');
  });

  it('answers invalid_client for a wrong secret, an unknown client, a disabled one', async () => {
    const attempts = [
      { client_id: CLIENT_ID, client_secret: `${SECRET}x` },
      { client_id: 'no-such-client', client_secret: SECRET },
      { client_id: DISABLED_CLIENT_ID, client_secret: SECRET },
    ];
    for (const attempt of attempts) {
      const { status, body } = await postForm(h, { ...attempt, grant_type: 'client_credentials' });
      assert.equal(status, 400, attempt.client_id);
      assert.deepEqual(body, { error: 'invalid_client' });
    }
  });

  it('answers unsupported_grant_type for another or a missing grant type', async () => {
    const grants: Record<string, string>[] = [{ grant_type: 'password' }, {}];
    for (const grant of grants) {
      const { status, body } = await postForm(h, { ...credentials, ...grant });
      assert.equal(status, 400);
      assert.deepEqual(body, { error: 'unsupported_grant_type' });
    }
  });

  it('answers invalid_scope for a scope other than orders', async () => {
    const { status, body } = await postForm(h, {
      ...credentials, grant_type: 'client_credentials', scope: 'orders admin',
    });

    assert.equal(status, 400);
    assert.deepEqual(body, { error: 'invalid_scope' });
  });

  it('answers another method with 405 in the API envelope', async () => {
    const response = await fetch(`${h.base}/connect/token`);
    const body = await response.json() as Record<string, unknown>;

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal(body.code, 'ERR_METHOD_NOT_ALLOWED');
  });

  it('never writes the client secret to the log', async () => {
    await postForm(h, { ...credentials, grant_type: 'client_credentials' });
    await postForm(h, { client_id: CLIENT_ID, client_secret: `${SECRET}x`,
      grant_type: 'client_credentials' });

    assert.ok(h.rawLogs.length > 0);
    assert.ok(h.rawLogs.every((line) => !line.includes('S3cret')));
  });
});
