import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO } from '../src/store/seed-demo.js';
import { verifySignature } from '../src/webhooks/webhook-signature.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { admin, manualClock, subscribe } from './helpers/webhook-fixtures.js';
import { type WebhookReceiver, startWebhookReceiver } from './helpers/webhook-receiver.js';

describe('webhook delivery', () => {
  const clock = manualClock();
  let env: TestEnv;
  let t: TestHub;
  let receiver: WebhookReceiver;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { clock: clock.now });
    receiver = await startWebhookReceiver();
  });

  after(async () => {
    await t.close();
    await receiver.close();
    await env.dispose();
  });

  test('status changes are delivered signed, with the headers and body of §15.2', async () => {
    const sub = await subscribe(t, receiver.url);
    const created = await t.api('POST', '/orders', demoOrderBody({ orderExternalId: 'site-7' }));
    const orderId = created.body.result.orderId as string;

    assert.equal(await t.hub.webhooks.runDue(), 3, 'created, confirmed, taken at the restaurant');
    const calls = receiver.calls.splice(0);
    const bodies = calls.map((c) => c.body).sort((a, b) => a.sequence - b.sequence);
    assert.deepEqual(bodies.map((b) => [b.sequence, b.eventType, b.previousOrderStatusId,
      b.orderStatusId]), [
      [1, 'order.created', null, 1], [2, 'order.status_changed', 1, 2],
      [3, 'order.status_changed', 2, 3],
    ]);

    for (const call of calls) {
      assert.equal(call.headers.authorization, 'Bearer static-token-1');
      assert.equal(call.headers['x-token'], 'static-token-1');
      assert.equal(call.headers['content-type'], 'application/json');
      assert.equal(call.headers['x-hub-event-id'], call.body.eventId);
      assert.equal(call.headers['x-hub-event-type'], call.body.eventType);
      assert.equal(call.headers['x-hub-attempt'], '1');
      const signature = call.headers['x-hub-signature'] as string;
      assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(verifySignature(signature, sub.secret, call.rawBody,
        { nowSeconds: Math.floor(clock.now() / 1000) }), 'signature verifies');
      assert.ok(!verifySignature(signature, 'another-secret', call.rawBody,
        { nowSeconds: Math.floor(clock.now() / 1000) }));
    }

    const first = bodies[0];
    assert.deepEqual(Object.keys(first), [
      'eventId', 'eventType', 'sequence', 'occurredAt', 'title', 'orderId', 'orderExternalId',
      'orderStatusId', 'orderStatusName', 'previousOrderStatusId', 'restaurantId',
      'orderSourceId', 'corporationId', 'paymentStatus', 'guest', 'updatedAt',
    ]);
    assert.equal(first.orderId, orderId);
    assert.equal(first.orderExternalId, 'site-7');
    assert.equal(first.orderStatusName, 'New');
    assert.equal(first.title, 'Guest notifications');
    assert.equal(first.restaurantId, DEMO.restaurantId);
    assert.equal(first.orderSourceId, t.clientId);
    assert.equal(first.corporationId, DEMO.corporationId);
    assert.equal(first.paymentStatus, 'notPaid');
    assert.deepEqual(first.guest, { phone: '79000000001', firstName: 'Guest' });
    assert.match(first.occurredAt, /\+00:00$/);

    await t.runTimers();
    assert.equal(await t.hub.webhooks.runDue(), 1);
    const [kitchen] = receiver.calls.splice(0);
    assert.equal(kitchen?.body.sequence, 4);
    assert.equal(kitchen?.body.orderStatusId, 4);
    assert.equal(kitchen?.body.orderStatusName, 'Transferred to the kitchen');
    assert.equal(kitchen?.body.previousOrderStatusId, 3);

    const listed = await admin(t, 'GET', `/webhooks/deliveries?subscriptionId=${sub.id}`);
    assert.equal(listed.body.result.length, 4);
    assert.ok(listed.body.result.every((d: { status: string }) => d.status === 'delivered'));
    assert.equal(await t.hub.webhooks.runDue(), 0, 'nothing is sent twice');
    await admin(t, 'DELETE', `/webhooks/${sub.id}`);
  });

  test('a subscription gets only the statuses and event types it asked for', async () => {
    const sub = await subscribe(t, receiver.url, { enabledStatusIds: [4] });
    const other = await subscribe(t, receiver.url, { eventTypes: ['order.created'],
      token: 'token-2' });
    await t.api('POST', '/orders', demoOrderBody());
    await t.runTimers();

    assert.equal(await t.hub.webhooks.runDue(), 2);
    const calls = receiver.calls.splice(0);
    const byToken = new Map(calls.map((c) => [c.headers['x-token'], c.body]));
    assert.equal(byToken.get('static-token-1')?.orderStatusId, 4);
    assert.equal(byToken.get('token-2')?.eventType, 'order.created');
    await admin(t, 'DELETE', `/webhooks/${sub.id}`);
    await admin(t, 'DELETE', `/webhooks/${other.id}`);
  });

  test('the admin API validates, hides secrets in listings and answers unknown ids', async () => {
    const bad = await admin(t, 'POST', '/webhooks', {
      corporationId: DEMO.corporationId, url: 'ftp://example', enabledStatusIds: [99],
      eventTypes: ['order.exploded'],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'ERR_PARSE_REQUEST');
    assert.deepEqual(Object.keys(bad.body.errors).sort(),
      ['enabledStatusIds', 'eventTypes', 'url']);

    const noCorp = await admin(t, 'POST', '/webhooks',
      { corporationId: 'nope', url: receiver.url });
    assert.equal(noCorp.body.code, 'corporation_not_found');

    const created = await admin(t, 'POST', '/webhooks', {
      corporationId: DEMO.corporationId, url: receiver.url,
    });
    assert.equal(created.status, 201);
    assert.ok(created.body.result.secret.length >= 32, 'a secret is generated');
    const id = created.body.result.id as string;

    const shown = await admin(t, 'GET', `/webhooks/${id}`);
    assert.equal(shown.body.result.secret, undefined);
    assert.equal(shown.body.result.token, `…${created.body.result.token.slice(-4)}`);

    const patched = await admin(t, 'PATCH', `/webhooks/${id}`, { active: false, title: 'Off' });
    assert.equal(patched.body.result.active, false);
    assert.equal(patched.body.result.title, 'Off');
    assert.equal((await admin(t, 'GET', '/webhooks')).body.result.length, 1);

    assert.equal((await admin(t, 'DELETE', `/webhooks/${id}`)).status, 200);
    const gone = await admin(t, 'GET', `/webhooks/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'webhook_not_found');
    assert.equal((await t.request('GET', '/admin/api/v1/webhooks')).status, 401);
  });

  test('a ping reaches the receiver signed, outside the outbox', async () => {
    const sub = await subscribe(t, receiver.url);
    const ping = await admin(t, 'POST', `/webhooks/${sub.id}/ping`);
    assert.equal(ping.body.result.delivered, true);
    const [call] = receiver.calls.splice(0);
    assert.equal(call?.headers['x-hub-event-type'], 'ping');
    assert.ok(verifySignature(call?.headers['x-hub-signature'] as string, sub.secret,
      call?.rawBody ?? '', { nowSeconds: Math.floor(clock.now() / 1000) }));
    await admin(t, 'DELETE', `/webhooks/${sub.id}`);
  });
});
