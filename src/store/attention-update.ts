import type { Kysely, Transaction } from 'kysely';
import { writeStatusEvents } from '../webhooks/event-writer.js';
import { PreparedQuery } from './prepared-query.js';
import type { Database, OrderUpdate } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

const FLAG = new PreparedQuery((db, p: { id: number }) => db.selectFrom('orders')
  .select(['statusId', 'isAttention', 'attentionReason']).where('id', '=', p.id));

/**
 * Runs `apply`, an update that flags the order for attention (`patch.isAttention` 1), and in the
 * same transaction writes its `order.attention` event when the order was not flagged before or
 * the reason changed: one event per incident, not one per repeat of the same flag.
 */
export async function updateWithAttentionEvent(
  executor: Executor, id: number, patch: OrderUpdate,
  apply: (trx: Executor) => Promise<boolean>,
): Promise<boolean> {
  const run = async (trx: Executor): Promise<boolean> => {
    const before = await FLAG.first(trx, { id });
    if (!(await apply(trx)) || !before) return false;

    const reason = patch.attentionReason === undefined
      ? before.attentionReason : patch.attentionReason;
    if (before.isAttention === 1 && before.attentionReason === reason) return true;

    const statusId = patch.statusId ?? before.statusId;
    const at = patch.updatedAt ?? new Date().toISOString();
    await writeStatusEvents(trx, id, [{
      from: statusId, to: statusId, at, type: 'order.attention', reason: reason ?? '',
    }]);
    return true;
  };

  return executor.isTransaction ? run(executor) : executor.transaction().execute(run);
}
