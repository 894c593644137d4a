/**
 * The raw baseline of the benchmarks: a bare Fastify (no auth, no storage, no hooks) answering
 * the hub's routes with the same JSON the hub answers, read from the file named by the first
 * argument. Run as its own process, like the hub, so both are measured the same way.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

interface Answers {
  /** What `GET /orders/{id}` answers. */
  order: unknown;
  /** What `GET /orders?…` answers. */
  search: unknown;
}

const file = process.argv[2];
if (!file) throw new Error('usage: raw-server <answers.json>');
const answers = JSON.parse(readFileSync(file, 'utf8')) as Answers;

const app = Fastify({ logger: false });
let nextId = 1;

app.post('/orders/api/v1/orders', async (_request, reply) => {
  return reply.code(201).send({ result: { orderId: String(nextId++) } });
});
app.get('/orders/api/v1/orders/:orderId', async () => answers.order);
app.get('/orders/api/v1/orders', async () => answers.search);
app.put('/orders/api/v1/orders/:orderId/pay', async () => ({ result: {} }));
app.put('/orders/api/v1/orders/:orderId/complete', async () => ({ result: {} }));

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stderr.write(`raw baseline listening on ${url}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
