/**
 * Several hub processes on one PostgreSQL database (issue #6). Runs only when
 * `TEST_DATABASE_URL` is set. Each hub is a real child process (`node <out>/src/main.js start`);
 * the embedded simulator would be one per process, so the instances share ONE standalone
 * simulator instead (`main.js simulator --control`): once the first instance has seeded the
 * demo chain, the test points the demo restaurant's `cash_station` at it in the database — the
 * same thing an operator does to move a restaurant to another cash server.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DEMO } from '../src/store/seed-demo.js';
import { type CliProcess, startCli } from './helpers/hub-process.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestDatabase, createTestDatabase } from './helpers/pg-database.js';
import { waitUntil } from './helpers/wait-until.js';

const START_MS = 30_000;
const SIM_PASSWORD = 'multi-instance-secret';
const LISTENING = /delivery-hub listening on (http:\/\/\S+)/;

interface Instance {
  process: CliProcess;
  url: string;
}

async function startHub(
  database: TestDatabase, dataDir: string, instanceId: string,
): Promise<Instance> {
  const hub = startCli(['start'], {
    DATABASE_URL: database.url, DATABASE_POOL_SIZE: '4', PORT: '0', HOST: '127.0.0.1',
    DATA_DIR: path.join(dataDir, instanceId), LOG_LEVEL: 'warn', ADMIN_TOKEN: 'multi-admin',
    INSTANCE_ID: instanceId, SCHEDULER_INTERVAL_MS: '50', CASH_TIMEOUT_MS: '5000',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const [, url] = await hub.waitFor(LISTENING, START_MS);
  return { process: hub, url: url as string };
}

async function tokenFrom(instance: Instance): Promise<string> {
  const response = await fetch(`${instance.url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret, scopes: 'orders',
    }).toString(),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { access_token: string }).access_token;
}

let ordersPosted = 0;

/** Creates `count` orders, spread over `instances`, eight at a time; no two bodies are equal. */
async function createOrders(instances: Instance[], token: string, count: number) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const instance = instances[next % instances.length] as Instance;
      next += 1;
      ordersPosted += 1;
      const response = await fetch(`${instance.url}/orders/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(demoOrderBody({ comment: `order ${ordersPosted}` })),
      });
      assert.equal(response.status, 201, await response.text());
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

interface SimOrder {
  guid: string;
  orderSum: number;
  deleted: boolean;
}

async function simulatorOrders(simBase: string): Promise<SimOrder[]> {
  const login = Buffer.from(`cashier:${SIM_PASSWORD}`).toString('base64');
  const response = await fetch(`${simBase}/_sim/state`, {
    headers: { authorization: `Basic ${login}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { orders: SimOrder[] }).orders;
}

const guidKey = (guid: string) => guid.replace(/[{}]/g, '').toUpperCase();

const skip = process.env.TEST_DATABASE_URL ? false : 'set TEST_DATABASE_URL to run on PostgreSQL';

describe('several hub instances on one PostgreSQL database', () => {
  let dataDir = '';
  const processes: CliProcess[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'delivery-hub-multi-'));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await rm(dataDir, { recursive: true, force: true });
  });

  const together = 'two instances starting together on an empty database both come up';
  test(together, { skip }, async () => {
    const database = await createTestDatabase() as TestDatabase;
    const client = new pg.Client({ connectionString: database.url });
    try {
      const starting = ['together-a', 'together-b'].map((id) => startHub(database, dataDir, id));
      const results = await Promise.allSettled(starting);
      for (const result of results) {
        if (result.status === 'fulfilled') processes.push(result.value.process);
      }
      const instances = results.map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });

      for (const instance of instances) {
        assert.equal((await fetch(`${instance.url}/healthz`)).status, 200);
      }
      await client.connect();
      const migrations = await client.query('SELECT name FROM kysely_migration');
      const names = migrations.rows.map((row: { name: string }) => row.name);
      assert.deepEqual(names, [...new Set(names)], 'every migration ran once');
      const corporations = await client.query('SELECT id FROM corporations');
      assert.equal(corporations.rowCount, 1, 'the demo chain was seeded once');
      await Promise.all(instances.map((i) => i.process.stop()));
    } finally {
      await client.end().catch(() => undefined);
      await database.drop();
    }
  });

  const killed = 'every order reaches the cash station exactly once while an instance is killed';
  test(killed, { skip }, async () => {
    const database = await createTestDatabase() as TestDatabase;
    const client = new pg.Client({ connectionString: database.url });
    try {
      const sim = startCli(['simulator', '--port', '0', '--control', '--username', 'cashier',
        '--password', SIM_PASSWORD, '--state-file', path.join(dataDir, 'sim-state.json')]);
      processes.push(sim);
      const [, simUrl] = await sim.waitFor(/"url":"(http:\/\/[^"]+)"/, START_MS);
      const simBase = new URL(simUrl as string).origin;

      let a = await startHub(database, dataDir, 'instance-a');
      processes.push(a.process);
      await client.connect();
      const station = (await client.query('SELECT cash_station FROM restaurants WHERE id = $1',
        [DEMO.restaurantId])).rows[0] as { cash_station: string };
      await client.query('UPDATE restaurants SET cash_station = $1 WHERE id = $2', [
        JSON.stringify({ ...JSON.parse(station.cash_station), url: simUrl, username: 'cashier',
          password: SIM_PASSWORD }), DEMO.restaurantId,
      ]);
      await client.query('UPDATE corporations SET transfer_delay_sec = 1');
      const b = await startHub(database, dataDir, 'instance-b');
      processes.push(b.process);
      const token = await tokenFrom(a);

      await createOrders([a, b], token, 150);
      await waitUntil(async () => (await simulatorOrders(simBase)).length >= 20,
        'the first transfers', 600, 50);
      assert.equal(await a.process.stop('SIGKILL'), 'SIGKILL');

      await createOrders([b], token, 150);
      a = await startHub(database, dataDir, 'instance-a');
      processes.push(a.process);
      await createOrders([a, b], token, 60);

      const pending = async () => Number((await client.query(
        'SELECT count(*) AS n FROM orders WHERE status_id <> 4')).rows[0].n);
      await waitUntil(async () => await pending() === 0, 'every order at the kitchen', 1200, 100);

      const orders = (await client.query('SELECT id, status_id, pos_order_guid, full_amount '
        + 'FROM orders')).rows as { status_id: number; pos_order_guid: string;
        full_amount: number }[];
      assert.equal(orders.length, 360);
      const atStation = new Map<string, SimOrder[]>();
      for (const order of await simulatorOrders(simBase)) {
        const key = guidKey(order.guid);
        atStation.set(key, [...(atStation.get(key) ?? []), order]);
      }
      assert.equal(atStation.size, orders.length, 'no station order the hub does not know');
      for (const order of orders) {
        assert.equal(order.status_id, 4);
        const copies = atStation.get(guidKey(order.pos_order_guid)) ?? [];
        assert.equal(copies.length, 1, `order ${order.pos_order_guid} at the station once`);
        assert.equal(copies[0]?.orderSum, Number(order.full_amount), 'its lines were sent once');
        assert.equal(copies[0]?.deleted, false);
      }
      await Promise.all([a.process.stop(), b.process.stop(), sim.stop()]);
    } finally {
      await client.end().catch(() => undefined);
      await database.drop();
    }
  });
});
