import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { newSecret } from '../auth/secret-hash.js';
import { HubError, parseError } from '../errors/hub-error.js';
import type { ChainRepo } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';
import { isoFromMillis } from '../time/instant.js';
import { DeliveryRepo } from '../webhooks/delivery-repo.js';
import { readSubscriptionInput } from '../webhooks/subscription-input.js';
import { type Subscription, SubscriptionRepo } from '../webhooks/subscription-repo.js';
import { pingSubscription } from '../webhooks/webhook-ping.js';
import { replayWebhook } from '../webhooks/webhook-replay.js';

export interface WebhookRoutesDeps {
  db: Db;
  chain: ChainRepo;
  clock: () => number;
}

interface IdParams {
  id: string;
}

/**
 * Webhook administration under `/admin/api/v1/webhooks` (admin token): subscriptions per
 * corporation, the delivery outbox with its per-attempt log, replay and a test ping.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRoutesDeps): void {
  const subscriptions = new SubscriptionRepo(deps.db);
  const deliveries = new DeliveryRepo(deps.db);
  const now = () => isoFromMillis(deps.clock());
  const load = async (id: string) => {
    const found = await subscriptions.get(id);
    if (!found) throw new HubError('webhook_not_found', `Webhook subscription ${id} not found`);
    return found;
  };

  app.post('/webhooks', async (request, reply) => {
    const input = readSubscriptionInput(request.body, false);
    if (!await deps.chain.getCorporation(input.corporationId)) {
      throw new HubError('corporation_not_found', `Corporation ${input.corporationId} not found`);
    }

    const at = now();
    const subscription: Subscription = {
      id: randomUUID(), corporationId: input.corporationId, title: input.title ?? '',
      url: input.url, token: input.token ?? newSecret(), secret: input.secret ?? newSecret(),
      enabledStatusIds: input.enabledStatusIds ?? [], eventTypes: input.eventTypes ?? [],
      active: input.active ?? true, pausedAt: null, pauseReason: null, createdAt: at,
      updatedAt: at,
    };
    await subscriptions.insert(subscription);
    // The only answer that shows the token and the secret: the receiver needs both.
    return reply.code(201).send({ result: { ...subscription } });
  });

  app.get('/webhooks', async (request) => {
    const { corporationId } = request.query as { corporationId?: string };
    return { result: (await subscriptions.list(corporationId)).map(publicView) };
  });

  app.get<{ Params: IdParams }>('/webhooks/:id', async (request) =>
    ({ result: publicView(await load(request.params.id)) }));

  app.patch<{ Params: IdParams }>('/webhooks/:id', async (request) => {
    const changes = readSubscriptionInput(request.body, true);
    const updated = await subscriptions.update((await load(request.params.id)).id, changes, now());
    return { result: publicView(updated as Subscription) };
  });

  app.delete<{ Params: IdParams }>('/webhooks/:id', async (request) => {
    if (!await subscriptions.delete(request.params.id)) await load(request.params.id);
    return { result: {} };
  });

  app.post<{ Params: IdParams }>('/webhooks/:id/resume', async (request) => {
    const resumed = await subscriptions.resume((await load(request.params.id)).id, now());
    return { result: publicView(resumed ?? await load(request.params.id)) };
  });

  app.post<{ Params: IdParams }>('/webhooks/:id/ping', async (request) =>
    ({ result: await pingSubscription(await load(request.params.id), deps.clock()) }));

  app.get('/webhooks/deliveries', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw parseError('limit', 'must be a whole number from 1 to 1000');
    }
    if (query.status && !['pending', 'delivered', 'dead'].includes(query.status)) {
      throw parseError('status', 'must be pending, delivered or dead');
    }
    const filter = { subscriptionId: query.subscriptionId, eventId: query.eventId,
      status: query.status, limit };
    return { result: await deliveries.list(filter) };
  });

  app.get<{ Params: IdParams }>('/webhooks/deliveries/:id', async (request) => {
    const delivery = await deliveries.get(request.params.id);
    if (!delivery) {
      throw new HubError('webhook_not_found', `Webhook delivery ${request.params.id} not found`);
    }
    return { result: { ...delivery, attemptLog: await deliveries.attempts(delivery.id) } };
  });

  app.get<{ Params: IdParams }>('/webhooks/deliveries/:id/attempts', async (request) => {
    if (!await deliveries.get(request.params.id)) {
      throw new HubError('webhook_not_found', `Webhook delivery ${request.params.id} not found`);
    }
    return { result: await deliveries.attempts(request.params.id) };
  });

  app.post('/webhooks/replay', async (request) => {
    const body = (request.body ?? {}) as { eventId?: unknown; deliveryId?: unknown };
    const target = body.deliveryId ?? body.eventId;
    if (typeof target !== 'string' || target.trim() === '') {
      throw parseError('eventId', 'give eventId or deliveryId');
    }
    return { result: await replayWebhook(deliveries, target, now()) };
  });
}

/** A subscription as listings show it: the secret never, the token only by its last characters. */
function publicView(s: Subscription) {
  const { secret: _secret, token, ...rest } = s;
  return { ...rest, token: `…${token.slice(-4)}` };
}
