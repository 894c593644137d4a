import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The client's `discounts` object of `POST /orders`, stored and echoed (`delivery-api.md` §8.1,
 * §9.1), and one order per `orderExternalId` of a connection, enforced by the database.
 *
 * Create dedupe by `orderExternalId` was a read-then-insert: two creates racing with one external
 * id could both insert. A partial unique index on `(order_source_id, order_external_id)` (non-null
 * ids only; both databases support it) makes the second insert fail, and the create answers with
 * the first order (`create-order.ts`). It replaces the plain index of 0001 on the same columns.
 *
 * A database written before may already hold such duplicates. Failing the migration would keep
 * the hub from starting until someone edits orders by hand; dropping or nulling anything would
 * lose data. Instead the oldest order keeps its external id (it is the one every repeat was
 * already answered with, as the lookup orders by id) and each later one gets a suffix naming
 * itself, `<id> [duplicate, order <orderId>]`: every order and its original value survive, the
 * operator can find them by the suffix, and the index can be built.
 */
export function discountsExternalIdMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('discounts', 'text').execute();

      await sql`UPDATE orders
        SET order_external_id = order_external_id
          || ' [duplicate, order ' || CAST(id AS TEXT) || ']'
        WHERE order_external_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM orders AS first
          WHERE first.order_source_id = orders.order_source_id
            AND first.order_external_id = orders.order_external_id
            AND first.id < orders.id)`.execute(db);

      await db.schema.createIndex('orders_source_external_uq').unique().on('orders')
        .columns(['order_source_id', 'order_external_id'])
        .where(sql.ref('order_external_id'), 'is not', null).execute();
      await db.schema.dropIndex('orders_source_external_ix').execute();
    },
  };
}
