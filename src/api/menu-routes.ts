import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { MenuRepo } from '../menu/menu-repo.js';
import { limitedListView, menuView } from '../menu/menu-view.js';
import { QueryReader } from './query-reader.js';
import { clientOf } from './request-context.js';

/**
 * The menu of the connection's corporation (E4 `GET /menu/view`) and the stopped or limited
 * dishes of its restaurants (E5 `GET /menu/dishes/limitedlist`). Both take an optional
 * `restaurantId` (any case of the name) that narrows the stop lists to that restaurant.
 */
export function registerMenuRoutes(app: FastifyInstance, menus: MenuRepo): void {
  app.get('/menu/view', async (request) => {
    const client = clientOf(request);
    const restaurantIds = restaurantsAsked(request);

    const [menu, stops] = await Promise.all([
      menus.menu(client.corporationId),
      menus.stopList(restaurantIds),
    ]);
    return { result: menuView(menu, stops) };
  });

  app.get('/menu/dishes/limitedlist', async (request) => {
    const client = clientOf(request);
    const restaurantIds = restaurantsAsked(request);

    const [menu, stops] = await Promise.all([
      menus.menu(client.corporationId),
      menus.stopList(restaurantIds),
    ]);
    return { result: limitedListView(menu, stops) };
  });
}

/**
 * The restaurants whose stop lists the answer covers: the one named by `restaurantId` (which the
 * connection must be attached to), or all of the connection's.
 */
function restaurantsAsked(request: FastifyRequest): readonly string[] {
  const client = clientOf(request);
  const asked = new QueryReader(request.query).text('restaurantId');
  if (asked === undefined) return client.restaurantIds;

  const wanted = canonicalId(asked);
  const restaurant = client.restaurantIds.find((id) => canonicalId(id) === wanted);
  if (restaurant === undefined) {
    throw new HubError('restaurant_not_found', `Restaurant ${asked} not found`);
  }
  return [restaurant];
}

function canonicalId(id: string): string {
  return id.replace(/[{}]/g, '').toLowerCase();
}
