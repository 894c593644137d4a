import type { Kysely, Migration } from 'kysely';

/**
 * `GET /orders` filtered by status and creation date, newest update first: the index of 0001 on
 * (source, status, created_at) found the rows but left every candidate row to be read and sorted
 * (hundreds of milliseconds for a day of a busy connection among a million orders). With
 * `updated_at` added the search picks a page of ids from the index alone; the old index is a
 * prefix of the new one, so it goes.
 */
export function searchIndexMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('orders_source_status_updated_ix').on('orders')
        .columns(['order_source_id', 'status_id', 'created_at', 'updated_at']).execute();
      await db.schema.dropIndex('orders_source_status_ix').execute();
    },
  };
}
