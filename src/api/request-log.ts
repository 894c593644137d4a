import type { FastifyRequest } from 'fastify';

/**
 * Query parameters whose values identify a person or carry a secret: a guest's phone or name in
 * a search (`q`), credentials some clients put in the URL. Their values never reach the logs.
 */
const PRIVATE_PARAMS = new Set([
  'q', 'phone', 'email', 'name', 'client_secret', 'clientsecret', 'access_token', 'token',
  'password',
]);

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

/** `url` with the values of {@link PRIVATE_PARAMS} (any casing) replaced by `***`. */
export function maskPrivateQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;

  const pairs = url.slice(mark + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    const key = safeDecode(pair.slice(0, eq)).toLowerCase();
    return PRIVATE_PARAMS.has(key) ? `${pair.slice(0, eq)}=***` : pair;
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
