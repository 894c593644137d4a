import { DeliveryHubError } from './delivery-hub-error.js';
import type { components, paths } from './generated/api-types.js';

type Schemas = components['schemas'];
/** An order as `GET /orders/{orderId}` shows it. */
export type Order = Schemas['Order'];
/** The body of `POST /orders` (and `PATCH /orders/{orderId}`). */
export type CreateOrderBody = Schemas['CreateOrderBody'];
/** One payment of `PUT /orders/{orderId}/pay`. */
export type PaymentItem = Schemas['PaymentItem'];
export type RejectionReason = Schemas['RejectionReason'];
export type RejectBody = Schemas['RejectBody'];
/** Every error code of the hub's catalogue, as `DeliveryHubError.code` carries it. */
export type ErrorCode = Schemas['ErrorCode'];
type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put'> =
  paths[P][M] extends { responses: { 200: { content: { 'application/json': infer B } } } }
    ? B : never;
/** Query of `GET /orders`. */
export type OrderSearch = NonNullable<paths['/orders/api/v1/orders']['get']['parameters']['query']>;

/** Settings of {@link DeliveryHubClient}. */
export interface DeliveryHubClientOptions {
  /** The hub's base URL, e.g. `https://hub.example.com`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Renew the token this many seconds before it expires (default 60). */
  renewBeforeSec?: number;
  /** Repeats of a safe request after a retryable failure (default 2). */
  maxRetries?: number;
  /** Longest wait between repeats, whatever `Retry-After` says (default 30 000 ms). */
  maxRetryDelayMs?: number;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests move it. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Sees every HTTP exchange (token included) as it came back, e.g. to report it verbatim. */
  onResponse?: (exchange: HubExchange) => void;
}

/** One HTTP exchange as {@link DeliveryHubClientOptions.onResponse} sees it. */
export interface HubExchange {
  method: string;
  url: string;
  status: number;
  /** The raw response body. */
  text: string;
}

/** Options of a state-changing call. */
export interface WriteOptions {
  /** Sent as `Idempotency-Key`; without it a write is never repeated. */
  idempotencyKey?: string;
  /**
   * The order `version` the caller last read, sent as `If-Match`: the hub refuses the change
   * with 409 `err_version_mismatch` when the order has changed since.
   */
  ifMatch?: number;
}

/** When a failed request may be sent again. */
type RetryRule = 'safe' | 'timeout-with-key' | 'never';

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  body?: unknown;
  idempotencyKey?: string | undefined;
  ifMatch?: number | undefined;
  retry: RetryRule;
}

/**
 * A typed client of the hub's r_k-compatible API (`/orders/api/v1`). It caches the access token
 * and renews it before it expires and once on a 401; failures become {@link DeliveryHubError}.
 * Reads are repeated after retryable failures; writes only with an `Idempotency-Key`, and only
 * after `ERR_EXTERNAL_TIMEOUT_WS` with `Retry-After`, where the hub promises that repeating the
 * identical request is safe.
 */
export class DeliveryHubClient {
  readonly #options: Required<Omit<DeliveryHubClientOptions, 'fetch' | 'onResponse'>>
    & Pick<DeliveryHubClientOptions, 'onResponse'> & { fetch: typeof fetch };
  #token: { value: string; expiresAt: number } | undefined;

  constructor(options: DeliveryHubClientOptions) {
    this.#options = {
      renewBeforeSec: 60, maxRetries: 2, maxRetryDelayMs: 30_000,
      clock: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      fetch: globalThis.fetch.bind(globalThis),
      ...options, baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  /** `POST /orders`; repeated after a timeout only when `idempotencyKey` is given. */
  async createOrder(body: CreateOrderBody, options: WriteOptions = {}): Promise<string> {
    const reply = await this.#send<{ result: { orderId: string } }>({ method: 'POST',
      path: '/orders', body, idempotencyKey: options.idempotencyKey, retry: 'timeout-with-key' });
    return reply.result.orderId;
  }

  async getOrder(orderId: string): Promise<Order> {
    const reply = await this.#get<Ok<'/orders/api/v1/orders/{orderId}', 'get'>>(
      `/orders/${encodeURIComponent(orderId)}`);
    return reply.result;
  }

  /** `GET /orders`: every matching order of the connection, as a plain array. */
  async listOrders(query: OrderSearch = {}): Promise<Order[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined) params.append(key, String(item));
      }
    }
    const search = params.size === 0 ? '' : `?${params}`;
    const reply = await this.#get<Ok<'/orders/api/v1/orders', 'get'>>(`/orders${search}`);
    return reply.result;
  }

  async changeOrder(
    orderId: string, body: Partial<CreateOrderBody>, options: WriteOptions = {},
  ): Promise<void> {
    await this.#send({ method: 'PATCH', path: `/orders/${encodeURIComponent(orderId)}`, body,
      ...options, retry: 'never' });
  }

  async pay(orderId: string, payments: PaymentItem[], options: WriteOptions = {}): Promise<void> {
    await this.#send({ method: 'PUT', path: `/orders/${encodeURIComponent(orderId)}/pay`,
      body: payments, ...options, retry: 'timeout-with-key' });
  }

  async complete(orderId: string, options: WriteOptions = {}): Promise<void> {
    await this.#send({ method: 'PUT', path: `/orders/${encodeURIComponent(orderId)}/complete`,
      ...options, retry: 'timeout-with-key' });
  }

  async reject(orderId: string, body: RejectBody, options: WriteOptions = {}): Promise<void> {
    await this.#send({ method: 'PUT', path: `/orders/${encodeURIComponent(orderId)}/reject`,
      body, ...options, retry: 'timeout-with-key' });
  }

  async getRejectionReasons(): Promise<RejectionReason[]> {
    return (await this.#get<Ok<'/orders/api/v1/rejectionReasons', 'get'>>(
      '/rejectionReasons')).result;
  }

  /** `GET /orderSources/{clientId}/restaurants`: the connection's restaurants. */
  async getRestaurants() {
    const path = `/orderSources/${encodeURIComponent(this.#options.clientId)}/restaurants`;
    return (await this.#get<Ok<'/orders/api/v1/orderSources/{orderSourceId}/restaurants',
      'get'>>(path)).result;
  }

  /** `GET /menu/view`, narrowed to one restaurant's stop list when `restaurantId` is given. */
  async getMenu(restaurantId?: string): Promise<Record<string, unknown>> {
    const query = restaurantId === undefined
      ? '' : `?restaurantId=${encodeURIComponent(restaurantId)}`;
    return (await this.#get<{ result: Record<string, unknown> }>(`/menu/view${query}`)).result;
  }

  async getCurrencies(restaurantId: string) {
    const path = `/restaurants/${encodeURIComponent(restaurantId)}/settings/currencies`;
    return (await this.#get<Ok<'/orders/api/v1/restaurants/{restaurantId}/settings/currencies',
      'get'>>(path)).result;
  }

  /** A bearer token, fetched anew when none is cached or the cached one is about to expire. */
  async token(): Promise<string> {
    const now = this.#options.clock();
    if (this.#token && now < this.#token.expiresAt - this.#options.renewBeforeSec * 1000) {
      return this.#token.value;
    }

    const form = new URLSearchParams({ grant_type: 'client_credentials',
      client_id: this.#options.clientId, client_secret: this.#options.clientSecret,
      scope: 'orders' });
    const url = `${this.#options.baseUrl}/connect/token`;
    const response = await this.#options.fetch(url, {
      method: 'POST', body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const text = await response.text();
    this.#options.onResponse?.({ method: 'POST', url, status: response.status, text });
    const body = parseJson(text) as { access_token?: string; expires_in?: number;
      error?: string } | undefined ?? {};
    if (!response.ok || body.access_token === undefined) {
      throw new DeliveryHubError(response.status, { code: body.error ?? 'ERR_UNAUTHORIZED',
        msg: `Token request refused: ${body.error ?? response.status}`,
        requestId: response.headers.get('x-request-id') ?? '', errors: null });
    }

    this.#token = { value: body.access_token,
      expiresAt: now + (body.expires_in ?? 0) * 1000 };
    return body.access_token;
  }

  #get<T>(path: string): Promise<T> {
    return this.#send<T>({ method: 'GET', path, retry: 'safe' });
  }

  async #send<T>(call: Call): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#sendAuthorised<T>(call);
      } catch (err) {
        const delayMs = this.#retryDelay(call, err, attempt);
        if (delayMs === undefined) throw err;
        await this.#options.sleep(delayMs);
      }
    }
  }

  /** Milliseconds to wait before repeating `call` after `err`, or undefined: do not repeat. */
  #retryDelay(call: Call, err: unknown, attempt: number): number | undefined {
    if (attempt >= this.#options.maxRetries) return undefined;
    const backoff = Math.min(250 * 2 ** attempt, this.#options.maxRetryDelayMs);
    if (!(err instanceof DeliveryHubError)) {
      // A transport failure: the request may or may not have arrived.
      return call.retry === 'safe' || (call.retry === 'timeout-with-key'
        && call.idempotencyKey !== undefined) ? backoff : undefined;
    }

    const afterMs = err.retryAfterSec === undefined ? undefined
      : Math.min(err.retryAfterSec * 1000, this.#options.maxRetryDelayMs);
    if (call.retry === 'safe') {
      return [429, 503].includes(err.status) && err.code !== 'ERR_EXTERNAL_SHIFT_WS'
        ? afterMs ?? backoff : undefined;
    }
    if (call.retry === 'timeout-with-key' && call.idempotencyKey !== undefined
      && err.code === 'ERR_EXTERNAL_TIMEOUT_WS' && afterMs !== undefined) return afterMs;
    return undefined;
  }

  async #sendAuthorised<T>(call: Call): Promise<T> {
    const reply = await this.#fetchApi(call, await this.token());
    if (reply.response.status !== 401) return this.#read<T>(reply);

    // The token may have been revoked or the hub restarted with a new key: renew once.
    this.#token = undefined;
    return this.#read<T>(await this.#fetchApi(call, await this.token()));
  }

  async #fetchApi(call: Call, token: string): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = {
      accept: 'application/json', authorization: `Bearer ${token}`,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    if (call.ifMatch !== undefined) headers['if-match'] = `"${call.ifMatch}"`;
    const url = `${this.#options.baseUrl}/orders/api/v1${call.path}`;
    const response = await this.#options.fetch(url, {
      method: call.method, headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    const text = await response.text();
    this.#options.onResponse?.({ method: call.method, url, status: response.status, text });
    return { response, text };
  }

  #read<T>({ response, text }: { response: Response; text: string }): T {
    const body = parseJson(text);
    if (response.ok) return body as T;

    const envelope = body as { code?: string; msg?: string; requestId?: string;
      errors?: Record<string, string[]> | null } | undefined;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    throw new DeliveryHubError(response.status, {
      code: envelope?.code ?? 'ERR_INTERNAL', msg: envelope?.msg ?? text,
      requestId: envelope?.requestId ?? response.headers.get('x-request-id') ?? '',
      errors: envelope?.errors ?? null,
    }, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
