import type { Kysely, Migration } from 'kysely';

/**
 * The station poll looks up a restaurant's orders in the statuses open at the station
 * (`StationPollRepo.openOrders`); without an index that read the whole `orders` table (≈ 470 ms
 * at a million orders) on every poll.
 */
export function openOrdersIndexMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('orders_restaurant_status_ix').on('orders')
        .columns(['restaurant_id', 'status_id']).execute();
    },
  };
}
