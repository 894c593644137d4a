import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, errorSpec } from '../errors/error-catalogue.js';
import { type FieldErrors, HubError } from '../errors/hub-error.js';

/** The error body of the compatible API (`delivery-api.md` §13.1); all four keys always present. */
export interface ErrorEnvelope {
  code: string;
  msg: string;
  requestId: string;
  errors: FieldErrors | null;
}

/** Fastify's own errors the client caused, with the code and text the hub answers them with. */
const FASTIFY_ERRORS: Record<string, readonly [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['ERR_PARSE_REQUEST', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['ERR_PARSE_REQUEST', 'The request body is empty'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['ERR_PAYLOAD_TOO_LARGE', 'The request body is over the size limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['ERR_PARSE_REQUEST', 'The Content-Type is not supported'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'ERR_PARSE_REQUEST', 'The Content-Length does not match the request body'],
  FST_ERR_BAD_URL: ['ERR_PARSE_REQUEST', 'The request URL is not valid'],
  FST_ERR_MAX_PARAM_LENGTH: ['ERR_PARSE_REQUEST', 'A path parameter is too long'],
  FST_ERR_NOT_FOUND: ['ERR_NOT_FOUND', 'Not found'],
};

/** Other client errors (4xx without a known code), by status. */
const CLIENT_STATUS_CODES: Record<number, ErrorCode> = {
  401: 'ERR_UNAUTHORIZED',
  404: 'ERR_NOT_FOUND',
  405: 'ERR_METHOD_NOT_ALLOWED',
  413: 'ERR_PAYLOAD_TOO_LARGE',
  429: 'too_many_requests',
};

const INTERNAL_MSG = 'Internal server error';

/**
 * Turns anything thrown while handling a request into a HubError: a HubError as it is, a known
 * Fastify error into its catalogue code, any other client error (status 4xx) into
 * `ERR_PARSE_REQUEST`, and everything else into `ERR_INTERNAL` with a generic message.
 */
export function toHubError(error: unknown): HubError {
  if (error instanceof HubError) return error;

  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known) return new HubError(known[0], known[1], { cause: error });

  const validation = validationErrors(error);
  if (validation) {
    const [path, problems] = Object.entries(validation)[0] as [string, string[]];
    const msg = path === '' ? `${problems[0]}` : `${path}: ${problems[0]}`;
    return new HubError('ERR_PARSE_REQUEST', msg, { errors: validation, cause: error });
  }

  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HubError(CLIENT_STATUS_CODES[status] ?? 'ERR_PARSE_REQUEST',
      'The request could not be processed', { cause: error });
  }
  return new HubError('ERR_INTERNAL', INTERNAL_MSG, { cause: error });
}

/**
 * Answers a failed request with the error envelope and logs it at the level its code declares
 * (server faults always at `error`). The one place where errors reach the wire.
 */
export function replyWithError(
  error: unknown, request: FastifyRequest, reply: FastifyReply,
): FastifyReply {
  const hubError = toHubError(error);
  const spec = errorSpec(hubError.code);
  const status = hubError.status;

  // A 5xx the catalogue does not declare for the code (E2's `restaurant_not_found`) is a fault;
  // a declared one is logged at its level (a refusal during shutdown is no fault).
  const level = status >= 500 && status !== spec.status ? 'error' : spec.level;
  logFailure(request, hubError, error, level);

  if (hubError.retryAfterSec !== undefined) {
    reply.header('retry-after', String(Math.max(0, Math.ceil(hubError.retryAfterSec))));
  }
  const envelope: ErrorEnvelope = {
    code: hubError.code,
    msg: hubError.message,
    requestId: request.id,
    errors: hubError.errors,
  };
  return reply.code(status).type('application/json; charset=utf-8').send(envelope);
}

function logFailure(
  request: FastifyRequest, hubError: HubError, thrown: unknown, level: 'info' | 'warn' | 'error',
): void {
  const fields: Record<string, unknown> = {
    code: hubError.code,
    status: hubError.status,
  };
  // Stacks only for faults nobody foresaw; a cash-station refusal is logged in full once, by the
  // connector (component "cash"), and summarised here.
  if (hubError.code === 'ERR_INTERNAL') {
    fields.err = thrown === hubError && hubError.cause !== undefined ? hubError.cause : thrown;
  } else if (thrown !== hubError) {
    fields.cause = (thrown as { code?: unknown } | null)?.code;
  }
  if (hubError.code !== 'ERR_INTERNAL') fields.detail = hubError.message;

  request.log[level](fields, 'request failed');
}

/** Field problems of a Fastify schema-validation error, keyed like `dishList[0].price`. */
function validationErrors(error: unknown): FieldErrors | undefined {
  const details = (error as { validation?: unknown } | null)?.validation;
  if (!Array.isArray(details) || details.length === 0) return undefined;

  const errors: FieldErrors = {};
  for (const detail of details as ValidationDetail[]) {
    const missing = detail.params?.missingProperty;
    const segments = (detail.instancePath ?? '').split('/').filter((s) => s !== '');
    if (typeof missing === 'string') segments.push(missing);

    const path = segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]`
      : acc === '' ? s : `${acc}.${s}`), '');
    (errors[path] ??= []).push(detail.message ?? 'is not valid');
  }
  return errors;
}

interface ValidationDetail {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: unknown };
}
