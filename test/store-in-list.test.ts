import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { inList } from '../src/store/in-list.js';

/** `in (…)` lists padded to few lengths, matching exactly what the values match. */

test('an in-list keeps its values first, pads with the last, to a power of two', () => {
  fc.assert(fc.property(fc.array(fc.integer(), { maxLength: 1_100 }), (values) => {
    const padded = inList(values);

    assert.deepEqual(padded.slice(0, values.length), values);
    assert.deepEqual(new Set(padded), new Set(values));
    if (values.length === 0) return;
    assert.equal(Math.log2(padded.length) % 1, 0, `${padded.length} is a power of two`);
    assert.ok(padded.length < 2 * values.length);
  }));
  assert.equal(new Set(Array.from({ length: 1_000 }, (_, i) => inList(Array(i + 1).fill(0))
    .length)).size, 10 + 1, 'lengths 1..1,000 give 11 list lengths');
});
