import type { FastifyRequest } from 'fastify';

/**
 * Query parameters whose values identify a person or carry a secret: free-text searches (`q`,
 * address `search`), a guest's phone, e-mail or name (also nested, `guest.phone`), credentials
 * some clients put in the URL. Their values never reach the logs.
 */
const PRIVATE_PARAMS = new Set(['q', 'search', 'query', 'name', 'address']);
const PRIVATE_PARTS = /phone|mail|name|secret|token|password|passwd|auth/;

function isPrivate(key: string): boolean {
  const last = key.split(/[.[\]]/).filter(Boolean).at(-1) ?? key;
  return PRIVATE_PARAMS.has(last) || PRIVATE_PARTS.test(key);
}

/** What a request line logs: Fastify's usual fields with the private query values masked. */
export interface LoggedRequest {
  method: string;
  url: string;
  host: string | undefined;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
}

/** The `req` serializer of the hub's request logs (see {@link maskPrivateQuery}). */
export function logRequest(request: FastifyRequest): LoggedRequest {
  return {
    method: request.method,
    url: maskPrivateQuery(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** `url` with the values of private parameters (any casing) replaced by `***`. */
export function maskPrivateQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;

  const pairs = url.slice(mark + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    const key = safeDecode(pair.slice(0, eq)).toLowerCase();
    return isPrivate(key) ? `${pair.slice(0, eq)}=***` : pair;
  });
  return `${url.slice(0, mark)}?${pairs.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
