import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createOrderRequest, getOrderRequest } from '../src/cash/rk7/rk7-requests.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';
import type { Rk7Request } from '../src/cash/rk7/xml-protocol.js';
import type { FaultSpec } from '../src/simulator/fault-injector.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

const USER = 'cashier';
const PASSWORD = 'faults-secret';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('simulator faults', () => {
  let sim: RunningSimulator;

  async function post(req: Rk7Request): Promise<Response> {
    return fetch(sim.url, {
      method: 'POST', headers: { authorization: AUTH }, body: req.xml,
    });
  }

  async function control(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(new URL(route, sim.baseUrl), {
      method,
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function createRequest(guid: string): Rk7Request {
    return createOrderRequest({
      guid, tableId: 1, stationId: 15001, cashierId: 1001, orderCategoryId: 3, guests: 1,
      hubOrderId: '1', comment: '',
    });
  }

  before(async () => {
    sim = await startSimulator({ username: USER, password: PASSWORD, control: true });
  });
  beforeEach(async () => {
    await sim.reset();
  });
  after(async () => {
    await sim.close();
  });

  test('decline refuses the matching command without running it', async () => {
    const guid = randomUUID().toUpperCase();
    sim.faults.add({
      mode: 'decline', match: { cmd: 'CreateOrder' },
      params: { rk7ErrorN: 2133, text: 'The common shift was opened too long ago, close it' },
    });

    const result = parseRk7Result(await (await post(createRequest(guid))).text());
    assert.equal(result.status, 'Query Executing Error');
    assert.equal(result.rk7ErrorN, 2133);
    assert.equal(sim.getOrder(guid), undefined);
    assert.equal(sim.commandCount('CreateOrder'), 1);
  });

  test('nth and times pick exactly which matching requests are hit', async () => {
    sim.faults.add({
      mode: 'decline', match: { cmd: 'GetOrder', nth: 2 }, times: 1,
      params: { text: 'declined' },
    });
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await post(getOrderRequest(randomUUID()));
      statuses.push(parseRk7Result(await reply.text()).errorText);
    }

    assert.deepEqual(statuses,
      ['order not found', 'declined', 'order not found', 'order not found']);
    assert.deepEqual(sim.faults.list(), []);
  });

  test('a fault can target one order', async () => {
    const target = randomUUID().toUpperCase();
    const other = randomUUID().toUpperCase();
    sim.faults.add({ mode: 'httpStatus', match: { orderGuid: target.toLowerCase() },
      params: { code: 503 } });

    assert.equal((await post(createRequest(other))).status, 200);
    assert.equal((await post(createRequest(target))).status, 503);
    assert.equal(sim.getOrder(target), undefined, 'httpStatus does not run the command by default');
  });

  test('latency delays the reply', async () => {
    sim.faults.add({ mode: 'latency', params: { ms: 150 } });

    const started = Date.now();
    assert.equal((await post(getOrderRequest(randomUUID()))).status, 200);
    assert.ok(Date.now() - started >= 140);
  });

  test('malformedXml sends half a reply; authFail answers 401', async () => {
    sim.faults.add({ mode: 'malformedXml', times: 1 });
    sim.faults.add({ mode: 'authFail', match: { cmd: 'GetSystemInfo' }, times: 1 });

    const garbled = await (await post(getOrderRequest(randomUUID()))).text();
    assert.throws(() => parseRk7Result(garbled));
    const denied = await fetch(sim.url, {
      method: 'POST', headers: { authorization: AUTH },
      body: '<RK7Query><RK7CMD CMD="GetSystemInfo"/></RK7Query>',
    });
    assert.equal(denied.status, 401);
  });

  test('dropAfterCommit runs the command, then cuts the connection', async () => {
    const guid = randomUUID().toUpperCase();
    sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'CreateOrder' }, times: 1 });

    await assert.rejects(post(createRequest(guid)));
    assert.equal(sim.getOrder(guid)?.orderName, '1.73');
  });

  test('malformed fault specs are refused', () => {
    assert.throws(() => sim.faults.add({ mode: 'explode' } as unknown as FaultSpec), TypeError);
    assert.throws(() => sim.faults.add({ mode: 'hang', params: {} } as unknown as FaultSpec),
      TypeError);
    assert.throws(() => sim.faults.add({
      mode: 'decline', params: { text: 'x', status: 'Weird' },
    } as unknown as FaultSpec), TypeError);
  });

  test('the HTTP control API sets faults, shows state, runs till actions and resets', async () => {
    const guid = randomUUID().toUpperCase();
    assert.equal((await post(createRequest(guid))).status, 200);

    const added = await control('POST', '/_sim/faults', {
      mode: 'decline', match: { cmd: 'GetOrder' }, params: { text: 'busy', rk7ErrorN: 2219 },
    });
    assert.equal(added.status, 201);
    const declined = parseRk7Result(await (await post(getOrderRequest(guid))).text());
    assert.equal(declined.rk7ErrorN, 2219);
    assert.equal((await control('DELETE', '/_sim/faults')).status, 200);
    assert.equal(parseRk7Result(await (await post(getOrderRequest(guid))).text()).status, 'Ok');

    const state = await (await control('GET', '/_sim/state')).json() as {
      orders: { guid: string; orderName: string }[];
    };
    assert.deepEqual(state.orders.map((o) => [o.guid, o.orderName]), [[guid, '1.73']]);

    const voidAction = { action: 'voidAtTill', orderGuid: guid };
    const voided = await control('POST', '/_sim/actions', voidAction);
    assert.equal(voided.status, 200);
    assert.equal(sim.getOrder(guid)?.deleted, true);
    const refused = await control('POST', '/_sim/actions', voidAction);
    assert.equal(refused.status, 409);
    assert.equal((await control('POST', '/_sim/faults', { mode: 'nope' })).status, 400);

    assert.equal((await control('POST', '/_sim/reset')).status, 200);
    assert.equal(sim.getOrder(guid), undefined);
  });

  test('the control API needs the credentials too', async () => {
    const response = await fetch(new URL('/_sim/state', sim.baseUrl));

    assert.equal(response.status, 401);
  });
});
