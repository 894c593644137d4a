import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { fastifyOptions, genRequestId, registerHttpBasics } from '../src/api/error-handler.js';
import { HubError } from '../src/errors/hub-error.js';

const BODY_LIMIT = 1024;

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  code?: string;
  err?: { message?: string };
}

interface Harness {
  base: string;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/** The basics and a few probe routes; no database is needed below the HTTP layer. */
async function startApp(): Promise<Harness> {
  const rawLogs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void rawLogs.push(line) });
  const app: FastifyInstance = Fastify(fastifyOptions({ bodyLimitBytes: BODY_LIMIT, logger }));
  await registerHttpBasics(app, { rateLimitPerMinute: 10_000 });

  app.get('/probe/ping', async () => ({ result: {} }));
  app.post('/probe/echo', async (request) => ({ result: request.body ?? null }));
  app.put('/probe/orders/:orderId/complete', async (request) => ({ result: request.params }));
  app.post('/probe/typed', {
    schema: { body: { type: 'object', properties: { dishList: { type: 'array', items: {
      type: 'object', properties: { price: { type: 'number' } } } } } } },
  }, async () => ({ result: {} }));
  app.get('/probe/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/probe/busy', async () => {
    throw new HubError('err_operation_in_progress', 'Busy', { retryAfterSec: 2.2 });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });

  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as LogLine);
    },
    close: () => app.close(),
  };
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(h: Harness, method: string, url: string, init: RequestInit = {}) {
  const response = await fetch(`${h.base}${url}`, { ...init, method });
  const body = await response.json() as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}

/** Asserts the error envelope: exactly the four keys, and the id of the X-Request-Id header. */
function assertEnvelope(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status);
  assert.deepEqual(Object.keys(reply.body).sort(), ['code', 'errors', 'msg', 'requestId']);
  assert.equal(reply.body.code, code);
  assert.equal(typeof reply.body.msg, 'string');
  assert.match(String(reply.body.requestId), /^[0-9a-f]{32}$/);
  assert.equal(reply.body.requestId, reply.headers.get('x-request-id'));
}

describe('HTTP basics', () => {
  let h: Harness;
  before(async () => {
    h = await startApp();
  });
  after(async () => {
    await h.close();
  });

  it('generates request ids of 32 lower-case hex characters, never the client\'s', async () => {
    const first = await call(h, 'GET', '/probe/ping',
      { headers: { 'x-request-id': 'mine', 'request-id': 'mine' } });
    const second = await call(h, 'GET', '/probe/ping');

    assert.match(first.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
    assert.notEqual(first.headers.get('x-request-id'), second.headers.get('x-request-id'));
    assert.match(genRequestId(), /^[0-9a-f]{32}$/);
  });

  it('answers an unknown path with 404 ERR_NOT_FOUND', async () => {
    assertEnvelope(await call(h, 'GET', '/orders/api/v1/nothing-here'), 404, 'ERR_NOT_FOUND');
    assertEnvelope(await call(h, 'GET', '/elsewhere?x=1'), 404, 'ERR_NOT_FOUND');
  });

  it('answers a known path with a wrong method with 405 and Allow', async () => {
    const reply = await call(h, 'DELETE', '/probe/orders/17/complete/');
    const echo = await call(h, 'GET', '/probe/echo');

    assertEnvelope(reply, 405, 'ERR_METHOD_NOT_ALLOWED');
    assert.equal(reply.headers.get('allow'), 'PUT');
    assertEnvelope(echo, 405, 'ERR_METHOD_NOT_ALLOWED');
    assert.equal(echo.headers.get('allow'), 'POST');
  });

  it('serves every path with and without a trailing slash', async () => {
    const reply = await call(h, 'PUT', '/probe/orders/17/complete/');

    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { result: { orderId: '17' } });
  });

  it('answers malformed JSON with 400 ERR_PARSE_REQUEST', async () => {
    const reply = await call(h, 'POST', '/probe/echo', {
      headers: { 'content-type': 'application/json' }, body: '{"dishList": [',
    });

    assertEnvelope(reply, 400, 'ERR_PARSE_REQUEST');
    assert.equal(reply.body.errors, null);
  });

  it('refuses prototype keys in a body', async () => {
    const reply = await call(h, 'POST', '/probe/echo', {
      headers: { 'content-type': 'application/json' }, body: '{"__proto__": {"admin": true}}',
    });

    assertEnvelope(reply, 400, 'ERR_PARSE_REQUEST');
    assert.equal(reply.body.msg,
      'The request body must not contain "__proto__" or "constructor.prototype" keys');
  });

  it('names the field of a schema violation', async () => {
    const reply = await call(h, 'POST', '/probe/typed', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dishList: [{ price: 400 }, { price: '4OO' }] }),
    });

    assertEnvelope(reply, 400, 'ERR_PARSE_REQUEST');
    assert.deepEqual(reply.body.errors, { 'dishList[1].price': ['must be number'] });
    assert.equal(reply.body.msg, 'dishList[1].price: must be number');
  });

  it('answers a body over the limit with 413', async () => {
    const reply = await call(h, 'POST', '/probe/echo', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'x'.repeat(BODY_LIMIT) }),
    });

    assertEnvelope(reply, 413, 'ERR_PAYLOAD_TOO_LARGE');
  });

  it('reads JSON with charset, as text/plain, with no or an empty content type', async () => {
    const json = JSON.stringify({ persons: '1' });
    const variants: RequestInit[] = [
      { headers: { 'content-type': 'application/json; charset=utf-8' }, body: json },
      { headers: { 'content-type': 'text/plain' }, body: json },
      { body: new TextEncoder().encode(json) },
      { headers: { 'content-type': 'application/octet-stream' }, body: json },
      { headers: { 'content-type': '' }, body: json },
    ];

    for (const init of variants) {
      const reply = await call(h, 'POST', '/probe/echo', init);
      assert.equal(reply.status, 200, JSON.stringify(init.headers));
      assert.deepEqual(reply.body, { result: { persons: '1' } });
    }
  });

  it('takes an empty body as no body, even when labelled JSON', async () => {
    const reply = await call(h, 'PUT', '/probe/orders/5/complete', {
      headers: { 'content-type': 'application/json' }, body: '',
    });

    assert.equal(reply.status, 200);
  });

  it('answers non-JSON bodies of other types with 400 ERR_PARSE_REQUEST', async () => {
    const form = await call(h, 'POST', '/probe/echo', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b',
    });
    const text = await call(h, 'POST', '/probe/echo', {
      headers: { 'content-type': 'text/plain' }, body: 'hello',
    });

    assertEnvelope(form, 400, 'ERR_PARSE_REQUEST');
    assertEnvelope(text, 400, 'ERR_PARSE_REQUEST');
  });

  it('answers a malformed URL in the envelope', async () => {
    const reply = await call(h, 'PUT', '/probe/orders/%E0%A4%A/complete');

    assertEnvelope(reply, 400, 'ERR_PARSE_REQUEST');
  });

  it('answers an unexpected fault with 500 ERR_INTERNAL and a generic message', async () => {
    const reply = await call(h, 'GET', '/probe/boom');

    assertEnvelope(reply, 500, 'ERR_INTERNAL');
    assert.equal(reply.body.msg, 'Internal server error');
    assert.equal(reply.body.errors, null);
    assert.doesNotMatch(JSON.stringify(reply.body), /hunter2|at .*\.js/);
  });

  it('logs a fault at error with the cause, and a client error at info', async () => {
    const fault = await call(h, 'GET', '/probe/boom');
    const missing = await call(h, 'GET', '/elsewhere');

    const faultLine = h.logs.find((l) =>
      l.reqId === fault.headers.get('x-request-id') && l.msg === 'request failed');
    const missingLine = h.logs.find((l) =>
      l.reqId === missing.headers.get('x-request-id') && l.msg === 'request failed');
    assert.equal(faultLine?.level, 50);
    assert.equal(faultLine?.code, 'ERR_INTERNAL');
    assert.equal(faultLine?.err?.message, 'database password is hunter2');
    assert.equal(missingLine?.level, 30);
    assert.equal(missingLine?.code, 'ERR_NOT_FOUND');
  });

  it('answers a HubError with its status, and Retry-After when it carries one', async () => {
    const reply = await call(h, 'GET', '/probe/busy');

    assertEnvelope(reply, 409, 'err_operation_in_progress');
    assert.equal(reply.body.msg, 'Busy');
    assert.equal(reply.headers.get('retry-after'), '3');
  });

  it('sends RateLimit headers on ordinary responses', async () => {
    const reply = await call(h, 'GET', '/probe/ping');

    assert.equal(reply.headers.get('ratelimit-limit'), '10000');
    assert.ok(Number(reply.headers.get('ratelimit-remaining')) < 10_000);
  });
});
