import type { CommandInfo } from './command-dispatcher.js';
import { normalizeSimGuid } from './request-reading.js';
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
 * The remaining modes of §8.7 are issue #4.
 */
export type FaultSpec = FaultBase & (
  | { mode: 'decline'; params: { rk7ErrorN?: number; text: string; status?: SimErrorStatus } }
  | { mode: 'latency'; params: { ms: number; jitterMs?: number } }
  | { mode: 'hang'; params: { ms: number; commit?: boolean } }
  | { mode: 'dropAfterCommit'; params?: Record<string, never> }
  | { mode: 'httpStatus'; params: { code: number; commit?: boolean } }
  | { mode: 'malformedXml'; params?: { commit?: boolean } }
  | { mode: 'authFail'; params?: Record<string, never> }
);

/** The fault modes implemented so far. */
export type FaultMode = FaultSpec['mode'];

/** A registered fault with its id and how many more requests it will affect. */
export type ActiveFault = FaultSpec & { id: string; remaining: number; seen: number };

const MODES: ReadonlySet<string> = new Set<FaultMode>([
  'decline', 'latency', 'hang', 'dropAfterCommit', 'httpStatus', 'malformedXml', 'authFail',
]);

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

  list(): ActiveFault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** The faults this request triggers, in the order they were added; each use is counted. */
  take(commands: readonly CommandInfo[]): FaultSpec[] {
    const triggered: FaultSpec[] = [];
    for (const fault of this.#faults) {
      if (!commands.some((c) => matches(fault.match, c))) continue;

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
