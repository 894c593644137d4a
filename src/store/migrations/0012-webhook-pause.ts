import type { Kysely, Migration } from 'kysely';

/**
 * A webhook subscription the hub paused by itself: when one of its deliveries was dead-lettered
 * after failing for the whole retry window and nothing reached the subscriber in that window,
 * sending more is pointless until someone fixes the receiver (`webhook-worker.ts`). `paused_at`
 * null: not paused. Unlike `active = 0`, a paused subscription still gets its events queued, so
 * nothing is missing when it is resumed.
 */
export function webhookPauseMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('webhook_subscriptions').addColumn('paused_at', 'text').execute();
      await db.schema.alterTable('webhook_subscriptions').addColumn('pause_reason', 'text')
        .execute();
    },
  };
}
