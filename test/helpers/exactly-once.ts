import assert from 'node:assert/strict';
import type { SimOrderSnapshot } from '../../src/simulator/sim-station.js';
import { demoOrderBody } from './order-fixtures.js';
import type { TestHub } from './test-hub.js';

/** Real time plus an offset the test moves forward: "30 s later" without waiting 30 s. */
export class ShiftedClock {
  #offsetMs = 0;

  readonly now = (): number => Date.now() + this.#offsetMs;

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

/** Creates the demo order (978.00) and runs the timers that take it to the cash station. */
export async function placeAtStation(
  t: TestHub, body: Record<string, unknown> = demoOrderBody(),
): Promise<{ id: string; guid: string }> {
  const created = await t.api('POST', '/orders', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.result.orderId as string;
  await t.runTimers();

  const order = await t.hub.orders.orders.get(Number(id));
  assert.equal(order?.statusId, 4, `order ${id} reached the cash station`);
  return { id, guid: order.posOrderGuid as string };
}

/** The station's copy of an order; fails when the station does not know it. */
export function stationOrder(t: TestHub, guid: string): SimOrderSnapshot {
  const order = t.hub.simulator?.getOrder(guid);
  assert.ok(order, `the station knows order ${guid}`);
  return order;
}

/** The order as a client reads it. */
export async function orderOf(t: TestHub, id: string): Promise<Record<string, any>> {
  const read = await t.api('GET', `/orders/${id}`);
  assert.equal(read.status, 200);
  return read.body.result as Record<string, any>;
}

/** How many times the station received `cmd` (0 when no simulator is embedded). */
export function count(t: TestHub, cmd: string): number {
  return t.hub.simulator?.commandCount(cmd) ?? 0;
}
