import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { pino } from 'pino';
import { fastifyOptions } from '../src/api/error-handler.js';
import { maskPrivateQuery } from '../src/api/request-log.js';

test('a phone searched for never reaches the request log; other filters do', async () => {
  const lines: { msg: string; req?: { url: string; method: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = Fastify(fastifyOptions({ bodyLimitBytes: 1024, logger }));
  app.get('/orders', async () => ({ ok: true }));

  const reply = await app.inject('/orders?statusIds=4&q=%2B79161234567&Phone=89161234567');
  await app.close();

  assert.equal(reply.statusCode, 200);
  const incoming = lines.find((line) => line.msg === 'incoming request');
  assert.equal(incoming?.req?.method, 'GET');
  assert.equal(incoming?.req?.url, '/orders?statusIds=4&q=***&Phone=***');
  assert.ok(!JSON.stringify(lines).includes('9161234567'));
});

test('masking keeps everything else of the URL as it came', () => {
  assert.equal(maskPrivateQuery('/a/b'), '/a/b');
  assert.equal(maskPrivateQuery('/a?x=1&flag&q='), '/a?x=1&flag&q=***');
  assert.equal(maskPrivateQuery('/a?%71=secret&client_secret=s&limit=5'),
    '/a?%71=***&client_secret=***&limit=5');
  assert.equal(maskPrivateQuery('/a?%E0%A4%A=1'), '/a?%E0%A4%A=1');
  assert.equal(maskPrivateQuery('/s?search=7916&guest.phone=7916&guest%5BlastName%5D=Ivanov'
    + '&statusIds=4&limit=10&fromDate=2024-03-01'),
  '/s?search=***&guest.phone=***&guest%5BlastName%5D=***&statusIds=4&limit=10'
    + '&fromDate=2024-03-01');
});
