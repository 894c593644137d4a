import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatScaled, lineTotal, parseKopecks, parseThousandths, toRoubles,
} from '../src/money/money.js';

describe('money as integers', () => {
  test('decimal roubles become exact kopecks, from numbers and strings', () => {
    assert.deepEqual(parseKopecks(99.99), { ok: true, value: 9999 });
    assert.deepEqual(parseKopecks('978'), { ok: true, value: 97800 });
    assert.deepEqual(parseKopecks(' 0.1 '), { ok: true, value: 10 });
    assert.deepEqual(parseKopecks('12.50'), { ok: true, value: 1250 });
    assert.deepEqual(parseKopecks(1e-7).ok, false);
    assert.deepEqual(parseKopecks(1e21), { ok: false, problem: 'is too large' });
  });

  test('more than two decimals, commas, blanks and garbage are refused', () => {
    for (const bad of [0.001, '0.001', '12,5', '', '4OO', NaN, Infinity, null, true, {}, '1e2x']) {
      assert.equal(parseKopecks(bad).ok, false, String(bad));
    }
    assert.match((parseKopecks('1.234') as { problem: string }).problem, /at most 2 decimal/);
  });

  test('trailing zeros beyond the scale are harmless', () => {
    assert.deepEqual(parseKopecks('1.2300'), { ok: true, value: 123 });
    assert.deepEqual(parseThousandths('0.3000'), { ok: true, value: 300 });
  });

  test('every kopeck amount survives the trip through a JSON number', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (kopecks) => {
      const wire = JSON.parse(JSON.stringify(toRoubles(kopecks)));
      assert.deepEqual(parseKopecks(wire), { ok: true, value: kopecks });
    }));
  });

  test('three pies at 99.99 make 299.97 exactly', () => {
    assert.equal(lineTotal(9999, 3000), 29997);
    assert.equal(toRoubles(29997), 299.97);
    assert.equal(formatScaled(29997, 2), '299.97');
  });

  test('a line total rounds half up to the kopeck', () => {
    assert.equal(lineTotal(120000, 333), 39960);
    assert.equal(lineTotal(1, 500), 1);
    assert.equal(lineTotal(1, 499), 0);
    assert.equal(lineTotal(3, 1500), 5);
  });

  test('line totals add up like the exact products', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 1, max: 1_000_000 }), (price, quantity) => {
        const exact = (BigInt(price) * BigInt(quantity) * 10n + 5000n) / 10000n;
        assert.equal(BigInt(lineTotal(price, quantity)), exact);
      }));
  });
});
