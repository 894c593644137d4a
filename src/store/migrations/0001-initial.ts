import type { Kysely, Migration } from 'kysely';

/**
 * The first schema. Written once for both dialects; the only difference is how the order id is
 * generated (SQLite `AUTOINCREMENT`, PostgreSQL `serial`), so ids are never reused.
 */
export function initialMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const serialId = (name: string) =>
        dialect === 'postgres'
          ? db.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey())
          : db.schema.createTable(name)
            .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

      await db.schema.createTable('hub_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('corporations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('order_processing', 'text', (c) => c.notNull())
        .addColumn('transfer_delay_sec', 'integer', (c) => c.notNull())
        .addColumn('check_contents_and_price', 'integer', (c) => c.notNull())
        .addColumn('complete_when_closed_at_station', 'integer', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('restaurants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('object_id', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('actual_address', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('auto_accept', 'integer', (c) => c.notNull())
        .addColumn('min_lead_minutes', 'integer', (c) => c.notNull())
        .addColumn('table_code', 'text', (c) => c.notNull())
        .addColumn('cash_station', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('restaurant_currencies')
        .addColumn('restaurant_id', 'text', (c) => c.notNull().references('restaurants.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('restaurant_currencies_pk', ['restaurant_id', 'code'])
        .execute();

      await db.schema.createTable('api_connections')
        .addColumn('client_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('api_connection_restaurants')
        .addColumn('client_id', 'text', (c) => c.notNull().references('api_connections.client_id'))
        .addColumn('restaurant_id', 'text', (c) => c.notNull().references('restaurants.id'))
        .addPrimaryKeyConstraint('api_connection_restaurants_pk', ['client_id', 'restaurant_id'])
        .execute();

      await db.schema.createTable('menu_categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('sort', 'integer', (c) => c.notNull())
        .execute();

      await db.schema.createTable('menu_products')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('category_id', 'text')
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('measure_value', 'integer')
        .addColumn('measure_unit', 'text')
        .addColumn('price_mode', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addUniqueConstraint('menu_products_external_uq', ['corporation_id', 'external_id'])
        .execute();

      await serialId('orders')
        .addColumn('order_source_id', 'text', (c) => c.notNull())
        .addColumn('corporation_id', 'text', (c) => c.notNull())
        .addColumn('restaurant_id', 'text', (c) => c.notNull())
        .addColumn('status_id', 'integer', (c) => c.notNull())
        .addColumn('expedition_type', 'text', (c) => c.notNull())
        .addColumn('payment_type_id', 'text', (c) => c.notNull())
        .addColumn('persons', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('guest', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('expected_at', 'text')
        .addColumn('soonest', 'integer', (c) => c.notNull())
        .addColumn('change_from', 'integer')
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('delivery_amount', 'integer', (c) => c.notNull())
        .addColumn('full_amount', 'integer', (c) => c.notNull())
        .addColumn('payment_status', 'text', (c) => c.notNull())
        .addColumn('paid_request', 'text')
        .addColumn('order_external_id', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('table_code', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('pos_sync_state', 'text', (c) => c.notNull())
        .addColumn('pos_order_guid', 'text')
        .addColumn('pos_order_name', 'text')
        .addColumn('pos_visit', 'bigint')
        .addColumn('pos_order_ident', 'integer')
        .addColumn('is_attention', 'integer', (c) => c.notNull())
        .addColumn('attention_reason', 'text')
        .addColumn('rejection_reason', 'text')
        .execute();
      await db.schema.createIndex('orders_source_updated_ix').on('orders')
        .columns(['order_source_id', 'updated_at']).execute();
      await db.schema.createIndex('orders_source_created_ix').on('orders')
        .columns(['order_source_id', 'created_at']).execute();
      await db.schema.createIndex('orders_source_status_ix').on('orders')
        .columns(['order_source_id', 'status_id', 'created_at']).execute();
      await db.schema.createIndex('orders_source_external_ix').on('orders')
        .columns(['order_source_id', 'order_external_id']).execute();

      await db.schema.createTable('order_lines')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
        .execute();

      await db.schema.createTable('order_payments')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('currency_code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('amount', 'integer', (c) => c.notNull())
        .addColumn('paid_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_payments_pk', ['order_id', 'line_no'])
        .execute();

      await serialId('order_status_history')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('from_status', 'integer')
        .addColumn('to_status', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('order_status_history_order_ix').on('order_status_history')
        .column('order_id').execute();

      await db.schema.createTable('timers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('order_id', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('timers_kind_order_uq', ['kind', 'order_id'])
        .execute();
      await db.schema.createIndex('timers_due_ix').on('timers').column('due_at').execute();
    },
  };
}
