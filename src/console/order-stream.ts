import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ConsoleOrders } from './console-orders.js';
import type { ConsoleUser } from './console-users.js';
import type { OrderChangeFeed } from './order-change-feed.js';

const HEARTBEAT_MS = 15_000;

export interface OrderStreamDeps {
  user: ConsoleUser;
  feed: OrderChangeFeed;
  orders: ConsoleOrders;
  log: Logger;
}

/**
 * Serves `GET /console/api/stream` as Server-Sent Events: `ready` once the feed is watching (the
 * page loads the board then), then an `order` event with the fresh card of every order of the
 * user's corporation that changes. Returns the function that ends the stream.
 */
export async function openOrderStream(
  request: FastifyRequest, reply: FastifyReply, deps: OrderStreamDeps,
): Promise<() => void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });

  let open = true;
  const write = (text: string) => {
    if (open) res.write(text);
  };
  const subscription = deps.feed.subscribe((changes) => {
    const ids = changes.filter((c) => c.corporationId === deps.user.corporationId).map((c) => c.id);
    if (ids.length === 0) return;
    deps.orders.cardsOf(deps.user, ids)
      .then((cards) => {
        for (const card of cards) write(`event: order\ndata: ${JSON.stringify(card)}\n\n`);
      })
      .catch((err: unknown) => {
        deps.log.warn({ err, component: 'console' }, 'stream update failed');
      });
  });
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();

  const end = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    subscription.stop();
    res.end();
  };
  request.raw.on('close', end);

  await subscription.ready;
  write('retry: 2000\nevent: ready\ndata: {}\n\n');
  return end;
}
