import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimOrderSnapshot } from '../../src/simulator/sim-station.js';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.js';
import { type Store, openStore } from '../../src/store/database.js';
import { DEMO } from '../../src/store/seed-demo.js';
import { type AuditCounts, audit } from './chaos-audit.js';
import {
  ChaosClient, type DedupeMode, type LifecycleTrace, type WireCounters,
} from './chaos-client.js';
import { type Random, randomFault, seededRandom } from './chaos-faults.js';
import {
  SIM_USER, control, converge, createDatabase, freePort, prepareDatabase,
} from './chaos-setup.js';
import { HubChild } from './hub-child.js';

/** What to run. */
export interface ChaosOptions {
  lifecycles: number;
  kills: number;
  /** Lifecycles played at once. */
  concurrency: number;
  /** Admin `postgres://` URL: the run uses a throw-away database there; SQLite otherwise. */
  databaseUrl?: string | undefined;
  seed?: number;
  /** The hub's `CASH_TIMEOUT_MS`; hangs are made longer than it. */
  cashTimeoutMs?: number;
  /** One fault per this many client requests (20 by default), while lifecycles start. */
  faultEveryRequests?: number;
  /** Keep the data directory (hub log, SQLite file) even when every count is 0. */
  keepData?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The figures of a run. */
export interface ChaosReport {
  seed: number;
  storage: 'sqlite' | 'postgres';
  lifecycles: number;
  completed: number;
  kills: number;
  hubStarts: number;
  faultsInjected: number;
  durationMs: number;
  wire: WireCounters;
  counts: AuditCounts;
  problems: string[];
  dataDir: string;
}

const LIFECYCLE_TIMEOUT_MS = 10 * 60_000;

/**
 * The chaos run of issue #4: N lifecycles (create → transfer → pay → complete) against a hub
 * child process and a simulator injecting random faults, the hub SIGKILLed at random moments
 * and started again; at the end hub and station are compared (see {@link audit}).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0);
  const random = seededRandom(seed);
  const log = options.log ?? (() => {});
  const cashTimeoutMs = options.cashTimeoutMs ?? 1_000;
  const started = Date.now();
  const runId = randomBytes(3).toString('hex');
  const markerPrefix = `chaos ${runId} #`;

  const dataDir = await mkdtemp(path.join(tmpdir(), 'delivery-hub-chaos-'));
  const database = options.databaseUrl ? await createDatabase(options.databaseUrl) : undefined;
  const password = randomBytes(9).toString('base64url');
  const sim = await startSimulator({ username: SIM_USER, password, control: true });
  let hub: HubChild | undefined;
  let store: Store | undefined;
  let clean = false;
  try {
    await prepareDatabase({ databaseUrl: database?.url, dataDir }, sim.url, password,
      cashTimeoutMs);
    const port = await freePort();
    hub = new HubChild({
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ADMIN_TOKEN: 'chaos-admin', INSTANCE_ID: 'chaos-hub', SCHEDULER_INTERVAL_MS: '50',
      CASH_TIMEOUT_MS: String(cashTimeoutMs), STATION_POLL_INTERVAL_MS: '5000',
      RATE_LIMIT_PER_MINUTE: '0', SEED_DEMO: 'true',
    }, path.join(dataDir, 'hub.log'));
    await hub.start();
    log(`chaos ${runId}: seed ${seed}, ${options.lifecycles} lifecycles, ${options.kills} kills, `
      + `${database ? 'PostgreSQL' : 'SQLite'}, data ${dataDir}`);

    const client = new ChaosClient(`http://127.0.0.1:${port}`,
      { clientId: DEMO.clientId, clientSecret: DEMO.clientSecret });
    const play = await playLifecycles({ options, random, hub, client, sim, password,
      markerPrefix, hangMs: cashTimeoutMs + 500, log });

    store = await openStore({ databaseUrl: database?.url, dataDir });
    await converge(store, markerPrefix);
    await hub.stop();
    const state = await (await control(sim, password, 'GET', '/_sim/state'))
      .json() as { orders: SimOrderSnapshot[] };
    const { counts, problems } = await audit(store.db, play.traces, state.orders, markerPrefix);
    clean = Object.values(counts).every((n) => n === 0);
    return {
      seed, storage: database ? 'postgres' : 'sqlite', lifecycles: options.lifecycles,
      completed: play.traces.filter((t) => t.completeAcknowledged).length, kills: play.kills,
      hubStarts: hub.starts, faultsInjected: play.faults, durationMs: Date.now() - started,
      wire: client.counters, counts, problems,
      dataDir: clean && !options.keepData ? '' : dataDir,
    };
  } finally {
    await hub?.stop();
    await store?.close();
    await sim.close();
    await database?.drop();
    if (clean && !options.keepData) await rm(dataDir, { recursive: true, force: true });
  }
}

interface Play {
  options: ChaosOptions;
  random: Random;
  hub: HubChild;
  client: ChaosClient;
  sim: RunningSimulator;
  password: string;
  markerPrefix: string;
  hangMs: number;
  log: (line: string) => void;
}

/**
 * Runs the lifecycles with `concurrency` clients while a killer SIGKILLs the hub at random
 * moments (spread over the run by finished lifecycles) and faults are injected in proportion
 * to the traffic, until the last lifecycle has started.
 */
async function playLifecycles(play: Play) {
  const { options, random, hub, client, log } = play;
  const traces: LifecycleTrace[] = [];
  let next = 0;
  let finished = 0;
  let running = true;
  let kills = 0;
  let faults = 0;

  const thresholds = Array.from({ length: options.kills },
    () => Math.floor((0.03 + random() * 0.94) * options.lifecycles)).sort((a, b) => a - b);
  const killer = async () => {
    while (thresholds.length > 0 && running) {
      if (finished < (thresholds[0] as number)) {
        await sleep(10);
        continue;
      }
      thresholds.shift();
      await sleep(Math.floor(random() * 400));
      await hub.kill();
      kills += 1;
      await hub.start();
      log(`kill ${kills} at ${finished} finished lifecycles; hub back`);
    }
  };

  const faultEvery = options.faultEveryRequests ?? 20;
  const faulter = async () => {
    let due = faultEvery;
    for (let n = 1; running && next < options.lifecycles; n++) {
      if (client.counters.requests < due) {
        await sleep(10);
        continue;
      }
      due = client.counters.requests + Math.ceil(random() * 2 * faultEvery);
      if (n % 40 === 0) await control(play.sim, play.password, 'DELETE', '/_sim/faults');
      const answer = await control(play.sim, play.password, 'POST', '/_sim/faults',
        randomFault(random, play.hangMs));
      if (answer.ok) faults += 1;
    }
  };

  const worker = async () => {
    while (next < options.lifecycles) {
      const index = next++;
      const mode = (['key', 'external', 'body'] as const)[index % 3] as DedupeMode;
      const trace: LifecycleTrace = { index, mode, marker: `${play.markerPrefix}${index}`,
        orderIds: new Set(), paid: undefined, payAcknowledged: false,
        completeAcknowledged: false, anomalies: [] };
      traces.push(trace);
      try {
        await client.lifecycle(trace, orderBody(trace, random), Date.now() + LIFECYCLE_TIMEOUT_MS);
      } catch (err) {
        log(`lifecycle ${index} gave up: ${err instanceof Error ? err.message : String(err)}`);
      }
      finished += 1;
      if (finished % 500 === 0) log(`${finished} lifecycles finished`);
    }
  };

  const chaos = Promise.all([killer(), faulter()]);
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    running = false;
    await chaos;
    await control(play.sim, play.password, 'DELETE', '/_sim/faults');
  }
  return { traces, kills, faults };
}

/** A pickup order of 1–3 of up to four dishes, marked with the lifecycle's comment. */
function orderBody(trace: LifecycleTrace, random: () => number): Record<string, unknown> {
  const dishes = [DEMO.dishes.caesar, DEMO.dishes.borscht, DEMO.dishes.mors, DEMO.dishes.pie]
    .filter((_, i) => i === 0 || random() < 0.5)
    .map((id) => ({ id, quantity: 1 + Math.floor(random() * 3) }));
  return {
    restaurantId: DEMO.restaurantId, expeditionType: 'pickup', paymentTypeId: 'card',
    soonest: true, persons: 1, comment: trace.marker,
    guest: { firstName: 'Chaos', phone: '79000000000' }, dishList: dishes,
    ...(trace.mode === 'external' ? { orderExternalId: trace.marker } : {}),
  };
}

