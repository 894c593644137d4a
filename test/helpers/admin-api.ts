import type { ApiResponse, TestHub } from './test-hub.js';
import { ADMIN_TOKEN } from './test-hub.js';

/** Calls `/admin/api/v1` with the test admin token (or `token`, or none when null). */
export function adminApi(
  t: TestHub, method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN,
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return t.request(method, `/admin/api/v1${path}`, {
    headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Gets a bearer token for an API connection's credentials; returns the whole answer. */
export function connectToken(t: TestHub, clientId: string, clientSecret: string) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret,
    scope: 'orders',
  });
  return t.request('POST', '/connect/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
}

/** The cash-station settings of a restaurant on the embedded simulator (§8.6 fixtures). */
export function embeddedStation(overrides: Record<string, unknown> = {}) {
  return {
    url: 'embedded', stationId: 15002, cashierId: 1001, tableId: 2, orderCategoryId: 3,
    voidReasonId: 1, deliveryFeeDishCode: '105', ...overrides,
  };
}
