import { DeliveryHubClient } from '../client/delivery-hub-client.js';
import { DeliveryHubError } from '../client/delivery-hub-error.js';

/** One HTTP exchange with the hub, as the demo reports it. */
export interface HubReply {
  status: number;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON. */
  body: unknown;
  /** The raw body text, for showing what came back when it is not what was expected. */
  text: string;
}

/** Bound of one demo request: above the hub's default cash-station timeout (30 s). */
const REQUEST_TIMEOUT_MS = 45_000;

/**
 * The demo's view of the hub: calls go through {@link DeliveryHubClient} (its token handling
 * included), retries off, and each call is reported as the raw exchange it ended with, so the
 * demo checks the exact HTTP status and body. Transport failures propagate as exceptions.
 */
export class DemoClient {
  /** The typed client the demo's calls go through. */
  readonly hub: DeliveryHubClient;
  #last: HubReply | undefined;

  constructor(baseUrl: string, credentials: { clientId: string; clientSecret: string }) {
    this.hub = new DeliveryHubClient({
      baseUrl, ...credentials, maxRetries: 0,
      fetch: (input, init) => fetch(input, {
        ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }),
      onResponse: ({ status, text }) => {
        this.#last = { status, body: parseJson(text), text };
      },
    });
  }

  /**
   * Runs `call` and answers with the last HTTP exchange it made, whether the client returned or
   * threw a {@link DeliveryHubError} (whose status and envelope are that exchange's).
   */
  async run(call: (hub: DeliveryHubClient) => Promise<unknown>): Promise<HubReply> {
    this.#last = undefined;
    try {
      await call(this.hub);
    } catch (err) {
      if (!(err instanceof DeliveryHubError) || this.#last === undefined) throw err;
    }

    if (this.#last === undefined) throw new Error('the client made no request');
    return this.#last;
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

/** The object at `value`, or an empty one, so optional reads stay type-safe. */
export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** The reason of a failed `fetch`: undici hides it in `cause` behind "fetch failed". */
export function describeError(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
