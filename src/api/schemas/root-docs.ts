import { Type } from '@sinclair/typebox';
import type { RouteSchema } from './route-doc.js';

const OAuthError = Type.Object({
  error: Type.String({ description: 'OAuth 2.0 error: `invalid_request`, `invalid_client`, '
    + '`unsupported_grant_type`, `invalid_scope`, `too_many_requests`, `server_error`.' }),
}, { description: 'OAuth-style error (not the API error envelope).' });

const Health = Type.Object({ status: Type.String() }, { additionalProperties: true });

/** The documentation of the routes outside the two API prefixes, keyed `METHOD path`. */
export const ROOT_DOCS: Record<string, RouteSchema> = {
  'POST /connect/token': {
    tags: ['Authentication'], summary: 'Get an access token (client credentials)',
    description: 'Form body (`application/x-www-form-urlencoded`, or `multipart/form-data` with '
      + 'fields only, no files) with `grant_type`, `client_id`, `client_secret` and optionally '
      + '`scope`/`scopes` = `orders`; HTTP Basic credentials are accepted too. Errors use the '
      + 'OAuth shape `{error}`. At most `TOKEN_RATE_LIMIT_PER_MINUTE` (60) requests a minute '
      + 'per client IP and `client_id`; over it, 429 `too_many_requests` with `Retry-After`.',
    body: Type.Object({
      grant_type: Type.Literal('client_credentials'), client_id: Type.String(),
      client_secret: Type.String(), scope: Type.Optional(Type.String()),
    }, { additionalProperties: true }),
    consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
    response: {
      200: Type.Object({
        access_token: Type.String(), expires_in: Type.Integer({ description: 'Seconds.' }),
        token_type: Type.Literal('Bearer'), scope: Type.String(),
      }),
      400: OAuthError,
      429: OAuthError,
    },
    errorCodes: [],
    security: [],
  },
  'GET /healthz': {
    tags: ['Operations'], summary: 'Liveness', response: { 200: Health }, errorCodes: [],
    security: [],
  },
  'GET /readyz': {
    tags: ['Operations'], summary: 'Readiness (database and cash stations)',
    response: { 200: Health, 503: Health }, errorCodes: [], security: [],
  },
  'GET /metrics': {
    tags: ['Operations'], summary: 'Prometheus metrics',
    response: { 200: { description: 'Prometheus text format.', content: {
      'text/plain': { schema: Type.String() } } } },
    errorCodes: [], security: [],
  },
};
