import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { adminAuthHook } from '../auth/admin-auth.js';
import { bearerAuthHook } from '../auth/bearer-auth.js';
import { registerTokenRoute } from '../auth/token-route.js';
import type { TokenService } from '../auth/token-service.js';
import type { HubConfig } from '../config/hub-config.js';
import type { OrderContext } from '../orders/order-context.js';
import type { ChainRepo } from '../store/chain-repo.js';
import { registerAdminRoutes } from './admin-routes.js';
import { fastifyOptions, registerHttpBasics } from './error-handler.js';
import { registerOrderRoutes } from './order-routes.js';
import { registerReferenceRoutes } from './reference-routes.js';

export interface ApiDeps {
  config: HubConfig;
  logger: Logger;
  orders: OrderContext;
  chain: ChainRepo;
  tokens: TokenService;
  adminTokenHash: string;
}

/**
 * The HTTP surface: `/connect/token`, the r_k-compatible API under `/orders/api/v1` (bearer
 * token of an API connection), and the hub's admin API under `/admin/api/v1` (admin token).
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions({
    bodyLimitBytes: deps.config.bodyLimitBytes, logger: deps.logger,
  }));
  app.decorateRequest('apiClient', undefined);
  await registerHttpBasics(app, {
    rateLimitPerMinute: deps.config.rateLimitPerMinute, tokens: deps.tokens,
  });

  const findConnection = (clientId: string) => deps.chain.findConnection(clientId);
  registerTokenRoute(app, { tokens: deps.tokens, findConnection });

  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuthHook({ tokens: deps.tokens, findConnection }));
    registerOrderRoutes(api, deps.orders);
    registerReferenceRoutes(api, deps.chain);
  }, { prefix: '/orders/api/v1' });

  await app.register(async (admin) => {
    admin.addHook('onRequest', adminAuthHook({ adminTokenHash: deps.adminTokenHash }));
    registerAdminRoutes(admin, deps.orders);
  }, { prefix: '/admin/api/v1' });

  await app.ready();
  return app;
}
