import type { CommandInfo } from './command-dispatcher.js';
import { normalizeSimGuid } from './request-reading.js';
import type { OverpayPolicy } from './sim-command.js';
import type { SimErrorStatus } from './sim-errors.js';

/** Which requests a fault applies to; every given field must match one command of the request. */
export interface FaultMatch {
  /** `CMD` value, case-sensitive like the station's. */
  cmd?: string;
  /** Order GUID (any spelling) the command is about. */
  orderGuid?: string;
  /** Apply from the Nth matching request on (1-based; earlier matches pass untouched). */
  nth?: number;
}

interface FaultBase {
  match?: FaultMatch;
  /** How many matching requests the fault affects; unlimited when absent. */
  times?: number;
}

/**
 * A fault of `rk7-xml.md` §8.7. `commit` says whether the command runs before the faulty
 * reply (`hang` and `httpStatus` default to not running it, `malformedXml` to running it).
 * Station-side modes apply to the commands they concern (see {@link appliesTo}):
 * - `lockedByStation`: the order is open on a POS; changes to it are refused with 2219 until
 *   the fault is removed ("unlock");
 * - `shiftClosing`: every request answers `Query Parse Error` `UCSERR(2172)`;
 * - `shiftTooOld`: CreateOrder refused with 2133;
 * - `licenceStrict`: SaveOrder/PayOrder without a `LicenseInfo@anchor` → "Bad license anchor";
 * - `stationOffline`: PayOrder refused, "Station {name} is not available";
 * - `dishNotFound`: SaveOrder does not know the dish `code` (an `<Error>` line, the rest saved);
 * - `fillingFails`: SaveOrder refused as a whole;
 * - `requireGuests`: CreateOrder without a guest count (or zero) refused with 3444;
 * - `overpayPolicy`: PayOrder weighs overpayment with the given policy (§8.4).
 */
export type FaultSpec = FaultBase & (
  | { mode: 'decline'; params: { rk7ErrorN?: number; text: string; status?: SimErrorStatus } }
  | { mode: 'latency'; params: { ms: number; jitterMs?: number } }
  | { mode: 'hang'; params: { ms: number; commit?: boolean } }
  | { mode: 'dropAfterCommit'; params?: Record<string, never> }
  | { mode: 'httpStatus'; params: { code: number; commit?: boolean } }
  | { mode: 'malformedXml'; params?: { commit?: boolean } }
  | { mode: 'authFail'; params?: Record<string, never> }
  | { mode: 'lockedByStation'; params?: { station?: number } }
  | { mode: 'shiftClosing'; params?: Record<string, never> }
  | { mode: 'shiftTooOld'; params?: Record<string, never> }
  | { mode: 'licenceStrict'; params?: Record<string, never> }
  | { mode: 'stationOffline'; params?: { station?: number } }
  | { mode: 'dishNotFound'; params: { code: string } }
  | { mode: 'fillingFails'; params?: { text?: string } }
  | { mode: 'requireGuests'; params?: Record<string, never> }
  | { mode: 'overpayPolicy'; params: { policy: OverpayPolicy } }
);

/** The fault modes implemented so far. */
export type FaultMode = FaultSpec['mode'];

/** A registered fault with its id and how many more requests it will affect. */
export type ActiveFault = FaultSpec & { id: string; remaining: number; seen: number };

const MODES: ReadonlySet<string> = new Set<FaultMode>([
  'decline', 'latency', 'hang', 'dropAfterCommit', 'httpStatus', 'malformedXml', 'authFail',
  'lockedByStation', 'shiftClosing', 'shiftTooOld', 'licenceStrict', 'stationOffline',
  'dishNotFound', 'fillingFails', 'requireGuests', 'overpayPolicy',
]);

/** Commands that change an existing order: what a lock at a POS refuses. */
const ORDER_CHANGES = ['SaveOrder', 'PayOrder', 'VoidOrder', 'UpdateOrder'];

/** The commands each station-side mode concerns; other modes concern every command. */
const MODE_COMMANDS: Partial<Record<FaultMode, readonly string[]>> = {
  lockedByStation: ORDER_CHANGES,
  shiftTooOld: ['CreateOrder'],
  licenceStrict: ['SaveOrder', 'PayOrder'],
  stationOffline: ['PayOrder'],
  dishNotFound: ['SaveOrder'],
  fillingFails: ['SaveOrder'],
  requireGuests: ['CreateOrder'],
  overpayPolicy: ['PayOrder'],
};

/** Whether a fault of `mode` concerns a command `cmd`. */
export function appliesTo(mode: FaultMode, cmd: string): boolean {
  return MODE_COMMANDS[mode]?.includes(cmd) ?? true;
}

const STATUSES: ReadonlySet<string> = new Set<SimErrorStatus>([
  'Query Parse Error', 'Bad Query Parameters', 'Query Executing Error',
]);

/** Holds the faults set on a simulator and hands out those a request triggers. */
export class FaultInjector {
  #faults: ActiveFault[] = [];
  #nextId = 1;

  /** Registers a fault; returns its id. Throws `TypeError` for a malformed spec. */
  add(spec: FaultSpec): string {
    const checked = parseFaultSpec(spec);
    const id = String(this.#nextId++);
    this.#faults.push({ ...checked, id, remaining: checked.times ?? Infinity, seen: 0 });
    return id;
  }

  clear(): void {
    this.#faults = [];
  }

  /** Removes one fault (e.g. the POS lock of `lockedByStation`); false when it was not set. */
  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length < before;
  }

  list(): ActiveFault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** The faults this request triggers, in the order they were added; each use is counted. */
  take(commands: readonly CommandInfo[]): FaultSpec[] {
    const triggered: FaultSpec[] = [];
    for (const fault of this.#faults) {
      if (!commands.some((c) => matches(fault.match, c) && appliesTo(fault.mode, c.cmd))) continue;

      fault.seen += 1;
      if (fault.seen < (fault.match?.nth ?? 1) || fault.remaining <= 0) continue;
      fault.remaining -= 1;
      triggered.push(fault);
    }
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
    return triggered;
  }
}

/** Whether a fault's match selects this command. */
export function matches(match: FaultMatch | undefined, command: CommandInfo): boolean {
  if (match?.cmd !== undefined && match.cmd !== command.cmd) return false;
  if (match?.orderGuid === undefined) return true;
  return command.orderGuid !== undefined
    && normalizeSimGuid(match.orderGuid) === normalizeSimGuid(command.orderGuid);
}

/** Checks a fault spec received as JSON (control API) or from code. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new TypeError('fault must be an object');
  const spec = input as Record<string, unknown>;
  if (typeof spec.mode !== 'string' || !MODES.has(spec.mode)) {
    throw new TypeError(`unknown fault mode ${String(spec.mode)}`);
  }
  optionalCount(spec.times, 'times');
  const match = spec.match as Record<string, unknown> | undefined;
  if (match !== undefined && (typeof match !== 'object' || match === null)) {
    throw new TypeError('match must be an object');
  }
  optionalString(match?.cmd, 'match.cmd');
  optionalString(match?.orderGuid, 'match.orderGuid');
  optionalCount(match?.nth, 'match.nth');

  const params = (spec.params ?? {}) as Record<string, unknown>;
  switch (spec.mode) {
    case 'decline':
      if (typeof params.text !== 'string') throw new TypeError('decline needs params.text');
      optionalCount(params.rk7ErrorN, 'params.rk7ErrorN');
      if (params.status !== undefined && !STATUSES.has(String(params.status))) {
        throw new TypeError(`unknown params.status ${String(params.status)}`);
      }
      break;
    case 'latency':
    case 'hang':
      requiredCount(params.ms, 'params.ms');
      break;
    case 'httpStatus':
      requiredCount(params.code, 'params.code');
      break;
    case 'lockedByStation':
    case 'stationOffline':
      optionalCount(params.station, 'params.station');
      break;
    case 'dishNotFound':
      if (typeof params.code !== 'string') throw new TypeError('dishNotFound needs params.code');
      break;
    case 'fillingFails':
      optionalString(params.text, 'params.text');
      break;
    case 'overpayPolicy':
      if (params.policy !== 'change-for-cash' && params.policy !== 'reject') {
        throw new TypeError('overpayPolicy needs params.policy change-for-cash or reject');
      }
      break;
  }
  return { ...spec, params } as FaultSpec;
}

function optionalString(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`${name} must be text`);
}

function optionalCount(value: unknown, name: string): void {
  if (value !== undefined) requiredCount(value, name);
}

function requiredCount(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer`);
  }
}
