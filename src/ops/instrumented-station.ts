import { CashStationError } from '../cash/cash-station.js';
import type { CashStation } from '../cash/cash-station.js';

/** Receives one timed cash-station call; `failureKind` is undefined on success. */
export type CashCallObserver = (command: string, seconds: number, failureKind?: string) => void;

/** Methods that manage the connector rather than talk to the station. */
const NOT_CALLS: ReadonlySet<string> = new Set(['close']);

/**
 * Wraps a {@link CashStation} so that every call is timed and its failure kind recorded, at the
 * port boundary: the domain and the connector stay unaware of metrics. Every method of the port
 * is covered, including ones added later; the command label is the method name. A failure that
 * is not a {@link CashStationError} (a bug, not a station answer) is recorded as `internal`.
 */
export function instrumentStation<T extends CashStation>(station: T, observe: CashCallObserver): T {
  const wrappers = new Map<string, (...args: unknown[]) => Promise<unknown>>();

  function wrap(command: string, method: (...args: unknown[]) => Promise<unknown>) {
    return async (...args: unknown[]): Promise<unknown> => {
      const started = performance.now();
      try {
        const result = await method.apply(station, args);
        observe(command, seconds(started));
        return result;
      } catch (err) {
        const kind = err instanceof CashStationError ? err.kind : 'internal';
        observe(command, seconds(started), kind);
        throw err;
      }
    };
  }

  return new Proxy(station, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function' || NOT_CALLS.has(property)) {
        return value;
      }

      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = wrap(property, value as (...args: unknown[]) => Promise<unknown>);
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}
