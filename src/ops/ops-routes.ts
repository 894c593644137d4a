import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubMetrics } from './hub-metrics.js';
import type { ReadinessProbe } from './readiness-probe.js';

/** What the operations endpoints read. */
export interface OpsDeps {
  metrics: HubMetrics;
  readiness: ReadinessProbe;
}

/** Route pattern used for requests that matched no route (404s), so paths never become labels. */
const UNMATCHED = 'unmatched';

/**
 * Operations endpoints for load balancers and monitoring, outside the rate limit and without
 * authentication (they show no personal data and no secrets):
 * - `GET /healthz`: the process is up and serving HTTP (200 `{"status":"ok"}`);
 * - `GET /readyz`: database and every cash station answer (200), or 503 naming what failed;
 * - `GET /metrics`: Prometheus text format.
 *
 * Also times every request for the HTTP metrics (`Connection: close` while closing is the
 * shutdown gate's, `api/shutdown-gate.ts`). Call it on the root instance before any other route
 * or plugin is registered, so the hook covers every route.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  const { metrics, readiness } = deps;
  // A callback hook: an async one costs a promise and a microtask per request.
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const exempt = { config: { rateLimit: false } };

  app.get('/healthz', exempt, async () => ({ status: 'ok' }));

  app.get('/readyz', exempt, async (_request, reply) => {
    const report = await readiness.check();
    return reply.code(report.ready ? 200 : 503).send({
      status: report.ready ? 'ok' : 'unavailable',
      checks: { database: report.database, cashStations: report.cashStations },
    });
  });

  app.get('/metrics', exempt, async (_request, reply) => {
    const { contentType, text } = await metrics.expose();
    return reply.header('content-type', contentType).send(text);
  });
}
