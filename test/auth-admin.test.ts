import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { fastifyOptions, registerHttpBasics } from '../src/api/error-handler.js';
import { adminAuthHook, ensureAdminToken } from '../src/auth/admin-auth.js';
import { verifySecret } from '../src/auth/secret-hash.js';
import { type Store, openStore } from '../src/store/database.js';
import { SettingsRepo } from '../src/store/settings-repo.js';

describe('ensureAdminToken', () => {
  let dir: string;
  let store: Store;
  let settings: SettingsRepo;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-admin-token-'));
    store = await openStore({ dataDir: dir });
    settings = new SettingsRepo(store.db);
  });
  beforeEach(async () => {
    await store.db.deleteFrom('hubSettings').execute();
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a token once when none is configured, then keeps its hash', async () => {
    const first = await ensureAdminToken(settings, undefined);
    const second = await ensureAdminToken(settings, undefined);

    assert.ok(first.generated !== undefined && first.generated.length >= 40);
    assert.ok(await verifySecret(first.generated, first.hash));
    assert.deepEqual(second, { hash: first.hash });
    assert.equal(await settings.get('adminTokenHash'), first.hash);
  });

  it('stores the hash of a configured token, replacing an older one', async () => {
    const generated = await ensureAdminToken(settings, undefined);

    const configured = await ensureAdminToken(settings, 'configured-admin-token');
    const again = await ensureAdminToken(settings, 'configured-admin-token');
    const changed = await ensureAdminToken(settings, 'another-admin-token');

    assert.equal(configured.generated, undefined);
    assert.notEqual(configured.hash, generated.hash);
    assert.ok(await verifySecret('configured-admin-token', configured.hash));
    assert.equal(again.hash, configured.hash);
    assert.ok(await verifySecret('another-admin-token', changed.hash));
    assert.equal(await settings.get('adminTokenHash'), changed.hash);
  });

  it('keeps a configured token\'s hash after the variable is removed', async () => {
    const configured = await ensureAdminToken(settings, 'configured-admin-token');

    const later = await ensureAdminToken(settings, undefined);

    assert.deepEqual(later, { hash: configured.hash });
  });
});

describe('admin bearer authentication', () => {
  const ADMIN_TOKEN = 'the-admin-token';
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-admin-auth-'));
    store = await openStore({ dataDir: dir });
    const { hash } = await ensureAdminToken(new SettingsRepo(store.db), ADMIN_TOKEN);

    app = Fastify(fastifyOptions({ bodyLimitBytes: 1024, logger: pino({ level: 'silent' }) }));
    await registerHttpBasics(app, { rateLimitPerMinute: 1000 });
    await app.register(async (admin) => {
      admin.addHook('onRequest', adminAuthHook({ adminTokenHash: hash }));
      admin.get('/status', async () => ({ result: { ok: true } }));
    }, { prefix: '/admin/api/v1' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function getStatus(authorization?: string): Promise<Response> {
    return fetch(`${base}/admin/api/v1/status`,
      { headers: authorization === undefined ? {} : { authorization } });
  }

  it('lets the admin token through, again and again', async () => {
    for (const scheme of ['Bearer', 'bearer', 'Bearer']) {
      const response = await getStatus(`${scheme} ${ADMIN_TOKEN}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { result: { ok: true } });
    }
  });

  it('answers 401 in the envelope for a missing or wrong token', async () => {
    // After a success, so a remembered verification must not let a near miss through.
    await getStatus(`Bearer ${ADMIN_TOKEN}`);

    for (const header of [undefined, `Bearer ${ADMIN_TOKEN}x`, `Bearer ${ADMIN_TOKEN.slice(1)}`,
      `Basic ${ADMIN_TOKEN}`]) {
      const response = await getStatus(header);
      const body = await response.json() as Record<string, unknown>;
      assert.equal(response.status, 401, header);
      assert.equal(body.code, 'ERR_UNAUTHORIZED');
      assert.equal(body.requestId, response.headers.get('x-request-id'));
    }
  });
});
