import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { ChainRepo } from '../store/chain-repo.js';
import { clientOf } from './request-context.js';

/**
 * Reference data of the r_k Delivery API available to a connection: its restaurants (E3) and a
 * restaurant's payment currencies (E17). The menu is in `menu-routes.ts`.
 */
export function registerReferenceRoutes(app: FastifyInstance, chain: ChainRepo): void {
  app.get<{ Params: { orderSourceId: string } }>(
    '/orderSources/:orderSourceId/restaurants',
    async (request) => {
      const client = clientOf(request);
      if (request.params.orderSourceId.toLowerCase() !== client.clientId.toLowerCase()) {
        throw new HubError('order_source_not_found',
          `Order source ${request.params.orderSourceId} not found`);
      }

      const restaurants = await chain.listRestaurants(client.restaurantIds);
      return {
        result: restaurants.map((r) => ({
          id: r.id, objectId: r.objectId, name: r.name, actualAddress: r.actualAddress,
          state: r.state,
        })),
      };
    },
  );

  app.get<{ Params: { restaurantId: string } }>(
    '/restaurants/:restaurantId/settings/currencies',
    async (request) => {
      const client = clientOf(request);
      const { restaurantId } = request.params;
      if (!allowed(client.restaurantIds, restaurantId)) {
        throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
      }

      const restaurant = client.restaurantIds.find((id) => sameId(id, restaurantId)) as string;
      const currencies = await chain.currencies(restaurant);
      return { result: currencies.map((c) => ({ name: c.name, code: c.code })) };
    },
  );
}

function allowed(ids: readonly string[], id: string): boolean {
  return ids.some((candidate) => sameId(candidate, id));
}

function sameId(a: string, b: string): boolean {
  return a.replace(/[{}]/g, '').toLowerCase() === b.replace(/[{}]/g, '').toLowerCase();
}
