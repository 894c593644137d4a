/** The console API's shapes and calls (same origin, session cookie). */

export interface User {
  username: string;
  displayName: string;
  role: 'operator' | 'manager' | 'admin';
  corporationId: string;
}

export interface Card {
  orderId: string;
  statusId: number;
  restaurantName: string;
  guestName: string;
  phone: string;
  fullAmount: number;
  expeditionType: string;
  createdAt: string;
  expectedAt: string | null;
  isLate: boolean;
  needsAttention: boolean;
  attentionReason: string | null;
  posSyncState: string;
  version: number;
  actions: string[];
}

export interface StatusInfo {
  id: number;
  name: string;
  nameRu: string;
  final: boolean;
}

export interface Reason {
  id: string;
  reason: string;
  type: 'simple' | 'text';
}

export interface Meta {
  statuses: StatusInfo[];
  progressStatuses: number[];
  rejectionReasons: Reason[];
}

export interface Details {
  orderId: string;
  comment: string;
  guest: { phone: string; firstName: string; lastName: string; email: string | null };
  address: Record<string, string | number | null> | null;
  expectedAt: string | null;
  createdAt: string;
  amount: number;
  deliveryAmount: number;
  fullAmount: number;
  paymentStatus: string;
  payments: { code: string; amount: number; paidAt: string; name: string }[] | null;
  dishList: { name: string; price: number; quantity: number;
    ingredients: { name?: string; quantity: number }[] | null }[];
  rejectionReason: { reason: string; text: string } | null;
  restaurantName: string;
  posOrderName: string | null;
  posSyncState: string;
  attentionReason: string | null;
  history: { fromStatus: number | null; toStatus: number; at: string; actor: string }[];
  card: Card;
}

export interface Delivery {
  id: string;
  eventType: string;
  sequence: number;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastError: string | null;
}

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
