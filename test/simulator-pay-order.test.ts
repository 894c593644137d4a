import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  createOrderRequest, payOrderRequest, saveOrderRequest, voidOrderRequest,
} from '../src/cash/rk7/rk7-requests.js';
import type { SaveOrderDish } from '../src/cash/rk7/rk7-requests.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';
import type { Rk7Request, Rk7Result } from '../src/cash/rk7/xml-protocol.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { RunningSimulator, SimulatorOptions } from '../src/simulator/start-simulator.js';

/** PayOrder at the simulated station: the decision table of rk7-xml.md §8.4, row by row. */

const USER = 'cashier';
const PASSWORD = 'pay-secret';
const ROUBLES = '16D72549-14D8-4F31-9E2A-0A833D4F5EED';
const CARD = 'A1356E82-8C6A-4070-A40C-D921D89AA8D5';
// A fixed local time, so replies can be compared with the templates byte for byte.
const AT = new Date(2024, 2, 1, 12, 5, 0).getTime();
const DEMO: SaveOrderDish[] = [
  { code: '101', quantity: 1000, price: 40000, modifiers: [] },
  { code: '102', quantity: 1000, price: 29000, modifiers: [] },
  { code: '103', quantity: 2000, price: 14400, modifiers: [] },
];

async function start(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ username: USER, password: PASSWORD, clock: () => AT, ...options });
}

async function post(
  sim: RunningSimulator,
  xml: string,
): Promise<{ body: string; result: Rk7Result }> {
  const response = await fetch(sim.url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
      'content-type': 'application/xml; charset=utf-8',
    },
    body: xml,
  });
  assert.equal(response.status, 200);
  const body = await response.text();
  return { body, result: parseRk7Result(body) };
}

async function send(sim: RunningSimulator, req: Rk7Request): Promise<Rk7Result> {
  return (await post(sim, req.xml)).result;
}

async function newOrder(sim: RunningSimulator, dishes: SaveOrderDish[] = DEMO): Promise<string> {
  const guid = randomUUID().toUpperCase();
  const created = await send(sim, createOrderRequest({
    guid, tableId: 1, stationId: 15001, cashierId: 1001, orderCategoryId: 3, guests: 1,
    hubOrderId: '1', comment: '',
  }));
  assert.equal(created.status, 'Ok');
  if (dishes.length > 0) {
    assert.equal((await send(sim, saveOrderRequest(guid, dishes))).status, 'Ok');
  }
  return guid;
}

function pay(
  guid: string,
  payments: { currencyGuid: string; amount: number }[],
  stationId = 15001,
): Rk7Request {
  return payOrderRequest({ guid, stationId, cashierId: 1001, payments });
}

function body(xml: string): string {
  return xml.replace(/^<\?xml[^>]*\?>/, '');
}

describe('simulator PayOrder decision table', () => {
  let sim: RunningSimulator;

  before(async () => {
    sim = await start();
  });
  beforeEach(async () => {
    await sim.reset();
  });
  after(async () => {
    await sim.close();
  });

  test('an unknown order is not found', async () => {
    const result = await send(sim, pay(randomUUID(), [{ currencyGuid: ROUBLES, amount: 1 }]));

    assert.equal(result.status, 'Query Executing Error');
    assert.equal(result.errorText, 'order not found');
    assert.equal(result.rk7ErrorN, undefined);
  });

  test('a deleted order is refused', async () => {
    const guid = await newOrder(sim);
    await send(sim, voidOrderRequest({ guid, stationId: 15001, managerId: 1002, reasonId: 1 }));

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 97800 }]));
    assert.equal(result.errorText, 'order is deleted');
  });

  test('an unknown station or currency is a reference not found', async () => {
    const guid = await newOrder(sim);

    const station = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 97800 }], 15009));
    const currency = await send(sim, pay(guid, [{ currencyGuid: randomUUID(), amount: 97800 }]));
    assert.equal(station.errorText, 'Не найден элемент 15009 в коллекции Cashes');
    assert.match(currency.errorText,
      /^Не найден элемент \{[0-9A-F-]{36}\} в коллекции Currencies$/);
    assert.equal(sim.getOrder(guid)?.paid, false);
  });

  test('a short payment is [3373], byte for byte as the template', async () => {
    const guid = await newOrder(sim);

    const short = pay(guid, [{ currencyGuid: ROUBLES, amount: 97799 }]);
    const { body: xml } = await post(sim, short.xml);
    assert.equal(body(xml), '<RK7QueryResult ServerVersion="7.6.4.483" XmlVersion="248" '
      + 'NetName="SIM-CASH" Status="Query Executing Error" CMD="PayOrder" ErrorText="There is not '
      + 'enough money to fully pay the order." DateTime="2024-03-01T12:05:00" WorkTime="0" '
      + 'RK7ErrorN="3373" Processed="0" ArrivalDateTime="2024-03-01T12:05:00"/>');
    assert.equal(sim.getOrder(guid)?.paid, false);
  });

  test('a zero payment on an unpaid order is [3373] too', async () => {
    const guid = await newOrder(sim);

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 0 }]));
    assert.equal(result.rk7ErrorN, 3373);
  });

  test('the batch form carries [3373] on the root and in CommandResult', async () => {
    const guid = await newOrder(sim);
    const xml = pay(guid, [{ currencyGuid: ROUBLES, amount: 100 }]).xml
      .replaceAll('RK7CMD', 'RK7Command');

    const { body: reply } = await post(sim, xml);
    assert.equal(body(reply), '<RK7QueryResult ServerVersion="7.6.4.483" XmlVersion="248" '
      + 'NetName="SIM-CASH" Status="Query Executing Error" ErrorText="There is not enough money to '
      + 'fully pay the order." RK7ErrorN="3373" DateTime="2024-03-01T12:05:00" WorkTime="0" '
      + 'Processed="0"><CommandResult CMD="PayOrder" Status="Query Executing Error" '
      + 'ErrorText="There is not enough money to fully pay the order." RK7ErrorN="3373" '
      + 'DateTime="2024-03-01T12:05:00" WorkTime="0"/></RK7QueryResult>');
  });

  test('a close request (no Payment) on an unpaid order is [3071] naming the order', async () => {
    const guid = await newOrder(sim);

    const { body: xml } = await post(sim, pay(guid, []).xml);
    assert.equal(body(xml), '<RK7QueryResult ServerVersion="7.6.4.483" XmlVersion="248" '
      + 'NetName="SIM-CASH" Status="Query Executing Error" CMD="PayOrder" ErrorText="Cannot save '
      + 'order 1.73, it is not fully paid" DateTime="2024-03-01T12:05:00" WorkTime="0" '
      + 'RK7ErrorN="3071" Processed="0" ArrivalDateTime="2024-03-01T12:05:00"/>');
  });

  test('[3071] names whichever order it is', async () => {
    await newOrder(sim);
    const second = await newOrder(sim);

    const result = await send(sim, pay(second, []));
    assert.equal(result.errorText, 'Cannot save order 1.74, it is not fully paid');
  });

  test('a close request on an order with nothing due closes it', async () => {
    const guid = await newOrder(sim, []);

    const result = await send(sim, pay(guid, []));
    assert.equal(result.status, 'Ok');
    const order = sim.getOrder(guid);
    assert.equal(order?.paid, true);
    assert.equal(order?.finished, true);
    assert.equal(order?.checks[0]?.amount, 0);
  });

  test('the exact sum, split over two currencies, pays and closes', async () => {
    const guid = await newOrder(sim);
    const before = sim.getOrder(guid);

    const result = await send(sim, pay(guid, [
      { currencyGuid: ROUBLES, amount: 50000 }, { currencyGuid: CARD, amount: 47800 },
    ]));
    assert.equal(result.status, 'Ok');
    const order = sim.getOrder(guid);
    assert.equal(order?.paid, true);
    assert.equal(order?.finished, true);
    assert.equal(order?.unpaidSum, 0);
    assert.equal(order?.version, (before?.version ?? 0) + 1);
    assert.deepEqual(order?.checks[0]?.pays.map((p) => [p.currencyIdent, p.amount]),
      [[1, 50000], [2, 47800]]);
    const states = order?.sessions.flatMap((s) => s.lines.map((l) => l.state));
    assert.deepEqual(states, [6, 6, 6]);
  });

  test('an already paid order is refused', async () => {
    const guid = await newOrder(sim);
    await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 97800 }]));

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 97800 }]));
    assert.equal(result.errorText, 'order is already paid');
  });

  test('overpaying in cash gives change', async () => {
    const guid = await newOrder(sim);

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 100000 }]));
    assert.equal(result.status, 'Ok');
    const check = sim.getOrder(guid)?.checks[0];
    assert.equal(check?.amount, 97800);
    assert.equal(check?.change, 2200);
  });

  test('overpaying by card is refused', async () => {
    const guid = await newOrder(sim);

    const result = await send(sim, pay(guid, [{ currencyGuid: CARD, amount: 100000 }]));
    assert.equal(result.status, 'Query Executing Error');
    assert.equal(result.errorText, 'Payment amount exceeds the order amount');
    assert.equal(sim.getOrder(guid)?.paid, false);
  });
});

describe('simulator PayOrder with the reject overpay policy and Russian texts', () => {
  let sim: RunningSimulator;

  before(async () => {
    sim = await start({ overpayPolicy: 'reject', language: 'ru' });
  });
  after(async () => {
    await sim.close();
  });

  test('even cash overpayment is refused', async () => {
    const guid = await newOrder(sim);

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 97801 }]));
    assert.equal(result.errorText, 'Payment amount exceeds the order amount');
  });

  test('[3373] has the Russian server text', async () => {
    const guid = await newOrder(sim);

    const result = await send(sim, pay(guid, [{ currencyGuid: ROUBLES, amount: 1 }]));
    assert.equal(result.rk7ErrorN, 3373);
    assert.equal(result.errorText, 'Недостаточно денег для полной оплаты заказа');
  });
});
