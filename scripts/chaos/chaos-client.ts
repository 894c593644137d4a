import { setTimeout as sleep } from 'node:timers/promises';

/** How a lifecycle avoids doing things twice: a key, the external id, or nothing but its body. */
export type DedupeMode = 'key' | 'external' | 'body';

/** What a client saw of one lifecycle. */
export interface LifecycleTrace {
  index: number;
  mode: DedupeMode;
  /** The order body's comment: how the audit finds the lifecycle's orders. */
  marker: string;
  /** Every order id a create answer named (more than one would be a duplicate). */
  orderIds: Set<string>;
  /** Kopecks the client paid (the order's `fullAmount`). */
  paid: number | undefined;
  payAcknowledged: boolean;
  completeAcknowledged: boolean;
  /** Answers a correct hub never gives (e.g. "already paid" to the identical body). */
  anomalies: string[];
}

/** Counters of what the client met on the wire. */
export interface WireCounters {
  requests: number;
  networkErrors: number;
  retryable: number;
  internalErrors: number;
}

interface Answer {
  status: number;
  body: any;
  retryAfterMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const ROUBLES = '16D72549-14D8-4F31-9E2A-0A833D4F5EED';

/**
 * A restaurant website as the chaos run plays it: it repeats every request until it gets a
 * definite answer — after network errors (the hub was killed), 5xx, 409 and 429 — with the same
 * body and key, as a careful client does.
 */
export class ChaosClient {
  readonly #baseUrl: string;
  readonly #credentials: { clientId: string; clientSecret: string };
  readonly counters: WireCounters = { requests: 0, networkErrors: 0, retryable: 0,
    internalErrors: 0 };
  #token: Promise<string> | undefined;

  constructor(baseUrl: string, credentials: { clientId: string; clientSecret: string }) {
    this.#baseUrl = baseUrl;
    this.#credentials = credentials;
  }

  /** Plays create → (transfer, by the hub) → pay → complete for one lifecycle. */
  async lifecycle(trace: LifecycleTrace, body: Record<string, unknown>, deadline: number) {
    const keys = (step: string): Record<string, string> => (trace.mode === 'key'
      ? { 'idempotency-key': `${trace.marker}/${step}` }
      : {});

    const created = await this.#until(deadline, () => this.#api('POST', '/orders', body,
      keys('create')), (a) => a.status === 201);
    const orderId = String(created.body.result.orderId);
    trace.orderIds.add(orderId);

    const atStation = await this.#until(deadline, () => this.#api('GET', `/orders/${orderId}`),
      (a) => a.status === 200 && a.body.result.orderStatusId >= 4, 400);
    const amount = atStation.body.result.fullAmount as number;
    trace.paid = Math.round(amount * 100);

    const payBody = [{ code: ROUBLES, amount, paidAt: '2024-03-01T12:00:00+03:00', name: '' }];
    await this.#until(deadline, () => this.#api('PUT', `/orders/${orderId}/pay`, payBody,
      keys('pay')), (a) => this.#final(trace, 'pay', a));
    trace.payAcknowledged = true;

    await this.#until(deadline, () => this.#api('PUT', `/orders/${orderId}/complete`, undefined,
      keys('complete')), (a) => this.#final(trace, 'complete', a));
    trace.completeAcknowledged = true;
  }

  /** Success ends a step; a 4xx a correct hub never gives is noted and ends it too. */
  #final(trace: LifecycleTrace, step: string, answer: Answer): boolean {
    if (answer.status === 200) return true;
    if (answer.status >= 400 && answer.status < 500 && ![401, 409, 429].includes(answer.status)) {
      trace.anomalies.push(`${step}: ${answer.status} ${answer.body?.code} ${answer.body?.msg}`);
      throw new Error(`${step} refused: ${answer.body?.msg}`);
    }
    return false;
  }

  /** Repeats `call` until `done` says so; waits as the answer asks (Retry-After), briefly. */
  async #until(
    deadline: number, call: () => Promise<Answer | undefined>, done: (a: Answer) => boolean,
    pollMs = 100,
  ): Promise<Answer> {
    for (;;) {
      if (Date.now() > deadline) throw new Error('lifecycle deadline passed');
      const answer = await call();
      if (answer !== undefined && done(answer)) return answer;

      const wait = answer === undefined ? 200
        : answer.status >= 500 || answer.status === 409 || answer.status === 429
          ? Math.min(Math.max(answer.retryAfterMs, 100), 1_000)
          : pollMs;
      await sleep(wait);
    }
  }

  async #api(
    method: string, path: string, body?: unknown, headers: Record<string, string> = {},
  ): Promise<Answer | undefined> {
    let token: string;
    try {
      token = await this.#bearer();
    } catch {
      this.#token = undefined;
      return undefined;
    }
    const answer = await this.#send(method, `/orders/api/v1${path}`, {
      ...headers, authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    }, body === undefined ? undefined : JSON.stringify(body));
    if (answer?.status === 401) this.#token = undefined;
    if (answer !== undefined && (answer.status >= 500 || answer.status === 409)) {
      this.counters.retryable += 1;
      if (answer.body?.code === 'ERR_INTERNAL') this.counters.internalErrors += 1;
    }
    return answer;
  }

  #bearer(): Promise<string> {
    this.#token ??= this.#send('POST', '/connect/token', {
      'content-type': 'application/x-www-form-urlencoded',
    }, new URLSearchParams({
      grant_type: 'client_credentials', client_id: this.#credentials.clientId,
      client_secret: this.#credentials.clientSecret,
    }).toString()).then((answer) => {
      if (answer?.status !== 200) throw new Error('no token');
      return answer.body.access_token as string;
    });
    return this.#token;
  }

  async #send(
    method: string, path: string, headers: Record<string, string>, body?: string,
  ): Promise<Answer | undefined> {
    this.counters.requests += 1;
    try {
      const response = await fetch(this.#baseUrl + path, {
        method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const retryAfter = Number(response.headers.get('retry-after') ?? '0');
      return {
        status: response.status,
        body: text === '' ? undefined : JSON.parse(text),
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 0,
      };
    } catch {
      this.counters.networkErrors += 1;
      return undefined;
    }
  }
}
