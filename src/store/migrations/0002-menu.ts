import type { Kysely, Migration } from 'kysely';

/**
 * The menu in full (`delivery-api.md` §6.2, §6.3): modifiers ("ingredients") with their schemes
 * and groups, the extra product attributes, per-restaurant stop lists, and the ingredients an
 * order line was ordered with. Every column added to an existing table is nullable or has a
 * default, so rows written before this migration stay valid.
 */
export function menuMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('menu_sets')
        .addColumn('corporation_id', 'text', (c) => c.primaryKey().references('corporations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_possible_delete', 'integer', (c) => c.notNull())
        .addColumn('have_changes', 'integer', (c) => c.notNull())
        .addColumn('date_modified', 'text')
        .execute();

      for (const [name, type] of PRODUCT_COLUMNS) {
        await db.schema.alterTable('menu_products').addColumn(name, type).execute();
      }
      await db.schema.alterTable('menu_products')
        .addColumn('image_urls', 'text', (c) => c.notNull().defaultTo('[]')).execute();

      await db.schema.createTable('menu_ingredients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('measure_value', 'integer')
        .addColumn('measure_unit', 'text')
        .addColumn('image_urls', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('max_count_for_dish', 'integer')
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addUniqueConstraint('menu_ingredients_external_uq', ['corporation_id', 'external_id'])
        .execute();

      await db.schema.createTable('menu_ingredient_schemes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('menu_ingredient_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();

      // A group is shared by schemes; how many of it a dish takes belongs to the link.
      await db.schema.createTable('menu_scheme_groups')
        .addColumn('scheme_id', 'text', (c) => c.notNull()
          .references('menu_ingredient_schemes.id').onDelete('cascade'))
        .addColumn('group_id', 'text', (c) => c.notNull()
          .references('menu_ingredient_groups.id').onDelete('cascade'))
        .addColumn('min_count', 'integer', (c) => c.notNull())
        .addColumn('max_count', 'integer', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('menu_scheme_groups_pk', ['scheme_id', 'group_id'])
        .execute();

      await db.schema.createTable('menu_group_ingredients')
        .addColumn('group_id', 'text', (c) => c.notNull()
          .references('menu_ingredient_groups.id').onDelete('cascade'))
        .addColumn('ingredient_id', 'text', (c) => c.notNull()
          .references('menu_ingredients.id').onDelete('cascade'))
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('menu_group_ingredients_pk', ['group_id', 'ingredient_id'])
        .execute();

      await db.schema.createTable('menu_stop_list')
        .addColumn('restaurant_id', 'text', (c) => c.notNull().references('restaurants.id'))
        .addColumn('item_type', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('remaining', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('menu_stop_list_pk', ['restaurant_id', 'item_type', 'item_id'])
        .execute();

      await db.schema.alterTable('order_lines').addColumn('measure_value', 'integer').execute();
      await db.schema.alterTable('order_lines').addColumn('measure_unit', 'text').execute();

      await db.schema.createTable('order_line_ingredients')
        .addColumn('order_id', 'integer', (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('ingredient_id', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_line_ingredients_pk', ['order_id', 'line_no', 'position'])
        // Replacing an order's lines takes their ingredients with them.
        .addForeignKeyConstraint('order_line_ingredients_line_fk', ['order_id', 'line_no'],
          'order_lines', ['order_id', 'line_no'], (fk) => fk.onDelete('cascade'))
        .execute();
    },
  };
}

/** Nullable product attributes: scheme, nutrition, weighing and taxes. */
const PRODUCT_COLUMNS = [
  ['scheme_id', 'text'],
  ['calories', 'double precision'],
  ['energy_value', 'double precision'],
  ['proteins', 'double precision'],
  ['fats', 'double precision'],
  ['carbohydrates', 'double precision'],
  ['qnt_dec_digits', 'integer'],
  ['change_qnt_once', 'integer'],
  ['join_mode', 'text'],
  ['dish_taxes', 'text'],
] as const;
