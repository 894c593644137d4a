/** The console API's calls (same origin, session cookie); shapes in `console-wire.ts`. */

import type { Card, Delivery, Details, Meta, User } from './console-wire.js';

export type {
  Card, ConsoleAction, Delivery, Details, Meta, Reason, StatusInfo, User,
} from './console-wire.js';

/** An error answer of the hub, with its code and message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/console/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = await response.json().catch(() => ({})) as { result?: T; code?: string;
    msg?: string };
  if (!response.ok) {
    throw new ApiError(response.status, data.code ?? 'ERR', data.msg ?? response.statusText);
  }
  return data.result as T;
}

export const api = {
  me: () => call<{ user: User }>('GET', '/session'),
  signIn: (username: string, password: string) =>
    call<{ user: User }>('POST', '/session', { username, password }),
  signOut: () => call<object>('DELETE', '/session'),
  meta: () => call<Meta>('GET', '/meta'),
  board: () => call<Card[]>('GET', '/orders'),
  search: (params: URLSearchParams) => call<Card[]>('GET', `/orders?${params.toString()}`),
  details: (id: string) => call<Details>('GET', `/orders/${encodeURIComponent(id)}`),
  act: (id: string, action: string, body: object = {}) =>
    call<Card | null>('POST', `/orders/${encodeURIComponent(id)}/actions/${action}`, body),
  webhooks: (id: string) => call<Delivery[]>('GET', `/orders/${encodeURIComponent(id)}/webhooks`),
  replay: (deliveryId: string) =>
    call<object>('POST', `/webhooks/${encodeURIComponent(deliveryId)}/replay`, {}),
};
