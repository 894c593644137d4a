import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../src/config/hub-config.js';
import { placeAtStation } from './helpers/exactly-once.js';
import { payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const REQUEST_TIMEOUT_MS = 300;
/** How long a raw exchange may wait for the server before the test gives up on it. */
const GIVE_UP_MS = 5000;

describe('a request not received within REQUEST_TIMEOUT_MS is a 408', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
  });

  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('a body that stops short of its Content-Length gets 408 ERR_REQUEST_TIMEOUT', async () => {
    const token = await t.token();
    const head = 'POST /orders/api/v1/orders HTTP/1.1\r\nHost: x\r\n'
      + `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n`
      + 'Content-Length: 10\r\n\r\n';
    const started = Date.now();

    const reply = await rawExchange(t.baseUrl, `${head}{"a":1`);

    assertTimeoutEnvelope(reply);
    assert.ok(reply.closed, 'the server closed the connection');
    assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms`);
  });

  test('headers that never end get the same 408', async () => {
    const reply = await rawExchange(t.baseUrl, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1');

    assertTimeoutEnvelope(reply);
  });

  test('a handler slower than the timeout still answers once the body has arrived', async () => {
    const { id } = await placeAtStation(t);
    t.hub.simulator?.faults.add({ mode: 'latency', match: { cmd: 'PayOrder' },
      params: { ms: 4 * REQUEST_TIMEOUT_MS }, times: 1 });
    const started = Date.now();

    const paid = await t.api('PUT', `/orders/${id}/pay`, payBody(978));

    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.ok(Date.now() - started >= 4 * REQUEST_TIMEOUT_MS, 'the station call was slow');
  });

  test('the API still answers afterwards', async () => {
    assert.equal((await t.api('GET', '/orders')).status, 200);
  });
});

test('REQUEST_TIMEOUT_MS defaults to 30 s and must be a whole number', () => {
  assert.equal(readConfig({}).requestTimeoutMs, 30_000);
  assert.equal(readConfig({ REQUEST_TIMEOUT_MS: '0' }).requestTimeoutMs, 0);
  assert.throws(() => readConfig({ REQUEST_TIMEOUT_MS: 'soon' }), /REQUEST_TIMEOUT_MS/);
});

interface RawReply {
  head: string;
  body: string;
  /** False when the test gave up waiting before the server closed the connection. */
  closed: boolean;
}

function assertTimeoutEnvelope(reply: RawReply): void {
  assert.match(reply.head, /^HTTP\/1\.1 408 /, `got: ${reply.head || '(nothing)'}`);
  assert.match(reply.head, /\r\nConnection: close(\r\n|$)/i);
  const envelope = JSON.parse(reply.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(envelope), ['code', 'msg', 'requestId', 'errors']);
  assert.equal(envelope.code, 'ERR_REQUEST_TIMEOUT');
  assert.match(reply.head, new RegExp(`\r\nX-Request-Id: ${String(envelope.requestId)}\r\n`));
}

/**
 * Writes `text` on a new connection and keeps it open, as a slow client would; returns what
 * the server sent until it closed the connection, or until {@link GIVE_UP_MS}.
 */
function rawExchange(baseUrl: string, text: string): Promise<RawReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let closed = false;
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    const giveUp = setTimeout(() => socket.destroy(), GIVE_UP_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      closed = true;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(giveUp);
      const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
      resolve({ head, body, closed });
    });
  });
}
