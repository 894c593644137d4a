import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import {
  type Dialect, Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql,
} from 'kysely';
import pg from 'pg';
import { initialMigration } from '../src/store/migrations/0001-initial.js';
import { rejectionMigration } from '../src/store/migrations/0003-rejection.js';
import { DOCUMENTED_REJECTION_REASONS } from '../src/store/rejection-reasons.js';
import { createTestDatabase } from './helpers/pg-database.js';

/**
 * Migration 0003 on a hub that already has a corporation: the corporation gets the seven
 * documented reasons and the two new settings at their defaults (SQLite, or PostgreSQL when
 * TEST_DATABASE_URL is set).
 */
test('0003 gives existing corporations the documented reasons and default settings', async () => {
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

  try {
    const initial = initialMigration(pgDb ? 'postgres' : 'sqlite');
    await migrateTo({ '0001-initial': initial });
    await sql`insert into corporations (id, name, order_processing, transfer_delay_sec,
      check_contents_and_price, complete_when_closed_at_station, time_zone, created_at)
      values ('corp-1', 'Old chain', 'auto', 60, 1, 1, 'Europe/Moscow',
      '2024-03-01T12:00:00.000Z')`.execute(db);

    await migrateTo({ '0001-initial': initial, '0003-rejection': rejectionMigration() });

    const reasons = await sql<{ id: string; reason: string; type: string; sort: number;
      is_possible_delete: number }>`select id, reason, type, is_possible_delete, sort
      from rejection_reasons where corporation_id = 'corp-1' order by sort`.execute(db);
    assert.deepEqual(reasons.rows.map((r) => ({
      id: r.id, reason: r.reason, type: r.type,
      isPossibleDelete: Number(r.is_possible_delete) === 1,
    })), DOCUMENTED_REJECTION_REASONS);
    const settings = await sql<{ a: number; r: number }>`select allow_order_modification as a,
      rejection_reason_required as r from corporations where id = 'corp-1'`.execute(db);
    assert.deepEqual(settings.rows.map((s) => [Number(s.a), Number(s.r)]), [[1, 0]]);
  } finally {
    await db.destroy();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  }
});
