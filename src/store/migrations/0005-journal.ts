import type { Kysely, Migration } from 'kysely';

/**
 * Exactly-once bookkeeping (issue #4):
 * - `station_operations`, the journal of state-changing cash-station calls: a row is written
 *   before a call is sent (state `intent`) and settled after it (`confirmed`, `refused`,
 *   `unknown`, or `lapsed` once reconciliation found an unknown call not applied);
 * - `idempotency_keys`, stored responses of `Idempotency-Key` requests (scope `key`) and of
 *   recently created orders recognised by their body (scope `body`), per API connection;
 * - `station_polls`, one row per restaurant: where the poll of the station's order list stands;
 * - `orders.request_key`: the idempotency claim an order was created under.
 */
export function journalMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const serialId = (name: string) =>
        dialect === 'postgres'
          ? db.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey())
          : db.schema.createTable(name)
            .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

      await serialId('station_operations')
        .addColumn('order_id', 'integer', (c) => c.notNull())
        .addColumn('restaurant_id', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('station_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('station_operations_order_ix').on('station_operations')
        .columns(['order_id', 'state']).execute();
      await db.schema.createIndex('station_operations_state_ix').on('station_operations')
        .columns(['state', 'created_at']).execute();

      await db.schema.createTable('idempotency_keys')
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'scope', 'idem_key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_expires_ix').on('idempotency_keys')
        .column('expires_at').execute();

      // The claim a create ran under (`Idempotency-Key` or body), written with the order, so a
      // create repeated after its process died finds the order instead of making a second one.
      await db.schema.alterTable('orders').addColumn('request_key', 'text').execute();
      await db.schema.createIndex('orders_source_request_uq').unique().on('orders')
        .columns(['order_source_id', 'request_key']).execute();

      await serialId('station_polls')
        .addColumn('restaurant_id', 'text', (c) => c.notNull().unique())
        .addColumn('last_version', 'bigint')
        .addColumn('polled_at', 'text')
        .execute();
    },
  };
}
