import type { Logger } from 'pino';
import { isoFromMillis } from '../time/instant.js';
import type { DeliveryRepo, DueDelivery, NextState } from './delivery-repo.js';
import { type RetryPolicy, afterFailure } from './retry-policy.js';
import type { WebhookOutcome, WebhookSender } from './webhook-sender.js';

export interface WebhookWorkerOptions {
  deliveries: DeliveryRepo;
  sender: Pick<WebhookSender, 'send' | 'close'>;
  policy: RetryPolicy;
  clock: () => number;
  /** Jitter source, a number in [0, 1). */
  random?: () => number;
  logger: Logger;
  /** Names this process in claims. */
  owner: string;
  intervalMs: number;
  /** Deliveries being sent at once by this process. */
  maxInFlight?: number;
}

// Longer than the sender's 10 s bound, so a live claim never lapses mid-call.
const LEASE_MS = 60_000;

/**
 * Sends due webhook deliveries. Each delivery is sent on its own, concurrently with the others,
 * so a slow or failing subscriber, or an event that cannot be sent, delays nothing but itself:
 * a failure only moves that delivery's next attempt (or dead-letters it).
 */
export class WebhookWorker {
  readonly #options: WebhookWorkerOptions;
  readonly #log: Logger;
  readonly #inFlight = new Set<Promise<void>>();
  #handle: NodeJS.Timeout | undefined;
  #claiming: Promise<DueDelivery[]> | undefined;

  constructor(options: WebhookWorkerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'webhooks' });
  }

  start(): void {
    if (this.#handle) return;
    this.#handle = setInterval(() => void this.#tick(), this.#options.intervalMs);
    this.#handle.unref();
  }

  /** Stops polling, waits for the calls in flight and gives back this process's claims. */
  async stop(): Promise<void> {
    clearInterval(this.#handle);
    this.#handle = undefined;
    await this.#claiming?.catch(() => []);
    await Promise.allSettled([...this.#inFlight]);
    await this.#options.deliveries.releaseAll(this.#options.owner);
    await this.#options.sender.close();
  }

  /** Claims what is due now and waits until those deliveries were attempted; returns how many. */
  async runDue(): Promise<number> {
    const sends = await this.#claimAndSend();
    await Promise.allSettled(sends);
    return sends.length;
  }

  async #tick(): Promise<void> {
    try {
      await this.#claimAndSend();
    } catch (err) {
      this.#log.error({ err }, 'webhook pass failed');
    }
  }

  async #claimAndSend(): Promise<Promise<void>[]> {
    const room = (this.#options.maxInFlight ?? 16) - this.#inFlight.size;
    if (room <= 0 || this.#claiming) return [];

    const { deliveries, clock, owner } = this.#options;
    const now = clock();
    this.#claiming = deliveries.claimDue(isoFromMillis(now), owner, isoFromMillis(now + LEASE_MS),
      room);
    const claimed = await this.#claiming.finally(() => {
      this.#claiming = undefined;
    });

    return claimed.map((delivery) => {
      const sending = this.#attempt(delivery).finally(() => this.#inFlight.delete(sending));
      this.#inFlight.add(sending);
      return sending;
    });
  }

  async #attempt(delivery: DueDelivery): Promise<void> {
    const { sender, clock, owner, deliveries } = this.#options;
    const attempt = delivery.attempts + 1;
    const startedAt = clock();
    const body = bodyFor(delivery);

    const outcome: WebhookOutcome = body === undefined
      ? {
        delivered: false, httpStatus: null, responseExcerpt: null, durationMs: 0,
        error: 'the stored event payload is not a JSON object',
      }
      : await sender.send({
        url: delivery.url, token: delivery.token, secret: delivery.secret,
        eventId: delivery.eventId, eventType: delivery.eventType, attempt, body, now: startedAt,
      });
    const next = this.#nextState(delivery, attempt, outcome, body === undefined);
    // A receiver that took nothing for a whole window is down: pause its subscription. An event
    // that cannot be sent, or refused while others go through, only dead-letters itself.
    const pause = body === undefined ? undefined : {
      subscriptionId: delivery.subscriptionId, since: delivery.windowStartedAt,
      reason: `No delivery succeeded for ${hours(this.#options.policy.windowMs)} h; last error: `
        + `${outcome.error ?? 'none'}`,
    };

    let paused: boolean;
    try {
      paused = await deliveries.record(owner, {
        deliveryId: delivery.id, attempt, startedAt: isoFromMillis(startedAt),
        durationMs: outcome.durationMs, httpStatus: outcome.httpStatus, error: outcome.error,
        responseExcerpt: outcome.responseExcerpt,
      }, next, pause);
    } catch (err) {
      // The lease lapses and the delivery is attempted again: at-least-once, as documented.
      this.#log.error({ err, deliveryId: delivery.id }, 'webhook attempt not recorded');
      return;
    }
    this.#log[outcome.delivered ? 'info' : 'warn']({
      deliveryId: delivery.id, eventId: delivery.eventId, attempt, httpStatus: outcome.httpStatus,
      error: outcome.error, durationMs: outcome.durationMs, next: next.status,
    }, 'webhook attempt');
    if (paused) {
      this.#log.error({ subscriptionId: delivery.subscriptionId, deliveryId: delivery.id,
        reason: pause?.reason }, 'webhook subscription paused');
    }
  }

  #nextState(
    delivery: DueDelivery, attempt: number, outcome: WebhookOutcome, unsendable: boolean,
  ): NextState {
    const now = this.#options.clock();
    if (outcome.delivered) return { status: 'delivered', at: isoFromMillis(now) };
    if (unsendable) return { status: 'dead', at: isoFromMillis(now) };

    const decision = afterFailure(this.#options.policy, attempt,
      Date.parse(delivery.windowStartedAt), now, this.#options.random);
    return decision.kind === 'dead'
      ? { status: 'dead', at: isoFromMillis(now) }
      : { status: 'pending', nextAttemptAt: isoFromMillis(decision.at) };
  }
}

function hours(ms: number): string {
  return String(Math.round(ms / 360_000) / 10);
}

/** The stored payload with the subscription's title after `occurredAt`, as §15.2 shows it. */
function bodyFor(delivery: DueDelivery): string | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.payload);
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;

  const { eventId, eventType, sequence, occurredAt, ...rest } = payload as Record<string, unknown>;
  return JSON.stringify({ eventId, eventType, sequence, occurredAt, title: delivery.title,
    ...rest });
}
