import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { ChainRepo } from '../../src/store/chain-repo.js';
import { type Store, openStore } from '../../src/store/database.js';
import { DEMO, seedDemo } from '../../src/store/seed-demo.js';

/** What the chaos run sets up around the hub: storage, the simulator's control API, a port. */

export const SIM_USER = 'cashier';
const CONVERGE_MS = 120_000;

/** Seeds the demo chain and points its restaurant at the run's simulator. */
export async function prepareDatabase(
  where: { databaseUrl: string | undefined; dataDir: string }, simUrl: string, password: string,
  cashTimeoutMs: number,
): Promise<void> {
  const store = await openStore(where);
  try {
    await seedDemo(store.db, { now: new Date().toISOString(), transferDelaySec: 0,
      orderProcessing: 'auto' });
    const restaurant = await new ChainRepo(store.db).getRestaurant(DEMO.restaurantId);
    if (!restaurant) throw new Error('the demo restaurant was not seeded');
    await store.db.updateTable('restaurants').set({
      cashStation: JSON.stringify({ ...restaurant.cashStation, url: simUrl, username: SIM_USER,
        password, timeoutMs: cashTimeoutMs }),
    }).where('id', '=', DEMO.restaurantId).execute();
  } finally {
    await store.close();
  }
}

/** Waits until no journal entry is open and every lifecycle's order is completed. */
export async function converge(store: Store, markerPrefix: string): Promise<void> {
  const deadline = Date.now() + CONVERGE_MS;
  while (Date.now() < deadline) {
    const open = await store.db.selectFrom('stationOperations').select('id')
      .where('state', 'in', ['intent', 'unknown']).limit(1).execute();
    const pending = await store.db.selectFrom('orders').select('id')
      .where('comment', 'like', `${markerPrefix}%`).where('statusId', '!=', 11).limit(1).execute();
    if (open.length === 0 && pending.length === 0) return;
    await sleep(500);
  }
}

export function control(
  sim: RunningSimulator, password: string, method: string, route: string, body?: unknown,
): Promise<Response> {
  return fetch(new URL(route, sim.baseUrl), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${SIM_USER}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** A throw-away PostgreSQL database next to the admin one. */
export async function createDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `dh_chaos_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
