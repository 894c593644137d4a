import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Event positions without a global lock.
 *
 * Until now every event-writing transaction bumped the one row of `event_counter` and held it to
 * its COMMIT, so on PostgreSQL all of them ran one at a time. Now, on PostgreSQL, positions come
 * from the sequence `events_position_seq` (gaps allowed) and every event records the writing
 * transaction (`txid`, `pg_current_xact_id()`). Positions are then no longer in commit order, so
 * the feed orders by `(txid, position)` and only returns events of transactions older than the
 * oldest one of this database still running: every event committed later sorts after
 * everything already returned, and a reader never skips one (`event-feed.ts`).
 *
 * SQLite has one writer; it keeps the counter (commit order is position order) and `txid` 0.
 */
export function eventPositionsMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('events')
        .addColumn('txid', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

      if (dialect === 'postgres') {
        await sql`CREATE SEQUENCE events_position_seq`.execute(db);
        await sql`SELECT setval('events_position_seq', greatest(
            (SELECT coalesce(max(position), 0) FROM events),
            (SELECT position FROM event_counter WHERE name = 'events')) + 1, false)`.execute(db);
        // Rows written before this migration keep 0: they were already in commit order.
        await sql`ALTER TABLE events
          ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint)`.execute(db);
      }

      await db.schema.createIndex('events_source_txid_position_ix').on('events')
        .columns(['order_source_id', 'txid', 'position']).execute();
      await db.schema.dropIndex('events_source_position_ix').execute();
    },
  };
}
