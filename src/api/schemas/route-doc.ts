import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { type ErrorCode, errorSpec } from '../../errors/error-catalogue.js';
import { ref } from './common-schemas.js';

/** What one route's documentation says, before it becomes a Fastify route schema. */
export interface RouteDocInput {
  summary: string;
  description?: string;
  querystring?: Record<string, TSchema>;
  /** Optional request headers the route reads. */
  headers?: Record<string, TSchema>;
  body?: TSchema;
  /** Success status (200 unless given) and its body. */
  ok: TSchema;
  okStatus?: number;
  /** Error codes the route itself can answer with (shared ones are added by prefix). */
  errors?: readonly ErrorCode[];
}

/** A Fastify route schema used as documentation only (see `openapi.ts`). */
export interface RouteSchema {
  tags: string[];
  summary: string;
  description?: string;
  querystring?: TSchema;
  headers?: TObject;
  body?: TSchema;
  /** Content types of the body, when not JSON. */
  consumes?: string[];
  response: Record<string, unknown>;
  /** Catalogue codes the route documents; the OpenAPI test reads them. */
  errorCodes: readonly ErrorCode[];
  security?: Record<string, string[]>[];
  hide?: boolean;
}

/** Builds the route schema of `input` in `tag`. */
export function routeDoc(tag: string, input: RouteDocInput): RouteSchema {
  const schema: RouteSchema = {
    tags: [tag], summary: input.summary,
    response: { [input.okStatus ?? 200]: input.ok }, errorCodes: input.errors ?? [],
  };
  if (input.description !== undefined) schema.description = input.description;
  if (input.querystring !== undefined) {
    schema.querystring = Type.Object(optionalAll(input.querystring));
  }
  if (input.headers !== undefined) schema.headers = Type.Object(optionalAll(input.headers));
  if (input.body !== undefined) schema.body = input.body;
  return schema;
}

/** Adds the error responses of `codes` to `schema`, one response per HTTP status. */
export function withErrors(schema: RouteSchema, codes: readonly ErrorCode[]): RouteSchema {
  const all = [...new Set([...schema.errorCodes, ...codes])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) {
    const status = errorSpec(code).status;
    byStatus.set(status, [...byStatus.get(status) ?? [], code]);
  }

  const response = { ...schema.response };
  for (const [status, statusCodes] of byStatus) {
    response[status] = Type.Intersect([
      ref('ErrorEnvelope'),
      Type.Object({ code: Type.Union(statusCodes.map((code) => Type.Literal(code))) }),
    ], { description: `Error: ${statusCodes.map((code) => `\`${code}\``).join(', ')}` });
  }
  return { ...schema, response, errorCodes: all };
}

function optionalAll(fields: Record<string, TSchema>): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) =>
    [key, Type.Optional(value)]));
}
