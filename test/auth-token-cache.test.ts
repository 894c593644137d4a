import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TokenService } from '../src/auth/token-service.js';
import { type Store, openStore } from '../src/store/database.js';
import { SettingsRepo } from '../src/store/settings-repo.js';

describe('TokenService remembers verified tokens', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-token-cache-'));
    store = await openStore({ dataDir: dir });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a remembered token still expires, to the second', async () => {
    let now = Date.UTC(2024, 2, 1, 12, 0, 0);
    const tokens = new TokenService({
      settings: new SettingsRepo(store.db), lifetimeSec: 60, clock: () => now,
    });
    const { accessToken } = await tokens.issue('client-a');

    assert.equal(await tokens.verify(accessToken), 'client-a');
    now += 59_999;
    assert.equal(await tokens.verify(accessToken), 'client-a', 'remembered, still valid');
    now += 1;
    assert.equal(await tokens.verify(accessToken), undefined, 'expired at exp');
    now -= 1;
    assert.equal(await tokens.verify(accessToken), 'client-a', 'a fresh check agrees');
  });

  it('a token is not valid before its nbf, remembered or not', async () => {
    let now = Date.UTC(2024, 2, 1, 12, 0, 0);
    const issuer = new TokenService({
      settings: new SettingsRepo(store.db), lifetimeSec: 60, clock: () => now,
    });
    const { accessToken } = await issuer.issue('client-b');
    const verifier = new TokenService({
      settings: new SettingsRepo(store.db), lifetimeSec: 60, clock: () => now,
    });
    assert.equal(await verifier.verify(accessToken), 'client-b');

    now -= 1000;
    assert.equal(await verifier.verify(accessToken), undefined, 'remembered, before nbf');
    assert.equal(await issuer.verify(accessToken), undefined, 'never checked, before nbf');
  });

  it('a forged token is never remembered as valid', async () => {
    const tokens = new TokenService({ settings: new SettingsRepo(store.db), lifetimeSec: 60 });
    const { accessToken } = await tokens.issue('client-c');
    const [header, payload] = accessToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;

    assert.equal(await tokens.verify(forged), undefined);
    assert.equal(await tokens.verify(forged), undefined);
    assert.equal(await tokens.verify(accessToken), 'client-c');
  });
});
