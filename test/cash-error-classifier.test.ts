import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CashStationError } from '../src/cash/cash-station.js';
import {
  classifyHttpStatus, classifyStationResult, classifyTransportFailure, isOrderNotFound,
} from '../src/cash/rk7/rk7-error-classifier.js';
import { parseRk7Result } from '../src/cash/rk7/xml-protocol.js';

function reply(status: string, errorText: string, rk7ErrorN?: number) {
  const number = rk7ErrorN === undefined ? '' : ` RK7ErrorN="${rk7ErrorN}"`;
  const text = errorText.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return parseRk7Result(`<RK7QueryResult Status="${status}" ErrorText="${text}"${number}/>`);
}

describe('RK7 error classification (rk7-xml.md §7.3)', () => {
  test('business refusals keep the number and the text verbatim', () => {
    const err = classifyStationResult(reply('Query Executing Error',
      'There is not enough money to fully pay the order.', 3373), true);

    assert.equal(err.kind, 'refused');
    assert.equal(err.rk7ErrorN, 3373);
    assert.equal(err.text, 'There is not enough money to fully pay the order.');
    assert.equal(err.wsCode, 'WsaOrderError');
  });

  test('2219 and 2129 are locks', () => {
    assert.equal(classifyStationResult(reply('Query Executing Error', 'x', 2219), true).kind,
      'locked');
    assert.equal(classifyStationResult(reply('Query Executing Error', 'x', 2129), true).kind,
      'locked');
  });

  test('UCSERR(2172) without RK7ErrorN is the shift being closed: unavailable', () => {
    const err = classifyStationResult(reply('Query Parse Error', 'UCSERR(2172)'), true);

    assert.equal(err.kind, 'unavailable');
    assert.equal(err.rk7ErrorN, 2172);
    assert.equal(err.wsCode, 'WsaOrderError');
  });

  test('2133 is the old shift', () => {
    assert.equal(classifyStationResult(reply('Query Executing Error', 'x', 2133), true).kind,
      'shift');
  });

  test('configuration: bad parameters, unknown commands, licence, configured references', () => {
    const cases = [
      reply('Bad Query Parameters', 'Unknown command getsysteminfo'),
      reply('Bad Query Parameters', 'Bad integer attribute Dish/@quantity value: "true"'),
      reply('Query Executing Error', 'Не найден элемент 15009 в коллекции Cashes'),
      reply('Query Executing Error', 'Не найден элемент 1009 в коллекции Employees'),
      reply('Query Executing Error', 'Не найден элемент 9 в коллекции Tables'),
      reply('Query Parse Error', 'Empty input XML'),
    ];
    for (const result of cases) {
      assert.equal(classifyStationResult(result, true).kind, 'config', result.errorText);
    }

    const anchor = reply('Query Executing Error', 'Bad license anchor');
    const licence = classifyStationResult(anchor, true);
    assert.equal(licence.kind, 'config');
    assert.equal(licence.wsCode, 'License');
  });

  test('an unknown currency or dish is a refusal, not configuration', () => {
    const err = classifyStationResult(
      reply('Query Executing Error', 'Не найден элемент X в коллекции Currencies'), true);

    assert.equal(err.kind, 'refused');
  });

  test('a result the station could not write leaves a change unknown', () => {
    assert.equal(classifyStationResult(reply('Result Writing Error', ''), true).kind, 'unknown');
    assert.equal(classifyStationResult(reply('Result Writing Error', ''), false).kind,
      'unavailable');
  });

  test('HTTP 401 is configuration; 5xx is unknown for changes, unavailable for reads', () => {
    assert.equal(classifyHttpStatus(401, true).kind, 'config');
    assert.equal(classifyHttpStatus(502, true).kind, 'unknown');
    assert.equal(classifyHttpStatus(502, false).kind, 'unavailable');
    assert.equal(classifyHttpStatus(502, false).wsCode, 'Timeout');
  });

  test('transport: refused before sending, timeouts and resets after', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:16090'),
      { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const context = { mutating: true, timedOut: false, timeoutMs: 100 };

    const a = classifyTransportFailure(refused, context);
    assert.equal(a.kind, 'unavailable');
    assert.equal(a.wsCode, 'WsaHttpRequest');
    assert.ok(!a.text.includes('10.0.0.5'), 'no address in a text that reaches API clients');
    assert.equal(classifyTransportFailure(reset, context).kind, 'unknown');
    assert.equal(classifyTransportFailure(reset, { ...context, mutating: false }).kind,
      'unavailable');
    const timedOut = classifyTransportFailure(new Error('aborted'), { ...context, timedOut: true });
    assert.equal(timedOut.text, 'No answer from the cash station within 100 ms');
  });

  test('"order not found" is recognised for GetOrder', () => {
    assert.equal(isOrderNotFound(new CashStationError('refused', 'order not found')), true);
    assert.equal(isOrderNotFound(new CashStationError('refused', 'Заказ не найден')), true);
    assert.equal(isOrderNotFound(
      new CashStationError('refused', 'Не найден элемент 1 в коллекции Currencies')), false);
  });
});
