import { HubError } from '../errors/hub-error.js';
import type { StatusChange } from '../store/order-repo.js';
import type { OrderRecord } from './order-record.js';
import { type OrderStatusId, STATUS_TABLE, canTransition, statusName } from './order-status.js';

/**
 * The one gate every status change passes: the move must be in the table, and a pickup order
 * never enters the delivery-only statuses. Returns the history entry to write.
 */
export function transition(
  order: Pick<OrderRecord, 'id' | 'statusId' | 'expeditionType'>, to: OrderStatusId,
  actor: string, at: string,
): StatusChange {
  const allowed = canTransition(order.statusId, to)
    && !(STATUS_TABLE[to].deliveryOnly && order.expeditionType === 'pickup');
  if (!allowed) {
    throw new HubError('err_unprocessable_entity',
      `Order ${order.id} cannot move from "${statusName(order.statusId)}" to "${statusName(to)}"`);
  }
  return { from: order.statusId, to, at, actor };
}
