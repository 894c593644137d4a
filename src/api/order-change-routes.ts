import type { FastifyInstance } from 'fastify';
import { cancelOrder } from '../orders/cancel-order.js';
import { changeOrder } from '../orders/change-order.js';
import type { OrderContext } from '../orders/order-context.js';
import { readIfMatch } from './if-match.js';
import { clientOf, contextOf } from './request-context.js';

interface OrderParams {
  orderId: string;
}

/**
 * Changing and cancelling orders: E10 `PATCH /orders/{id}`, E11 `GET /rejectionReasons` and E12
 * `PUT /orders/{id}/reject` (`delivery-api.md` §11.1, §11.2), both taking `If-Match` (§16).
 * Routes only translate.
 */
export function registerOrderChangeRoutes(app: FastifyInstance, ctx: OrderContext): void {
  app.get('/rejectionReasons', async (request) => {
    const client = clientOf(request);
    const reasons = await ctx.chain.rejectionReasons(client.corporationId);

    return {
      result: reasons.map(({ id, reason, type, isPossibleDelete }) =>
        ({ id, reason, type, isPossibleDelete })),
    };
  });

  app.put<{ Params: OrderParams }>('/orders/:orderId/reject', async (request) => {
    const client = clientOf(request);
    await cancelOrder(contextOf(ctx, request), client.clientId, request.params.orderId,
      request.body, `api:${client.clientId}`, readIfMatch(request));

    return { result: {} };
  });

  app.patch<{ Params: OrderParams }>('/orders/:orderId', async (request) => {
    const client = clientOf(request);
    await changeOrder(contextOf(ctx, request), client, request.params.orderId, request.body,
      readIfMatch(request));

    return { result: {} };
  });
}
