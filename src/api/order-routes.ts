import type { FastifyInstance, FastifyReply } from 'fastify';
import { completeOrder } from '../orders/complete-order.js';
import { readCreateOrder } from '../orders/create-order-input.js';
import { createOrder } from '../orders/create-order.js';
import type { OrderContext } from '../orders/order-context.js';
import { readOrderQuery } from '../orders/order-query.js';
import { OrderViewCache } from '../orders/order-view-cache.js';
import { payOrder } from '../orders/pay-order.js';
import { KeyHeld } from './idempotency.js';
import { readIfMatch } from './if-match.js';
import { clientOf, contextOf } from './request-context.js';

interface OrderParams {
  orderId: string;
}

/**
 * The order endpoints of the r_k Delivery API (E7, E8, E9, E13, E14); pay and complete take
 * `If-Match` (`delivery-api.md` §16). Routes only translate.
 */
export function registerOrderRoutes(app: FastifyInstance, ctx: OrderContext): void {
  app.post('/orders', async (request, reply) => {
    const client = clientOf(request);
    const input = readCreateOrder(request.body);
    const folded = request.foldedClaim;
    if (folded !== undefined) {
      try {
        const { orderId } = await createOrder(contextOf(ctx, request), client, input, {
          answer: (trx, id) => folded.record(trx, { statusCode: 201, body: createdBody(id) }),
        });
        // The exact text stored for replay.
        return reply.code(201).type('application/json; charset=utf-8')
          .send(createdBody(orderId));
      } catch (err) {
        if (!(err instanceof KeyHeld)) throw err;
        if (await folded.claim(reply)) return reply;
      }
    }

    const requestKey = request.idempotencyClaim?.requestKey;
    const { orderId } = await createOrder(contextOf(ctx, request), client, input,
      requestKey === undefined ? {} : { requestKey });

    return reply.code(201).send({ result: { orderId: String(orderId) } });
  });

  const views = new OrderViewCache(ctx);
  // Not async: a kept answer is sent without a promise (Fastify catches a synchronous throw).
  app.get<{ Params: OrderParams }>('/orders/:orderId', (request, reply) => {
    const client = clientOf(request);
    const body = views.body(request.params.orderId, client.clientId);
    if (typeof body !== 'string') return body.then((text) => sendJson(reply, text));

    sendJson(reply, body);
    return undefined;
  });

  app.get('/orders', async (request, reply) => {
    const client = clientOf(request);
    const corporation = await ctx.chain.getCorporation(client.corporationId);
    const query = readOrderQuery(request.query as Record<string, unknown>, client.clientId,
      corporation?.timeZone ?? 'UTC');
    const ids = await ctx.orders.searchIds(query);

    return sendJson(reply, await views.list(ids, client.clientId));
  });

  app.put<{ Params: OrderParams }>('/orders/:orderId/pay', async (request) => {
    const client = clientOf(request);
    await payOrder(contextOf(ctx, request), client.clientId, request.params.orderId, request.body,
      readIfMatch(request));

    return { result: {} };
  });

  app.put<{ Params: OrderParams }>('/orders/:orderId/complete', async (request) => {
    const client = clientOf(request);
    await completeOrder(contextOf(ctx, request), client.clientId, request.params.orderId,
      `api:${client.clientId}`, readIfMatch(request));

    return { result: {} };
  });
}

function sendJson(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}

/** The answer of a create, as sent and as stored for replay. */
function createdBody(orderId: number): string {
  return JSON.stringify({ result: { orderId: String(orderId) } });
}
