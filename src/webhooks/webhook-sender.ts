import { Agent, request } from 'undici';
import { signatureHeader } from './webhook-signature.js';

/** One call to a subscriber, ready to send. */
export interface WebhookCall {
  url: string;
  token: string;
  secret: string;
  eventId: string;
  eventType: string;
  /** 1, 2, … across retries and replays of the same delivery. */
  attempt: number;
  /** The exact JSON text that is signed and sent. */
  body: string;
  /** Signing time, milliseconds since the epoch. */
  now: number;
}

/** What one attempt came to; `delivered` only for a 2xx answer. */
export interface WebhookOutcome {
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  /** The first characters of the answer, for the attempt log. */
  responseExcerpt: string | null;
  durationMs: number;
}

const TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 500;

/**
 * POSTs webhook calls with undici: 10 s bound on the whole exchange, redirects not followed
 * (a 3xx is a failure: a subscriber moving its endpoint must update its subscription), any 2xx
 * counts as delivered.
 */
export class WebhookSender {
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    this.#agent = new Agent({
      headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs,
      connectTimeout: this.#timeoutMs,
    });
  }

  async send(call: WebhookCall): Promise<WebhookOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    try {
      const response = await request(call.url, {
        method: 'POST',
        dispatcher: this.#agent,
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: headersOf(call),
        body: call.body,
      });
      const excerpt = await readExcerpt(response.body);
      const delivered = response.statusCode >= 200 && response.statusCode < 300;
      return {
        delivered, httpStatus: response.statusCode, responseExcerpt: excerpt,
        error: delivered ? null : `HTTP ${response.statusCode}`, durationMs: elapsed(),
      };
    } catch (err) {
      return {
        delivered: false, httpStatus: null, responseExcerpt: null, error: describe(err),
        durationMs: elapsed(),
      };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** The headers of §15.2. */
export function headersOf(call: WebhookCall): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'delivery-hub-webhooks',
    authorization: `Bearer ${call.token}`,
    'x-token': call.token,
    'x-hub-event-id': call.eventId,
    'x-hub-event-type': call.eventType,
    'x-hub-attempt': String(call.attempt),
    'x-hub-signature': signatureHeader(call.secret, call.body, Math.floor(call.now / 1000)),
  };
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }) {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length >= EXCERPT_CHARS) {
      body.destroy();
      break;
    }
  }
  return text.slice(0, EXCERPT_CHARS);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const name = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : undefined;
  return [name ?? (typeof code === 'string' ? code : err.name), err.message]
    .filter(Boolean).join(': ').slice(0, 500);
}
