import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { readEvents } from '../src/webhooks/event-feed.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/** Something to wait for, released from outside. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('event positions and the feed under concurrent writers', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { orderProcessing: 'none' });
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  test('an event committed after a later-numbered one is not skipped by a reader', async () => {
    const first = Number((await t.api('POST', '/orders', demoOrderBody())).body.result.orderId);
    const second = Number((await t.api('POST', '/orders', demoOrderBody())).body.result.orderId);
    const store = t.hub.orders.orders;
    const read = async (after: string | undefined) =>
      readEvents(t.hub.store.db, DEMO.clientId, after, 100);
    // Both creations must be behind the cursor before A and B start.
    let start = await read(undefined);
    for (let reads = 1; !start.events.some((e) => Number(e.orderId) === second); reads += 1) {
      assert.ok(reads < 50, 'the creation events are read');
      start = await read(start.cursor);
    }
    assert.deepEqual((await read(start.cursor)).events, []);
    const change = (to: 2 | 3) => [{ from: 1 as const, to, at: new Date().toISOString(),
      actor: 'test' }];

    const aWrote = gate();
    const aMayCommit = gate();
    const a = store.transaction(async (trx) => {
      await store.addHistory(trx, first, change(2));
      aWrote.open();
      await aMayCommit.wait;
    });
    let middle;
    try {
      if (t.hub.store.dialect === 'postgres') {
        // A holds the lower position and is still running while B commits a higher one.
        await aWrote.wait;
        await store.transaction((trx) => store.addHistory(trx, second, change(3)));
        middle = await read(start.cursor);
        assert.deepEqual(middle.events, [], 'B waits until A, older, has ended');
      } else {
        // One writer at a time: B runs after A.
        aMayCommit.open();
        await a;
        await store.transaction((trx) => store.addHistory(trx, second, change(3)));
        middle = { cursor: start.cursor, events: [] };
      }
    } finally {
      // A failed assertion must not leave A open: its connection would hold the hub's close.
      aMayCommit.open();
      await a;
    }

    const rest = await read(middle.cursor);
    const seen = [...middle.events, ...rest.events].map((e) => [Number(e.orderId), e.sequence]);
    assert.deepEqual(seen, [[first, 2], [second, 2]], 'each event once, A first');
    assert.deepEqual((await read(rest.cursor)).events, []);
  });

  test('a writer left open in another database does not hold the feed back', async (c) => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (t.hub.store.dialect !== 'postgres' || !adminUrl) {
      c.skip('PostgreSQL only: SQLite has one database per file');
      return;
    }
    const before = await readEvents(t.hub.store.db, DEMO.clientId, undefined, 1000);
    const other = new pg.Client({ connectionString: adminUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');

      const created = await t.api('POST', '/orders', demoOrderBody());
      const page = await readEvents(t.hub.store.db, DEMO.clientId, before.cursor, 1000);
      assert.deepEqual(page.events.map((e) => [e.orderId, e.eventType]),
        [[created.body.result.orderId, 'order.created']]);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
  });

  test('an old `ev1.` cursor still reads (older events have transaction 0)', async () => {
    const cursor = Buffer.from('ev1.0').toString('base64url');
    const page = await readEvents(t.hub.store.db, DEMO.clientId, cursor, 1000);
    assert.ok(page.events.length > 0);
    assert.equal(page.events[0]?.sequence, 1);
  });
});
