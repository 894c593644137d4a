import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { DEMO } from '../src/store/seed-demo.js';
import { orderBody } from './bench-processes.js';

/** What one load run measured. */
export interface LoadResult {
  /** Successful operations per second (2xx answers, or completed lifecycles). */
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
}

export interface CannonOptions {
  url: string;
  connections: number;
  durationSec: number;
  token: string;
  request: autocannon.Request;
}

/** One autocannon run against `url`; every non-2xx answer and socket error counts as failed. */
export async function cannon(options: CannonOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    requests: [options.request],
  });
  return {
    perSec: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors,
  };
}

/**
 * A create request whose body differs every time (the hub answers an identical create with the
 * first one's answer). The body is spliced around a counter rather than serialised per request,
 * which keeps the load generator's own cost close to a fixed body's.
 */
export function createRequest(first = 0): autocannon.Request {
  const [head, tail] = JSON.stringify(orderBody(0)).split('bench order 0') as [string, string];
  let n = first;
  return {
    method: 'POST',
    path: '/orders/api/v1/orders',
    setupRequest: (request) => ({ ...request, body: `${head}bench order ${n++}${tail}` }),
  };
}

/** Runs `CannonOptions` against several servers at once (one per URL); sums the rates. */
export async function cannonAll(
  urls: string[], options: Omit<CannonOptions, 'url' | 'request'>,
  request: (index: number) => autocannon.Request,
): Promise<LoadResult> {
  const each = Math.max(1, Math.floor(options.connections / urls.length));
  const results = await Promise.all(urls.map((url, i) =>
    cannon({ ...options, url, connections: each, request: request(i) })));
  return {
    perSec: results.reduce((sum, r) => sum + r.perSec, 0),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    ok: results.reduce((sum, r) => sum + r.ok, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
  };
}

/** How often a lifecycle client looks whether its order has reached the kitchen. */
const POLL_MS = 50;

/**
 * Full order lifecycles, `workers` at a time for `durationSec`: create, wait (polling the
 * order every {@link POLL_MS} ms) until the hub's automation has transferred it to the kitchen,
 * pay the whole amount, complete. The rate counts finished lifecycles; latencies are per
 * lifecycle.
 */
export async function lifecycles(
  url: string, token: string, workers: number, durationSec: number,
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: workers, pipelining: 1 });
  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
    const response = await pool.request({
      method, path: `/orders/api/v1${path}`,
      headers: body === undefined
        ? { authorization: `Bearer ${token}` }
        : { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode}`);
    return JSON.parse(text) as { result: Record<string, unknown> };
  };

  const started = performance.now();
  const deadline = started + durationSec * 1000;
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      try {
        const id = (await call('POST', '/orders', orderBody(n++))).result.orderId as string;
        for (let poll = 0; ; poll += 1) {
          if (poll > 30_000 / POLL_MS) throw new Error(`order ${id} never reached the kitchen`);
          const order = (await call('GET', `/orders/${id}`)).result;
          if (order.orderStatusId === 4) break;
          await sleep(POLL_MS);
        }
        await call('PUT', `/orders/${id}/pay`,
          [{ code: DEMO.roublesCurrency, amount: 0, name: 'online' }]);
        await call('PUT', `/orders/${id}/complete`);
        latencies.push(performance.now() - begun);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  const elapsedSec = (performance.now() - started) / 1000;
  await pool.close();

  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    perSec: latencies.length / elapsedSec, p50Ms: at(0.5), p99Ms: at(0.99),
    ok: latencies.length, failed,
  };
}
