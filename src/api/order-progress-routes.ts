import type { FastifyInstance } from 'fastify';
import { parseError } from '../errors/hub-error.js';
import { advanceOrder } from '../orders/advance-order.js';
import type { OrderContext } from '../orders/order-context.js';

/**
 * `POST /admin/api/v1/orders/{orderId}/status` with `{"statusId": 5}`: moves an order at the
 * kitchen through the optional statuses (being prepared … delivered).
 */
export function registerOrderProgressRoutes(app: FastifyInstance, ctx: OrderContext): void {
  app.post<{ Params: { orderId: string } }>('/orders/:orderId/status', async (request) => {
    const statusId = (request.body as { statusId?: unknown } | undefined)?.statusId;
    if (typeof statusId !== 'number' || !Number.isInteger(statusId)) {
      throw parseError('statusId', 'must be an order status id');
    }
    return { result: await advanceOrder(ctx, request.params.orderId, statusId, 'operator:admin') };
  });
}
