import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runChaos } from '../scripts/chaos/chaos-run.js';

/**
 * The short version of `npm run chaos` (issue #4): 50 lifecycles against a hub child process
 * that is SIGKILLed three times, with random station faults; nothing may be lost, duplicated
 * or left unsettled. On PostgreSQL when `TEST_DATABASE_URL` is set.
 */
describe('chaos, short', () => {
  test('50 lifecycles, 3 kills: hub and station agree on every order and payment', async () => {
    const problems: string[] = [];
    const report = await runChaos({
      lifecycles: 50, kills: 3, concurrency: 8,
      databaseUrl: process.env.TEST_DATABASE_URL || undefined,
      log: (line) => problems.push(line),
    });

    assert.equal(report.kills, 3);
    assert.equal(report.completed, 50, problems.join('\n'));
    assert.deepEqual(report.counts, {
      ordersLost: 0, ordersDuplicated: 0, paymentsLost: 0, paymentsDuplicated: 0,
      sumsMismatched: 0, notConverged: 0, openJournalEntries: 0, clientAnomalies: 0,
    }, report.problems.join('\n'));
    assert.equal(report.wire.internalErrors, 0, 'never a 500 ERR_INTERNAL');
  });
});
