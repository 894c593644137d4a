import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { describe, test } from 'node:test';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { createTestEnv, startTestHub } from './helpers/test-hub.js';
import { waitUntil } from './helpers/wait-until.js';

describe('graceful shutdown', () => {
  test('a request in flight during close completes, with its station call', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    let id = '';
    try {
      id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      assert.equal(await t.runTimers(), 1);
      const simulator = t.hub.simulator;
      assert.ok(simulator);
      simulator.faults.add({ mode: 'latency', params: { ms: 300 }, match: { cmd: 'PayOrder' } });

      const paying = t.api('PUT', `/orders/${id}/pay`, payBody(978));
      await waitUntil(() => simulator.commandCount('PayOrder') === 1, 'PayOrder at the station');
      const closing = t.close();
      const paid = await paying;
      await closing;

      assert.equal(paid.status, 200, JSON.stringify(paid.body));
      await assert.rejects(fetch(`${t.baseUrl}/healthz`), 'no longer listening');
    } finally {
      await t.close().catch(() => undefined);
    }

    const again = await startTestHub(env);
    try {
      const order = (await again.api('GET', `/orders/${id}`)).body.result;
      assert.equal(order.paymentStatus, 'paid', 'the payment was stored before the pools closed');
    } finally {
      await again.close();
      await env.dispose();
    }
  });

  test('a request read after close began is a 503 in the envelope, with Retry-After', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      const token = await t.token();
      // Headers begun but not finished: the connection is busy, so close waits for it.
      const socket = await open(t.baseUrl);
      const answer = readAll(socket);
      socket.write('GET /orders/api/v1/orders HTTP/1.1\r\nHost: hub\r\n');
      await waitUntil(async () => (await t.request('GET', '/healthz')).status === 200, 'healthz');

      const closing = t.close();
      await waitUntil(async () => !await accepts(t.baseUrl), 'the listener closed', 400);
      socket.write(`Authorization: Bearer ${token}\r\n\r\n`);
      const [head = '', body = ''] = (await answer).split('\r\n\r\n');
      await closing;

      assert.match(head, /^HTTP\/1\.1 503 /);
      const headers = headerMap(head);
      const envelope = JSON.parse(body);
      assert.deepEqual(Object.keys(envelope), ['code', 'msg', 'requestId', 'errors']);
      assert.equal(envelope.code, 'ERR_SERVICE_UNAVAILABLE');
      assert.equal(envelope.errors, null);
      assert.match(envelope.requestId, /^[0-9a-f]{32}$/);
      assert.equal(headers.get('x-request-id'), envelope.requestId);
      assert.equal(headers.get('retry-after'), '5');
      assert.equal(headers.get('connection'), 'close');
      assert.match(headers.get('content-type') ?? '', /^application\/json/);
    } finally {
      await t.close().catch(() => undefined);
      await env.dispose();
    }
  });

  test('close waits for the timer pass in progress, which finishes its transfer', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    let id = '';
    try {
      id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      const simulator = t.hub.simulator;
      assert.ok(simulator);
      simulator.faults.add({
        mode: 'latency', params: { ms: 300 }, match: { cmd: 'CreateOrder' },
      });

      const pass = t.runTimers();
      await waitUntil(() => simulator.commandCount('CreateOrder') === 1, 'CreateOrder sent');
      await t.close();

      assert.equal(await pass, 1);
    } finally {
      await t.close().catch(() => undefined);
    }

    const again = await startTestHub(env);
    try {
      const order = (await again.api('GET', `/orders/${id}`)).body.result;
      assert.equal(order.orderStatusId, 4);
      const timers = await again.hub.store.db.selectFrom('timers').selectAll().execute();
      assert.deepEqual(timers, [], 'the finished timer is gone, none left claimed');
    } finally {
      await again.close();
      await env.dispose();
    }
  });
});

function open(baseUrl: string): Promise<Socket> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes the connection. */
function readAll(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Whether the hub still accepts new connections. */
async function accepts(baseUrl: string): Promise<boolean> {
  try {
    (await open(baseUrl)).destroy();
    return true;
  } catch {
    return false;
  }
}

function headerMap(head: string): Map<string, string> {
  return new Map(head.split('\r\n').slice(1).map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const;
  }));
}
