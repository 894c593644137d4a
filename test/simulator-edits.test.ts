import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readLineErrors, readOrder } from '../src/cash/rk7/rk7-replies.js';
import {
  createOrderRequest, getOrderRequest, saveOrderRequest, updateOrderRequest,
} from '../src/cash/rk7/rk7-requests.js';
import type { SaveOrderVoid } from '../src/cash/rk7/rk7-requests.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';
import type { Rk7Request, Rk7Result } from '../src/cash/rk7/xml-protocol.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

/** The simulator's side of edits: `<Void>` on SaveOrder lines and `UpdateOrder` (§8.3). */

const USER = 'cashier';
const PASSWORD = 'edits-secret';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('simulator edits', () => {
  let sim: RunningSimulator;

  async function send(req: Rk7Request): Promise<Rk7Result> {
    const response = await fetch(sim.url, {
      method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/xml' },
      body: req.xml,
    });
    assert.equal(response.status, 200);
    return parseRk7Result(await response.text());
  }

  /** An order with Caesar (101) and two mors (103); returns its GUID and Caesar's line. */
  async function orderWithLines() {
    const guid = randomUUID().toUpperCase();
    await send(createOrderRequest({
      guid, tableId: 1, stationId: 15001, cashierId: 1001, orderCategoryId: 3, guests: 1,
      hubOrderId: '1', comment: 'Delivery #1',
    }));
    const filled = readOrder(await send(saveOrderRequest(guid, [
      { code: '101', quantity: 1000, price: 40000, modifiers: [{ code: '203', count: 1,
        price: 5000 }] },
      { code: '103', quantity: 2000, price: 14400, modifiers: [] },
    ])));
    const caesar = filled.dishes[0];
    assert.ok(caesar?.lineGuid !== undefined && caesar.uni !== undefined);
    return { guid, caesar: { ...caesar, lineGuid: caesar.lineGuid, uni: caesar.uni } };
  }

  const voidOf = (line: { code: string; uni: number; lineGuid: string; quantity: number },
    overrides: Partial<SaveOrderVoid> = {}): SaveOrderVoid => ({
    code: line.code, uni: line.uni, lineGuid: line.lineGuid, quantity: line.quantity,
    reasonId: 1, authorId: 1001, ...overrides,
  });

  before(async () => {
    sim = await startSimulator({ username: USER, password: PASSWORD });
  });
  beforeEach(async () => {
    await sim.reset();
  });
  after(async () => {
    await sim.close();
  });

  test('a void by line_guid voids the dish and its modifiers; sums drop', async () => {
    const { guid, caesar } = await orderWithLines();

    const reply = await send(saveOrderRequest(guid, [], [voidOf(caesar, { uni: undefined })]));
    assert.equal(reply.status, 'Ok');
    assert.deepEqual(readLineErrors(reply), []);
    const order = readOrder(await send(getOrderRequest(guid)));
    assert.equal(order.orderSum, 28800);
    assert.deepEqual(order.dishes.map((d) => d.code), ['103']);
    const line = sim.getOrder(guid)?.sessions[0]?.lines[0];
    assert.equal(line?.state, 7);
    assert.equal(line?.kind === 'dish' ? line.modifiers[0]?.state : undefined, 7);
  });

  test('a void by uni works as well', async () => {
    const { guid, caesar } = await orderWithLines();

    await send(saveOrderRequest(guid, [], [voidOf(caesar, { lineGuid: undefined })]));
    assert.equal(sim.getOrder(guid)?.orderSum, 28800);
  });

  test('voids that cannot apply are line errors; the rest of the request applies', async () => {
    const { guid, caesar } = await orderWithLines();
    const unknown = { ...caesar, lineGuid: randomUUID().toUpperCase(), uni: 999 };

    const reply = await send(saveOrderRequest(guid, [
      { code: '104', quantity: 1000, price: 9999, modifiers: [] },
    ], [
      voidOf(unknown),
      voidOf(caesar, { quantity: 500 }),
      voidOf(caesar, { reasonId: 42 }),
    ]));
    assert.deepEqual(readLineErrors(reply).map((e) => e.text), [
      `Line ${unknown.lineGuid} is not found in the order`,
      'Voiding part of a line is not supported by the simulator',
      'Не найден элемент 42 в коллекции OrderVoids',
    ]);
    assert.equal(sim.getOrder(guid)?.orderSum, 45000 + 28800 + 9999);
  });

  test('a line is voided once', async () => {
    const { guid, caesar } = await orderWithLines();
    await send(saveOrderRequest(guid, [], [voidOf(caesar)]));
    const version = sim.getOrder(guid)?.version;

    const again = await send(saveOrderRequest(guid, [], [voidOf(caesar)]));
    assert.deepEqual(readLineErrors(again).map((e) => e.text),
      [`Line ${caesar.lineGuid} is already voided`]);
    assert.equal(sim.getOrder(guid)?.version, version);
  });

  test('UpdateOrder sets what it names and keeps the rest', async () => {
    const { guid } = await orderWithLines();
    const version = sim.getOrder(guid)?.version ?? 0;

    await send(updateOrderRequest({ guid, comment: 'Delivery #1, new phone', guests: 4 }));
    await send(updateOrderRequest({ guid, comment: undefined, guests: 2 }));
    const order = sim.getOrder(guid);
    assert.equal(order?.persistentComment, 'Delivery #1, new phone');
    assert.equal(order?.guestsCount, 2);
    assert.equal(order?.version, version + 2);
    assert.equal(order?.externalProps.hubOrderId, '1');

    await send(updateOrderRequest({ guid, comment: undefined, guests: 2 }));
    assert.equal(sim.getOrder(guid)?.version, version + 2, 'no change, no new version');
  });
});
