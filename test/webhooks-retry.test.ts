import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DeliveryRepo } from '../src/webhooks/delivery-repo.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { HOUR, MINUTE, admin, manualClock, subscribe } from './helpers/webhook-fixtures.js';
import { type WebhookReceiver, startWebhookReceiver } from './helpers/webhook-receiver.js';

describe('webhook retries, dead letters and replay', () => {
  const clock = manualClock();
  let env: TestEnv;
  let t: TestHub;
  let receiver: WebhookReceiver;
  let subscriptionId: string;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { clock: clock.now });
    receiver = await startWebhookReceiver();
  });

  beforeEach(async () => {
    if (subscriptionId) await admin(t, 'DELETE', `/webhooks/${subscriptionId}`);
    subscriptionId = (await subscribe(t, receiver.url, { eventTypes: ['order.created'] })).id;
    receiver.calls.splice(0);
    receiver.respondWith(() => 200);
  });

  after(async () => {
    await t.close();
    await receiver.close();
    await env.dispose();
  });

  async function deliveryOf(orderId: string) {
    const list = await admin(t, 'GET', `/webhooks/deliveries?subscriptionId=${subscriptionId}`);
    const found = list.body.result.find((d: { orderId: number }) => String(d.orderId) === orderId);
    assert.ok(found, `a delivery for order ${orderId}`);
    return found;
  }

  async function newOrder(): Promise<string> {
    return (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
  }

  test('a 500 is retried after about a minute, then delivered with the same event id', async () => {
    let answers = [500];
    receiver.respondWith(() => answers.shift() ?? 200);
    const orderId = await newOrder();

    assert.equal(await t.hub.webhooks.runDue(), 1);
    const failed = await deliveryOf(orderId);
    assert.equal(failed.status, 'pending');
    assert.equal(failed.lastError, 'HTTP 500');
    const wait = Date.parse(failed.nextAttemptAt) - clock.now();
    assert.ok(wait >= 48_000 && wait <= 72_000, `first retry after 1 min ± 20%, got ${wait} ms`);
    assert.equal(await t.hub.webhooks.runDue(), 0, 'not due yet');

    clock.advance(2 * MINUTE);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    const [first, second] = receiver.calls;
    assert.equal(first?.headers['x-hub-attempt'], '1');
    assert.equal(second?.headers['x-hub-attempt'], '2');
    assert.equal(second?.headers['x-hub-event-id'], first?.headers['x-hub-event-id']);
    assert.equal(second?.rawBody, first?.rawBody);

    const done = await admin(t, 'GET', `/webhooks/deliveries/${failed.id}`);
    assert.equal(done.body.result.status, 'delivered');
    assert.deepEqual(done.body.result.attemptLog.map((a: { attempt: number;
      httpStatus: number }) => [a.attempt, a.httpStatus]), [[1, 500], [2, 200]]);
    answers = [];
  });

  test('after 24 hours of failures a delivery is dead-lettered and its subscription paused; '
    + 'resume and replay send everything', async () => {
    receiver.respondWith(() => 503);
    const orderId = await newOrder();
    await t.hub.webhooks.runDue();

    clock.advance(23 * HOUR);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    assert.equal((await deliveryOf(orderId)).status, 'pending', 'still inside the window');
    assert.equal((await admin(t, 'GET', `/webhooks/${subscriptionId}`)).body.result.pausedAt,
      null);

    clock.advance(HOUR + 5 * MINUTE);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    const dead = await deliveryOf(orderId);
    assert.equal(dead.status, 'dead');
    assert.equal(dead.attempts, 3);
    const paused = (await admin(t, 'GET', `/webhooks/${subscriptionId}`)).body.result;
    assert.equal(paused.pausedAt, new Date(clock.now()).toISOString());
    assert.equal(paused.pauseReason, 'No delivery succeeded for 24 h; last error: HTTP 503');
    assert.equal(paused.active, true);

    // Paused: a new event is queued, not sent; nothing is sent however long it waits.
    receiver.respondWith(() => 204);
    const later = await newOrder();
    clock.advance(2 * HOUR);
    assert.equal(await t.hub.webhooks.runDue(), 0, 'nothing is sent while paused');
    assert.equal((await deliveryOf(later)).status, 'pending');
    const calls = receiver.calls.length;

    const resumed = await admin(t, 'POST', `/webhooks/${subscriptionId}/resume`);
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.result.pausedAt, null);
    assert.equal(await t.hub.webhooks.runDue(), 1, 'the queued delivery goes out');
    assert.equal((await deliveryOf(later)).status, 'delivered');
    assert.equal(await t.hub.webhooks.runDue(), 0, 'a dead letter is not retried');

    const replay = await admin(t, 'POST', '/webhooks/replay', { deliveryId: dead.id });
    assert.deepEqual(replay.body.result, { deliveryIds: [dead.id] });
    assert.equal(await t.hub.webhooks.runDue(), 1);
    const replayed = await deliveryOf(orderId);
    assert.equal(replayed.status, 'delivered');
    assert.equal(replayed.attempts, 4);
    assert.equal(receiver.calls.at(-1)?.headers['x-hub-attempt'], '4');
    assert.equal(receiver.calls.length, calls + 2);
  });

  test('a dead letter does not pause a subscription that took other deliveries meanwhile',
    async () => {
      const poisoned = await newOrder();
      receiver.respondWith((call) => (call.body?.orderId === poisoned ? 422 : 200));
      await t.hub.webhooks.runDue();
      clock.advance(12 * HOUR);
      await newOrder();
      await t.hub.webhooks.runDue();

      clock.advance(13 * HOUR);
      await t.hub.webhooks.runDue();
      assert.equal((await deliveryOf(poisoned)).status, 'dead');
      const subscription = (await admin(t, 'GET', `/webhooks/${subscriptionId}`)).body.result;
      assert.equal(subscription.pausedAt, null);
      assert.equal(subscription.pauseReason, null);
    });

  test('resume through the CLI; an unknown subscription is webhook_not_found', async () => {
    const { runWebhooksResume } = await import('../src/cli/webhooks-command.js');
    const config = { dataDir: env.dataDir, databaseUrl: env.databaseUrl };
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    await t.hub.store.db.updateTable('webhookSubscriptions')
      .set({ pausedAt: new Date(clock.now()).toISOString(), pauseReason: 'test' })
      .where('id', '=', subscriptionId).execute();
    const orderId = await newOrder();
    assert.equal(await t.hub.webhooks.runDue(), 0);

    assert.equal(await runWebhooksResume(config, subscriptionId, io), 0);
    assert.match(lines[0] ?? '', /resumed/);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    assert.equal((await deliveryOf(orderId)).status, 'delivered');
    assert.equal(await runWebhooksResume(config, 'no-such-id', io), 1);
    assert.match(lines[1] ?? '', /webhook_not_found/);
    const missing = await admin(t, 'POST', '/webhooks/no-such-id/resume');
    assert.equal(missing.status, 404);
  });

  test('replay by event id, through the admin API and the CLI', async () => {
    const orderId = await newOrder();
    await t.hub.webhooks.runDue();
    const delivered = await deliveryOf(orderId);
    assert.equal(delivered.status, 'delivered');

    const replay = await admin(t, 'POST', '/webhooks/replay', { eventId: delivered.eventId });
    assert.deepEqual(replay.body.result.deliveryIds, [delivered.id]);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    assert.equal(receiver.calls.length, 2);
    assert.equal(receiver.calls[1]?.body.eventId, delivered.eventId);

    const { runWebhooksReplay } = await import('../src/cli/webhooks-command.js');
    const config = { dataDir: env.dataDir, databaseUrl: env.databaseUrl };
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    assert.equal(await runWebhooksReplay(config, delivered.eventId, io), 0);
    assert.match(lines[0] ?? '', /1 delivery\(ies\) queued/);
    assert.equal(await t.hub.webhooks.runDue(), 1);
    assert.equal(receiver.calls.length, 3);
    assert.equal(await runWebhooksReplay(config, 'no-such-id', io), 1);
    assert.match(lines[1] ?? '', /webhook_not_found/);

    const missing = await admin(t, 'POST', '/webhooks/replay', { eventId: 'no-such-id' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'webhook_not_found');
  });

  test('two instances never claim the same delivery', async () => {
    await newOrder();
    await newOrder();
    const repo = new DeliveryRepo(t.hub.store.db);
    const now = new Date(clock.now()).toISOString();
    const lease = new Date(clock.now() + MINUTE).toISOString();

    const [a, b] = await Promise.all([repo.claimDue(now, 'instance-a', lease, 10),
      repo.claimDue(now, 'instance-b', lease, 10)]);
    const ids = [...a, ...b].map((d) => d.id);
    assert.equal(ids.length, 2);
    assert.equal(new Set(ids).size, 2);
    await repo.releaseAll('instance-a');
    await repo.releaseAll('instance-b');
    assert.equal(await t.hub.webhooks.runDue(), 2);
  });
});

describe('one failing subscriber or broken event blocks nobody', () => {
  test('cancel order A, then move B from 4 to 5: B is delivered', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    const receiver = await startWebhookReceiver();
    try {
      const a = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      const b = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      await t.runTimers();
      await subscribe(t, receiver.url);
      const slow = await subscribe(t, receiver.url, { token: 'failing-subscriber' });
      receiver.respondWith((call) => call.body?.orderId === a
        || call.headers['x-token'] === slow.token ? 500 : 200);

      await cancel(t, a);
      const [aCancelled] = await t.hub.store.db.selectFrom('events').select('position')
        .where('orderId', '=', Number(a)).where('statusId', '=', 12).execute();
      assert.ok(aCancelled, 'the cancellation of A is an event');
      // A second event of A that cannot even be read: it is dead-lettered, B still goes out.
      await t.hub.store.db.updateTable('events').set({ payload: 'not json' })
        .where('position', '=', aCancelled.position).execute();

      const moved = await admin(t, 'POST', `/orders/${b}/status`, { statusId: 5 });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      await t.hub.webhooks.runDue();

      const delivered = receiver.calls.filter((c) => c.body?.orderId === b
        && c.headers['x-token'] === 'static-token-1');
      assert.deepEqual(delivered.map((c) => [c.body.sequence, c.body.orderStatusId,
        c.body.previousOrderStatusId]), [[5, 5, 4]]);
      const listed = await admin(t, 'GET', '/webhooks/deliveries');
      const states = listed.body.result.map((d: { orderId: number; status: string }) =>
        `${d.orderId}:${d.status}`);
      assert.ok(states.includes(`${a}:dead`), 'the broken event is dead-lettered');
      assert.ok(states.includes(`${b}:delivered`));
      assert.ok(states.includes(`${b}:pending`), 'the failing subscriber retries later');
    } finally {
      await t.close();
      await receiver.close();
      await env.dispose();
    }
  });
});

/** Cancels through `PUT /reject` with the corporation's first reason. */
async function cancel(t: TestHub, orderId: string): Promise<void> {
  const reasons = await t.api('GET', '/rejectionReasons');
  const response = await t.api('PUT', `/orders/${orderId}/reject`, {
    rejectionReasonId: reasons.body.result[0].id, rejectionReasonText: 'guest called',
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
}
