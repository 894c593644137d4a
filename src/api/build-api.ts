import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { adminAuthHook } from '../auth/admin-auth.js';
import { bearerAuthHook } from '../auth/bearer-auth.js';
import { registerTokenRoute } from '../auth/token-route.js';
import type { TokenService } from '../auth/token-service.js';
import type { HubConfig } from '../config/hub-config.js';
import { registerConsole } from '../console/console-routes.js';
import type { GeoDirectoryRepo } from '../geo/geo-directory-repo.js';
import { type OpsDeps, registerOpsRoutes } from '../ops/ops-routes.js';
import type { OrderContext } from '../orders/order-context.js';
import type { ChainRepo } from '../store/chain-repo.js';
import { registerAdminChainRoutes } from './admin-chain-routes.js';
import { registerAdminRoutes } from './admin-routes.js';
import { fastifyOptions, registerHttpBasics } from './error-handler.js';
import { type IdempotencyOptions, idempotencyPlugin } from './idempotency.js';
import { registerEventRoutes } from './event-routes.js';
import { registerGeoRoutes } from './geo-routes.js';
import { registerMenuRoutes } from './menu-routes.js';
import { registerOrderChangeRoutes } from './order-change-routes.js';
import { registerOrderProgressRoutes } from './order-progress-routes.js';
import { registerOpenApi } from './openapi.js';
import { registerOrderRoutes } from './order-routes.js';
import { registerReferenceRoutes } from './reference-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';

export interface ApiDeps {
  config: HubConfig;
  logger: Logger;
  orders: OrderContext;
  chain: ChainRepo;
  tokens: TokenService;
  adminTokenHash: string;
  /** Countries, cities and addresses (E1, E15, E16). */
  places: GeoDirectoryRepo;
  /** `/healthz`, `/readyz`, `/metrics` and request timing; left out by bare test setups. */
  ops?: OpsDeps;
  /** Idempotent writes on `/orders/api/v1` (§16); left out by bare test setups. */
  idempotency?: IdempotencyOptions;
}

/**
 * The HTTP surface: `/connect/token`, the r_k-compatible API under `/orders/api/v1` (bearer
 * token of an API connection), and the hub's admin API under `/admin/api/v1` (admin token).
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions({
    bodyLimitBytes: deps.config.bodyLimitBytes, requestTimeoutMs: deps.config.requestTimeoutMs,
    logger: deps.logger,
  }));
  app.decorateRequest('apiClient', undefined);
  await registerHttpBasics(app, {
    rateLimitPerMinute: deps.config.rateLimitPerMinute, tokens: deps.tokens,
    corsOrigins: deps.config.corsOrigins,
  });
  await registerOpenApi(app);
  if (deps.ops) registerOpsRoutes(app, deps.ops);

  const findConnection = (clientId: string) => deps.chain.findConnection(clientId);
  registerTokenRoute(app, {
    tokens: deps.tokens, findConnection, rateLimitPerMinute: deps.config.tokenRateLimitPerMinute,
  });

  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuthHook({ tokens: deps.tokens, findConnection }));
    if (deps.idempotency) await api.register(idempotencyPlugin(deps.idempotency));
    registerOrderRoutes(api, deps.orders);
    registerOrderChangeRoutes(api, deps.orders);
    registerReferenceRoutes(api, deps.chain);
    registerEventRoutes(api, deps.orders.orders.db);
    registerMenuRoutes(api, deps.orders.menu);
    registerGeoRoutes(api, {
      places: deps.places, zones: deps.orders.zones, chain: deps.chain, orders: deps.orders,
    });
  }, { prefix: '/orders/api/v1' });

  await app.register(async (admin) => {
    admin.addHook('onRequest', adminAuthHook({ adminTokenHash: deps.adminTokenHash }));
    registerAdminRoutes(admin, deps.orders);
    registerAdminChainRoutes(admin, {
      db: deps.orders.orders.db, clock: deps.orders.clock, stationFor: deps.orders.stationFor,
    });
    registerOrderProgressRoutes(admin, deps.orders);
    registerWebhookRoutes(admin, {
      db: deps.orders.orders.db, chain: deps.chain, clock: deps.orders.clock,
    });
  }, { prefix: '/admin/api/v1' });

  await registerConsole(app, { orders: deps.orders, logger: deps.logger,
    loginRateLimitPerMinute: deps.config.consoleLoginRateLimitPerMinute });

  await app.ready();
  return app;
}
