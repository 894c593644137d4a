import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../errors/hub-error.js';

/**
 * Answers requests no route takes: a path some route serves, asked with another method, is a 405
 * `ERR_METHOD_NOT_ALLOWED` with an `Allow` header; any other path is a 404 `ERR_NOT_FOUND`
 * (`delivery-api.md` §2.1). Routes are learnt through `onRoute`, so this must be registered
 * before them.
 */
export function registerNotFound(app: FastifyInstance): void {
  const routes = new KnownRoutes();

  app.addHook('onRoute', (route) => {
    routes.add(route.url ?? route.path ?? '', route.method);
  });

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const allowed = routes.methodsFor(pathOf(request.url));
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      throw new HubError('ERR_METHOD_NOT_ALLOWED', `Method ${request.method} is not allowed here`);
    }
    throw new HubError('ERR_NOT_FOUND', 'No such path');
  });
}

/** Route patterns with the methods each serves, matched with or without a trailing slash. */
class KnownRoutes {
  readonly #routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(url: string, method: string | readonly string[]): void {
    const key = withoutTrailingSlash(url);
    let route = this.#routes.get(key);
    if (!route) {
      route = { pattern: patternOf(key), methods: new Set() };
      this.#routes.set(key, route);
    }

    for (const m of typeof method === 'string' ? [method] : method) route.methods.add(m);
  }

  /** Every method some route serves `path` with, sorted; empty for an unknown path. */
  methodsFor(path: string): string[] {
    const target = withoutTrailingSlash(path);
    const methods = new Set<string>();
    for (const route of this.#routes.values()) {
      if (route.pattern.test(target)) route.methods.forEach((m) => methods.add(m));
    }
    return [...methods].sort();
  }
}

/**
 * A route URL as a regular expression: `:param` segments (regex-constrained ones included) match
 * any one segment, a trailing `*` anything. A constrained parameter thus matches more than the
 * router would, which at worst turns a 404 into a 405.
 */
function patternOf(url: string): RegExp {
  const source = url.split('/').map((segment) => {
    if (segment.includes(':')) return '[^/]+';
    if (segment.endsWith('*')) return `${escapeRegExp(segment.slice(0, -1))}.*`;
    return escapeRegExp(segment);
  }).join('/');
  return new RegExp(`^${source}$`);
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
