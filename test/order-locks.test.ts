import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { HubError } from '../src/errors/hub-error.js';
import { OrderLocks } from '../src/orders/order-locks.js';
import { type RunningSimulator, startSimulator } from '../src/simulator/start-simulator.js';
import { PgAdvisoryLock } from '../src/store/advisory-lock.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody, payBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * Operations on one order are serialised inside a process and, on PostgreSQL, across hub
 * instances (advisory locks): a second instance waits instead of failing its version check.
 */

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('order locks', () => {
  test('work on one order runs one at a time; other orders are not held up', async () => {
    const locks = new OrderLocks();
    const trace: string[] = [];
    const work = (name: string, ms: number) => async () => {
      trace.push(`${name}+`);
      await sleep(ms);
      trace.push(`${name}-`);
    };

    await Promise.all([locks.run(1, work('a', 30)), locks.run(1, work('b', 1)),
      locks.run(2, work('c', 1))]);
    assert.deepEqual(trace, ['a+', 'c+', 'c-', 'a-', 'b+', 'b-']);
  });

  describe('across instances on PostgreSQL', { skip: !onPostgres }, () => {
    let env: TestEnv;

    before(async () => {
      env = await createTestEnv();
      // Creates the schema in the suite's database.
      await (await startTestHub(env)).close();
    });
    after(() => env.dispose());

    const instance = (waitMs: number) => new OrderLocks(new PgAdvisoryLock({
      url: env.databaseUrl as string, connections: 2, waitMs,
    }));

    test('a second instance waits for the first, then runs', async () => {
      const [a, b] = [instance(5_000), instance(5_000)];
      try {
        const trace: string[] = [];
        let release = () => {};
        const holding = a.run(7, async () => {
          trace.push('a');
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        });
        await sleep(50);
        const waiting = b.run(7, async () => {
          trace.push('b');
        });
        await sleep(100);
        assert.deepEqual(trace, ['a'], 'b waits while a holds the order');
        release();
        await Promise.all([holding, waiting]);
        assert.deepEqual(trace, ['a', 'b']);
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('past its wait bound the second gets err_operation_in_progress', async () => {
      const [a, b] = [instance(5_000), instance(100)];
      try {
        let release = () => {};
        const holding = a.run(8, () => new Promise<void>((resolve) => {
          release = resolve;
        }));
        await sleep(50);
        const refused = await b.run(8, async () => 'ran').catch((err: unknown) => err);
        assert.ok(refused instanceof HubError);
        assert.equal(refused.code, 'err_operation_in_progress');
        release();
        await holding;
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
});

describe('two hub instances paying one order at once', { skip: !onPostgres }, () => {
  let env: TestEnv;
  let sim: RunningSimulator;
  let one: TestHub;
  let two: TestHub;

  before(async () => {
    env = await createTestEnv();
    sim = await startSimulator({ username: 'cashier', password: 'shared-secret' });
    one = await startTestHub(env);
    two = await startTestHub(env);
    const restaurant = await one.hub.orders.chain.getRestaurant(DEMO.restaurantId);
    await one.hub.store.db.updateTable('restaurants').set({
      cashStation: JSON.stringify({ ...restaurant?.cashStation, url: sim.url,
        username: 'cashier', password: 'shared-secret' }),
    }).where('id', '=', DEMO.restaurantId).execute();
  });
  after(async () => {
    await one.close();
    await two.close();
    await sim.close();
    await env.dispose();
  });

  test('exactly one PayOrder reaches the station; both clients get success', async () => {
    const created = await one.api('POST', '/orders', demoOrderBody());
    const id = created.body.result.orderId as string;
    await one.runTimers();
    sim.faults.add({ mode: 'latency', match: { cmd: 'PayOrder' }, params: { ms: 200 } });

    const answers = await Promise.all([
      one.api('PUT', `/orders/${id}/pay`, payBody(978)),
      sleep(5).then(() => two.api('PUT', `/orders/${id}/pay`, payBody(978))),
    ]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.equal(sim.commandCount('PayOrder'), 1);
    const order = await one.hub.orders.orders.get(Number(id));
    assert.equal(order?.payments.length, 1);
  });
});
