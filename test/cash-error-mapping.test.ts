import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cashErrorToHubError } from '../src/cash/cash-error-mapping.js';
import { CashStationError } from '../src/cash/cash-station.js';

describe('cashErrorToHubError', () => {
  test('a [3373] payment refusal reads exactly as r_k documents it', () => {
    const err = new CashStationError('refused', 'There is not enough money to fully pay the order.',
      { rk7ErrorN: 3373 });

    const hub = cashErrorToHubError(err, 'pay');
    assert.equal(hub.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.equal(hub.status, 500);
    assert.equal(hub.message, 'WS error: Error code: WsaOrderError. '
      + 'RkInternal: Cash station [3373] There is not enough money to fully pay the order.');
    assert.equal(hub.cause, err);
  });

  test('a [3071] close refusal reads exactly as r_k documents it', () => {
    const err = new CashStationError('refused', 'Cannot save order 1.73, it is not fully paid',
      { rk7ErrorN: 3071 });

    const hub = cashErrorToHubError(err, 'complete');
    assert.equal(hub.code, 'rk7_close_order');
    assert.equal(hub.status, 500);
    assert.equal(hub.message,
      'RkInternal: Cash station [3071] Cannot save order 1.73, it is not fully paid');
  });

  test('any refusal while completing is rk7_close_order, numbered or not', () => {
    const numbered = new CashStationError('refused', 'There is not enough money to fully pay the '
      + 'order.', { rk7ErrorN: 3373 });
    const bare = new CashStationError('refused', 'order is deleted');

    assert.equal(cashErrorToHubError(numbered, 'complete').message,
      'RkInternal: Cash station [3373] There is not enough money to fully pay the order.');
    assert.equal(cashErrorToHubError(bare, 'complete').code, 'rk7_close_order');
    assert.equal(cashErrorToHubError(bare, 'complete').message, 'RkInternal: order is deleted');
  });

  test('a refusal without a number keeps the WS shape without the RkInternal part', () => {
    const err = new CashStationError('refused', 'Не найден элемент 999 в коллекции MenuItems',
      { wsCode: 'WsaOrderCreationDishNotFound' });

    const hub = cashErrorToHubError(err, 'transfer');
    assert.equal(hub.code, 'ERR_EXTERNAL_ERROR_WS');
    assert.equal(hub.message, 'WS error: Error code: WsaOrderCreationDishNotFound. '
      + 'Не найден элемент 999 в коллекции MenuItems');
  });

  test('a lock is retryable after a few seconds', () => {
    const err = new CashStationError('locked',
      'Cannot lock the order: it is locked with another key', { rk7ErrorN: 2219 });

    const hub = cashErrorToHubError(err, 'pay');
    assert.equal(hub.code, 'ERR_EXTERNAL_LOCKED_WS');
    assert.equal(hub.status, 503);
    assert.equal(hub.retryAfterSec, 5);
    assert.equal(hub.message, 'WS error: Error code: WsaOrderError. '
      + 'RkInternal: Cash station [2219] Cannot lock the order: it is locked with another key');
  });

  test('unavailability: shift closing and an unreachable station', () => {
    const closing = new CashStationError('unavailable', 'UCSERR(2172)',
      { rk7ErrorN: 2172, wsCode: 'WsaOrderError' });
    const unreachable = new CashStationError('unavailable',
      'Cash station unreachable (ECONNREFUSED)');

    const a = cashErrorToHubError(closing, 'read');
    assert.equal(a.code, 'ERR_EXTERNAL_UNAVAILABLE_WS');
    assert.equal(a.message,
      'WS error: Error code: WsaOrderError. RkInternal: Cash station [2172] UCSERR(2172)');
    assert.ok((a.retryAfterSec ?? 0) > 0);
    assert.equal(cashErrorToHubError(unreachable, 'pay').message,
      'WS error: Error code: WsaHttpRequest. Cash station unreachable (ECONNREFUSED)');
  });

  test('an unknown outcome is a timeout for changes and unavailability for reads', () => {
    const err = new CashStationError('unknown', 'No answer from the cash station within 200 ms');

    const pay = cashErrorToHubError(err, 'pay');
    assert.equal(pay.code, 'ERR_EXTERNAL_TIMEOUT_WS');
    assert.equal(pay.status, 503);
    assert.equal(pay.message,
      'WS error: Error code: Timeout. No answer from the cash station within 200 ms');
    assert.ok((pay.retryAfterSec ?? 0) > 0);
    assert.equal(cashErrorToHubError(err, 'read').code, 'ERR_EXTERNAL_UNAVAILABLE_WS');
  });

  test('an old shift needs staff action', () => {
    const err = new CashStationError('shift', 'The common shift was opened too long ago, close it',
      { rk7ErrorN: 2133 });

    const hub = cashErrorToHubError(err, 'transfer');
    assert.equal(hub.code, 'ERR_EXTERNAL_SHIFT_WS');
    assert.equal(hub.retryAfterSec, undefined);
    assert.equal(hub.message, 'WS error: Error code: WsaOrderError. '
      + 'RkInternal: Cash station [2133] The common shift was opened too long ago, close it');
  });

  test('configuration problems name the settings or the licence', () => {
    const credentials = new CashStationError('config',
      'HTTP 401: the cash station rejected the XML interface credentials');
    const licence = new CashStationError('config', 'Bad license anchor', { wsCode: 'License' });

    const a = cashErrorToHubError(credentials, 'pay');
    assert.equal(a.code, 'ERR_EXTERNAL_CONFIG_WS');
    assert.equal(a.status, 500);
    assert.equal(a.message, 'WS error: Error code: WsaInvalidSettings. '
      + 'HTTP 401: the cash station rejected the XML interface credentials');
    assert.equal(cashErrorToHubError(licence, 'transfer').message,
      'WS error: Error code: License. Bad license anchor');
  });

  test('every kind maps to a code, whatever the operation', () => {
    const kinds = ['refused', 'locked', 'unavailable', 'unknown', 'shift', 'config'] as const;
    const operations = ['pay', 'complete', 'transfer', 'read'] as const;

    for (const kind of kinds) {
      for (const during of operations) {
        const err = new CashStationError(kind, 'text', { rk7ErrorN: 1 });
        const hub = cashErrorToHubError(err, during);
        assert.match(hub.code, /^(ERR_EXTERNAL_\w+_WS|rk7_close_order)$/, `${kind}, ${during}`);
        assert.match(hub.message, /\[1\] text$/);
      }
    }
  });
});
