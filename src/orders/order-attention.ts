import { isoFromMillis } from '../time/instant.js';
import type { OrderContext } from './order-context.js';
import type { OrderRecord } from './order-record.js';

/**
 * Flags an order for an operator after a cash-station call whose effect the hub does not know
 * (no answer, or a change applied only in part), so the order shows `isAttention: true` until
 * someone repeats the operation or looks at the till. Best effort: when the order moved on in
 * the meantime (version check), whoever moved it has the newer picture, and the flag is skipped.
 */
export async function flagAttention(
  ctx: OrderContext, order: Pick<OrderRecord, 'id' | 'version'>, reason: string,
): Promise<void> {
  try {
    await ctx.orders.update(ctx.orders.db, order.id, order.version, {
      isAttention: 1, attentionReason: reason, updatedAt: isoFromMillis(ctx.clock()),
    });
  } catch (err) {
    ctx.logger.error({ err, orderId: order.id }, 'order attention flag not written');
  }
}
