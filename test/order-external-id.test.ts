import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import {
  type Dialect, Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql,
} from 'kysely';
import pg from 'pg';
import { initialMigration } from '../src/store/migrations/0001-initial.js';
import {
  discountsExternalIdMigration,
} from '../src/store/migrations/0011-discounts-external-id.js';
import { count } from './helpers/exactly-once.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { createTestDatabase } from './helpers/pg-database.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

/**
 * One order per `orderExternalId` of a connection, enforced by the database (migration 0011):
 * concurrent creates with one external id make one order and all name it. SQLite, or
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
describe('orderExternalId dedupe under concurrency', () => {
  let env: TestEnv;
  let t: TestHub;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env);
  });
  after(async () => {
    await t.close();
    await env.dispose();
  });

  const withExternalId = async (externalId: string) => Number((await t.hub.store.db
    .selectFrom('orders').select((eb) => eb.fn.countAll().as('n'))
    .where('orderExternalId', '=', externalId).executeTakeFirstOrThrow()).n);

  test('10 concurrent creates with one external id: one order, one answer, one at the station',
    async () => {
      const creates = count(t, 'CreateOrder');
      const timers = Number((await t.hub.store.db.selectFrom('timers')
        .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

      // The token first: fetching it in each call would stagger the creates.
      const token = await t.token();
      // Bodies differ (comments), so only the external id makes them one request.
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => t.api('POST',
        '/orders', demoOrderBody({ orderExternalId: 'site-race-1', comment: `click ${i}` }),
        token)));

      assert.deepEqual(answers.map((a) => a.status), Array(10).fill(201),
        JSON.stringify(answers.map((a) => a.body)));
      const ids = new Set(answers.map((a) => a.body.result.orderId as string));
      assert.equal(ids.size, 1);
      assert.equal(await withExternalId('site-race-1'), 1);
      const timersAfter = Number((await t.hub.store.db.selectFrom('timers')
        .select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(timersAfter, timers + 1, 'one transfer timer');

      await t.runTimers();
      await t.runTimers();
      assert.equal(count(t, 'CreateOrder'), creates + 1);
      const [id] = ids;
      const read = await t.api('GET', `/orders/${id}`);
      assert.equal(read.body.result.orderStatusId, 4);

      // A later sequential repeat still answers with the same order.
      const repeat = await t.api('POST', '/orders',
        demoOrderBody({ orderExternalId: 'site-race-1', comment: 'later' }));
      assert.equal(repeat.status, 201);
      assert.equal(repeat.body.result.orderId, id);
    });

  test('orders without an external id are not constrained', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) =>
      t.api('POST', '/orders', demoOrderBody({ comment: `anonymous ${i}` }))));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201]);
    assert.equal(new Set(answers.map((a) => a.body.result.orderId)).size, 3);
  });
});

test('0011 keeps the oldest duplicate external id, renames later ones, then enforces it',
  async () => {
    const pgDb = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'delivery-hub-migration-'));
    const dialect: Dialect = pgDb
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: pgDb.url, max: 2 }) })
      : new SqliteDialect({ database: new SqliteDatabase(path.join(dir, 'hub.sqlite')) });
    const db = new Kysely<unknown>({ dialect });
    const migrateTo = async (migrations: Record<string, Migration>) => {
      const { error } = await new Migrator({
        db, provider: { getMigrations: async () => migrations },
      }).migrateToLatest();
      assert.equal(error, undefined);
    };
    const insert = (source: string, externalId: string | null) => sql`insert into orders
      (order_source_id, corporation_id, restaurant_id, status_id, expedition_type,
      payment_type_id, persons, comment, guest, soonest, amount, delivery_amount, full_amount,
      payment_status, order_external_id, search_text, created_at, updated_at, version,
      pos_sync_state, is_attention) values (${source}, 'corp', 'rest', 1, 'pickup', 'card', 1,
      '', '{}', 1, 100, 0, 100, 'notPaid', ${externalId}, '', '2024-03-01T12:00:00.000Z',
      '2024-03-01T12:00:00.000Z', 1, 'none', 0)`.execute(db);

    try {
      const initial = initialMigration(pgDb ? 'postgres' : 'sqlite');
      await migrateTo({ '0001-initial': initial });
      await insert('site', 'A-1');
      await insert('site', 'A-1');
      await insert('app', 'A-1');
      await insert('site', 'A-1');
      await insert('site', null);
      await insert('site', null);
      await insert('site', 'B-2');

      await migrateTo({
        '0001-initial': initial, '0011-discounts-external-id': discountsExternalIdMigration(),
      });

      const rows = await sql<{ id: number; source: string; ext: string | null;
        discounts: string | null }>`select id, order_source_id as source,
        order_external_id as ext, discounts from orders order by id`.execute(db);
      assert.deepEqual(rows.rows.map((r) => [Number(r.id), r.source, r.ext, r.discounts]), [
        [1, 'site', 'A-1', null],
        [2, 'site', 'A-1 [duplicate, order 2]', null],
        [3, 'app', 'A-1', null],
        [4, 'site', 'A-1 [duplicate, order 4]', null],
        [5, 'site', null, null],
        [6, 'site', null, null],
        [7, 'site', 'B-2', null],
      ]);

      await assert.rejects(insert('site', 'B-2'), /unique|UNIQUE/);
      await insert('site', null);
      await insert('other', 'B-2');
    } finally {
      await db.destroy();
      await pgDb?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
