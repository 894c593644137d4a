import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { ConsoleUser, ConsoleUserRepo } from './console-users.js';

const COOKIE = 'dh_console';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's session hook on `/console/api/*`. */
    consoleUser: ConsoleUser | undefined;
  }
}

/** The signed-in console user of a request. */
export function consoleUserOf(request: FastifyRequest): ConsoleUser {
  if (!request.consoleUser) throw new HubError('ERR_UNAUTHORIZED', 'Sign in first');
  return request.consoleUser;
}

/** The session cookie: HTTP-only, SameSite=Strict, limited to the console's paths. */
export function setSessionCookie(
  request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string,
): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${COOKIE}=${token}; Path=/console; HttpOnly; SameSite=Strict; `
    + `Expires=${new Date(expiresAt).toUTCString()}${secure}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie',
    `${COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE && value.length > 0) return value.join('=');
  }
  return undefined;
}

/**
 * The `onRequest` hook of `/console/api`: a valid session cookie makes `request.consoleUser`;
 * without one only signing in is allowed. Besides SameSite=Strict, state-changing calls must be
 * JSON from the console's own origin, which a cross-site form cannot send.
 */
export function consoleAuthHook(
  users: ConsoleUserRepo, clock: () => number,
): onRequestAsyncHookHandler {
  return async (request: FastifyRequest) => {
    if (request.method !== 'GET') checkSameOrigin(request);

    const token = sessionTokenOf(request);
    request.consoleUser = token === undefined ? undefined
      : await users.userOfSession(token, clock());
    const signingIn = request.method === 'POST' && request.url.split('?')[0]?.endsWith('/session');
    if (!request.consoleUser && !signingIn) {
      throw new HubError('ERR_UNAUTHORIZED', 'Sign in to the console first');
    }
  };
}

function checkSameOrigin(request: FastifyRequest): void {
  const type = request.headers['content-type'] ?? '';
  const origin = request.headers.origin;
  const host = request.headers.host;
  const sameOrigin = origin === undefined || (host !== undefined && URL.canParse(origin)
    && new URL(origin).host === host);
  if ((request.method !== 'DELETE' && !type.startsWith('application/json')) || !sameOrigin) {
    throw new HubError('ERR_FORBIDDEN', 'Console calls must come from the console page');
  }
}
