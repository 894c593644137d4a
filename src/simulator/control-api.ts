import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultSpec } from './fault-injector.js';
import type { FaultInjector } from './fault-injector.js';
import { SimCommandError } from './sim-errors.js';
import type { SimStation } from './sim-station.js';

/**
 * The control API of §8.7 for tests and demos driving a simulator in another process:
 * `GET /_sim/state`, `GET|POST|DELETE /_sim/faults`, `DELETE /_sim/faults/{id}` (e.g. the
 * "unlock" of `lockedByStation`), `POST /_sim/reset`, `POST /_sim/actions` (`payAtTill`,
 * `voidAtTill`, `openOnPos`, `closeOnPos`, `closeShift`, `openShift`). Bodies and answers are
 * JSON. Served only when the simulator is started with `control: true`.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  body: string,
  deps: { station: SimStation; faults: FaultInjector },
): Promise<void> {
  const { station, faults } = deps;
  const route = `${req.method ?? 'GET'} ${pathname}`;
  try {
    switch (route) {
      case 'GET /_sim/state':
        return json(res, 200, {
          globalVersion: station.state.globalVersion,
          orders: station.orders(),
        });
      case 'GET /_sim/faults':
        return json(res, 200, faults.list());
      case 'POST /_sim/faults':
        return json(res, 201, { id: faults.add(parseFaultSpec(parseJson(body))) });
      case 'DELETE /_sim/faults':
        faults.clear();
        return json(res, 200, {});
      case `DELETE /_sim/faults/${faultId(pathname)}`:
        return faults.remove(faultId(pathname))
          ? json(res, 200, {})
          : json(res, 404, { error: `no fault ${faultId(pathname)}` });
      case 'POST /_sim/reset':
        faults.clear();
        await station.reset();
        return json(res, 200, {});
      case 'POST /_sim/actions':
        return json(res, 200, await runAction(station, parseJson(body)));
      default:
        return json(res, 404, { error: `no control route ${route}` });
    }
  } catch (err) {
    if (err instanceof SimCommandError) {
      return json(res, 409, { status: err.status, rk7ErrorN: err.rk7ErrorN, text: err.text });
    }
    if (err instanceof TypeError || err instanceof SyntaxError) {
      return json(res, 400, { error: err.message });
    }
    throw err;
  }
}

/** The `{id}` of `/_sim/faults/{id}`, or a value no route has. */
function faultId(pathname: string): string {
  const m = /^\/_sim\/faults\/([^/]+)$/.exec(pathname);
  return m?.[1] ?? '\u0000';
}

async function runAction(station: SimStation, input: unknown): Promise<unknown> {
  const action = (input ?? {}) as Record<string, unknown>;
  if (action.action === 'closeShift') return station.closeShift();
  if (action.action === 'openShift') return station.openShift();
  if (typeof action.orderGuid !== 'string') throw new TypeError('orderGuid must be text');

  switch (action.action) {
    case 'openOnPos':
      if (action.station !== undefined && !Number.isInteger(action.station)) {
        throw new TypeError('station must be a CASHES ident');
      }
      return station.openOnPos({
        orderGuid: action.orderGuid, station: action.station as number | undefined,
      });
    case 'closeOnPos':
      return station.closeOnPos({ orderGuid: action.orderGuid });
    case 'payAtTill':
      if (typeof action.amount !== 'number' || !Number.isInteger(action.amount)) {
        throw new TypeError('amount must be an integer number of kopecks');
      }
      if (action.currency !== undefined && typeof action.currency !== 'string') {
        throw new TypeError('currency must be text');
      }
      return station.payAtTill({
        orderGuid: action.orderGuid, amount: action.amount, currency: action.currency,
      });
    case 'voidAtTill':
      return station.voidAtTill({ orderGuid: action.orderGuid });
    default:
      throw new TypeError(`unknown action ${String(action.action)}`);
  }
}

function parseJson(body: string): unknown {
  return body.trim() === '' ? undefined : JSON.parse(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}
