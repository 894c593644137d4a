import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { CashStationError } from '../../src/cash/cash-station.js';
import type { CashStationConfig, StationOrderDraft } from '../../src/cash/cash-station.js';
import { createRk7Connector } from '../../src/cash/rk7/rk7-connector.js';
import type { Rk7Connector } from '../../src/cash/rk7/rk7-connector.js';
import { startSimulator } from '../../src/simulator/start-simulator.js';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';

/**
 * The two places a CashStation contract suite runs: the RK7 connector against the simulator,
 * always, and against a real RK7 cash server when `RK7_URL` and its companions (`REAL_ENV`,
 * listed in the README) are set. Unpaid orders a suite creates on a real server are
 * voided when it stops, so the till is left as it was found.
 */

export const silentLogger = pino({ level: 'silent' });

export interface CashHarness {
  config: CashStationConfig;
  station: Rk7Connector;
  sim: RunningSimulator | undefined;
  currencyGuid: string;
  dishes: { caesar: string; borscht: string; mors: string; pie: string };
  /** Orders created by the suite. */
  created: string[];
  stop(): Promise<void>;
}

export interface CashTarget {
  name: string;
  simulated: boolean;
  skip: string | false;
  start(): Promise<CashHarness>;
}

const SIM_USER = 'cashier';
const SIM_PASSWORD = 'contract-secret';

const REAL_ENV = [
  'RK7_URL', 'RK7_USER', 'RK7_PASSWORD', 'RK7_STATION_ID', 'RK7_CASHIER_ID', 'RK7_TABLE_ID',
  'RK7_ORDER_CATEGORY_ID', 'RK7_VOID_REASON_ID', 'RK7_CURRENCY_GUID', 'RK7_DISH_CODES',
  'RK7_DELIVERY_DISH_CODE',
] as const;

/** The simulator target and the real-server target (skipped without `RK7_URL`). */
export function cashTargets(): CashTarget[] {
  return [simulatorTarget(), realTarget()];
}

function simulatorTarget(): CashTarget {
  return {
    name: 'simulator',
    simulated: true,
    skip: false,
    async start() {
      const sim = await startSimulator({ username: SIM_USER, password: SIM_PASSWORD });
      const config = stationConfig({ url: sim.url, username: SIM_USER, password: SIM_PASSWORD });
      const station = createRk7Connector(config, { logger: silentLogger });
      return {
        config, station, sim, created: [],
        currencyGuid: '16D72549-14D8-4F31-9E2A-0A833D4F5EED',
        dishes: { caesar: '101', borscht: '102', mors: '103', pie: '104' },
        async stop() {
          await station.close();
          await sim.close();
        },
      };
    },
  };
}

function realTarget(): CashTarget {
  const missing = REAL_ENV.filter((name) => !process.env[name]);
  return {
    name: 'real RK7 server',
    simulated: false,
    skip: process.env.RK7_URL === undefined
      ? 'RK7_URL not set'
      : missing.length > 0 ? `missing ${missing.join(', ')}` : false,
    async start() {
      const env = (name: (typeof REAL_ENV)[number]) => process.env[name] ?? '';
      const config = stationConfig({
        url: env('RK7_URL'),
        username: env('RK7_USER'),
        password: env('RK7_PASSWORD'),
        tlsInsecure: process.env.RK7_TLS_INSECURE !== '0',
        stationId: Number(env('RK7_STATION_ID')),
        cashierId: Number(env('RK7_CASHIER_ID')),
        tableId: Number(env('RK7_TABLE_ID')),
        orderCategoryId: Number(env('RK7_ORDER_CATEGORY_ID')),
        voidReasonId: Number(env('RK7_VOID_REASON_ID')),
        deliveryFeeDishCode: env('RK7_DELIVERY_DISH_CODE'),
        timeoutMs: Number(process.env.RK7_TIMEOUT_MS ?? 30_000),
      });
      const [caesar = '', borscht = '', mors = '', pie = ''] = env('RK7_DISH_CODES').split(',');
      const station = createRk7Connector(config, { logger: silentLogger });
      const harness: CashHarness = {
        config, station, sim: undefined, created: [],
        currencyGuid: env('RK7_CURRENCY_GUID'),
        dishes: { caesar, borscht, mors, pie },
        async stop() {
          for (const guid of harness.created) {
            const order = await station.getOrder(guid).catch(() => undefined);
            if (order === undefined || order.paid || order.deleted) continue;
            await station.voidOrder(guid).catch(() => undefined);
          }
          await station.close();
        },
      };
      return harness;
    },
  };
}

export function stationConfig(overrides: Partial<CashStationConfig>): CashStationConfig {
  return {
    url: '',
    username: '',
    password: '',
    tlsInsecure: false,
    stationId: 15001,
    cashierId: 1001,
    tableId: 1,
    orderCategoryId: 3,
    voidReasonId: 1,
    deliveryFeeDishCode: '105',
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** The story's order at the station: 400.00 + 290.00 + 2 × 144.00 = 978.00. */
export function demoDraft(h: CashHarness): StationOrderDraft {
  return {
    guid: randomUUID().toUpperCase(),
    hubOrderId: `contract-${randomUUID().slice(0, 8)}`,
    guests: 1,
    comment: 'Contract test order',
    deliveryFee: 0,
    lines: [
      { code: h.dishes.caesar, quantity: 1000, price: 40000, modifiers: [] },
      { code: h.dishes.borscht, quantity: 1000, price: 29000, modifiers: [] },
      { code: h.dishes.mors, quantity: 2000, price: 14400, modifiers: [] },
    ],
  };
}

/** Creates the order at the station and remembers it for clean-up. */
export async function createAtStation(h: CashHarness, draft: StationOrderDraft) {
  h.created.push(draft.guid);
  return h.station.createOrder(draft);
}

/** The CashStationError a call fails with; fails the test when it succeeds. */
export async function cashRejection(promise: Promise<unknown>): Promise<CashStationError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CashStationError, `expected a CashStationError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
