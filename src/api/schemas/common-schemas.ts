import { type TSchema, Type } from '@sinclair/typebox';
import { ERROR_CATALOGUE } from '../../errors/error-catalogue.js';

/**
 * Schemas shared by every route document. Registered with `app.addSchema` under their `$id`,
 * so the OpenAPI document lists them once in `components.schemas` and routes refer to them.
 * They document the wire; the lenient body reader, not these schemas, decides what is accepted.
 */

/** A GUID as the r_k API writes it (any case, braces tolerated on input). */
export const Guid = Type.String({ description: 'GUID', examples: [
  '18f550d8-7fbe-45fa-8c83-35f531380f65'] });

/** Money on the wire: decimal roubles as a JSON number. */
export const Money = Type.Number({
  description: 'Amount in roubles as a JSON number (kopecks after the decimal point).' });

/** The error body of every failure of the JSON API (`delivery-api.md` §13.1). */
export const ErrorEnvelope = Type.Object({
  code: Type.String({ description: 'Stable error code; see `ErrorCode`.' }),
  msg: Type.String({ description: 'Human-readable message.' }),
  requestId: Type.String({ description: 'Same as the `X-Request-Id` response header.' }),
  errors: Type.Union([
    Type.Record(Type.String(), Type.Array(Type.String())), Type.Null(),
  ], { description: 'Problems per field path (`dishList[0].price`), or null.' }),
}, { $id: 'ErrorEnvelope', description: 'Error envelope (`delivery-api.md` §13.1).' });

/** Every code of the error catalogue, with the catalogue itself as an extension. */
export const ErrorCodeSchema = {
  type: 'string',
  enum: Object.keys(ERROR_CATALOGUE),
  description: 'Error codes the hub answers with; `x-error-catalogue` gives status, '
    + 'retryability and meaning of each.',
  'x-error-catalogue': Object.entries(ERROR_CATALOGUE).map(([code, spec]) => ({
    code, status: spec.status, retryable: spec.retryable, description: spec.description,
  })),
};

/** An empty success result (`{"result":{}}`). */
export const EmptyResult = Type.Object({ result: Type.Object({}) }, { $id: 'EmptyResult' });

/** A reference to a schema registered under `id`. */
export function ref(id: string): TSchema {
  return Type.Unsafe({ $ref: `${id}#` });
}

/** The success envelope `{ result: … }` around `schema`. */
export function resultOf(schema: TSchema, description?: string): TSchema {
  return Type.Object({ result: schema }, description === undefined ? {} : { description });
}

/** The paged envelope `{ total, offset, limit, items }` (countries, cities). */
export function pageOf(item: TSchema): TSchema {
  return Type.Object({
    total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer(),
    items: Type.Array(item),
  });
}

/** An object documented loosely: its keys are listed by the description, not enforced. */
export function openObject(description: string): TSchema {
  return Type.Object({}, { additionalProperties: true, description });
}

/** The schemas registered under their `$id` (refer to them with `Type.Ref(id)`). */
export const COMMON_SCHEMAS: readonly TSchema[] = [ErrorEnvelope, EmptyResult];
