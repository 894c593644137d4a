import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const REQUEST_ID = /^[0-9a-f]{32}$/;
const MALFORMED = 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n';

describe('requests Node cannot read are answered in the error envelope', () => {
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

  function assertEnvelope(
    response: { status: number; headers: Headers; body: any }, status: number, code: string,
  ): void {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.deepEqual(Object.keys(response.body), ['code', 'msg', 'requestId', 'errors']);
    assert.equal(response.body.code, code);
    assert.equal(response.body.errors, null);
    assert.match(response.body.requestId, REQUEST_ID);
    assert.equal(response.headers.get('x-request-id'), response.body.requestId);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('connection'), 'close');
  }

  test('a 60 KB query string is a 431 ERR_HEADERS_TOO_LARGE', async () => {
    const response = await t.request('GET', `/orders/api/v1/orders?q=${'7'.repeat(60_000)}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });

    assertEnvelope(response, 431, 'ERR_HEADERS_TOO_LARGE');
  });

  test('a 100 KB Authorization header is a 431 with a fresh request id each time', async () => {
    const headers = { authorization: `Bearer ${'a'.repeat(100_000)}` };
    const first = await t.request('GET', '/orders/api/v1/orders', { headers });
    const second = await t.request('GET', '/orders/api/v1/orders', { headers });

    assertEnvelope(first, 431, 'ERR_HEADERS_TOO_LARGE');
    assertEnvelope(second, 431, 'ERR_HEADERS_TOO_LARGE');
    assert.notEqual(first.body.requestId, second.body.requestId);
  });

  test('malformed HTTP is a 400 ERR_PARSE_REQUEST', async () => {
    const raw = await rawExchange(t.baseUrl, MALFORMED);
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    const headers = new Headers(head.split('\r\n').slice(1).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
    }));

    assert.match(head, /^HTTP\/1\.1 400 /);
    assertEnvelope({ status: 400, headers, body: JSON.parse(body) }, 400, 'ERR_PARSE_REQUEST');
  });

  test('the API still answers afterwards', async () => {
    assert.equal((await t.api('GET', '/orders')).status, 200);
  });
});

/** Writes `text` on a new connection and returns everything read until the server closes. */
function rawExchange(baseUrl: string, text: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
