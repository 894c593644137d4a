import type { FastifyInstance } from 'fastify';
import { type OrderContext, loadOrder } from '../orders/order-context.js';
import { type OperatorAction, operatorAction } from '../orders/operator-actions.js';
import { orderView } from '../orders/order-view.js';

const ACTIONS: readonly OperatorAction[] = ['confirm', 'accept', 'transfer'];

/**
 * The operator's part of the admin API (`/admin/api/v1`): read any order with its cash-station
 * state, and move orders that wait for a person (processing `none`, no auto-acceptance).
 */
export function registerAdminRoutes(app: FastifyInstance, ctx: OrderContext): void {
  app.get<{ Params: { orderId: string } }>('/orders/:orderId', async (request) => {
    const order = await loadOrder(ctx, request.params.orderId);
    return {
      result: {
        ...orderView(order, ctx.clock()),
        attentionReason: order.attentionReason,
        posOrderGuid: order.posOrderGuid,
      },
    };
  });

  for (const action of ACTIONS) {
    app.post<{ Params: { orderId: string } }>(`/orders/:orderId/${action}`, async (request) => {
      const result = await operatorAction(ctx, request.params.orderId, action, 'operator:admin');
      return { result };
    });
  }
}
