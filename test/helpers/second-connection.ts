import { hashSecret } from '../../src/auth/secret-hash.js';
import { DEMO } from '../../src/store/seed-demo.js';
import type { TestHub } from './test-hub.js';

/** A second API connection of the demo corporation, for the demo restaurant. */
export interface SecondConnection {
  clientId: string;
  secret: string;
  name?: string;
}

/**
 * Stores `connection` straight in the hub's database (secret hashed, as the admin API would)
 * and returns a bearer token of it, taken through `POST /connect/token`.
 */
export async function addConnection(t: TestHub, connection: SecondConnection): Promise<string> {
  const db = t.hub.store.db;
  await db.insertInto('apiConnections').values({
    clientId: connection.clientId, name: connection.name ?? 'Mobile app',
    corporationId: DEMO.corporationId, secretHash: await hashSecret(connection.secret),
    enabled: 1, createdAt: new Date().toISOString(),
  }).execute();
  await db.insertInto('apiConnectionRestaurants')
    .values({ clientId: connection.clientId, restaurantId: DEMO.restaurantId }).execute();

  const form = new URLSearchParams({ grant_type: 'client_credentials',
    client_id: connection.clientId, client_secret: connection.secret });
  const token = await t.request('POST', '/connect/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
  if (token.status !== 200) throw new Error(`token of ${connection.clientId}: ${token.status}`);
  return token.body.access_token as string;
}
