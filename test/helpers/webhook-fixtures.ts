import { DEMO } from '../../src/store/seed-demo.js';
import { ADMIN_TOKEN, type ApiResponse, type TestHub } from './test-hub.js';

/** Calls the admin API with the test admin token. */
export function admin(
  t: TestHub, method: string, apiPath: string, body?: unknown,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return t.request(method, `/admin/api/v1${apiPath}`, {
    headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Subscribes `url` for the demo corporation; returns the created subscription. */
export async function subscribe(
  t: TestHub, url: string, overrides: Record<string, unknown> = {},
): Promise<{ id: string; token: string; secret: string }> {
  const response = await admin(t, 'POST', '/webhooks', {
    corporationId: DEMO.corporationId, title: 'Guest notifications', url,
    token: 'static-token-1', secret: 'signing-secret-1', ...overrides,
  });
  if (response.status !== 201) {
    throw new Error(`subscription failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body.result;
}

/** A clock that stays where the test puts it. */
export function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
