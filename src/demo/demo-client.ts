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
 * The demo's HTTP client for one hub: plain `fetch`, no retries, JSON in and out, and the bearer
 * token once {@link DemoClient.token} is set. Transport failures propagate as exceptions.
 */
export class DemoClient {
  /** Access token sent as `Authorization: Bearer …` on every call once set. */
  token: string | undefined;
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** `POST /connect/token` with a form body (client credentials grant). */
  async postForm(path: string, form: Record<string, string>): Promise<HubReply> {
    return this.send('POST', path, new URLSearchParams(form));
  }

  /** A call under the r_k-compatible API base `/orders/api/v1`. */
  async api(method: 'GET' | 'POST' | 'PUT', path: string, json?: unknown): Promise<HubReply> {
    return this.send(method, `/orders/api/v1${path}`, json);
  }

  private async send(method: string, path: string, body: unknown): Promise<HubReply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;

    let payload: string | URLSearchParams | undefined;
    if (body instanceof URLSearchParams) {
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }

    const response = await fetch(`${this.baseUrl}${path}`, {
      method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text), text };
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
