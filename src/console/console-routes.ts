import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { HubError, parseError } from '../errors/hub-error.js';
import { PROGRESS_STATUSES } from '../orders/advance-order.js';
import type { OrderContext } from '../orders/order-context.js';
import { OrderStatus, STATUS_SEQUENCE, STATUS_TABLE, isStatusId } from '../orders/order-status.js';
import { isoFromMillis, parseInstant } from '../time/instant.js';
import { DeliveryRepo } from '../webhooks/delivery-repo.js';
import { replayWebhook } from '../webhooks/webhook-replay.js';
import { performAction } from './console-actions.js';
import { ConsoleAssets } from './console-assets.js';
import { consoleLoginLimit } from './console-login-limit.js';
import { ConsoleOrders, type ConsoleSearch } from './console-orders.js';
import {
  clearSessionCookie, consoleAuthHook, consoleUserOf, sessionTokenOf, setSessionCookie,
} from './console-session.js';
import { type ConsoleUser, ConsoleUserRepo } from './console-users.js';
import { OrderChangeFeed } from './order-change-feed.js';
import { openOrderStream } from './order-stream.js';

export interface ConsoleDeps {
  orders: OrderContext;
  logger: Logger;
  /** How often the live board looks for changed orders; default 400 ms. */
  pollMs?: number;
  /** Sign-in attempts per minute per client IP and username; 0 or absent: no limit. */
  loginRateLimitPerMinute?: number;
}

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-cache',
};

/**
 * The operator console: the page at `/console`, its scripts under `/console/assets/`, and its
 * JSON API under `/console/api` (session cookie, see `console-session.ts`). Admins also see an
 * order's webhook deliveries there and replay them.
 */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const assets = new ConsoleAssets();
  const users = new ConsoleUserRepo(deps.orders.orders.db);
  const orders = new ConsoleOrders(deps.orders);
  const feed = new OrderChangeFeed({ db: deps.orders.orders.db, clock: deps.orders.clock,
    intervalMs: deps.pollMs ?? 400, logger: deps.logger });
  const deliveries = new DeliveryRepo(deps.orders.orders.db);
  const streams = new Set<() => void>();
  const loginLimit = consoleLoginLimit(app, deps.loginRateLimitPerMinute ?? 0);
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
    feed.stop();
  });

  const sendAsset = async (reply: FastifyReply, name: string) => {
    const asset = await assets.get(name);
    if (!asset || !assets.built) {
      return reply.code(asset ? 503 : 404).type('text/plain; charset=utf-8')
        .send(asset ? 'The console is not built: run "npm run build".' : 'Not found');
    }
    return reply.headers(PAGE_HEADERS).type(asset.type).send(asset.body);
  };
  app.get('/console', (_request, reply) => sendAsset(reply, 'index.html'));
  app.get<{ Params: { name: string } }>('/console/assets/:name',
    (request, reply) => sendAsset(reply, request.params.name));

  await app.register(async (api) => {
    api.decorateRequest('consoleUser', undefined);
    api.addHook('onRequest', consoleAuthHook(users, deps.orders.clock));

    api.post('/session', async (request, reply) => {
      const body = (request.body ?? {}) as { username?: unknown; password?: unknown };
      if (typeof body.username !== 'string' || typeof body.password !== 'string') {
        throw parseError('username', 'username and password are required');
      }
      await loginLimit?.(request, body.username);
      const user = await users.verify(body.username, body.password);
      if (!user) throw new HubError('ERR_UNAUTHORIZED', 'Wrong username or password');

      const session = await users.startSession(user.id, deps.orders.clock());
      setSessionCookie(request, reply, session.token, session.expiresAt);
      deps.logger.info({ component: 'console', userId: user.id }, 'console sign-in');
      return { result: { user } };
    });

    api.get('/session', async (request) => ({ result: { user: consoleUserOf(request) } }));

    api.delete('/session', async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token) await users.endSession(token);
      clearSessionCookie(reply);
      return { result: {} };
    });

    api.get('/meta', async (request) => {
      const user = consoleUserOf(request);
      const reasons = await deps.orders.chain.rejectionReasons(user.corporationId);
      return { result: {
        statuses: STATUS_SEQUENCE.concat(OrderStatus.Cancelled).map((id) => ({
          id, name: STATUS_TABLE[id].name, nameRu: STATUS_TABLE[id].nameRu,
          final: STATUS_TABLE[id].final,
        })),
        progressStatuses: PROGRESS_STATUSES,
        rejectionReasons: reasons,
      } };
    });

    api.get('/orders', async (request) => {
      const user = consoleUserOf(request);
      const search = await readSearch(request.query as Record<string, unknown>, deps.orders,
        user.corporationId);
      return { result: search ? await orders.search(user, search) : await orders.board(user) };
    });

    api.get<{ Params: { id: string } }>('/orders/:id', async (request) => {
      const details = await orders.details(consoleUserOf(request), request.params.id);
      if (!details) throw new HubError('order_not_found', `Order ${request.params.id} not found`);
      return { result: details };
    });

    api.post<{ Params: { id: string; action: string } }>('/orders/:id/actions/:action',
      async (request) => {
        const user = consoleUserOf(request);
        await performAction(deps.orders, user, request.params.id, request.params.action,
          request.body ?? undefined);
        const [card] = await orders.cardsOf(user, [Number(request.params.id)]);
        return { result: card ?? null };
      });

    api.get<{ Params: { id: string } }>('/orders/:id/webhooks', async (request) => {
      const user = adminOf(request);
      if (!await orders.details(user, request.params.id)) {
        throw new HubError('order_not_found', `Order ${request.params.id} not found`);
      }
      return { result: await deliveries.list({ orderId: Number(request.params.id), limit: 200 }) };
    });

    api.post<{ Params: { id: string } }>('/webhooks/:id/replay', async (request) => {
      const user = adminOf(request);
      const delivery = await deliveries.get(request.params.id);
      const order = delivery && await orders.details(user, String(delivery.orderId));
      if (!delivery || !order) {
        throw new HubError('webhook_not_found', `Webhook delivery ${request.params.id} not found`);
      }
      return { result: await replayWebhook(deliveries, delivery.id,
        isoFromMillis(deps.orders.clock())) };
    });

    api.get('/stream', async (request, reply) => {
      const user = consoleUserOf(request);
      const end = await openOrderStream(request, reply, { user, feed, orders, log: deps.logger });
      streams.add(end);
      request.raw.on('close', () => streams.delete(end));
    });
  }, { prefix: '/console/api' });
}

/** The signed-in user, who must be an admin (webhook deliveries and their replay). */
function adminOf(request: FastifyRequest): ConsoleUser {
  const user = consoleUserOf(request);
  if (user.role !== 'admin') throw new HubError('ERR_FORBIDDEN', 'Only admins manage webhooks');
  return user;
}

/** The search filters of `GET /console/api/orders`, or undefined for the board. */
async function readSearch(
  query: Record<string, unknown>, ctx: OrderContext, corporationId: string,
): Promise<ConsoleSearch | undefined> {
  const text = (key: string) => (typeof query[key] === 'string' ? query[key].trim() : '');
  const [q, status, from, to] = ['q', 'status', 'from', 'to'].map(text) as string[];
  if (!q && !status && !from && !to) return undefined;

  const zone = (await ctx.chain.getCorporation(corporationId))?.timeZone ?? 'UTC';
  const instant = (value: string, name: string, endOfDay: boolean) => {
    if (!value) return undefined;
    const parsed = parseInstant(value, zone);
    if (!parsed) throw parseError(name, 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time');
    if (!parsed.dateOnly || !endOfDay) return parsed.instant;
    return new Date(Date.parse(parsed.instant) + 86_400_000 - 1).toISOString();
  };
  const statusId = status ? Number(status) : undefined;
  if (statusId !== undefined && !isStatusId(statusId)) {
    throw parseError('status', 'must be an order status id');
  }
  return { q: q || undefined, statusId, from: instant(from as string, 'from', false),
    to: instant(to as string, 'to', true) };
}
