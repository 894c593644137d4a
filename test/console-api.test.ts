import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runAddUser, runListUsers } from '../src/cli/users-command.js';
import { ConsoleUserRepo } from '../src/console/console-users.js';
import { DEMO } from '../src/store/seed-demo.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';
import { admin } from './helpers/webhook-fixtures.js';

const OTHER_CORPORATION = '0b7e9a55-0000-4000-8000-0000000c0a51';
const PASSWORD = 'long enough password';

describe('operator console API', () => {
  let env: TestEnv;
  let t: TestHub;
  const cookies = new Map<string, string>();

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { orderProcessing: 'none' });
    const db = t.hub.store.db;
    await db.insertInto('corporations').values({
      id: OTHER_CORPORATION, name: 'Other chain', orderProcessing: 'auto', transferDelaySec: 0,
      checkContentsAndPrice: 1, completeWhenClosedAtStation: 1, timeZone: 'Europe/Moscow',
      createdAt: '2024-01-01T00:00:00.000Z',
    }).execute();
    const users = new ConsoleUserRepo(db);
    const now = new Date().toISOString();
    for (const [username, role, corporationId] of [['oper', 'operator', DEMO.corporationId],
      ['boss', 'manager', DEMO.corporationId], ['root', 'admin', DEMO.corporationId],
      ['stranger', 'admin', OTHER_CORPORATION]] as const) {
      await users.add({ username, role, corporationId, displayName: username, password: PASSWORD },
        now);
    }
  });

  after(async () => {
    await t.close();
    await env.dispose();
  });

  async function signIn(username: string): Promise<void> {
    const response = await t.request('POST', '/console/api/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^dh_console=[\w-]{40,}; Path=\/console; HttpOnly; SameSite=Strict;/);
    cookies.set(username, cookie.split(';')[0] as string);
  }

  function as(username: string, method: string, path: string, body?: unknown,
    headers: Record<string, string> = {}) {
    return t.request(method, `/console/api${path}`, {
      headers: { cookie: cookies.get(username) ?? '', ...(body === undefined ? {}
        : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  test('the page is served with a strict content security policy', async () => {
    const page = await t.request('GET', '/console');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(String(page.body), /\/console\/assets\/main\.js/);
    assert.equal((await t.request('GET', '/console/assets/main.js')).status, 200);
    assert.equal((await t.request('GET', '/console/assets/..%2Fpackage.json')).status, 404);
  });

  test('without a session only signing in answers; a wrong password is a 401', async () => {
    assert.equal((await as('nobody', 'GET', '/orders')).status, 401);
    const wrong = await t.request('POST', '/console/api/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'oper', password: 'nope' }),
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);
    for (const user of ['oper', 'boss', 'root', 'stranger']) await signIn(user);
    assert.equal((await as('oper', 'GET', '/session')).body.result.user.role, 'operator');
  });

  test('state changes need JSON from the same origin', async () => {
    const form = await as('oper', 'POST', '/orders/1/actions/confirm', undefined,
      { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 403);
    assert.equal(form.body.code, 'ERR_FORBIDDEN');
    const foreign = await as('oper', 'POST', '/orders/1/actions/confirm', {},
      { origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
  });

  test('each user sees only the orders of their corporation', async () => {
    const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;
    const mine = await as('oper', 'GET', '/orders');
    assert.ok(mine.body.result.some((c: { orderId: string }) => c.orderId === id));
    assert.deepEqual((await as('stranger', 'GET', '/orders')).body.result, []);
    assert.equal((await as('stranger', 'GET', `/orders/${id}`)).status, 404);
    const moved = await as('stranger', 'POST', `/orders/${id}/actions/confirm`, {});
    assert.equal(moved.status, 404);
    assert.equal(moved.body.code, 'order_not_found');
  });

  test('only legal moves are offered, and roles limit them', async () => {
    const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;
    const card = (await as('oper', 'GET', `/orders/${id}`)).body.result.card;
    assert.deepEqual(card.actions, ['confirm', 'accept', 'transfer', 'cancel']);

    const confirmed = await as('oper', 'POST', `/orders/${id}/actions/confirm`, {});
    assert.deepEqual(confirmed.body.result.actions, ['transfer', 'cancel']);
    await as('oper', 'POST', `/orders/${id}/actions/transfer`, {});
    await t.runTimers();
    const details = (await as('oper', 'GET', `/orders/${id}`)).body.result;
    assert.equal(details.orderStatusId, 4);
    assert.deepEqual(details.card.actions, ['cancel']);
    assert.ok(details.history.some((h: { actor: string }) => h.actor === 'operator:oper'));

    const again = await as('oper', 'POST', `/orders/${id}/actions/confirm`, {});
    assert.equal(again.status, 422);
    const forbidden = await as('oper', 'POST', `/orders/${id}/actions/status:5`, {});
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.code, 'ERR_FORBIDDEN');

    const boss = (await as('boss', 'GET', `/orders/${id}`)).body.result.card;
    assert.deepEqual(boss.actions, ['status:5', 'status:6', 'status:7', 'status:8', 'status:9',
      'status:10', 'status:13', 'cancel']);
    const moved = await as('boss', 'POST', `/orders/${id}/actions/status:5`, {});
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.result.statusId, 5);
  });

  test('search by phone, number and status; bad filters are a 400', async () => {
    const id = (await t.api('POST', '/orders', demoOrderBody({
      guest: { firstName: 'Zinaida', phone: '+7 (916) 555-44-33' } }))).body.result.orderId;
    const ids = async (query: string) => (await as('oper', 'GET', `/orders?${query}`)).body.result
      .map((c: { orderId: string }) => c.orderId);
    assert.deepEqual(await ids('q=5554433'), [id]);
    assert.deepEqual(await ids('q=zinaida'), [id]);
    assert.deepEqual(await ids(`q=${id}`), [id]);
    assert.ok((await ids('status=1')).includes(id));
    assert.ok(!(await ids('status=4')).includes(id));
    assert.equal((await as('oper', 'GET', '/orders?status=99')).status, 400);
    assert.equal((await as('oper', 'GET', '/orders?from=someday')).status, 400);
  });

  test('the stream says ready, then sends a card for a new order', async () => {
    const abort = new AbortController();
    const response = await fetch(`${t.baseUrl}/console/api/stream`, {
      headers: { cookie: cookies.get('oper') ?? '' },
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(20_000)]),
    });
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    assert.ok(reader);
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `stream ended before ${pattern}`);
        text += value;
      }
    };
    try {
      await until(/event: ready/);
      const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId;
      await until(new RegExp(`event: order\\ndata: \\{"orderId":"${id}"`));
    } finally {
      abort.abort();
    }
  });

  test('admins see an order\'s webhook deliveries and replay them', async () => {
    await admin(t, 'POST', '/webhooks', { corporationId: DEMO.corporationId,
      url: 'http://127.0.0.1:9/unreachable', eventTypes: ['order.created'] });
    const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;

    const listed = await as('root', 'GET', `/orders/${id}/webhooks`);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.result.map((d: { eventType: string; status: string }) =>
      [d.eventType, d.status]), [['order.created', 'pending']]);
    assert.equal((await as('oper', 'GET', `/orders/${id}/webhooks`)).status, 403);
    assert.equal((await as('stranger', 'GET', `/orders/${id}/webhooks`)).status, 404);

    const deliveryId = listed.body.result[0].id as string;
    const foreign = await as('stranger', 'POST', `/webhooks/${deliveryId}/replay`, {});
    assert.equal(foreign.body.code, 'webhook_not_found');
    const replayed = await as('root', 'POST', `/webhooks/${deliveryId}/replay`, {});
    assert.deepEqual(replayed.body.result, { deliveryIds: [deliveryId] });
  });

  test('the users CLI checks role, password length, corporation and duplicates', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const add = (username: string, role: string, password = PASSWORD, corporationId?: string) =>
      runAddUser(env, { username, role, password, corporationId }, io);

    assert.equal(await add('pat', 'chef'), 2);
    assert.equal(await add('pat', 'operator', 'short'), 2);
    assert.equal(await add('pat', 'operator'), 1, 'two corporations: one must be named');
    assert.equal(await add('pat', 'operator', PASSWORD, 'no-such-corporation'), 1);
    assert.equal(await add('Pat', 'operator', PASSWORD, DEMO.corporationId), 0);
    assert.equal(await add('pat', 'manager', PASSWORD, DEMO.corporationId), 1, 'taken');
    assert.equal(await runListUsers(env, io), 0);
    assert.ok(lines.some((line) => line.startsWith('pat\toperator\t')), lines.join('\n'));
    await signIn('pat');
  });

  test('the 11th sign-in a minute per IP and username is a 429; others still sign in', async () => {
    await new ConsoleUserRepo(t.hub.store.db).add({ username: 'guessme', role: 'operator',
      corporationId: DEMO.corporationId, displayName: 'guessme', password: PASSWORD },
    new Date().toISOString());
    const attempt = (username: string, password: string) => t.request('POST',
      '/console/api/session', { headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }) });

    for (let i = 1; i <= 10; i += 1) {
      assert.equal((await attempt('guessme', `wrong ${i}`)).status, 401, `attempt ${i}`);
    }
    const refused = await attempt(' GuessMe', PASSWORD);

    assert.equal(refused.status, 429, JSON.stringify(refused.body));
    assert.deepEqual(Object.keys(refused.body), ['code', 'msg', 'requestId', 'errors']);
    assert.equal(refused.body.code, 'too_many_requests');
    assert.equal(refused.headers.get('x-request-id'), refused.body.requestId);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers.get('set-cookie'), null);
    await signIn('stranger');
  });

  test('signing out ends the session', async () => {
    assert.equal((await as('boss', 'DELETE', '/session')).status, 200);
    assert.equal((await as('boss', 'GET', '/orders')).status, 401);
  });
});
