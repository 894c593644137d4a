import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import {
  ADMIN_TOKEN, type TestEnv, type TestHub, createTestEnv, startTestHub,
} from './helpers/test-hub.js';
import { admin } from './helpers/webhook-fixtures.js';

const RECEIVER = 'http://127.0.0.1:1/z';

/** Webhook subscription bodies are read like the other admin resources: strictly. */
describe('admin webhook bodies', () => {
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

  function assertUnknownKey(
    response: { status: number; body: any }, key: string,
  ): void {
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.body.code, 'ERR_PARSE_REQUEST');
    assert.equal(response.body.msg, `${key}: is not a known field`);
    assert.deepEqual(response.body.errors, { [key]: ['is not a known field'] });
  }

  test('an unknown or misspelt key on create is a 400 naming it, and nothing is created',
    async () => {
      const count = (await admin(t, 'GET', '/webhooks')).body.result.length;

      const zzz = await admin(t, 'POST', '/webhooks',
        { corporationId: DEMO.corporationId, url: RECEIVER, zzz: 1 });
      const misspelt = await admin(t, 'POST', '/webhooks',
        { corporationId: DEMO.corporationId, url: RECEIVER, enabledStatuses: [4] });

      assertUnknownKey(zzz, 'zzz');
      assertUnknownKey(misspelt, 'enabledStatuses');
      assert.equal((await admin(t, 'GET', '/webhooks')).body.result.length, count);
    });

  test('keys named like built-in object members are unknown keys too, not a 500', async () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const response = await admin(t, 'POST', '/webhooks',
        { corporationId: DEMO.corporationId, url: RECEIVER, [key]: 1 });
      assertUnknownKey(response, key);
    }
    const proto = await t.request('POST', '/admin/api/v1/webhooks', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: `{"corporationId":"${DEMO.corporationId}","url":"${RECEIVER}","__proto__":1}`,
    });
    assert.equal(proto.status, 400, JSON.stringify(proto.body));
  });

  test('a title, token or secret with a control character is a 400 naming it', async () => {
    for (const key of ['title', 'token', 'secret']) {
      const response = await admin(t, 'POST', '/webhooks',
        { corporationId: DEMO.corporationId, url: RECEIVER, [key]: 'a\u0001b' });
      assert.equal(response.status, 400, key);
      assert.ok(response.body.errors[key], JSON.stringify(response.body));
    }
  });

  test('keys match case-insensitively, so enabledStatusIDs and Title are not lost', async () => {
    const created = await admin(t, 'POST', '/webhooks',
      { corporationId: DEMO.corporationId, url: RECEIVER, enabledStatusIDs: [4], Title: 'x' });

    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.result.enabledStatusIds, [4]);
    assert.equal(created.body.result.title, 'x');
    await admin(t, 'DELETE', `/webhooks/${created.body.result.id}`);
  });

  test('a patch refuses unknown keys and corporationId, and reads any spelling', async () => {
    const created = await admin(t, 'POST', '/webhooks',
      { corporationId: DEMO.corporationId, url: RECEIVER, title: 'Before' });
    const id = created.body.result.id as string;

    assertUnknownKey(await admin(t, 'PATCH', `/webhooks/${id}`, { zzz: 1, title: 'After' }), 'zzz');
    assertUnknownKey(await admin(t, 'PATCH', `/webhooks/${id}`,
      { corporationId: DEMO.corporationId }), 'corporationId');
    assert.equal((await admin(t, 'GET', `/webhooks/${id}`)).body.result.title, 'Before');

    const patched = await admin(t, 'PATCH', `/webhooks/${id}`,
      { ENABLEDSTATUSIDS: [5, 5], Active: false });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.result.enabledStatusIds, [5]);
    assert.equal(patched.body.result.active, false);
    await admin(t, 'DELETE', `/webhooks/${id}`);
  });

  test('a body that is not an object is refused as by the other admin resources', async () => {
    const webhook = await admin(t, 'POST', '/webhooks', [1]);
    const connection = await admin(t, 'POST', '/connections', [1]);

    assert.equal(webhook.status, 400);
    assert.equal(connection.status, 400);
    const { code, msg, errors } = connection.body;
    assert.deepEqual({ ...webhook.body, requestId: undefined },
      { code, msg, requestId: undefined, errors });
  });
});
