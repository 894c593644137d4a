import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { registeredRoutes, unusedRouteDocs } from '../src/api/openapi.js';
import { ERROR_CATALOGUE } from '../src/errors/error-catalogue.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

let env: TestEnv;
let t: TestHub;
let doc: any;

before(async () => {
  env = await createTestEnv();
  t = await startTestHub(env);
  const response = await t.request('GET', '/openapi.json');
  assert.equal(response.status, 200);
  doc = response.body;
});

after(async () => {
  await t.close();
  await env.dispose();
});

/** `/orders/:orderId` as OpenAPI writes it: `/orders/{orderId}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

test('/openapi.json is an OpenAPI 3.1 document with paths, components and security', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(typeof doc.info.title, 'string');
  assert.ok(Object.keys(doc.paths).length > 40);
  assert.ok(doc.components.schemas.Order, 'shared schemas are components');
  assert.ok(doc.components.schemas.ErrorEnvelope);
  const schemes = doc.components.securitySchemes;
  assert.equal(schemes.bearer.scheme, 'bearer');
  assert.equal(schemes.adminBearer.scheme, 'bearer');
  assert.equal(schemes.clientCredentials.flows.clientCredentials.tokenUrl, '/connect/token');
});

test('every route the app registered is documented with its method', () => {
  const routes = registeredRoutes(t.hub.app);
  const visible = routes.filter((route) => !route.hidden);
  assert.ok(visible.length > 40, 'routes were collected');

  const undocumented = visible.filter((route) => !route.documented)
    .map((route) => `${route.method} ${route.url}`);
  assert.deepEqual(undocumented, [], 'routes without a schema');

  for (const route of visible) {
    const operation = doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
    assert.ok(operation, `${route.method} ${route.url} is in the document`);
    assert.ok(operation.summary, `${route.method} ${route.url} has a summary`);
    assert.ok(Object.keys(operation.responses).some((s) => s.startsWith('2')),
      `${route.method} ${route.url} documents its success`);
  }
  assert.deepEqual(unusedRouteDocs(t.hub.app), [], 'documentation of routes that do not exist');
});

test('hidden internal routes stay out of the document', () => {
  const hidden = registeredRoutes(t.hub.app).filter((route) => route.hidden);
  assert.ok(hidden.some((route) => route.url.startsWith('/docs')));
  for (const route of hidden) {
    assert.equal(doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()], undefined,
      `${route.method} ${route.url} is hidden`);
  }
});

test('the whole error catalogue is in the document', () => {
  const codes = Object.keys(ERROR_CATALOGUE);
  const schema = doc.components.schemas.ErrorCode;
  assert.deepEqual([...schema.enum].sort(), [...codes].sort());

  const catalogue = new Map<string, any>(
    schema['x-error-catalogue'].map((entry: any) => [entry.code, entry]));
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    assert.deepEqual(catalogue.get(code), {
      code, status: spec.status, retryable: spec.retryable, description: spec.description,
    });
    assert.ok(doc.info.description.includes(`| \`${code}\` | ${spec.status} |`),
      `${code} is in the catalogue table`);
  }
});

test('routes document their error responses with the envelope', () => {
  const pay = doc.paths['/orders/api/v1/orders/{orderId}/pay'].put;
  const text = JSON.stringify(pay.responses['500']);
  assert.ok(text.includes('ERR_EXTERNAL_ERROR_WS'));
  assert.ok(JSON.stringify(pay.responses['503']).includes('ERR_EXTERNAL_TIMEOUT_WS'));
  assert.ok(pay.responses['401'], 'bearer routes document ERR_UNAUTHORIZED');
});

test('every POST/PUT/PATCH of the compatible API documents Idempotency-Key and its errors',
  () => {
    const mutating = registeredRoutes(t.hub.app).filter((route) => !route.hidden
      && route.url.startsWith('/orders/api/v1/')
      && ['POST', 'PUT', 'PATCH'].includes(route.method));
    assert.ok(mutating.length >= 6, 'create, pre-calculate, change, reject, pay, complete');

    for (const route of mutating) {
      const name = `${route.method} ${route.url}`;
      const operation = doc.paths[openApiPath(route.url)][route.method.toLowerCase()];
      const header = (operation.parameters ?? []).find((p: any) =>
        p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      assert.ok(header, `${name} documents the Idempotency-Key header`);
      assert.equal(header.required, false, name);
      for (const [status, code] of [['422', 'idempotency_key_reused'],
        ['409', 'err_operation_in_progress'], ['400', 'ERR_PARSE_REQUEST'],
        ['413', 'ERR_PAYLOAD_TOO_LARGE']] as const) {
        assert.ok(JSON.stringify(operation.responses[status] ?? null).includes(`"${code}"`),
          `${name} documents ${status} ${code}`);
      }
    }
  });

test('the routes that change one order document If-Match and err_version_mismatch', () => {
  for (const [path, method] of [['/orders/{orderId}', 'patch'], ['/orders/{orderId}/reject', 'put'],
    ['/orders/{orderId}/pay', 'put'], ['/orders/{orderId}/complete', 'put']] as const) {
    const name = `${method} ${path}`;
    const operation = doc.paths[`/orders/api/v1${path}`][method];
    const headers = (operation.parameters ?? []).filter((p: any) => p.in === 'header')
      .map((p: any) => [p.name.toLowerCase(), p.required]);
    assert.deepEqual(headers.sort(), [['idempotency-key', false], ['if-match', false]], name);
    assert.ok(JSON.stringify(operation.responses['409']).includes('"err_version_mismatch"'), name);
    assert.ok(JSON.stringify(operation.responses['400']).includes('"ERR_PARSE_REQUEST"'), name);
  }
});

test('the token endpoint documents its rate limit', () => {
  const token = doc.paths['/connect/token'].post;
  assert.ok(token.responses['429'], '429 documented');
  assert.match(token.description, /TOKEN_RATE_LIMIT_PER_MINUTE/);
});

test('the token endpoint documents its form bodies, multipart included', () => {
  const content = doc.paths['/connect/token'].post.requestBody.content;
  assert.deepEqual(Object.keys(content).sort(),
    ['application/x-www-form-urlencoded', 'multipart/form-data']);
});

test('/docs serves the browsable documentation as HTML', async () => {
  const response = await t.request('GET', '/docs/');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  assert.match(String(response.body), /swagger/i);
});

test('the committed client types are generated from this document', async () => {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const generated = astToString(await openapiTS(doc));
  const file = await readFile(path.join(await repoRoot(), 'src/client/generated/api-types.ts'),
    'utf8');
  assert.ok(file.endsWith(generated), 'run `npm run client:generate` and commit the result');
});

/** The checkout this compiled test belongs to: the nearest folder up with `package.json`. */
async function repoRoot(): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      await access(path.join(dir, 'package.json'));
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error('no package.json above the test');
      dir = parent;
    }
  }
}
