import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { pino } from 'pino';
import { CashStationError } from '../src/cash/cash-station.js';
import type { CashStationConfig, StationOrderDraft } from '../src/cash/cash-station.js';
import { createRk7Connector } from '../src/cash/rk7/rk7-connector.js';
import type { Rk7Connector } from '../src/cash/rk7/rk7-connector.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

/** The connector's reading of station faults (rk7-xml.md §7.3, §8.7), against the simulator. */

const USER = 'cashier';
const PASSWORD = 'connector-secret';
const ROUBLES = '16D72549-14D8-4F31-9E2A-0A833D4F5EED';

describe('RK7 connector under station faults', () => {
  let sim: RunningSimulator;
  let station: Rk7Connector;
  let config: CashStationConfig;
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    sim = await startSimulator({ username: USER, password: PASSWORD });
    config = {
      url: sim.url, username: USER, password: PASSWORD, tlsInsecure: false, stationId: 15001,
      cashierId: 1001, tableId: 1, orderCategoryId: 3, voidReasonId: 1, deliveryFeeDishCode: '105',
      timeoutMs: 2_000,
    };
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    station = createRk7Connector(config, { logger: pino({ level: 'debug' }, sink) });
  });
  beforeEach(async () => {
    await sim.reset();
    logLines.length = 0;
  });
  after(async () => {
    await station.close();
    await sim.close();
  });

  function draft(lines = [{ code: '104', quantity: 1000, price: 9999, modifiers: [] }]) {
    return {
      guid: randomUUID().toUpperCase(), hubOrderId: '9', guests: 1, comment: '', deliveryFee: 0,
      lines,
    } satisfies StationOrderDraft;
  }

  async function failure(promise: Promise<unknown>): Promise<CashStationError> {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof CashStationError, `expected a CashStationError, got ${String(err)}`);
    return err;
  }

  test('a connection dropped after PayOrder ran is unknown; the order is paid once', async () => {
    const order = await station.createOrder(draft());
    sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'PayOrder' }, times: 1 });

    const tenders = [{ currencyGuid: ROUBLES, amount: 9999 }];
    const err = await failure(station.payOrder(order.guid, tenders));
    assert.equal(err.kind, 'unknown');
    assert.equal(err.wsCode, 'Timeout');
    assert.equal((await station.getOrder(order.guid))?.paid, true);
    assert.equal(sim.commandCount('PayOrder'), 1);
  });

  test('HTTP 5xx is unknown for a payment and unavailable for a read', async () => {
    const order = await station.createOrder(draft());
    sim.faults.add({ mode: 'httpStatus', params: { code: 502 }, times: 2 });

    assert.equal((await failure(station.payOrder(order.guid, [
      { currencyGuid: ROUBLES, amount: 9999 },
    ]))).kind, 'unknown');
    assert.equal((await failure(station.getOrder(order.guid))).kind, 'unavailable');
  });

  test('a garbled reply is unknown for a payment and unavailable for a read', async () => {
    const order = await station.createOrder(draft());
    sim.faults.add({ mode: 'malformedXml', times: 2 });

    assert.equal((await failure(station.payOrder(order.guid, [
      { currencyGuid: ROUBLES, amount: 9999 },
    ]))).kind, 'unknown');
    assert.equal((await failure(station.systemInfo())).kind, 'unavailable');
    assert.equal((await station.getOrder(order.guid))?.paid, true, 'the garbled PayOrder ran');
  });

  test('the shift being closed (UCSERR(2172)) is unavailability', async () => {
    sim.faults.add({
      mode: 'decline', match: { cmd: 'GetSystemInfo' },
      params: { status: 'Query Parse Error', text: 'UCSERR(2172)' },
    });

    const err = await failure(station.systemInfo());
    assert.equal(err.kind, 'unavailable');
    assert.equal(err.rk7ErrorN, 2172);
  });

  test('authFail is a configuration failure', async () => {
    sim.faults.add({ mode: 'authFail', times: 1 });

    assert.equal((await failure(station.systemInfo())).kind, 'config');
  });

  test('2133 on CreateOrder is the shift; nothing is created', async () => {
    const order = draft();
    sim.faults.add({
      mode: 'decline', match: { cmd: 'CreateOrder' },
      params: { rk7ErrorN: 2133, text: 'The common shift was opened too long ago, close it' },
    });

    assert.equal((await failure(station.createOrder(order))).kind, 'shift');
    assert.equal(sim.getOrder(order.guid), undefined);
  });

  test('an unknown dish fails the creation as WsaOrderCreationDishNotFound', async () => {
    const order = draft([
      { code: '101', quantity: 1000, price: 40000, modifiers: [] },
      { code: '999', quantity: 1000, price: 100, modifiers: [] },
    ]);

    const err = await failure(station.createOrder(order));
    assert.equal(err.kind, 'refused');
    assert.equal(err.wsCode, 'WsaOrderCreationDishNotFound');
    assert.equal(err.text, 'Не найден элемент 999 в коллекции MenuItems');
    assert.equal(sim.getOrder(order.guid)?.orderSum, 40000, 'the rest of the lines stays');
    assert.ok(logLines.some((l) => l.msg === 'cash order lines refused' && l.level === 50));
  });

  test('a delivery table unknown to the station is a configuration failure', async () => {
    const misconfigured = createRk7Connector({ ...config, tableId: 77 },
      { logger: pino({ level: 'silent' }) });
    try {
      assert.equal((await failure(misconfigured.createOrder(draft()))).kind, 'config');
    } finally {
      await misconfigured.close();
    }
  });

  test('a malformed URL fails every call as configuration, not at construction', async () => {
    const broken = createRk7Connector({ ...config, url: 'embedded' },
      { logger: pino({ level: 'silent' }) });
    try {
      const err = await failure(broken.systemInfo());
      assert.equal(err.kind, 'config');
      assert.equal(err.wsCode, 'WsaInvalidSettings');
    } finally {
      await broken.close();
    }
  });

  test('a retry after a lost CreateOrder answer only fills the order', async () => {
    const order = draft();
    sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'CreateOrder' }, times: 1 });

    assert.equal((await failure(station.createOrder(order))).kind, 'unknown');
    const created = await station.createOrder(order);
    assert.equal(created.orderSum, 9999);
    assert.equal(sim.commandCount('CreateOrder'), 1);
    assert.equal(sim.commandCount('SaveOrder'), 1);
  });

  test('a read failing after a change went through makes the outcome unknown', async () => {
    // Without dishes no SaveOrder answers with the order: GetOrder #1 is the existence check,
    // #2 reads the new order back after CreateOrder.
    const order = draft([]);
    sim.faults.add({ mode: 'httpStatus', match: { cmd: 'GetOrder', nth: 2 }, times: 1,
      params: { code: 503 } });

    const err = await failure(station.createOrder(order));
    assert.equal(err.kind, 'unknown');
    assert.equal((await station.getOrder(order.guid))?.guid, order.guid, 'it was created');
  });

  test('a filled order is read from the SaveOrder answer, with no GetOrder after it', async () => {
    const gets = sim.commandCount('GetOrder');

    const created = await station.createOrder({ ...draft(), neverSent: true });
    assert.equal(created.orderSum, 9999);
    assert.equal(created.lines.length, 1);
    assert.equal(sim.commandCount('GetOrder'), gets, 'neither an existence check nor a read-back');
  });

  test('logs are structured and never carry the password', async () => {
    await station.systemInfo();
    sim.faults.add({ mode: 'decline', match: { cmd: 'GetSystemInfo' }, times: 1,
      params: { rk7ErrorN: 2219, text: 'locked' } });
    await failure(station.systemInfo());

    const answered = logLines.find((l) => l.msg === 'cash call answered');
    assert.equal(answered?.component, 'cash');
    assert.equal(answered?.cmd, 'GetSystemInfo');
    assert.equal(typeof answered?.durationMs, 'number');
    const refused = logLines.find((l) => l.msg === 'cash call refused');
    assert.equal(refused?.level, 50);
    assert.equal(refused?.rk7ErrorN, 2219);
    const all = JSON.stringify(logLines);
    assert.ok(!all.includes(PASSWORD));
    assert.ok(!all.includes(Buffer.from(`${USER}:${PASSWORD}`).toString('base64')));
  });
});
