import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import pino from 'pino';
import { fastifyOptions, registerHttpBasics } from '../src/api/error-handler.js';
import { clientOf } from '../src/api/request-context.js';
import { bearerAuthHook } from '../src/auth/bearer-auth.js';
import { TokenService } from '../src/auth/token-service.js';
import { ChainRepo } from '../src/store/chain-repo.js';
import { type Store, openStore } from '../src/store/database.js';
import { SettingsRepo } from '../src/store/settings-repo.js';

const CORPORATION_ID = '3c8f2a1b-1111-4e5d-8a7b-9c0d1e2f0001';
const CLIENT_ID = '6d4e8f2a-2222-4b3c-9d8e-7f6a5b4c0002';
const DISABLED_CLIENT_ID = '6d4e8f2a-3333-4b3c-9d8e-7f6a5b4c0003';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  code?: string;
}

interface Harness {
  base: string;
  store: Store;
  settings: SettingsRepo;
  tokens: TokenService;
  rawLogs: string[];
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/** A protected scope with one route, with connection lookups uncached. */
async function startHub(): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-auth-bearer-'));
  const store = await openStore({ dataDir: dir });
  await seedConnections(store);

  const settings = new SettingsRepo(store.db);
  const chain = new ChainRepo(store.db);
  const tokens = new TokenService({ settings, lifetimeSec: 3600 });
  const findConnection = (id: string) => chain.findConnection(id);

  const rawLogs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void rawLogs.push(line) });
  const app = Fastify(fastifyOptions({ bodyLimitBytes: 4096, logger }));
  await registerHttpBasics(app, { rateLimitPerMinute: 10_000, tokens });
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuthHook({ tokens, findConnection, cacheTtlMs: 0 }));
    api.get('/whoami', async (request) => ({ result: clientOf(request).clientId }));
  }, { prefix: '/orders/api/v1' });
  await app.listen({ host: '127.0.0.1', port: 0 });

  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`, store, settings, tokens, rawLogs,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as LogLine);
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function seedConnections({ db }: Store): Promise<void> {
  const createdAt = new Date().toISOString();
  await db.insertInto('corporations').values({
    id: CORPORATION_ID, name: 'Test chain', orderProcessing: 'auto', transferDelaySec: 60,
    checkContentsAndPrice: 1, completeWhenClosedAtStation: 0, timeZone: 'Europe/Moscow', createdAt,
  }).execute();
  // Tokens are issued directly in these tests, so the secret is never checked.
  await db.insertInto('apiConnections').values([
    { clientId: CLIENT_ID, name: 'Site', corporationId: CORPORATION_ID, secretHash: 'unused',
      enabled: 1, createdAt },
    { clientId: DISABLED_CLIENT_ID, name: 'Old site', corporationId: CORPORATION_ID,
      secretHash: 'unused', enabled: 0, createdAt },
  ]).execute();
}

describe('bearer authentication of /orders/api/v1', () => {
  let h: Harness;
  before(async () => {
    h = await startHub();
  });
  after(async () => {
    await h.close();
  });

  async function getWhoami(authorization?: string): Promise<Response> {
    return fetch(`${h.base}/orders/api/v1/whoami`,
      { headers: authorization === undefined ? {} : { authorization } });
  }

  async function assertUnauthorized(response: Response): Promise<void> {
    const body = await response.json() as Record<string, unknown>;
    assert.equal(response.status, 401);
    assert.deepEqual(Object.keys(body).sort(), ['code', 'errors', 'msg', 'requestId']);
    assert.equal(body.code, 'ERR_UNAUTHORIZED');
    assert.equal(body.errors, null);
    assert.match(String(body.requestId), /^[0-9a-f]{32}$/);
    assert.equal(body.requestId, response.headers.get('x-request-id'));
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
  }

  it('lets a valid token through and sets the API client', async () => {
    const { accessToken } = await h.tokens.issue(CLIENT_ID);

    const response = await getWhoami(`Bearer ${accessToken}`);
    const lowerCase = await getWhoami(`bearer ${accessToken}`);

    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { result: CLIENT_ID });
    assert.equal(lowerCase.status, 200);
  });

  it('answers 401 in the envelope without a token', async () => {
    await assertUnauthorized(await getWhoami());
    await assertUnauthorized(await getWhoami('Basic abc'));
  });

  it('answers 401 for a malformed, forged, expired or foreign-audience token', async () => {
    const key = new Uint8Array(Buffer.from(
      await h.settings.getOrCreate('jwtSigningKey', () => 'unused'), 'base64url'));
    const sign = (claims: Record<string, unknown>, audience: string, secret: Uint8Array) =>
      new SignJWT({ client_id: CLIENT_ID, scope: 'orders', ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('delivery-hub')
        .setAudience(audience).setNotBefore('0s').setIssuedAt().setExpirationTime('1h')
        .sign(secret);
    const past = new TokenService({
      settings: h.settings, lifetimeSec: 60, clock: () => Date.now() - 3_600_000,
    });

    const tokens = [
      'not-a-jwt',
      await sign({}, 'orders', new Uint8Array(32).fill(7)),
      (await past.issue(CLIENT_ID)).accessToken,
      await sign({}, 'admin', key),
      await sign({ scope: 'other' }, 'orders', key),
    ];
    for (const token of tokens) await assertUnauthorized(await getWhoami(`Bearer ${token}`));

    const control = await getWhoami(`Bearer ${await sign({}, 'orders', key)}`);
    assert.equal(control.status, 200);
  });

  it('answers 401 for a valid token once its connection is disabled', async () => {
    const { accessToken } = await h.tokens.issue(CLIENT_ID);
    assert.equal((await getWhoami(`Bearer ${accessToken}`)).status, 200);

    await h.store.db.updateTable('apiConnections').set({ enabled: 0 })
      .where('clientId', '=', CLIENT_ID).execute();
    try {
      await assertUnauthorized(await getWhoami(`Bearer ${accessToken}`));
    } finally {
      await h.store.db.updateTable('apiConnections').set({ enabled: 1 })
        .where('clientId', '=', CLIENT_ID).execute();
    }
  });

  it('logs a 401 at info with its code and request id, never the token', async () => {
    const { accessToken } = await h.tokens.issue(DISABLED_CLIENT_ID);
    const response = await getWhoami(`Bearer ${accessToken}`);
    const requestId = response.headers.get('x-request-id');

    const line = h.logs.find((l) => l.reqId === requestId && l.msg === 'request failed');
    assert.equal(line?.level, 30);
    assert.equal(line?.code, 'ERR_UNAUTHORIZED');
    assert.ok(h.rawLogs.every((raw) => !raw.includes(accessToken)));
  });
});
