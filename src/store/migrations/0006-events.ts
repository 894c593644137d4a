import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Order events and their delivery to webhook subscribers (`delivery-api.md` §15.2), and the
 * operator console's accounts and sessions.
 *
 * `events.position` is the global feed cursor. It is not a serial: it comes from the one row of
 * `event_counter`, incremented inside the transaction that records the status change, so
 * positions become visible in commit order and a reader of `GET /events?after=` never skips an
 * event that commits late.
 */
export function eventsMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('event_counter')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO event_counter (name, position) VALUES ('events', 0)`.execute(db);

      await db.schema.createTable('events')
        .addColumn('position', 'bigint', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('corporation_id', 'text', (c) => c.notNull())
        .addColumn('order_source_id', 'text', (c) => c.notNull())
        .addColumn('status_id', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('events_order_sequence_uq', ['order_id', 'sequence'])
        .execute();
      await db.schema.createIndex('events_source_position_ix').on('events')
        .columns(['order_source_id', 'position']).execute();

      await db.schema.createTable('webhook_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('enabled_status_ids', 'text', (c) => c.notNull())
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_position', 'bigint', (c) => c.notNull().references('events.position'))
        .addColumn('subscription_id', 'text', (c) => c.notNull()
          .references('webhook_subscriptions.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_event_sub_uq',
          ['event_position', 'subscription_id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_due_ix').on('webhook_deliveries')
        .columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_sub_ix').on('webhook_deliveries')
        .columns(['subscription_id', 'created_at']).execute();

      await serialTable(db, dialect, 'webhook_attempts')
        .addColumn('delivery_id', 'text', (c) => c.notNull()
          .references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('response_excerpt', 'text')
        .execute();
      await db.schema.createIndex('webhook_attempts_delivery_ix').on('webhook_attempts')
        .column('delivery_id').execute();

      await db.schema.createTable('console_users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      // The console's live board looks for orders changed in the last seconds, by any writer.
      await db.schema.createIndex('orders_updated_ix').on('orders').column('updated_at').execute();

      await db.schema.createTable('console_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull()
          .references('console_users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

function serialTable(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', name: string) {
  return dialect === 'postgres'
    ? db.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey())
    : db.schema.createTable(name).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
