import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readOrder, readOrderList, readRefItems } from '../src/cash/rk7/rk7-replies.js';
import {
  createOrderRequest, getOrderListRequest, getOrderRequest, getRefDataRequest, payOrderRequest,
  saveOrderRequest, voidOrderRequest,
} from '../src/cash/rk7/rk7-requests.js';
import {
  attr, child, childrenNamed, descendants, parseXmlDocument,
} from '../src/cash/rk7/xml-element.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';
import type { Rk7Request, Rk7Result } from '../src/cash/rk7/xml-protocol.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

const USER = 'cashier';
const PASSWORD = 'commands-secret';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('simulator commands', () => {
  let sim: RunningSimulator;

  async function http(body: string, init: { auth?: string; method?: string } = {}) {
    const response = await fetch(sim.url, {
      method: init.method ?? 'POST',
      headers: { authorization: init.auth ?? AUTH, 'content-type': 'application/xml' },
      body: init.method === 'GET' ? undefined : body,
    });
    return { status: response.status, text: await response.text() };
  }

  async function send(req: Rk7Request | string): Promise<Rk7Result> {
    const reply = await http(typeof req === 'string' ? req : req.xml);
    assert.equal(reply.status, 200);
    return parseRk7Result(reply.text);
  }

  async function newOrder(guid = randomUUID().toUpperCase()): Promise<Rk7Result> {
    return send(createOrderRequest({
      guid, tableId: 1, stationId: 15001, cashierId: 1001, orderCategoryId: 3, guests: 2,
      hubOrderId: '765', comment: 'Delivery #765',
    }));
  }

  before(async () => {
    sim = await startSimulator({ username: USER, password: PASSWORD });
  });
  beforeEach(async () => {
    await sim.reset();
  });
  after(async () => {
    await sim.close();
  });

  test('CMD is case-sensitive: an unknown command is Bad Query Parameters', async () => {
    const result = await send('<RK7Query><RK7CMD CMD="getsysteminfo"/></RK7Query>');

    assert.equal(result.status, 'Bad Query Parameters');
    assert.equal(result.errorText, 'Unknown command getsysteminfo');
    assert.equal(attr(result.body, 'Processed'), '0');
    assert.equal(sim.commandCount('getsysteminfo'), 1);
  });

  test('credentials are checked: wrong or missing → 401', async () => {
    const xml = '<RK7Query><RK7CMD CMD="GetSystemInfo"/></RK7Query>';
    const wrong = `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}`;

    assert.equal((await http(xml, { auth: wrong })).status, 401);
    assert.equal((await http(xml, { auth: '' })).status, 401);
    assert.equal(sim.commandCount('GetSystemInfo'), 0);
  });

  test('unreadable requests are Query Parse Errors; other routes are not served', async () => {
    assert.equal((await send('')).errorText, 'Empty input XML');
    assert.equal((await send('<RK7Query><RK7CMD CMD="GetOrder">')).status, 'Query Parse Error');
    assert.equal((await send('<Other/>')).status, 'Query Parse Error');
    assert.equal((await http('', { method: 'GET' })).status, 405);
    const control = await fetch(new URL('/_sim/state', sim.url), {
      headers: { authorization: AUTH },
    });
    assert.equal(control.status, 404);
  });

  test('CreateOrder numbers orders per table and visits from 356255787', async () => {
    const first = readOrder(await newOrder());
    const second = readOrder(await newOrder());

    assert.deepEqual([first.orderName, first.visit, first.orderIdent], ['1.73', 356255787, 256]);
    assert.deepEqual([second.orderName, second.visit, second.orderIdent], ['1.74', 356255788, 256]);
    assert.equal(first.version, 1);
  });

  test('CreateOrder answers VisitID, OrderID and guid, and echoes the order', async () => {
    const guid = randomUUID().toUpperCase();
    const result = await newOrder(guid);

    assert.equal(attr(result.body, 'VisitID'), '356255787');
    assert.equal(attr(result.body, 'OrderID'), '256');
    assert.equal(attr(result.body, 'guid'), `{${guid}}`);
    const order = child(result.body, 'Order');
    assert.equal(attr(order ?? result.body, 'persistentComment'), 'Delivery #765');
    assert.equal(attr(child(order ?? result.body, 'Guests') ?? result.body, 'count'), '2');
    const prop = descendants(result.body, 'Prop')[0];
    assert.deepEqual(prop?.attrs, { name: 'hubOrderId', value: '765' });
  });

  test('CreateOrder refuses a GUID already used, a missing or an unknown table', async () => {
    const guid = randomUUID().toUpperCase();
    await newOrder(guid);

    const duplicate = await newOrder(guid);
    assert.equal(duplicate.status, 'Query Executing Error');
    assert.equal(duplicate.errorText, `order {${guid}} already exists`);
    const noTable = await send('<RK7Query><RK7CMD CMD="CreateOrder"><Order/></RK7CMD></RK7Query>');
    assert.equal(noTable.errorText, 'Error: child element "Table" not found');
    const unknown = await send('<RK7Query><RK7CMD CMD="CreateOrder"><Order><Table id="9"/></Order>'
      + '</RK7CMD></RK7Query>');
    assert.equal(unknown.errorText, 'Не найден элемент 9 в коллекции Tables');
    assert.equal(sim.commandCount('CreateOrder'), 4);
  });

  test('SaveOrder applies known dishes and reports an unknown one in a FaultyTag', async () => {
    const guid = randomUUID().toUpperCase();
    await newOrder(guid);

    const result = await send(saveOrderRequest(guid, [
      {
        code: '101', quantity: 1000, price: 40000,
        modifiers: [{ code: '203', count: 2, price: 5000 }],
      },
      { code: '999', quantity: 1000, price: 100, modifiers: [] },
      { code: '106', quantity: 1500, price: 120000, modifiers: [] },
    ]));
    assert.equal(result.status, 'Ok');
    const [error] = childrenNamed(result.body, 'Error');
    assert.equal(attr(error ?? result.body, 'ErrorText'),
      'Не найден элемент 999 в коллекции MenuItems');
    assert.equal(attr(child(child(error ?? result.body, 'FaultyTag') ?? result.body, 'Dish')
      ?? result.body, 'code'), '999');
    const order = readOrder(result);
    assert.equal(order.orderSum, 40000 + 2 * 5000 + 180000);
    assert.equal(order.version, 2);
  });

  test('SaveOrder takes the menu price when none is sent', async () => {
    const guid = randomUUID().toUpperCase();
    await newOrder(guid);

    const xml = saveOrderRequest(guid, [{ code: '104', quantity: 3000, price: 0, modifiers: [] }])
      .xml.replace(' price="0"', '');
    assert.equal(readOrder(await send(xml)).orderSum, 29997);
  });

  test('GetOrder of an unknown order is "order not found"', async () => {
    const result = await send(getOrderRequest(randomUUID()));

    assert.equal(result.status, 'Query Executing Error');
    assert.equal(result.errorText, 'order not found');
  });

  test('GetOrderList answers No changes until something changes', async () => {
    const first = readOrderList(await send(getOrderListRequest()));
    const idle = await send(getOrderListRequest({ lastVersion: first.lastVersion }));
    assert.equal(idle.status, 'No changes');
    assert.equal(readOrderList(idle).changed, false);

    const guid = randomUUID().toUpperCase();
    await newOrder(guid);
    const since = getOrderListRequest({ lastVersion: first.lastVersion });
    const changed = readOrderList(await send(since));
    assert.equal(changed.changed, true);
    assert.ok((changed.lastVersion ?? 0) > (first.lastVersion ?? 0));
    assert.deepEqual(changed.orders.map((o) => [o.guid, o.orderName, o.visit, o.orderIdent]),
      [[guid, '1.73', 356255787, 256]]);
  });

  test('GetOrderList onlyOpened leaves paid orders out', async () => {
    const open = randomUUID().toUpperCase();
    const paid = randomUUID().toUpperCase();
    await newOrder(open);
    await newOrder(paid);
    await send(payOrderRequest({ guid: paid, stationId: 15001, cashierId: 1001, payments: [] }));

    const all = readOrderList(await send(getOrderListRequest()));
    const opened = readOrderList(await send(getOrderListRequest({ onlyOpened: true })));
    assert.equal(all.orders.length, 2);
    assert.deepEqual(opened.orders.map((o) => o.guid), [open]);
  });

  test('GetRefData: RefName in any case, PropMask, prices as macro properties', async () => {
    const currencies = readRefItems(await send(getRefDataRequest('currencies', {
      propMask: 'items.(Ident,GUIDString)',
    })));
    assert.deepEqual(currencies.map((c) => [c.ident, c.guid, c.name]), [
      [1, '16D72549-14D8-4F31-9E2A-0A833D4F5EED', undefined],
      [2, 'A1356E82-8C6A-4070-A40C-D921D89AA8D5', undefined],
      [3, 'FEB41B9A-A519-4A4E-B2D8-EACF3E6A8F25', undefined],
    ]);

    const menuRequest = getRefDataRequest('MenuItems').xml.replace('/>', ' WithMacroProp="1"/>');
    const menu = await send(menuRequest);
    const items = descendants(menu.body, 'Item');
    const seen = items.map((i) =>
      [attr(i, 'Code'), attr(i, 'PRICETYPES-1'), attr(i, 'GUIDString')]);
    assert.deepEqual(seen, [
      ['101', '400.00', '{1A950927-028B-46BA-84F8-53A3CFABF23F}'],
      ['102', '290.00', '{0263BA3F-279D-49E1-AF9B-523717B042DC}'],
      ['103', '144.00', '{B6F7E123-5E62-494D-80E1-F307A62CB2E4}'],
      ['104', '99.99', '{6D06FFDD-8DCD-4D1B-B1C8-27A961611979}'],
      ['105', '150.00', '{8D69DE29-5646-4909-8B21-671AC4F909BD}'],
      ['106', '1200.00', '{FA6D40A7-901D-47C6-BCE3-3A9A3AC7EFE4}'],
    ]);
    assert.equal(attr(items[5] ?? menu.body, 'QntDecDigits'), '3');

    const unknown = await send(getRefDataRequest('NOSUCHREF'));
    assert.equal(unknown.status, 'Bad Query Parameters');
  });

  test('the RK7Command2 batch answers each command with its CommandResult and source', async () => {
    const reply = await http('<RK7Query><RK7Command2 CMD="GetSystemInfo"/>'
      + '<RK7Command2 CMD="GetRefData" RefName="TABLES"/><RK7Command2 CMD="Nope"/></RK7Query>');
    const root = parseXmlDocument(reply.text);

    assert.deepEqual([attr(root, 'Status'), attr(root, 'ErrorText'), attr(root, 'Processed')],
      ['Bad Query Parameters', 'Unknown command Nope', '2']);
    const results = childrenNamed(root, 'CommandResult');
    assert.deepEqual(results.map((r) => [attr(r, 'CMD'), attr(r, 'Status')]), [
      ['GetSystemInfo', 'Ok'], ['GetRefData', 'Ok'], ['Nope', 'Bad Query Parameters'],
    ]);
    assert.deepEqual(results.map((r) => child(r, 'SourceCommand')?.children[0]?.name),
      ['RK7Command2', 'RK7Command2', 'RK7Command2']);
    assert.ok(child(results[0] ?? root, 'SystemInfo'));
    assert.equal(parseRk7Result(reply.text).status, 'Bad Query Parameters');
  });

  test('a successful batch reports Processed and keeps data in each CommandResult', async () => {
    const reply = await http('<RK7Query><RK7Command CMD="GetSystemInfo"/>'
      + '<RK7Command CMD="GetRefData" RefName="Cashes"/></RK7Query>');
    const root = parseRk7Result(reply.text);

    assert.equal(root.status, 'Ok');
    assert.ok(reply.text.includes('Processed="2"'), reply.text);
    assert.equal(root.body.name, 'CommandResult');
    assert.equal(attr(child(root.body, 'SystemInfo') ?? root.body, 'RestCode'), '199990147');
    assert.ok(reply.text.includes('<CommandResult CMD="GetRefData" Status="Ok"'), reply.text);
  });

  test('VoidOrder deletes an unpaid order and refuses a paid one', async () => {
    const unpaid = randomUUID().toUpperCase();
    const paid = randomUUID().toUpperCase();
    await newOrder(unpaid);
    await newOrder(paid);
    await send(payOrderRequest({ guid: paid, stationId: 15001, cashierId: 1001, payments: [] }));
    const request = (guid: string) =>
      voidOrderRequest({ guid, stationId: 15001, managerId: 1002, reasonId: 1 });

    assert.equal((await send(request(unpaid))).status, 'Ok');
    assert.equal(readOrder(await send(getOrderRequest(unpaid))).deleted, true);
    assert.equal((await send(request(paid))).errorText, 'order is paid');
  });

  test('the till can pay and void orders; GetOrderList sees it', async () => {
    const guid = randomUUID().toUpperCase();
    await newOrder(guid);
    await send(saveOrderRequest(guid, [
      { code: '104', quantity: 1000, price: 9999, modifiers: [] },
    ]));
    const before = readOrderList(await send(getOrderListRequest()));

    await assert.rejects(sim.actions.payAtTill({ orderGuid: guid, amount: 100 }),
      /not enough money/);
    const paid = await sim.actions.payAtTill({ orderGuid: guid, amount: 9999 });
    assert.equal(paid.paid, true);
    const sincePaid = getOrderListRequest({ lastVersion: before.lastVersion });
    const after = readOrderList(await send(sincePaid));
    assert.equal(after.changed, true);
    await assert.rejects(sim.actions.voidAtTill({ orderGuid: guid }), /order is paid/);
  });
});
