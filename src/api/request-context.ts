import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

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
