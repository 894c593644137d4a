import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../admin/admin-context.js';
import { pathId } from '../admin/admin-input.js';
import { applyChain } from '../admin/chain-apply.js';
import {
  createConnection, listConnections, requireConnection, rotateSecret, updateConnection,
} from '../admin/connection-admin.js';
import {
  createCorporation, listCorporations, requireCorporation, updateCorporation,
} from '../admin/corporation-admin.js';
import { listCurrencies, replaceCurrencies } from '../admin/currency-admin.js';
import { listZones, replaceZones } from '../admin/delivery-zone-admin.js';
import { importMenu } from '../admin/menu-admin.js';
import { listRejectionReasons, replaceRejectionReasons } from '../admin/rejection-reason-admin.js';
import {
  createRestaurant, listRestaurants, requireRestaurantRow, requireRestaurantView,
  updateRestaurant,
} from '../admin/restaurant-admin.js';
import { checkStation } from '../admin/station-check.js';
import { importStationMenu } from '../admin/station-menu-import.js';
import { listStopList, replaceStopList } from '../admin/stop-list-admin.js';
import { MenuRepo } from '../menu/menu-repo.js';
import { menuView } from '../menu/menu-view.js';
import { QueryReader } from './query-reader.js';

interface CorporationParams {
  corporationId: string;
}

interface RestaurantParams {
  restaurantId: string;
}

interface ConnectionParams {
  clientId: string;
}

/**
 * Running a chain through the admin API (`/admin/api/v1`, admin token): corporations and their
 * settings, restaurants with their cash stations, currencies, menus (a JSON import, or the
 * station's own menu), stop lists, rejection reasons, delivery zones, API connections, and a
 * whole chain file at once (`POST /apply`). Bodies are read strictly: an unknown key is a 400
 * naming it. Every answer is `{result}`; the cash-station password never appears in one, and a
 * connection's secret only in the answer that created or rotated it.
 */
export function registerAdminChainRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerCorporationRoutes(app, ctx);
  registerRestaurantRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);

  app.post('/apply', async (request) => {
    const query = new QueryReader(request.query);
    const dryRun = query.text('dryRun') === 'true';
    return { result: await applyChain(ctx, request.body, { dryRun }) };
  });
}

function registerCorporationRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/corporations', async () => ({ result: await listCorporations(ctx.db) }));

  app.post('/corporations', async (request, reply) =>
    reply.code(201).send({ result: await createCorporation(ctx, request.body) }));

  app.get<{ Params: CorporationParams }>('/corporations/:corporationId', async (request) =>
    ({ result: await requireCorporation(ctx.db, pathId(request.params.corporationId)) }));

  app.patch<{ Params: CorporationParams }>('/corporations/:corporationId', async (request) =>
    ({ result: await updateCorporation(ctx, pathId(request.params.corporationId),
      request.body) }));

  app.get<{ Params: CorporationParams }>('/corporations/:corporationId/menu', async (request) => {
    const corporation = await requireCorporation(ctx.db, pathId(request.params.corporationId));
    return { result: menuView(await new MenuRepo(ctx.db).menu(corporation.id), []) };
  });

  app.post<{ Params: CorporationParams }>(
    '/corporations/:corporationId/menu/import',
    async (request) => ({
      result: await importMenu(ctx, pathId(request.params.corporationId), request.body),
    }),
  );

  app.get<{ Params: CorporationParams }>(
    '/corporations/:corporationId/rejection-reasons',
    async (request) => {
      const corporation = await requireCorporation(ctx.db, pathId(request.params.corporationId));
      return { result: await listRejectionReasons(ctx.db, corporation.id) };
    },
  );

  app.put<{ Params: CorporationParams }>(
    '/corporations/:corporationId/rejection-reasons',
    async (request) => ({
      result: await replaceRejectionReasons(ctx, pathId(request.params.corporationId),
        request.body),
    }),
  );
}

function registerRestaurantRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/restaurants', async (request) => {
    const corporationId = new QueryReader(request.query).text('corporationId');
    return { result: await listRestaurants(ctx.db, corporationId && pathId(corporationId)) };
  });

  app.post('/restaurants', async (request, reply) =>
    reply.code(201).send({ result: await createRestaurant(ctx, request.body) }));

  app.get<{ Params: RestaurantParams }>('/restaurants/:restaurantId', async (request) =>
    ({ result: await requireRestaurantView(ctx.db, pathId(request.params.restaurantId)) }));

  app.patch<{ Params: RestaurantParams }>('/restaurants/:restaurantId', async (request) =>
    ({ result: await updateRestaurant(ctx, pathId(request.params.restaurantId), request.body) }));

  app.get<{ Params: RestaurantParams }>('/restaurants/:restaurantId/currencies',
    async (request) => {
      const id = pathId(request.params.restaurantId);
      await requireRestaurantRow(ctx.db, id);
      return { result: await listCurrencies(ctx.db, id) };
    });

  app.put<{ Params: RestaurantParams }>('/restaurants/:restaurantId/currencies',
    async (request) => ({
      result: await replaceCurrencies(ctx, pathId(request.params.restaurantId), request.body),
    }));

  app.post<{ Params: RestaurantParams }>('/restaurants/:restaurantId/menu/import-from-station',
    async (request) => ({
      result: await importStationMenu(ctx, pathId(request.params.restaurantId)),
    }));

  app.post<{ Params: RestaurantParams }>('/restaurants/:restaurantId/station-check',
    async (request) => ({
      result: await checkStation(ctx, pathId(request.params.restaurantId)),
    }));

  app.get<{ Params: RestaurantParams }>('/restaurants/:restaurantId/stop-list',
    async (request) => {
      const id = pathId(request.params.restaurantId);
      await requireRestaurantRow(ctx.db, id);
      return { result: await listStopList(ctx.db, id) };
    });

  app.put<{ Params: RestaurantParams }>('/restaurants/:restaurantId/stop-list',
    async (request) => ({
      result: await replaceStopList(ctx, pathId(request.params.restaurantId), request.body),
    }));

  app.get<{ Params: RestaurantParams }>('/restaurants/:restaurantId/delivery-zones',
    async (request) => {
      const id = pathId(request.params.restaurantId);
      await requireRestaurantRow(ctx.db, id);
      return { result: await listZones(ctx.db, id) };
    });

  app.put<{ Params: RestaurantParams }>('/restaurants/:restaurantId/delivery-zones',
    async (request) => ({
      result: await replaceZones(ctx, pathId(request.params.restaurantId), request.body),
    }));
}

function registerConnectionRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/connections', async (request) => {
    const corporationId = new QueryReader(request.query).text('corporationId');
    return { result: await listConnections(ctx.db, corporationId && pathId(corporationId)) };
  });

  // The only answers that carry a connection's secret: this one and the rotation's.
  app.post('/connections', async (request, reply) =>
    reply.code(201).send({ result: await createConnection(ctx, request.body) }));

  app.get<{ Params: ConnectionParams }>('/connections/:clientId', async (request) =>
    ({ result: await requireConnection(ctx.db, pathId(request.params.clientId)) }));

  app.patch<{ Params: ConnectionParams }>('/connections/:clientId', async (request) =>
    ({ result: await updateConnection(ctx, pathId(request.params.clientId), request.body) }));

  app.post<{ Params: ConnectionParams }>('/connections/:clientId/rotate-secret',
    async (request) => ({ result: await rotateSecret(ctx, pathId(request.params.clientId)) }));
}
