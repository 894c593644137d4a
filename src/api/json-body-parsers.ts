import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Deepest nesting of objects and arrays a body may have. Real requests stay under six levels;
 * the bound keeps recursive readers (fingerprints, validation) far from the stack limit.
 */
const MAX_DEPTH = 32;

/**
 * Reads every request body as JSON, whatever its content type (`delivery-api.md` §14):
 * `application/json` with or without parameters, `text/plain`, a missing content type and any
 * other type alike (an empty `Content-Type` header counts as none). A body that is not JSON is
 * a 400 `ERR_PARSE_REQUEST`; an empty body is no body, since clients send
 * `Content-Type: application/json` on body-less commands such as `/complete`.
 *
 * Scopes that read other formats (the token endpoint) replace these parsers in their own context.
 */
export function registerJsonBodyParsers(app: FastifyInstance): void {
  // Fastify's own parser rejects `__proto__` and `constructor.prototype` keys, which no valid
  // request carries, so prototype pollution cannot start from a body.
  const strictJson = app.getDefaultJsonParser('error', 'error');

  const parse = (request: FastifyRequest, body: string | Buffer, done: Done): void => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }

    strictJson(request, text, (error, value) => {
      if (error) done(new HubError('ERR_PARSE_REQUEST', parseFailure(text)));
      else if (nestedDeeperThan(value, MAX_DEPTH)) {
        done(new HubError('ERR_PARSE_REQUEST',
          `The request body is nested more than ${MAX_DEPTH} levels deep`));
      } else done(null, value);
    });
  };

  // An empty Content-Type header is no content type (Fastify would refuse it as a media type).
  // A callback hook: it runs on every request, and an async one costs a promise each time.
  app.addHook('onRequest', (request, _reply, done) => {
    const type = request.headers['content-type'];
    if (type !== undefined && type.trim() === '') delete request.headers['content-type'];
    done();
  });

  // Without its default parser, `text/plain` falls to the catch-all like any other type.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}

/** Why the strict parser refused `text`: not JSON at all, or JSON with prototype keys. */
function parseFailure(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return 'The request body is not valid JSON';
  }
  return 'The request body must not contain "__proto__" or "constructor.prototype" keys';
}

/** Whether objects and arrays nest deeper than `limit` (walked without recursion). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}
