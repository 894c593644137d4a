import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { type ErrorCode, errorSpec } from '../errors/error-catalogue.js';
import type { ErrorEnvelope } from './error-reply.js';

/** Node's codes for a request that cannot be read at all, with the hub's answer to each. */
const SOCKET_ERRORS: Record<string, readonly [ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: ['ERR_HEADERS_TOO_LARGE',
    'The request line and headers are over the size limit'],
  ERR_HTTP_REQUEST_TIMEOUT: ['ERR_REQUEST_TIMEOUT', 'The request was not received in time'],
};

const MALFORMED: readonly [ErrorCode, string] = [
  'ERR_PARSE_REQUEST', 'The request is not valid HTTP'];

/**
 * Fastify's `clientErrorHandler`: answers a request Node could not parse (headers over the
 * limit, a read timeout, malformed HTTP) in the error envelope, then closes the connection.
 * There is no request yet, so a fresh id from `newRequestId` goes in the body, the
 * `X-Request-Id` header and the log line.
 */
export function clientErrorHandler(
  logger: Logger, newRequestId: () => string,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset peer has gone; nothing can be answered.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;

    const [code, msg] = SOCKET_ERRORS[error.code ?? ''] ?? MALFORMED;
    const { status, level } = errorSpec(code);
    const requestId = newRequestId();
    logger[level]({ reqId: requestId, code, status, cause: error.code }, 'request unreadable');

    if (socket.writable) {
      const envelope: ErrorEnvelope = { code, msg, requestId, errors: null };
      const body = JSON.stringify(envelope);
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`
        + 'Content-Type: application/json; charset=utf-8\r\n'
        + `Content-Length: ${Buffer.byteLength(body)}\r\n`
        + `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
