import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TokenService } from '../src/auth/token-service.js';
import { type Store, openStore } from '../src/store/database.js';
import { SettingsRepo } from '../src/store/settings-repo.js';

describe('TokenService', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-token-service-'));
    store = await openStore({ dataDir: dir });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the signing key once and shares it with every instance on the database', async () => {
    const first = new TokenService({ settings: new SettingsRepo(store.db), lifetimeSec: 600 });
    const second = new TokenService({ settings: new SettingsRepo(store.db), lifetimeSec: 600 });

    const { accessToken, expiresIn } = await first.issue('client-a');

    assert.equal(expiresIn, 600);
    assert.equal(await second.verify(accessToken), 'client-a');
    const key = await new SettingsRepo(store.db).get('jwtSigningKey');
    assert.equal(Buffer.from(key ?? '', 'base64url').length, 32);
  });

  it('writes the claims and header of the contract', async () => {
    const now = Date.UTC(2024, 2, 1, 12, 0, 0);
    const tokens = new TokenService({
      settings: new SettingsRepo(store.db), lifetimeSec: 3600, clock: () => now,
    });

    const { accessToken } = await tokens.issue('client-b');
    const [header, payload] = accessToken.split('.').slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));

    assert.deepEqual(header, { alg: 'HS256', typ: 'at+jwt' });
    assert.deepEqual(payload, {
      iss: 'delivery-hub', aud: 'orders', client_id: 'client-b', scope: 'orders',
      nbf: now / 1000, iat: now / 1000, exp: now / 1000 + 3600,
    });
  });

  it('refuses a token after it expires and before it is valid', async () => {
    let now = Date.now();
    const tokens = new TokenService({
      settings: new SettingsRepo(store.db), lifetimeSec: 60, clock: () => now,
    });
    const { accessToken } = await tokens.issue('client-c');

    assert.equal(await tokens.verify(accessToken), 'client-c');
    now += 61_000;
    assert.equal(await tokens.verify(accessToken), undefined);
    now -= 3_600_000;
    assert.equal(await tokens.verify(accessToken), undefined);
  });
});
