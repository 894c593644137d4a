import {
  Counter, Gauge, Histogram, Registry, collectDefaultMetrics,
} from 'prom-client';

/** Buckets for HTTP handling and cash-station calls, seconds: 1 ms to 30 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  30];
/** Buckets for timer lag, seconds: from on time to ten minutes late. */
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

/** How many orders are in each status right now. */
export type StatusCounts = readonly { statusId: number; count: number }[];

/** Where the metrics that are computed on scrape come from. */
export interface HubMetricsSources {
  /** Orders per status, read with one grouped query. */
  ordersByStatus(): Promise<StatusCounts>;
  /** Every status id, so that empty statuses show as 0 rather than vanish. */
  statusIds: readonly number[];
}

/**
 * The Prometheus metrics of one hub, in a registry of its own (never prom-client's global
 * default), so that several hubs in one process — as in tests — keep separate numbers.
 *
 * Names follow Prometheus conventions: `delivery_hub_` prefix, seconds, `_total` for counters.
 */
export class HubMetrics {
  readonly registry = new Registry();
  readonly #http: Histogram<'method' | 'route' | 'status_code'>;
  readonly #cashCalls: Histogram<'command' | 'outcome'>;
  readonly #cashErrors: Counter<'command' | 'kind'>;
  readonly #timerLag: Histogram<'kind'>;
  #outboxBacklog: Gauge | undefined;

  constructor(sources: HubMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    this.#http = new Histogram({
      name: 'delivery_hub_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code; _count gives the rate',
      labelNames: ['method', 'route', 'status_code'], buckets: LATENCY_BUCKETS, registers,
    });
    this.#cashCalls = new Histogram({
      name: 'delivery_hub_cash_call_duration_seconds',
      help: 'Cash-station calls by command (port method) and outcome (ok or failure kind)',
      labelNames: ['command', 'outcome'], buckets: LATENCY_BUCKETS, registers,
    });
    this.#cashErrors = new Counter({
      name: 'delivery_hub_cash_call_errors_total',
      help: 'Failed cash-station calls by command and failure kind',
      labelNames: ['command', 'kind'], registers,
    });
    this.#timerLag = new Histogram({
      name: 'delivery_hub_timer_lag_seconds',
      help: 'How late a timer was claimed: claim time minus due time',
      labelNames: ['kind'], buckets: LAG_BUCKETS, registers,
    });
    new Gauge({
      name: 'delivery_hub_orders',
      help: 'Orders stored, by status id (computed on scrape)',
      labelNames: ['status_id'], registers,
      async collect() {
        const counts = new Map((await sources.ordersByStatus())
          .map(({ statusId, count }) => [statusId, count]));
        this.reset();
        for (const id of sources.statusIds) this.set({ status_id: id }, counts.get(id) ?? 0);
      },
    });
  }

  /** Records one answered HTTP request; `route` is the pattern, never the raw path. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#http.observe({ method, route, status_code: statusCode }, seconds);
  }

  /** Records one cash-station call; `failureKind` is undefined when it succeeded. */
  observeCashCall(command: string, seconds: number, failureKind?: string): void {
    this.#cashCalls.observe({ command, outcome: failureKind ?? 'ok' }, seconds);
    if (failureKind !== undefined) this.#cashErrors.inc({ command, kind: failureKind });
  }

  /** Records how late a claimed timer of `kind` ran. */
  observeTimerLag(kind: string, seconds: number): void {
    this.#timerLag.observe({ kind }, Math.max(0, seconds));
  }

  /**
   * Adds the outbox backlog gauge, read from `count` on every scrape. Registered by whatever
   * owns the outbox; absent until then, so no misleading zero is published.
   */
  registerOutboxBacklog(count: () => Promise<number>): void {
    if (this.#outboxBacklog) throw new Error('the outbox backlog gauge is already registered');

    this.#outboxBacklog = new Gauge({
      name: 'delivery_hub_outbox_backlog',
      help: 'Outbox entries waiting to be delivered (computed on scrape)',
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  /** The exposition text and its content type. */
  async expose(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
