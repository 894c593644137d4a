import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  STATUS_SEQUENCE, STATUS_TABLE, canTransition, validateStatusTable,
} from '../src/orders/order-status.js';

describe('order status table', () => {
  test('is sound: forward-only, all reachable, finals closed, everything cancellable', () => {
    assert.deepEqual(validateStatusTable(), []);
  });

  test('the checker notices a backward move and an unreachable status', () => {
    const broken = structuredClone(STATUS_TABLE) as unknown as Record<number, { next: number[] }>;
    (broken[5] as { next: number[] }).next.push(4);
    (broken[1] as { next: number[] }).next = [12];
    const problems = validateStatusTable(broken as unknown as typeof STATUS_TABLE);
    assert.ok(problems.includes('status 5 moves backwards to 4'));
    assert.ok(problems.some((p) => /unreachable/.test(p)));
  });

  test('follows the documented transitions', () => {
    assert.ok(canTransition(1, 2));
    assert.ok(canTransition(3, 4));
    assert.ok(canTransition(10, 13));
    assert.ok(canTransition(13, 11));
    assert.ok(!canTransition(13, 10));
    assert.ok(!canTransition(11, 12));
    assert.ok(!canTransition(12, 1));
    for (const id of STATUS_SEQUENCE.filter((s) => s !== 11)) assert.ok(canTransition(id, 12));
  });

  test('carries the wire names', () => {
    assert.equal(STATUS_TABLE[4].name, 'Transferred to the kitchen');
    assert.equal(STATUS_TABLE[12].nameRu, 'Отменен');
  });
});
