import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/error-catalogue.js';
import { ADMIN_API_DOCS } from './schemas/admin-api-docs.js';
import { COMMON_SCHEMAS, ErrorCodeSchema } from './schemas/common-schemas.js';
import { ORDER_SCHEMAS } from './schemas/order-schemas.js';
import { ORDERS_API_DOCS } from './schemas/orders-api-docs.js';
import { ROOT_DOCS } from './schemas/root-docs.js';
import { type RouteSchema, withErrors } from './schemas/route-doc.js';

/** One route the app registered, as the OpenAPI test compares it with the document. */
export interface RegisteredRoute {
  method: string;
  url: string;
  /** Left out of the document on purpose (UI assets, the console's own API). */
  hidden: boolean;
  /** Whether a documentation entry was found for it. */
  documented: boolean;
}

/** Paths served for people or the console page, not part of the documented API. */
const HIDDEN_PREFIXES = ['/docs', '/openapi.json', '/console'];

const MUTATING = new Set(['POST', 'PUT', 'PATCH']);

/**
 * What every POST/PUT/PATCH of an idempotent area can answer besides its own errors: a body over
 * the limit, and from `idempotency.ts` a malformed key, a key reused with another request, an
 * identical request still running past the wait bound.
 */
export const MUTATION_ERRORS: readonly ErrorCode[] = [
  'ERR_PARSE_REQUEST', 'ERR_PAYLOAD_TOO_LARGE', 'idempotency_key_reused',
  'err_operation_in_progress',
];

/** The `Idempotency-Key` request header of `delivery-api.md` §16. */
const IdempotencyHeaders = Type.Object({
  'Idempotency-Key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description:
    'Makes a retry safe: a repeat within 24 h gets the stored answer (`Idempotency-Replayed: '
      + 'true`); the same key with another method, path or body is 422 '
      + '`idempotency_key_reused`. Keys are per API connection.' })),
});

/**
 * Documentation per API prefix, with the error codes every route under it can answer, and
 * whether its POST/PUT/PATCH routes take an `Idempotency-Key` (the plugin runs there only).
 */
const AREAS: readonly { prefix: string; docs: Record<string, RouteSchema>;
  errors: readonly ErrorCode[]; security: Record<string, string[]>[]; idempotent?: true }[] = [
  { prefix: '/orders/api/v1', docs: ORDERS_API_DOCS,
    errors: ['ERR_UNAUTHORIZED', 'too_many_requests', 'ERR_INTERNAL'],
    security: [{ bearer: [] }, { clientCredentials: ['orders'] }], idempotent: true },
  { prefix: '/admin/api/v1', docs: ADMIN_API_DOCS, errors: ['ERR_UNAUTHORIZED', 'ERR_INTERNAL'],
    security: [{ adminBearer: [] }] },
  { prefix: '', docs: ROOT_DOCS, errors: [], security: [] },
];

const routesByApp = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** The routes `app` registered after {@link registerOpenApi}, HEAD routes left out. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return routesByApp.get(app) ?? [];
}

/** Documentation entries (`METHOD path`) that no registered route used: stale ones. */
export function unusedRouteDocs(app: FastifyInstance): string[] {
  const used = new Set(registeredRoutes(app).map((r) => `${r.method} ${r.url}`));
  return AREAS.flatMap(({ prefix, docs }) => Object.keys(docs).map((key) => {
    const [method, path] = key.split(' ') as [string, string];
    return `${method} ${prefix}${path}`;
  })).filter((key) => !used.has(key));
}

/**
 * Serves the OpenAPI 3.1 document (`/openapi.json`) and its browsable UI (`/docs`). Route
 * schemas come from `schemas/*-docs.ts` and are attached to routes as they are registered, so
 * call this on the root instance before any route.
 *
 * Schemas are documentation only: bodies are read by the lenient body reader (case-insensitive
 * keys, numbers as strings), so the validator never rejects and responses are serialized with
 * plain `JSON.stringify`, exactly as without schemas.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  for (const schema of [...COMMON_SCHEMAS, ...ORDER_SCHEMAS]) app.addSchema(schema);

  const routes: RegisteredRoute[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    const entry = attachDoc(route);
    if (entry) routes.push(entry);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'delivery-hub', version: '0.1.0', description: infoDescription() },
      servers: [{ url: '/', description: 'This hub' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description:
            'Access token of an API connection, from `POST /connect/token` (`/orders/api/v1`).' },
          clientCredentials: { type: 'oauth2', flows: { clientCredentials: {
            tokenUrl: '/connect/token', scopes: { orders: 'The r_k Delivery API' } } } },
          adminBearer: { type: 'http', scheme: 'bearer',
            description: 'The hub admin token (`ADMIN_TOKEN`), for `/admin/api/v1` only.' },
        },
        schemas: { ErrorCode: ErrorCodeSchema as never },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) =>
      typeof json.$id === 'string' ? json.$id : `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** Gives `route` its documentation and says how it was documented. */
function attachDoc(route: RouteOptions): RegisteredRoute | undefined {
  const method = typeof route.method === 'string' ? route.method : route.method.join(',');
  if (method === 'HEAD') return undefined;

  const url = route.url;
  if (HIDDEN_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) {
    route.schema = { ...route.schema, hide: true };
    return { method, url, hidden: true, documented: false };
  }

  const area = AREAS.find(({ prefix }) => prefix === '' || url.startsWith(`${prefix}/`));
  const doc = area?.docs[`${method} ${url.slice(area.prefix.length)}`];
  if (!area || !doc) return { method, url, hidden: false, documented: false };

  const idempotent = area.idempotent === true && MUTATING.has(method);
  const { errorCodes: _codes, ...schema } = withErrors(doc,
    idempotent ? [...area.errors, ...MUTATION_ERRORS] : area.errors);
  const headers = idempotent
    ? Type.Object({ ...IdempotencyHeaders.properties, ...schema.headers?.properties })
    : schema.headers;
  route.schema = {
    ...schema, params: paramsOf(url), ...(headers ? { headers } : {}),
    ...(schema.security === undefined && area.security.length > 0
      ? { security: area.security } : {}),
    ...route.schema,
  };
  return { method, url, hidden: false, documented: true };
}

function paramsOf(url: string) {
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  return {
    type: 'object', required: names,
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  };
}

function infoDescription(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(([code, spec]) =>
    `| \`${code}\` | ${spec.status} | ${spec.retryable ? 'yes' : 'no'} | ${spec.description} |`);
  return [
    'Order hub wire-compatible with the r_k Delivery API. Get a token from `POST '
      + '/connect/token`, then call `/orders/api/v1` with it. Request bodies are read leniently '
      + '(keys in any case, numbers as strings, `null` as absent); responses are camelCase.',
    '',
    'Every failure answers with `{code, msg, requestId, errors}`. Unknown paths answer '
      + '`ERR_NOT_FOUND`, known paths with another method `ERR_METHOD_NOT_ALLOWED`.',
    '',
    '## Error catalogue',
    '',
    '| code | HTTP status | retryable | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
