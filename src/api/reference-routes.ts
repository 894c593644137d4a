import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import { toRoubles } from '../money/money.js';
import type { ChainRepo } from '../store/chain-repo.js';
import { clientOf } from './request-context.js';

/**
 * Reference data of the r_k Delivery API available to a connection: its restaurants (E3), its
 * menu (E4) and a restaurant's payment currencies (E17).
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

  app.get('/menu/view', async (request) => {
    const client = clientOf(request);
    const restaurantId = queryParam(request.query, 'restaurantId');
    if (restaurantId !== undefined && !allowed(client.restaurantIds, restaurantId)) {
      throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
    }

    const [categories, products] = await Promise.all([
      chain.menuCategories(client.corporationId),
      chain.menuProducts(client.corporationId),
    ]);
    return {
      result: {
        categories: categories.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
        products: products.map((p) => ({
          id: p.id,
          externalId: p.externalId,
          categoryId: p.categoryId,
          name: p.name,
          price: toRoubles(p.price),
          schemeId: null,
          description: p.description,
          imageUrls: [],
          measure: {
            value: p.measureValue === null ? null : p.measureValue / 1000,
            unit: p.measureUnit,
            priceMode: p.priceMode,
            qntDecDigits: p.priceMode === 'PerUnitOfWeight' ? 3 : null,
            changeQntOnce: null,
            joinMode: 'almJoinLines',
          },
          isContainInStopList: [],
          calories: null, energyValue: null, proteins: null, fats: null, carbohydrates: null,
          dishTaxes: null,
        })),
        ingredientsSchemes: [],
        ingredientsGroups: [],
        ingredients: [],
        name: 'Menu',
        isPossibleDelete: false,
        haveChanges: false,
      },
    };
  });

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

/** A query parameter matched case-insensitively (`restaurantID` binds `restaurantId`). */
function queryParam(query: unknown, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (key.toLowerCase() === wanted && typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
