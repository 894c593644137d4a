import { HubError } from '../errors/hub-error.js';
import type { CashStationError } from './cash-station.js';

/** The hub operation during which the station call failed. */
export type CashOperation = 'pay' | 'complete' | 'transfer' | 'read' | 'cancel' | 'change';

/** Seconds a client should wait before repeating a call that failed for a passing reason. */
const RETRY_AFTER_SEC = { locked: 5, unavailable: 10, unknown: 5 } as const;

/**
 * Translates a cash-station failure into the API error the client sees (`rk7-xml.md` §7.3,
 * `delivery-api.md` §13.5). This is the only place station errors become hub errors.
 *
 * Messages keep r_k's shape, byte for byte for the documented cases:
 * `WS error: Error code: {wsCode}. RkInternal: Cash station [{N}] {text}` (without the
 * `RkInternal` part when the station gave no number), and for a refused close
 * `RkInternal: Cash station [{N}] {text}` under `rk7_close_order`.
 */
export function cashErrorToHubError(err: CashStationError, during: CashOperation): HubError {
  const options = { cause: err };
  switch (err.kind) {
    case 'refused':
      return during === 'complete'
        ? new HubError('rk7_close_order', closeMessage(err), options)
        : new HubError('ERR_EXTERNAL_ERROR_WS', wsMessage(err), options);
    case 'locked':
      return new HubError('ERR_EXTERNAL_LOCKED_WS', wsMessage(err), {
        ...options, retryAfterSec: RETRY_AFTER_SEC.locked,
      });
    case 'unavailable':
      return new HubError('ERR_EXTERNAL_UNAVAILABLE_WS', wsMessage(err), {
        ...options, retryAfterSec: RETRY_AFTER_SEC.unavailable,
      });
    case 'unknown':
      // A read changes nothing, so an unanswered read is merely unavailability.
      return during === 'read'
        ? new HubError('ERR_EXTERNAL_UNAVAILABLE_WS', wsMessage(err), {
          ...options, retryAfterSec: RETRY_AFTER_SEC.unavailable,
        })
        : new HubError('ERR_EXTERNAL_TIMEOUT_WS', wsMessage(err), {
          ...options, retryAfterSec: RETRY_AFTER_SEC.unknown,
        });
    case 'shift':
      return new HubError('ERR_EXTERNAL_SHIFT_WS', wsMessage(err), options);
    case 'config':
      return new HubError('ERR_EXTERNAL_CONFIG_WS', wsMessage(err), options);
  }
}

/** `WS error: Error code: {wsCode}. {station part}`. */
function wsMessage(err: CashStationError): string {
  const detail = stationPart(err);
  const head = `WS error: Error code: ${err.wsCode}.`;
  return detail === '' ? head : `${head} ${detail}`;
}

function closeMessage(err: CashStationError): string {
  return err.rk7ErrorN === undefined ? `RkInternal: ${err.text.trim()}` : stationPart(err);
}

/** `RkInternal: Cash station [{N}] {text}` when numbered, else the text alone. */
function stationPart(err: CashStationError): string {
  if (err.rk7ErrorN === undefined) return err.text.trim();
  return `RkInternal: Cash station [${err.rk7ErrorN}] ${err.text}`.trimEnd();
}
