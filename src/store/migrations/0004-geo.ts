import type { Kysely, Migration } from 'kysely';

/**
 * Geography and delivery zones: the country and city directories (E15/E16), the hub's own
 * address list behind the suggestions (E1), and each restaurant's delivery zones (E2, delivery
 * pricing). Coordinates are `double precision` on both dialects (SQLite stores it as REAL).
 */
export function geoMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('countries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('cities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('country_id', 'text', (c) => c.notNull().references('countries.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cities_country_ix').on('cities')
        .columns(['country_id', 'name']).execute();

      await db.schema.createTable('addresses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('city_id', 'text', (c) => c.notNull().references('cities.id'))
        .addColumn('street', 'text', (c) => c.notNull())
        .addColumn('house', 'text', (c) => c.notNull())
        .addColumn('building', 'text', (c) => c.notNull())
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('lat', 'double precision', (c) => c.notNull())
        .addColumn('lon', 'double precision', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('addresses_city_ix').on('addresses').column('city_id').execute();

      await db.schema.createTable('delivery_zones')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('restaurant_id', 'text', (c) => c.notNull().references('restaurants.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('polygon', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('delivery_time_minutes', 'integer', (c) => c.notNull())
        .addColumn('delivery_price', 'integer', (c) => c.notNull())
        .addColumn('min_order_amount_delivery', 'integer', (c) => c.notNull())
        .addColumn('min_order_amount_free_delivery', 'integer')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('delivery_zones_restaurant_ix').on('delivery_zones')
        .column('restaurant_id').execute();
    },
  };
}
