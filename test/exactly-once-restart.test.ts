import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { piesOrderBody } from './helpers/order-fixtures.js';
import { type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * A hub killed while it held `Idempotency-Key` claims, started again on the same data: on
 * SQLite with the default `INSTANCE_ID`, on PostgreSQL with the same stable one.
 */
describe('a restarted hub and the claims its previous life held', () => {
  test('a repeat after the restart gets the first answer at once, not after the lease',
    async () => {
      const env = await createTestEnv();
      const stableId: Record<string, string> = env.databaseUrl ? { INSTANCE_ID: 'hub-a' } : {};
      const key = 'killed-before-answering';
      const send = async (hub: TestHub) => hub.request('POST', '/orders/api/v1/orders', {
        headers: {
          authorization: `Bearer ${await hub.token()}`, 'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(piesOrderBody()),
      });
      const orders = async (hub: TestHub) => (await hub.hub.store.db.selectFrom('orders')
        .select('id').execute()).length;

      let t = await startTestHub(env, { env: stableId });
      try {
        const first = await send(t);
        assert.equal(first.status, 201);
        await t.close();
        // What a process killed between its commit and its answer leaves: a claim held for a
        // lease far longer than any test waits, and no stored answer.
        t = await startTestHub(env, { env: stableId });
        await t.hub.store.db.updateTable('idempotencyKeys')
          .set({ state: 'running', lockedUntil: '9999-01-01T00:00:00.000Z', statusCode: null,
            responseBody: null })
          .where('idemKey', '=', key).execute();
        await t.close();
        t = await startTestHub(env, { env: stableId });

        const repeat = await send(t);
        assert.equal(repeat.status, 201, JSON.stringify(repeat.body));
        assert.equal(repeat.body.result.orderId, first.body.result.orderId);
        assert.equal(await orders(t), 1);
      } finally {
        await t.close();
        await env.dispose();
      }
    });
});
