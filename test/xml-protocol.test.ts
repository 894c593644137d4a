import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readOrder, readRefItems, readSystemInfo } from '../src/cash/rk7/rk7-replies.js';
import {
  createOrderRequest, payOrderRequest, saveOrderRequest,
} from '../src/cash/rk7/rk7-requests.js';
import { child, parseXmlDocument } from '../src/cash/rk7/xml-element.js';
import {
  buildRk7Query, normalizeGuid, parseRk7Result, readBool, Rk7ProtocolError, toWireGuid,
} from '../src/cash/rk7/xml-protocol.js';

const GUID = '182C5937-8921-4F44-858E-C1F6DD587862';

describe('RK7 requests', () => {
  test('the envelope is <RK7Query><RK7CMD CMD> in UTF-8 with escaped attributes', () => {
    const req = buildRk7Query('GetRefData', {
      attrs: { RefName: 'A&B "<q>" \'x\'', Name: 'Рубли', OnlyActive: true, Skip: undefined },
      mutating: false,
    });

    assert.equal(req.xml, '<?xml version="1.0" encoding="UTF-8"?>'
      + '<RK7Query><RK7CMD CMD="GetRefData" '
      + 'RefName="A&amp;B &quot;&lt;q&gt;&quot; &apos;x&apos;" Name="Рубли" OnlyActive="1"/>'
      + '</RK7Query>');
    const parsed = parseXmlDocument(req.xml);
    assert.equal(child(parsed, 'RK7CMD')?.attrs.RefName, 'A&B "<q>" \'x\'');
  });

  test('CreateOrder carries the braced upper-case GUID and the configured references', () => {
    const req = createOrderRequest({
      guid: GUID.toLowerCase(), tableId: 1, stationId: 15001, cashierId: 1001,
      orderCategoryId: 3, guests: 2, hubOrderId: '765', comment: 'Order #765\r\n+7 900\tflat 5',
    });

    assert.equal(req.cmd, 'CreateOrder');
    assert.equal(req.mutating, true);
    assert.equal(req.orderGuid, GUID);
    assert.ok(req.xml.includes(`<Order guid="{${GUID}}" `
      + 'persistentComment="Order #765 +7 900 flat 5">'
      + '<Table id="1"/><Station id="15001"/><Creator id="1001"/><Waiter id="1001"/>'
      + '<OrderCategory id="3"/><Guests count="2"/>'
      + '<ExternalProps><Prop name="hubOrderId" value="765"/></ExternalProps></Order>'), req.xml);
  });

  test('SaveOrder writes thousandths, kopecks and modifiers', () => {
    const req = saveOrderRequest(GUID, [
      {
        code: '106', quantity: 1500, price: 120000,
        modifiers: [{ code: '202', count: 1, price: 0 }],
      },
    ]);

    assert.ok(req.xml.includes(`<Order guid="{${GUID}}"/><Session><Dish code="106" quantity="1500" `
      + 'price="120000"><Modi code="202" count="1" price="0"/></Dish></Session>'), req.xml);
  });

  test('PayOrder has one Payment per tender, and none for the close request', () => {
    const pay = payOrderRequest({
      guid: GUID, stationId: 15001, cashierId: 1001,
      payments: [{ currencyGuid: '16d72549-14d8-4f31-9e2a-0a833d4f5eed', amount: 97800 }],
    });
    const close = payOrderRequest({ guid: GUID, stationId: 15001, cashierId: 1001, payments: [] });

    assert.ok(pay.xml.includes('<Station id="15001"/><Cashier id="1001"/>'
      + '<Payment guid="{16D72549-14D8-4F31-9E2A-0A833D4F5EED}" amount="97800"/>'), pay.xml);
    assert.ok(!close.xml.includes('<Payment'), close.xml);
  });

  test('GUIDs go out braced and upper case and come back bare', () => {
    assert.equal(toWireGuid(`{${GUID.toLowerCase()}}`), `{${GUID}}`);
    assert.equal(normalizeGuid(` {${GUID.toLowerCase()}} `), GUID);
  });
});

describe('RK7 replies', () => {
  test('an RK7CMD error reply gives Status, RK7ErrorN and ErrorText from the root', () => {
    const result = parseRk7Result('<RK7QueryResult ServerVersion="7.6.4.483" XmlVersion="248" '
      + 'NetName="SIM-CASH" Status="Query Executing Error" CMD="PayOrder" ErrorText="There is not '
      + 'enough money to fully pay the order." DateTime="2024-03-01T12:05:00" WorkTime="0" '
      + 'RK7ErrorN="3373" Processed="0" ArrivalDateTime="2024-03-01T12:05:00"/>');

    assert.equal(result.status, 'Query Executing Error');
    assert.equal(result.rk7ErrorN, 3373);
    assert.equal(result.errorText, 'There is not enough money to fully pay the order.');
    assert.equal(result.cmd, 'PayOrder');
    assert.equal(result.serverVersion, '7.6.4.483');
  });

  test('a batch reply is read from its CommandResult', () => {
    const failed = parseRk7Result('<RK7QueryResult Status="Ok" Processed="0">'
      + '<CommandResult CMD="PayOrder" Status="Query Executing Error" ErrorText="Визит 5 закрыт!" '
      + 'RK7ErrorN="2128"/></RK7QueryResult>');
    const ok = parseRk7Result('<?xml version="1.0" encoding="windows-1251"?>'
      + '<RK7QueryResult Status="Ok"><CommandResult CMD="GetSystemInfo" Status="Ok" ErrorText="">'
      + '<SystemInfo ShiftDate="20240301" RestCode="199990147"/></CommandResult></RK7QueryResult>');

    assert.equal(failed.status, 'Query Executing Error');
    assert.equal(failed.rk7ErrorN, 2128);
    assert.equal(failed.errorText, 'Визит 5 закрыт!');
    assert.equal(ok.status, 'Ok');
    assert.equal(readSystemInfo(ok).shiftDate, '2024-03-01');
    assert.equal(readSystemInfo(ok).restCode, 199990147);
  });

  test('character references are decoded', () => {
    const result = parseRk7Result('<RK7QueryResult Status="Query Executing Error" '
      + 'ErrorText="&#1042;&#x438;&#1079;&#1080;&#1090; &amp; &quot;x&quot;"/>');

    assert.equal(result.errorText, 'Визит & "x"');
  });

  test('unreadable replies are protocol errors', () => {
    assert.throws(() => parseRk7Result('<RK7QueryResult Status="Ok"'), Rk7ProtocolError);
    assert.throws(() => parseRk7Result('<RK7QueryResult Status="Ok"><Order></RK7QueryResult>'),
      Rk7ProtocolError);
    assert.throws(() => parseRk7Result('Internal Server Error'), Rk7ProtocolError);
    assert.throws(() => parseRk7Result('<html><body/></html>'), Rk7ProtocolError);
    assert.throws(() => parseRk7Result('<RK7QueryResult/>'), Rk7ProtocolError);
  });

  test('orders are read with attribute names in any case', () => {
    const result = parseRk7Result(`<RK7QueryResult Status="Ok"><Order Visit="356255787"
      ORDERIDENT="256" Guid="{${GUID.toLowerCase()}}" OrderName="1.73" Version="4" OrderSum="97800"
      UnpaidSum="0" Paid="1" Finished="true">
      <Session uni="1"><Dish code="103" quantity="2000" price="14400" line_guid="{A}"/>
        <Dish code="101" quantity="1000" price="40000" state="7"/></Session>
      <Session uni="2"><Pay id="1" amount="97800" line_guid="{P1}"/>
        <PrintCheck><Pay id="1" amount="97800" line_guid="{P1}"/>
          <Pay id="2" amount="5" deleted="1"/></PrintCheck></Session>
    </Order></RK7QueryResult>`);

    const order = readOrder(result);
    assert.equal(order.guid, GUID);
    assert.equal(order.orderName, '1.73');
    assert.equal(order.visit, 356255787);
    assert.equal(order.orderIdent, 256);
    assert.equal(order.paid, true);
    assert.equal(order.finished, true);
    assert.equal(order.deleted, false);
    assert.deepEqual(order.lines, [{ kind: 'dish', code: '103', quantity: 2000, price: 14400 }]);
    assert.deepEqual(order.pays, [{ currencyId: 1, currencyGuid: undefined, amount: 97800 }]);
  });

  test('an order reply lacking what the hub needs is a protocol error', () => {
    const result = parseRk7Result(
      '<RK7QueryResult Status="Ok"><Order guid="{X}"/></RK7QueryResult>');

    assert.throws(() => readOrder(result), Rk7ProtocolError);
  });

  test('reference items carry their GUID without braces', () => {
    const result = parseRk7Result('<RK7QueryResult Status="Ok"><RK7Reference><Items>'
      + '<Item Ident="1" Code="1" Name="Рубли" GUIDString="{16D72549-14D8-4F31-9E2A-0A833D4F5EED}" '
      + 'Status="rsActive"/><Item Ident="2" Status="rsDeleted"/></Items></RK7Reference>'
      + '</RK7QueryResult>');

    assert.deepEqual(readRefItems(result), [
      {
        ident: 1, code: '1', name: 'Рубли', guid: '16D72549-14D8-4F31-9E2A-0A833D4F5EED',
        active: true,
      },
      { ident: 2, code: undefined, name: undefined, guid: undefined, active: false },
    ]);
  });

  test('booleans are 1/0, with true/false tolerated', () => {
    assert.equal(readBool('1'), true);
    assert.equal(readBool('true'), true);
    assert.equal(readBool('0'), false);
    assert.equal(readBool(undefined), false);
  });
});
