import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';
import type { ChainRepo, ConnectionRecord } from '../store/chain-repo.js';
import { hashSecret, newSecret, verifySecret } from './secret-hash.js';
import { type TokenRateLimit, tokenRateLimit } from './token-rate-limit.js';
import type { TokenService } from './token-service.js';

/** What the token endpoint needs: the token signer and the connection lookup. */
export interface TokenRouteDeps {
  tokens: TokenService;
  findConnection: ChainRepo['findConnection'];
  /**
   * Token requests per minute per client IP and `client_id` (`TOKEN_RATE_LIMIT_PER_MINUTE`), on
   * top of the general limit; 0 or absent: none.
   */
  rateLimitPerMinute?: number;
}

/** The `error` values of the token endpoint (`delivery-api.md` §3.1), plus two of our own. */
type OAuthError = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type'
  | 'invalid_scope' | 'too_many_requests' | 'server_error';

const SCOPE = 'orders';

/**
 * A token request has four short fields; anything much larger is not one. No file parts: busboy
 * refuses the first one (`files: 0`), as it does an eleventh field.
 */
const MULTIPART_LIMITS = {
  fields: 10, fieldNameSize: 100, fieldSize: 4096, files: 0, parts: 10, headerPairs: 20,
};
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** A token request that cannot be answered with a token. */
class OAuthFailure extends Error {
  constructor(readonly error: OAuthError) {
    super(error);
  }
}

/** Form fields by lower-cased name: ASP.NET binds form keys case-insensitively, so must we. */
class TokenForm {
  readonly #fields = new Map<string, string[]>();

  constructor(entries: Iterable<readonly [string, string]>) {
    for (const [key, value] of entries) {
      const name = key.toLowerCase();
      this.#fields.set(name, [...(this.#fields.get(name) ?? []), value]);
    }
  }

  /** The field's value; empty counts as missing, a repeated field is malformed. */
  one(name: string): string | undefined {
    const values = this.#fields.get(name) ?? [];
    if (values.length > 1) throw new OAuthFailure('invalid_request');
    return values[0] === '' ? undefined : values[0];
  }

  all(name: string): string[] {
    return this.#fields.get(name) ?? [];
  }
}

/**
 * `POST /connect/token`, the OAuth 2.0 client-credentials endpoint (`delivery-api.md` §3.1).
 *
 * It lives in its own encapsulated scope, outside the JSON API's error envelope: it reads only
 * form bodies, `application/x-www-form-urlencoded` or `multipart/form-data` (fields only, a
 * few KB), and every failure is an OAuth body
 * `{"error": …}` with HTTP 400, never 500 (429 when rate-limited). Register it after
 * `registerHttpBasics`, so the rate limit and the 404/405 handling cover it.
 */
export function registerTokenRoute(app: FastifyInstance, deps: TokenRouteDeps): void {
  const limit = tokenRateLimit(app, deps.rateLimitPerMinute ?? 0);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    await scope.register(formbody, {
      parser: (text) => ({ form: new TokenForm(new URLSearchParams(text)) }),
    });
    await scope.register(multipart, { limits: MULTIPART_LIMITS });
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => {
      done(null, undefined);
    });

    scope.setErrorHandler(replyWithOAuthError);
    scope.post('/connect/token', (request, reply) => issueToken(deps, limit, request, reply));
  });
}

async function issueToken(
  deps: TokenRouteDeps, limit: TokenRateLimit | undefined, request: FastifyRequest,
  reply: FastifyReply,
): Promise<object> {
  const form = await formOf(request);
  await limit?.(request, reply, form && claimedClientId(form, request.headers.authorization));
  if (!form) throw new OAuthFailure('invalid_request');

  const { clientId, clientSecret } = credentialsOf(form, request.headers.authorization);
  if (form.one('grant_type') !== 'client_credentials') {
    throw new OAuthFailure('unsupported_grant_type');
  }
  const scopes = [...form.all('scope'), ...form.all('scopes')].flatMap((s) => s.split(/\s+/));
  if (scopes.some((s) => s !== '' && s !== SCOPE)) throw new OAuthFailure('invalid_scope');

  const connection = await authenticate(deps, clientId, clientSecret);
  if (!connection) {
    request.log.info({ clientId }, 'token refused: unknown client, wrong secret or disabled');
    throw new OAuthFailure('invalid_client');
  }

  const { accessToken, expiresIn } = await deps.tokens.issue(connection.clientId);
  request.log.info({ clientId: connection.clientId }, 'token issued');
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer', scope: SCOPE };
}

/** The form of a urlencoded or multipart body; undefined for any other body. */
async function formOf(request: FastifyRequest): Promise<TokenForm | undefined> {
  if (request.isMultipart()) return multipartForm(request);

  const body = (request.body as { form?: unknown } | undefined)?.form;
  return body instanceof TokenForm ? body : undefined;
}

/**
 * Reads the fields of a multipart body. A file part, a cut-off name or value, a JSON part, too
 * many parts or a body busboy cannot read: all are `invalid_request`.
 */
async function multipartForm(request: FastifyRequest): Promise<TokenForm> {
  const fields: [string, string][] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'field' || part.fieldnameTruncated || part.valueTruncated
        || typeof part.value !== 'string') {
        throw new OAuthFailure('invalid_request');
      }
      fields.push([part.fieldname, part.value]);
    }
  } catch (err) {
    // Busboy's own failures (no boundary, a malformed part) are the client's body too.
    if (err instanceof OAuthFailure) throw err;
    request.log.info({ err }, 'multipart token request unreadable');
    throw new OAuthFailure('invalid_request');
  }
  return new TokenForm(fields);
}

/**
 * Client credentials from the form (`client_id`, `client_secret`) or, when the form carries
 * neither, from HTTP Basic authentication, which IdentityServer clients may use instead
 * (RFC 6749 §2.3.1).
 */
function credentialsOf(
  form: TokenForm, authorization: string | undefined,
): { clientId: string; clientSecret: string } {
  let clientId = form.one('client_id');
  let clientSecret = form.one('client_secret');
  if (clientId === undefined && clientSecret === undefined && authorization !== undefined) {
    [clientId, clientSecret] = basicCredentials(authorization);
  }

  if (clientId === undefined || clientSecret === undefined) {
    throw new OAuthFailure('invalid_request');
  }
  return { clientId, clientSecret };
}

/** The client id a request names, for its rate-limit bucket; never throws. */
function claimedClientId(form: TokenForm, authorization: string | undefined): string | undefined {
  const [fromForm] = form.all('client_id');
  if (fromForm !== undefined && fromForm !== '') return fromForm;
  return authorization === undefined ? undefined : basicCredentials(authorization)[0];
}

function basicCredentials(header: string): [string | undefined, string | undefined] {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (!match?.[1]) return [undefined, undefined];

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return [undefined, undefined];
  return [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1)) || undefined];
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * The enabled connection the credentials belong to. A GUID-shaped client id also matches in
 * lower case without braces (`delivery-api.md` §14). An unknown client still costs one scrypt,
 * so response times do not tell which client ids exist.
 */
async function authenticate(
  deps: TokenRouteDeps, clientId: string, clientSecret: string,
): Promise<ConnectionRecord | undefined> {
  let connection = await deps.findConnection(clientId);
  const guid = GUID.exec(clientId)?.[1]?.toLowerCase();
  if (!connection && guid !== undefined && guid !== clientId) {
    connection = await deps.findConnection(guid);
  }

  const valid = await verifySecret(clientSecret, connection?.secretHash ?? await decoyHash());
  return valid && connection?.enabled ? connection : undefined;
}

let decoy: Promise<string> | undefined;

function decoyHash(): Promise<string> {
  decoy ??= hashSecret(newSecret());
  return decoy;
}

function replyWithOAuthError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const oauthError = oauthErrorOf(error);
  if (oauthError === 'server_error') {
    request.log.error({ err: error, code: oauthError }, 'token request failed');
  } else if (oauthError !== 'invalid_client') {
    request.log.info({ code: oauthError }, 'token request refused');
  }

  const retryAfterSec = error instanceof HubError ? error.retryAfterSec : undefined;
  if (retryAfterSec !== undefined) reply.header('retry-after', String(Math.ceil(retryAfterSec)));
  void reply.code(oauthError === 'too_many_requests' ? 429 : 400)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: oauthError });
}

function oauthErrorOf(error: unknown): OAuthError {
  if (error instanceof OAuthFailure) return error.error;
  if (error instanceof HubError && error.code === 'too_many_requests') return 'too_many_requests';

  // Fastify's body errors (too large, bad length) are the client's request, not our fault.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500
    ? 'invalid_request' : 'server_error';
}
