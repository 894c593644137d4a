/**
 * The one catalogue of error codes the hub answers with.
 *
 * Codes are part of the wire contract (`delivery-api.md` §13): their spelling is reproduced
 * exactly, mixed conventions included. Each code fixes its HTTP status and the log level its
 * occurrence is written at, so the error handler needs no other knowledge.
 */
export interface ErrorSpec {
  /** HTTP status the code is answered with. */
  readonly status: number;
  /** Level at which a request ending in this code is logged: who is at fault decides. */
  readonly level: 'info' | 'warn' | 'error';
  /** Whether repeating the same request later may succeed (documented for clients). */
  readonly retryable: boolean;
  /** What the code means, for the documentation. */
  readonly description: string;
}

export const ERROR_CATALOGUE = {
  ERR_UNAUTHORIZED: {
    status: 401, level: 'info', retryable: false,
    description: 'Missing, malformed or expired bearer token, or a disabled connection.',
  },
  ERR_PARSE_REQUEST: {
    status: 400, level: 'info', retryable: false,
    description: 'Unparseable or invalid request: malformed JSON, wrong types, '
      + 'bad query parameters.',
  },
  ERR_PAYLOAD_TOO_LARGE: {
    status: 413, level: 'warn', retryable: false,
    description: 'Request body over the size limit (1 MiB).',
  },
  ERR_HEADERS_TOO_LARGE: {
    status: 431, level: 'warn', retryable: false,
    description: 'Request line and headers over 16 KiB together (a huge query string or '
      + 'header); refused before the request is read, the connection is closed.',
  },
  ERR_REQUEST_TIMEOUT: {
    status: 408, level: 'info', retryable: true,
    description: 'The request was not received completely in time; the connection is closed.',
  },
  order_validation: {
    status: 400, level: 'info', retryable: false,
    description: 'Business validation of an order failed; `errors` names every failing field.',
  },
  err_parse_request: {
    status: 400, level: 'info', retryable: false,
    description: 'A cancellation reason is required but missing or empty.',
  },
  order_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The order does not exist or belongs to another API connection.',
  },
  rejection_reason_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The rejection reason does not exist in the corporation of the API connection.',
  },
  order_source_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The order source (API connection) is missing, disabled or not the caller.',
  },
  restaurant_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The restaurant does not exist or is not available to the connection.',
  },
  order_source_not_found_for_restaurant: {
    status: 400, level: 'info', retryable: false,
    description: 'The API connection is not attached to that restaurant.',
  },
  corporation_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The corporation does not exist.',
  },
  ERR_NOT_FOUND: {
    status: 404, level: 'info', retryable: false,
    description: 'Unknown path.',
  },
  ERR_METHOD_NOT_ALLOWED: {
    status: 405, level: 'info', retryable: false,
    description: 'Known path, wrong HTTP method.',
  },
  err_unprocessable_entity: {
    status: 422, level: 'info', retryable: false,
    description: 'The order is in a state that forbids the operation (completed, cancelled, paid, '
      + 'not at the cash station yet).',
  },
  err_operation_in_progress: {
    status: 409, level: 'info', retryable: true,
    description: 'Another operation on the same order is still running.',
  },
  err_version_mismatch: {
    status: 409, level: 'info', retryable: false,
    description: 'The order is no longer at the version `If-Match` names: it changed since the '
      + 'client read it. Read it again, then decide whether to repeat the change.',
  },
  idempotency_key_reused: {
    status: 422, level: 'info', retryable: false,
    description: 'The Idempotency-Key was already used by this connection with another request '
      + '(method, path or body).',
  },
  too_many_requests: {
    status: 429, level: 'warn', retryable: true,
    description: 'Rate limit exceeded; see `Retry-After`.',
  },
  ERR_EXTERNAL_ERROR_WS: {
    status: 500, level: 'error', retryable: false,
    description: 'The cash station refused the operation (e.g. [3373] not enough money).',
  },
  rk7_close_order: {
    status: 500, level: 'error', retryable: false,
    description: 'The cash station refused to close the order (e.g. [3071] not fully paid).',
  },
  ERR_EXTERNAL_LOCKED_WS: {
    status: 503, level: 'error', retryable: true,
    description: 'The order is locked at the cash station (2219, 2129).',
  },
  ERR_EXTERNAL_UNAVAILABLE_WS: {
    status: 503, level: 'error', retryable: true,
    description: 'The cash station is unreachable or its shift is being closed (2172).',
  },
  ERR_EXTERNAL_TIMEOUT_WS: {
    status: 503, level: 'error', retryable: true,
    description: 'No definite answer from the cash station to a state-changing call; the hub '
      + 'reconciles and repeating the identical request is safe.',
  },
  ERR_EXTERNAL_SHIFT_WS: {
    status: 503, level: 'error', retryable: false,
    description: 'The common shift at the cash station is open too long (2133); '
      + 'staff must close it.',
  },
  ERR_EXTERNAL_CONFIG_WS: {
    status: 500, level: 'error', retryable: false,
    description: 'Cash-station configuration problem: credentials rejected, licence missing, '
      + 'unknown station/table/cashier.',
  },
  ERR_INTERNAL: {
    status: 500, level: 'error', retryable: false,
    description: 'Unexpected server fault.',
  },
  ERR_SERVICE_UNAVAILABLE: {
    status: 503, level: 'warn', retryable: true,
    description: 'The hub is shutting down and takes no new requests; retry after '
      + '`Retry-After` (another instance, or this one once restarted, answers).',
  },
  webhook_not_found: {
    status: 404, level: 'info', retryable: false,
    description: 'The webhook subscription, delivery or event does not exist (admin API).',
  },
  ERR_FORBIDDEN: {
    status: 403, level: 'info', retryable: false,
    description: 'Signed in to the operator console, but the role does not allow the action.',
  },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code of the hub. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CATALOGUE[code];
}
