import { HubError } from '../errors/hub-error.js';
import type { OrderRecord } from './order-record.js';

/**
 * The optimistic check of `If-Match` (`delivery-api.md` §16): refuses with 409
 * `err_version_mismatch` when the caller based its change on another version than the order's
 * current one. Use cases call it under the order's lock, on the order as loaded after
 * reconciliation, so no other change can slip in between the check and the write. `undefined`
 * (no `If-Match`) checks nothing.
 */
export function assertOrderVersion(order: OrderRecord, expected: number | undefined): void {
  if (expected === undefined || expected === order.version) return;

  throw new HubError('err_version_mismatch',
    `Order ${order.id} is at version ${order.version}, not ${expected}; read it again`);
}
