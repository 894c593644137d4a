import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

/** `3`, `"3"` or `W/"3"`: clients send the order's `version` bare or as an entity tag. */
const VERSION_TAG = /^(?:W\/)?("?)(\d{1,15})\1$/i;

/**
 * The order version of an `If-Match` request header (`delivery-api.md` §16), or `undefined`
 * when there is none or it is `*` (any current version). Anything else, a list included, is a
 * 400 `ERR_PARSE_REQUEST` naming the header.
 */
export function readIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;

  const value = header.trim();
  if (value === '*') return undefined;
  const version = VERSION_TAG.exec(value)?.[2];
  if (version === undefined) {
    throw new HubError('ERR_PARSE_REQUEST', 'The If-Match header must be one order version', {
      errors: { 'If-Match': ['must be an order version such as 3 or "3"'] },
    });
  }
  return Number(version);
}
