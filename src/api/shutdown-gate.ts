import type { FastifyInstance, FastifyReply } from 'fastify';
import { HubError } from '../errors/hub-error.js';

/**
 * Seconds a client refused during shutdown is told to wait: long enough for a load balancer to
 * take the instance out or for the process to restart, short enough not to stall an order.
 */
const RETRY_AFTER_SEC = 5;

/**
 * Refuses requests that arrive once the app is closing (a pipelined or keep-alive request read
 * after SIGTERM) with 503 `ERR_SERVICE_UNAVAILABLE`, `Retry-After` and `Connection: close`, in
 * the error envelope. Fastify's own refusal (`return503OnClosing`, turned off in
 * `fastifyOptions`) would answer in its own shape, without a request id. Requests already in
 * flight finish, their answers carrying `Connection: close`. Register it as the root's first
 * `onRequest` hook after the one setting `X-Request-Id`, so nothing else (rate limit,
 * authentication) runs for them.
 */
export function registerShutdownGate(app: FastifyInstance): void {
  let closing = false;

  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  app.addHook('onRequest', (_request, reply: FastifyReply, done) => {
    if (!closing) {
      done();
      return;
    }

    reply.header('connection', 'close');
    done(new HubError('ERR_SERVICE_UNAVAILABLE', 'The hub is shutting down; retry later',
      { retryAfterSec: RETRY_AFTER_SEC }));
  });

  // A keep-alive client whose request was in flight lets go, so the close need not wait for
  // its idle timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
