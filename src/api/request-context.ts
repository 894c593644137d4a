import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { HubError } from '../errors/hub-error.js';
import type { OrderContext } from '../orders/order-context.js';

/** The API connection (order source) a request was authenticated as. */
export interface ApiClient {
  /** Client ID of the connection, which is also the orders' `orderSourceId`. */
  clientId: string;
  name: string;
  corporationId: string;
  /** Restaurants the connection may use. */
  restaurantIds: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer-token hook on `/orders/api/v1/*`. */
    apiClient: ApiClient | undefined;
  }
}

/** The authenticated connection of a request under `/orders/api/v1`. */
export function clientOf(request: FastifyRequest): ApiClient {
  if (!request.apiClient) throw new HubError('ERR_UNAUTHORIZED', 'Authentication required');
  return request.apiClient;
}

/**
 * The order context for one request: the use cases log through the request's logger, so their
 * lines (`order created`, `order paid`, …) carry the request's `reqId`.
 */
export function contextOf(ctx: OrderContext, request: FastifyRequest): OrderContext {
  // Fastify was given a pino logger (`fastifyOptions`), so the request's logger is pino's child.
  return { ...ctx, logger: request.log as Logger };
}
