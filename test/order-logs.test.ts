import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** What the order use cases log for a request: constant messages, the request's `reqId`. */
describe('order log lines', () => {
  let env: TestEnv;
  let t: TestHub;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    env = await createTestEnv();
    const logger = pino({ level: 'info' }, {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    t = await startTestHub(env, { logger });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const logged = (msg: string, orderId: number) =>
    lines.filter((line) => line.msg === msg && line.orderId === orderId);

  test('created and paid carry the reqId of the request that did it', async () => {
    const created = await t.api('POST', '/orders', demoOrderBody());
    assert.equal(created.status, 201);
    const orderId = Number(created.body.result.orderId);
    await t.runTimers();
    const paid = await t.api('PUT', `/orders/${orderId}/pay`, payBody(978));
    assert.equal(paid.status, 200);

    const [createdLine] = logged('order created', orderId);
    assert.equal(createdLine?.reqId, created.headers.get('x-request-id'));
    const [paidLine] = logged('order paid', orderId);
    assert.equal(paidLine?.reqId, paid.headers.get('x-request-id'));
    assert.equal(paidLine?.level, 30);
  });
});
