import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultSpec } from './fault-injector.js';
import type { FaultInjector } from './fault-injector.js';
import { SimCommandError } from './sim-errors.js';
import type { SimStation } from './sim-station.js';

/**
 * The control API of §8.7 for tests and demos driving a simulator in another process:
 * `GET /_sim/state`, `GET|POST|DELETE /_sim/faults`, `POST /_sim/reset`, `POST /_sim/actions`.
 * Bodies and answers are JSON. Served only when the simulator is started with `control: true`.
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

async function runAction(station: SimStation, input: unknown): Promise<unknown> {
  const action = (input ?? {}) as Record<string, unknown>;
  if (typeof action.orderGuid !== 'string') throw new TypeError('orderGuid must be text');

  switch (action.action) {
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
