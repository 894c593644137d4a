import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CashStationError } from '../src/cash/cash-station.js';
import type { CashStation } from '../src/cash/cash-station.js';
import { ReadinessProbe } from '../src/ops/readiness-probe.js';
import { openStore } from '../src/store/database.js';
import type { Restaurant } from '../src/store/chain-repo.js';
import { DEMO } from '../src/store/seed-demo.js';
import { createTestEnv, startTestHub } from './helpers/test-hub.js';
import { waitUntil } from './helpers/wait-until.js';

describe('health and readiness endpoints', () => {
  test('/healthz answers ok without a token and outside the rate limit', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env, { env: { RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      for (let i = 0; i < 4; i += 1) {
        const res = await t.request('GET', '/healthz');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { status: 'ok' });
        assert.equal(res.headers.get('ratelimit-limit'), null, 'not counted by the rate limit');
      }
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('/readyz is 200 when the database and the cash station answer', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      const res = await t.request('GET', '/readyz');

      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        status: 'ok',
        checks: {
          database: 'ok',
          cashStations: [{ restaurantId: DEMO.restaurantId, status: 'ok' }],
        },
      });
      assert.equal(t.hub.simulator?.commandCount('GetSystemInfo'), 1);
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('/readyz is 503 naming the station when it refuses or is down', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env);
    try {
      t.hub.simulator?.faults.add({
        mode: 'httpStatus', params: { code: 503 }, match: { cmd: 'GetSystemInfo' }, times: 1,
      });
      const refused = await t.request('GET', '/readyz');
      assert.equal(refused.status, 503);
      assert.equal(refused.body.status, 'unavailable');
      assert.equal(refused.body.checks.database, 'ok');
      assert.equal(refused.body.checks.cashStations[0].restaurantId, DEMO.restaurantId);
      assert.equal(refused.body.checks.cashStations[0].status, 'failed');
      assert.equal(typeof refused.body.checks.cashStations[0].reason, 'string');

      t.hub.simulator?.faults.add({
        mode: 'dropAfterCommit', match: { cmd: 'GetSystemInfo' }, times: 1,
      });
      const down = await t.request('GET', '/readyz');
      assert.equal(down.status, 503);
      assert.deepEqual(down.body.checks.cashStations, [
        { restaurantId: DEMO.restaurantId, status: 'failed', reason: 'unavailable' },
      ]);
      assert.doesNotMatch(JSON.stringify(down.body), /http:|password|cashier/i, 'no secrets');
    } finally {
      await t.close();
      await env.dispose();
    }
  });

  test('/readyz reports a station that does not answer within READY_TIMEOUT_MS', async () => {
    const env = await createTestEnv();
    const t = await startTestHub(env, { env: { READY_TIMEOUT_MS: '200' } });
    try {
      t.hub.simulator?.faults.add({
        mode: 'hang', params: { ms: 60_000 }, match: { cmd: 'GetSystemInfo' }, times: 1,
      });
      const res = await t.request('GET', '/readyz');

      assert.equal(res.status, 503);
      assert.deepEqual(res.body.checks.cashStations, [
        { restaurantId: DEMO.restaurantId, status: 'failed', reason: 'timeout' },
      ]);
    } finally {
      await t.close();
      await env.dispose();
    }
  });
});

describe('readiness probe', () => {
  const restaurant = { id: 'r-1', cashStation: {} } as unknown as Restaurant;

  test('a database that fails its query makes the hub unready', async () => {
    const env = await createTestEnv();
    const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
    await store.close();
    try {
      const probe = new ReadinessProbe({
        db: store.db, restaurants: async () => [restaurant], timeoutMs: 1000,
        stationFor: () => ({ systemInfo: async () => ({}) }) as unknown as CashStation,
      });

      assert.deepEqual(await probe.check(),
        { ready: false, database: 'failed', cashStations: [] });
    } finally {
      await env.dispose();
    }
  });

  test('checks of one station that overlap share one call', async () => {
    const env = await createTestEnv();
    const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
    let calls = 0;
    let answer: () => void = () => undefined;
    const station = {
      systemInfo: () => {
        calls += 1;
        return new Promise((resolve, reject) => {
          answer = () => reject(new CashStationError('shift', 'shift too old'));
        });
      },
    } as unknown as CashStation;
    let listed = 0;
    let list: (restaurants: Restaurant[]) => void = () => undefined;
    const restaurants = new Promise<Restaurant[]>((resolve) => {
      list = resolve;
    });
    try {
      const probe = new ReadinessProbe({
        db: store.db, timeoutMs: 60_000, stationFor: () => station,
        restaurants: () => {
          listed += 1;
          return restaurants;
        },
      });

      const first = probe.check();
      const second = probe.check();
      await waitUntil(() => listed === 2, 'both checks to list the restaurants');
      list([restaurant]);
      await waitUntil(() => calls > 0, 'the station call');
      answer();
      const reports = await Promise.all([first, second]);

      assert.equal(calls, 1);
      for (const report of reports) {
        assert.deepEqual(report.cashStations,
          [{ restaurantId: 'r-1', status: 'failed', reason: 'shift' }]);
        assert.equal(report.ready, false);
      }
    } finally {
      await store.close();
      await env.dispose();
    }
  });
});
