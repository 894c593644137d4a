import { writeFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  type ServerProcess, demoToken, orderBody, startHub, startRaw,
} from './bench-processes.js';
import { type LoadResult, cannon, cannonAll, createRequest, lifecycles } from './load.js';
import { BULK_DAYS, bulkDay, insertBulkOrders } from './million-orders.js';
import { type PgBenchDatabase, createBenchDatabase } from './pg-bench-database.js';

/** What a scenario measured, beside its raw baseline. */
export interface ScenarioResult {
  name: string;
  title: string;
  /** The target as the issue states it. */
  target: string;
  /** How the load was made (connections, duration, query). */
  load: string;
  raw: LoadResult;
  hub: LoadResult;
  unit: string;
  /** Largest hub RSS during the measured run, MB. */
  hubRssMb: number;
  /** Hub CPU time per successful operation, ms (all hub processes of the scenario). */
  hubCpuMsPerOp: number;
  met: boolean;
  notes: string[];
}

/** Knobs shared by every scenario. */
export interface BenchContext {
  workDir: string;
  durationSec: number;
  /** PostgreSQL admin URL for the PostgreSQL scenario; undefined skips it. */
  postgresUrl: string | undefined;
  log(line: string): void;
}

export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

const MB = 1024 * 1024;

/** The lifecycle's `cashStation.maxConnections` (`BENCH_STATION_CONNECTIONS`, 64). */
const STATION_CONNECTIONS = Number(process.env.BENCH_STATION_CONNECTIONS ?? 64);

async function json(url: string, token: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, {
    ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  if (response.status >= 300) {
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

async function createOrder(hub: ServerProcess, token: string, n: number): Promise<string> {
  const body = await json(`${hub.url}/orders/api/v1/orders`, token,
    { method: 'POST', body: JSON.stringify(orderBody(n)) });
  return body.result.orderId as string;
}

/** Runs `statement` on a running SQLite hub's database (another connection; WAL allows it). */
function updateHubDb(dataDir: string, statement: string, value: number): void {
  const db = new SqliteDatabase(path.join(dataDir, 'hub.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(statement).run(value);
  } finally {
    db.close();
  }
}

function setTransferDelay(dataDir: string, seconds: number): void {
  updateHubDb(dataDir, 'UPDATE corporations SET transfer_delay_sec = ?', seconds);
}

/**
 * Sets every restaurant's `cashStation.maxConnections`: the in-process simulator answers as many
 * requests at once as it is sent, unlike the real RK7 server the default of 16 is meant for.
 */
function setStationConnections(dataDir: string, connections: number): void {
  updateHubDb(dataDir, 'UPDATE restaurants SET cash_station = '
    + "json_set(cash_station, '$.maxConnections', ?)", connections);
}

/** Starts the raw baseline with the hub's own answers, measures it, stops it. */
async function measureRaw(
  ctx: BenchContext, answers: { order: unknown; search: unknown },
  measure: (raw: ServerProcess) => Promise<LoadResult>,
): Promise<LoadResult> {
  const file = path.join(ctx.workDir, 'raw-answers.json');
  writeFileSync(file, JSON.stringify(answers));
  const raw = await startRaw(file);
  try {
    return await measure(raw);
  } finally {
    await raw.stop();
  }
}

function result(
  base: Omit<ScenarioResult, 'hubRssMb' | 'hubCpuMsPerOp' | 'met' | 'notes'>,
  hub: ServerProcess | ServerProcess[], met: (r: ScenarioResult) => boolean, notes: string[] = [],
): ScenarioResult {
  const hubs = Array.isArray(hub) ? hub : [hub];
  const cpuMs = hubs.reduce((sum, h) => sum + h.cpuMs(), 0);
  const full = {
    ...base, hubRssMb: Math.max(...hubs.map((h) => h.peakRss())) / MB,
    hubCpuMsPerOp: base.hub.ok > 0 ? cpuMs / base.hub.ok : 0, met: false, notes,
  };
  return { ...full, met: met(full) };
}

const ratio = (r: ScenarioResult) => r.hub.perSec / r.raw.perSec;

export const SCENARIOS: Scenario[] = [
  {
    name: 'create',
    async run(ctx) {
      const dataDir = path.join(ctx.workDir, 'create');
      const hub = await startHub({ dataDir });
      try {
        const token = await demoToken(hub.url);
        const order = await json(`${hub.url}/orders/api/v1/orders/${
          await createOrder(hub, token, -1)}`, token);
        const load = { connections: 64, durationSec: ctx.durationSec, token };
        const raw = await measureRaw(ctx, { order, search: { result: [] } },
          (r) => cannon({ ...load, url: r.url, request: createRequest() }));
        hub.resetPeakRss();
        const measured = await cannon({ ...load, url: hub.url, request: createRequest() });
        await hub.stop();
        const stored = countOrders(dataDir) - 1;
        return result({
          name: 'create', title: 'create order (durable), SQLite',
          target: '≥ 5,000/s, ≥ 0.2× raw, p99 ≤ 30 ms', unit: 'orders/s',
          load: `POST /orders, 64 connections, ${ctx.durationSec} s`, raw, hub: measured,
        }, hub, (r) => r.hub.perSec >= 5000 && ratio(r) >= 0.2 && r.hub.p99Ms <= 30,
        [`${stored} orders stored for ${measured.ok} acknowledged`]);
      } finally {
        await hub.stop();
      }
    },
  },
  {
    name: 'get',
    async run(ctx) {
      const dataDir = path.join(ctx.workDir, 'get');
      const hub = await startHub({ dataDir });
      try {
        const token = await demoToken(hub.url);
        setTransferDelay(dataDir, 3600);
        const ids: string[] = [];
        for (let n = 0; n < 1000; n += 1) ids.push(await createOrder(hub, token, n));
        const order = await json(`${hub.url}/orders/api/v1/orders/${ids[0]}`, token);
        const request = () => ({
          method: 'GET' as const, path: '/orders/api/v1/orders/1',
          setupRequest: (r: object) => ({
            ...r, path: `/orders/api/v1/orders/${ids[Math.floor(Math.random() * ids.length)]}`,
          }),
        });
        const load = { connections: 64, durationSec: ctx.durationSec, token };
        const raw = await measureRaw(ctx, { order, search: { result: [] } },
          (r) => cannon({ ...load, url: r.url, request: request() }));
        hub.resetPeakRss();
        const measured = await cannon({ ...load, url: hub.url, request: request() });
        return result({
          name: 'get', title: 'get order by id, SQLite', target: '≥ 0.5× raw', unit: 'req/s',
          load: `GET /orders/{id} over 1,000 orders, 64 connections, ${ctx.durationSec} s`,
          raw, hub: measured,
        }, hub, (r) => ratio(r) >= 0.5);
      } finally {
        await hub.stop();
      }
    },
  },
  {
    name: 'lifecycle',
    async run(ctx) {
      const dataDir = path.join(ctx.workDir, 'lifecycle');
      const hub = await startHub({ dataDir, env: { SCHEDULER_INTERVAL_MS: '50' } });
      try {
        const token = await demoToken(hub.url);
        setTransferDelay(dataDir, 0);
        setStationConnections(dataDir, STATION_CONNECTIONS);
        const id = await createOrder(hub, token, -1);
        let order = await json(`${hub.url}/orders/api/v1/orders/${id}`, token);
        for (let i = 0; i < 400 && order.result.orderStatusId !== 4; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          order = await json(`${hub.url}/orders/api/v1/orders/${id}`, token);
        }
        const raw = await measureRaw(ctx, { order, search: { result: [] } },
          (r) => lifecycles(r.url, token, 64, ctx.durationSec));
        hub.resetPeakRss();
        const measured = await lifecycles(hub.url, token, 64, ctx.durationSec);
        return result({
          name: 'lifecycle', title: 'full lifecycle create → kitchen → pay → complete, SQLite',
          target: '≥ 800 orders/s', unit: 'orders/s', raw, hub: measured,
          load: `64 clients, each: create, poll until status 4, pay, complete; `
            + `${ctx.durationSec} s; SCHEDULER_INTERVAL_MS=50, transfer delay 0, `
            + `station connections ${STATION_CONNECTIONS}`,
        }, hub, (r) => r.hub.perSec >= 800);
      } finally {
        await hub.stop();
      }
    },
  },
  {
    name: 'search',
    async run(ctx) {
      const dataDir = path.join(ctx.workDir, 'search');
      let hub = await startHub({ dataDir });
      const count = 1_000_000;
      let setupSec = 0;
      try {
        const token = await demoToken(hub.url);
        setTransferDelay(dataDir, 3600);
        const template = Number(await createOrder(hub, token, -1));
        await hub.stop();
        setupSec = insertBulkOrders(dataDir, template, count);
        ctx.log(`  inserted ${count} orders in ${setupSec.toFixed(1)} s`);
        hub = await startHub({ dataDir });

        const query = (day: number) => '/orders/api/v1/orders?includeStatusIds=11,12'
          + `&fromDate=${bulkDay(day)}&toDate=${bulkDay(day)}&limit=100`;
        const search = await json(hub.url + query(BULK_DAYS / 2), token);
        const request = () => ({
          method: 'GET' as const, path: query(1),
          setupRequest: (r: object) => ({
            ...r, path: query(1 + Math.floor(Math.random() * (BULK_DAYS - 2))),
          }),
        });
        const load = { connections: 4, durationSec: ctx.durationSec, token };
        const raw = await measureRaw(ctx, { order: {}, search },
          (r) => cannon({ ...load, url: r.url, request: request() }));
        hub.resetPeakRss();
        const measured = await cannon({ ...load, url: hub.url, request: request() });
        return result({
          name: 'search', title: '`GET /orders` search over 1,000,000 orders, SQLite',
          target: 'p99 ≤ 50 ms, hub RSS ≤ 300 MB', unit: 'req/s', raw, hub: measured,
          load: `status 11,12 + one day (≈ 9,900 matches), first page of 100, 4 connections, `
            + `${ctx.durationSec} s`,
        }, hub, (r) => r.hub.p99Ms <= 50 && r.hubRssMb <= 300,
        [`bulk insert of ${count} orders + lines: ${setupSec.toFixed(1)} s`]);
      } finally {
        await hub.stop();
      }
    },
  },
  {
    name: 'pg-create',
    async run(ctx) {
      if (!ctx.postgresUrl) throw new Error('no PostgreSQL (set BENCH_DATABASE_URL)');
      const database: PgBenchDatabase = await createBenchDatabase(ctx.postgresUrl);
      const hubs: ServerProcess[] = [];
      try {
        for (const name of ['pg-a', 'pg-b']) {
          hubs.push(await startHub({
            dataDir: path.join(ctx.workDir, name), databaseUrl: database.url,
            env: { INSTANCE_ID: name },
          }));
        }
        const [first] = hubs as [ServerProcess];
        const token = await demoToken(first.url);
        const order = await json(`${first.url}/orders/api/v1/orders/${
          await createOrder(first, token, -1)}`, token);
        const load = { connections: 64, durationSec: ctx.durationSec, token };
        const request = (i: number) => createRequest(i * 10_000_000);
        const raws: ServerProcess[] = [];
        const file = path.join(ctx.workDir, 'raw-answers.json');
        writeFileSync(file, JSON.stringify({ order, search: { result: [] } }));
        for (let i = 0; i < 2; i += 1) raws.push(await startRaw(file));
        const raw = await cannonAll(raws.map((r) => r.url), load, request);
        await Promise.all(raws.map((r) => r.stop()));
        for (const hub of hubs) hub.resetPeakRss();
        const measured = await cannonAll(hubs.map((h) => h.url), load, request);
        return result({
          name: 'pg-create', title: 'create order, PostgreSQL, two hub instances',
          target: '≥ 3,000/s total', unit: 'orders/s', raw, hub: measured,
          load: `POST /orders, 32 connections to each instance, ${ctx.durationSec} s; `
            + `raw: two bare servers`,
        }, hubs, (r) => r.hub.perSec >= 3000, [`PostgreSQL ${await database.version()}`]);
      } finally {
        await Promise.all(hubs.map((h) => h.stop()));
        await database.drop();
      }
    },
  },
];

function countOrders(dataDir: string): number {
  const db = new SqliteDatabase(path.join(dataDir, 'hub.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
