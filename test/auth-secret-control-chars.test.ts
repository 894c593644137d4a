import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readChainDocument } from '../src/admin/chain-input.js';
import { hashSecret } from '../src/auth/secret-hash.js';
import { readConfig } from '../src/config/hub-config.js';
import { HubError } from '../src/errors/hub-error.js';
import { connectToken } from './helpers/admin-api.js';
import { repoJson } from './helpers/repo-files.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * scrypt's HMAC pads a short key with zero bytes, so `secret` and `secret\0` hash alike: a
 * secret with a control character must never be accepted, nor stored.
 */
describe('a client secret with a control character', () => {
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

  test('with trailing NULs is invalid_client; the right secret still gets a token', async () => {
    for (const secret of [`${t.clientSecret}\0`, `${t.clientSecret}\0\0`]) {
      const refused = await connectToken(t, t.clientId, secret);
      assert.equal(refused.status, 400, JSON.stringify(secret));
      assert.deepEqual(refused.body, { error: 'invalid_client' });
    }

    const issued = await connectToken(t, t.clientId, t.clientSecret);
    assert.equal(issued.status, 200);
    assert.equal(typeof issued.body.access_token, 'string');
  });

  test('stays invalid_client after the right secret was verified and cached', async () => {
    const refused = await connectToken(t, t.clientId, `${t.clientSecret}\0`);

    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: 'invalid_client' });
  });
});

describe('a secret with a control character is refused where it would be stored', () => {
  test('by hashSecret', async () => {
    await assert.rejects(hashSecret('demo-secret\0'), /control characters/);
    await assert.rejects(hashSecret('tab\tin-the-middle'), /control characters/);
  });

  test('in ADMIN_TOKEN and DEMO_CLIENT_SECRET, at start', () => {
    assert.throws(() => readConfig({ ADMIN_TOKEN: 'admin-token\n' }), /ADMIN_TOKEN/);
    assert.throws(() => readConfig({ DEMO_CLIENT_SECRET: 'demo\u0001' }), /DEMO_CLIENT_SECRET/);
    assert.equal(readConfig({ DEMO_CLIENT_SECRET: 'demo secret' }).demoClientSecret,
      'demo secret');
  });

  test('in a chain file\'s clientSecretEnv, naming the field', () => {
    const doc = repoJson('examples/chain.example.json') as any;
    doc.corporations[0].connections[0].clientSecretEnv = 'SHOP_SECRET';

    const read = () => readChainDocument(doc, { env: { SHOP_SECRET: 'shop-secret\u0000' } });

    assert.throws(read, (error: unknown) => {
      assert.ok(error instanceof HubError);
      assert.equal(error.code, 'ERR_PARSE_REQUEST');
      assert.deepEqual(Object.keys(error.errors ?? {}),
        ['corporations[0].connections[0].clientSecretEnv']);
      return true;
    });
    assert.doesNotThrow(() => readChainDocument(doc, { env: { SHOP_SECRET: 'shop-secret' } }));
  });
});
