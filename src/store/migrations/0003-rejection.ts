import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Cancelling orders (`delivery-api.md` §11.2, §10.3): each corporation's rejection reasons, and
 * two corporation settings, `allow_order_modification` (PATCH allowed, default on) and
 * `rejection_reason_required` (`/reject` needs a reason, default off). Every corporation that
 * exists already gets the seven documented reasons, so an upgraded hub answers
 * `GET /rejectionReasons` like a new one.
 */
export function rejectionMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('rejection_reasons')
        .addColumn('corporation_id', 'text', (c) => c.notNull().references('corporations.id'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('is_possible_delete', 'integer', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rejection_reasons_pk', ['corporation_id', 'id'])
        .execute();

      await db.schema.alterTable('corporations')
        .addColumn('allow_order_modification', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('corporations')
        .addColumn('rejection_reason_required', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      const { rows } = await sql<{ id: string }>`select id from corporations`.execute(db);
      for (const { id } of rows) {
        for (const [sort, [reasonId, reason, type, isPossibleDelete]] of REASONS.entries()) {
          await sql`insert into rejection_reasons
            (corporation_id, id, reason, type, is_possible_delete, sort)
            values (${id}, ${reasonId}, ${reason}, ${type}, ${isPossibleDelete}, ${sort})`
            .execute(db);
        }
      }
    },
  };
}

/**
 * The documented reasons as they stood when this migration was written; a migration keeps its
 * own copy so later edits of the catalogue cannot change what it did.
 */
const REASONS: readonly (readonly [string, string, string, number])[] = [
  ['a762a6da-2379-4fa2-9a04-7f5ca82b39d4', 'Test order', 'simple', 1],
  ['4239979e-093c-43c0-8351-6918364c5c94', 'Double', 'simple', 1],
  ['37631981-7d11-4e36-8465-dd1887d888cc', 'The guest refused the order', 'simple', 1],
  ['7c224784-7382-4a47-8e5a-849d8529a34a', 'The guest is unavailable / did not open the door',
    'simple', 1],
  ['bb8502fa-dfcc-4196-a306-08ec526abc91', 'The dish is out of stock', 'simple', 1],
  ['73f8e0eb-06d5-489f-8258-42a941bede14', 'Cancelled by the restaurant', 'simple', 0],
  ['5ff37e88-61ef-46ff-9f6c-4c9579e74210', 'Other', 'text', 1],
];
