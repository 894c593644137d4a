import { type Kysely, type Migration, sql } from 'kysely';

/** Every table whose rows describe the chain (what `ChainCache` and its callers read). */
export const CHAIN_TABLES = [
  'corporations', 'restaurants', 'restaurant_currencies', 'api_connections',
  'api_connection_restaurants', 'rejection_reasons', 'menu_sets', 'menu_categories',
  'menu_products', 'menu_ingredients', 'menu_ingredient_schemes', 'menu_ingredient_groups',
  'menu_scheme_groups', 'menu_group_ingredients', 'menu_stop_list', 'delivery_zones',
] as const;

/**
 * `chain_stamp`: one row whose `stamp` changes, by trigger, with every write to a chain table —
 * whoever writes it (the admin API or CLI, `chain apply`, another hub instance, a script). A
 * cache of chain data is current exactly while the stamp it was read under is (`chain-cache.ts`).
 *
 * The stamp is random, not a counter, so a value never comes back after a rolled-back change.
 * On PostgreSQL the trigger runs *before* each statement, so a transaction locks the stamp row
 * before any chain row: two chain-writing transactions queue on it instead of deadlocking on
 * each other's rows.
 */
export function chainStampMigration(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('chain_stamp')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('stamp', 'text', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO chain_stamp (name, stamp) VALUES ('chain', 'initial')`.execute(db);

      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION chain_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            UPDATE chain_stamp SET stamp = md5(random()::text || clock_timestamp()::text)
              WHERE name = 'chain';
            RETURN NULL;
          END $$`.execute(db);
        for (const table of CHAIN_TABLES) {
          await sql`CREATE TRIGGER ${sql.id(`${table}_chain_stamp`)}
            BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
            FOR EACH STATEMENT EXECUTE FUNCTION chain_stamp_bump()`.execute(db);
        }
        return;
      }

      for (const table of CHAIN_TABLES) {
        for (const event of ['insert', 'update', 'delete']) {
          await sql`CREATE TRIGGER ${sql.id(`${table}_chain_stamp_${event}`)}
            AFTER ${sql.raw(event.toUpperCase())} ON ${sql.table(table)}
            BEGIN
              UPDATE chain_stamp SET stamp = lower(hex(randomblob(8))) WHERE name = 'chain';
            END`.execute(db);
        }
      }
    },
  };
}
