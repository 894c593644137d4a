import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { FaultInjector } from './fault-injector.js';
import type { ActiveFault, FaultSpec } from './fault-injector.js';
import { createSeedState, DEFAULT_NUM_ON_TABLE_SEED } from './seed-fixtures.js';
import type { OverpayPolicy } from './sim-command.js';
import type { SimLanguage } from './sim-errors.js';
import { createSimHttpServer, XML_INTERFACE_PATH } from './sim-http-server.js';
import { SimStation } from './sim-station.js';
import type { PayAtTill, SimOrderSnapshot } from './sim-station.js';
import type { SimShift } from './sim-state.js';
import { StateStore } from './state-store.js';

/** How to start a simulator. */
export interface SimulatorOptions {
  /** Listening address; `127.0.0.1` by default. */
  host?: string;
  /** Listening port; 0 (any free port) by default. */
  port?: number;
  /** HTTP Basic credentials of the seeded cashier (1001). */
  username: string;
  password: string;
  /**
   * JSON file the state is loaded from at start and saved to after every change (with a
   * journal of recent changes beside it, `<file>.<n>.journal`, folded in at close).
   */
  stateFile?: string;
  /** Orders already numbered on the delivery table (72 → the first order is "1.73"). */
  numOnTableSeed?: number;
  /** What PayOrder does with more money than due (§8.4); `change-for-cash` by default. */
  overpayPolicy?: OverpayPolicy;
  /** Language of the station texts that have a known Russian original; English by default. */
  language?: SimLanguage;
  /** Serve the `/_sim/…` control API (tests and demos only). */
  control?: boolean;
  /** Clock in ms since the epoch; `Date.now` by default. */
  clock?: () => number;
  logger?: Logger;
}

/** A running simulator and its in-process control surface. */
export interface RunningSimulator {
  /** Full XML-interface URL, e.g. `http://127.0.0.1:40123/rk7api/v0/xmlinterface.xml`. */
  readonly url: string;
  /** `http://host:port`, where the control API lives. */
  readonly baseUrl: string;
  /** The HTTP Basic credentials it accepts. */
  readonly credentials: { readonly username: string; readonly password: string };
  /** Stops listening, ends held requests and open connections, and folds the state journal. */
  close(): Promise<void>;
  /** How many times a `CMD` was received (declined and faulted requests included). */
  commandCount(cmd: string): number;
  /** Back to the seeded station; faults and command counts are cleared too. */
  reset(): Promise<void>;
  /** A snapshot of a station order with its sums, or `undefined`. */
  getOrder(guid: string): SimOrderSnapshot | undefined;
  /** Station-side actions (§8.7): what a cashier does at the till. */
  readonly actions: {
    payAtTill(action: PayAtTill): Promise<SimOrderSnapshot>;
    voidAtTill(action: { orderGuid: string }): Promise<SimOrderSnapshot>;
    /** The order opened on a POS: locked by that station (2219) until `closeOnPos`. */
    openOnPos(action: { orderGuid: string; station?: number }): Promise<SimOrderSnapshot>;
    closeOnPos(action: { orderGuid: string }): Promise<SimOrderSnapshot>;
    /** The shift starts closing: every request answers 2172 until `openShift`. */
    closeShift(): Promise<SimShift>;
    openShift(): Promise<SimShift>;
  };
  /** Fault injection (§8.7). */
  readonly faults: {
    /** Registers a fault; returns its id. */
    add(spec: FaultSpec): string;
    /** Removes one fault, e.g. the POS lock of `lockedByStation` ("unlock"). */
    remove(id: string): boolean;
    clear(): void;
    list(): ActiveFault[];
  };
}

/**
 * Starts the RK7 cash-server simulator (`rk7-xml.md` §8) on HTTP. With a state file, orders
 * survive restarts; without one, every start is a fresh seeded station.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const clock = options.clock ?? Date.now;
  const numOnTableSeed = options.numOnTableSeed ?? DEFAULT_NUM_ON_TABLE_SEED;
  const logger = options.logger ?? pino({ level: 'silent' });
  const store = options.stateFile === undefined ? undefined : new StateStore(options.stateFile);
  const state = await store?.load() ?? createSeedState({ numOnTableSeed, now: new Date(clock()) });

  const station = new SimStation({
    state,
    store,
    clock,
    numOnTableSeed,
    settings: {
      overpayPolicy: options.overpayPolicy ?? 'change-for-cash',
      language: options.language ?? 'en',
    },
  });
  const faults = new FaultInjector();
  const http = createSimHttpServer({
    station,
    faults,
    username: options.username,
    password: options.password,
    logger,
    control: options.control ?? false,
  });

  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.server.off('error', reject);
      resolve();
    });
  });
  const address = http.server.address() as AddressInfo;
  const baseUrl = `http://${urlHost(address.address)}:${address.port}`;
  await station.save();

  return {
    url: `${baseUrl}${XML_INTERFACE_PATH}`,
    baseUrl,
    credentials: { username: options.username, password: options.password },
    async close() {
      await http.close();
      await store?.close();
    },
    commandCount: (cmd) => station.commandCount(cmd),
    async reset() {
      faults.clear();
      await station.reset();
    },
    getOrder: (guid) => station.getOrder(guid),
    actions: {
      payAtTill: (action) => station.payAtTill(action),
      voidAtTill: (action) => station.voidAtTill(action),
      openOnPos: (action) => station.openOnPos(action),
      closeOnPos: (action) => station.closeOnPos(action),
      closeShift: () => station.closeShift(),
      openShift: () => station.openShift(),
    },
    faults: {
      add: (spec) => faults.add(spec),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
  };
}

/** Options of `delivery-hub simulator`. */
export interface StandaloneSimulatorOptions {
  port: number;
  host: string;
  username: string;
  password: string;
  stateFile?: string;
  /** Serve the `/_sim/…` control API; off unless asked for (test and demo setups). */
  control?: boolean;
  logger?: Logger;
}

/** Starts a standalone simulator (the CLI's `simulator` command) and logs where it listens. */
export async function runStandaloneSimulator(
  options: StandaloneSimulatorOptions,
): Promise<RunningSimulator> {
  const logger = options.logger ?? pino({ name: 'rk7-simulator' });
  const simulator = await startSimulator({
    port: options.port,
    host: options.host,
    username: options.username,
    password: options.password,
    stateFile: options.stateFile,
    control: options.control ?? false,
    logger,
  });
  logger.info({
    url: simulator.url, stateFile: options.stateFile, control: options.control ?? false,
  }, 'simulator listening');
  return simulator;
}

function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
