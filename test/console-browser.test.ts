import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { runAddUser } from '../src/cli/users-command.js';
import { demoOrderBody } from './helpers/order-fixtures.js';
import { type TestEnv, type TestHub, createTestEnv, startTestHub } from './helpers/test-hub.js';

const CHROMIUM = '/usr/bin/chromium';
// The flags this kind of machine needs (no sandbox as root, no background network calls).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const SCREENSHOT = process.env.UPDATE_SCREENSHOTS === '1'
  ? path.join(ROOT, 'docs', 'console.png')
  : path.join(ROOT, 'dist', 'test-artifacts', 'console.png');
// Generous: CI machines have two cores shared with the other suites.
const WAIT = { timeout: 30_000 };

const skip = existsSync(CHROMIUM) ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
if (skip) console.log(`# console browser test skipped: ${skip}`);

describe('operator console in a real browser', { skip }, () => {
  let env: TestEnv;
  let t: TestHub;
  let browser: Browser;
  let page: Page;

  before(async () => {
    env = await createTestEnv();
    t = await startTestHub(env, { orderProcessing: 'none' });
    const io = { out: () => undefined, err: (line: string) => assert.fail(line) };
    assert.equal(await runAddUser(env, { username: 'Olga', password: 'correct horse battery',
      role: 'manager', displayName: 'Olga Petrova' }, io), 0);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    await env?.dispose();
  });

  const card = (id: string, column?: string) =>
    page.locator(`#board ${column ? `[data-column="${column}"] ` : ''}`
      + `.card[data-order-id="${id}"]`);

  async function act(action: string, prepare?: () => Promise<void>) {
    await page.locator(`#details [data-action="${action}"]`).click();
    await page.locator('#confirm[open]').waitFor(WAIT);
    await prepare?.();
    await page.locator('#confirm-yes').click();
    await page.locator('#confirm:not([open])').waitFor({ state: 'attached', ...WAIT });
  }

  test('a wrong password is refused; the right one opens the live board', async () => {
    await page.goto(`${t.baseUrl}/console`);
    await page.fill('input[name=username]', 'olga');
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('#signin-form button[type=submit]');
    await page.locator('#signin-error:not([hidden])').waitFor(WAIT);

    await page.fill('input[name=password]', 'correct horse battery');
    await page.click('#signin-form button[type=submit]');
    await page.locator('#live[data-state="live"]').waitFor(WAIT);
    assert.match(await page.locator('#who').innerText(), /Olga Petrova/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'dh_console');
    assert.equal(session?.httpOnly, true);
    assert.equal(session?.sameSite, 'Strict');
  });

  test('an order created through the API appears live; confirm and transfer reach 4', async () => {
    const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;
    await card(id, 'colNew').waitFor(WAIT);
    assert.match(await card(id).getAttribute('class') ?? '', /card--new/);

    await card(id).focus();
    await page.keyboard.press('Enter');
    await page.locator('#details[open]').waitFor(WAIT);
    const offered = await page.locator('#details [data-action]').evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-action')));
    assert.deepEqual(offered, ['confirm', 'accept', 'transfer', 'cancel'], 'no illegal move');

    await act('confirm');
    await card(id, 'colAccepted').waitFor(WAIT);
    await act('transfer');
    assert.equal(await t.runTimers(), 1);
    await card(id, 'colKitchen').waitFor(WAIT);
    await page.locator('#details-title .status[data-status="4"]').waitFor(WAIT);
    assert.equal((await t.api('GET', `/orders/${id}`)).body.result.orderStatusId, 4);
    const history = await page.locator('#details .history li').allInnerTexts();
    assert.ok(history.some((line) => line.includes('operator:olga')), history.join('\n'));
    await page.keyboard.press('Escape');
    await page.locator('#details:not([open])').waitFor({ state: 'attached', ...WAIT });
  });

  test('another order is cancelled with a reason from the catalogue', async () => {
    const id = (await t.api('POST', '/orders', demoOrderBody())).body.result.orderId as string;
    await card(id, 'colNew').click();
    await act('cancel', async () => {
      await page.selectOption('#confirm select[name=reason]', { index: 2 });
      await page.fill('#confirm input[name=reasonText]', 'called back');
    });
    await card(id, 'colDone').waitFor(WAIT);
    const order = (await t.api('GET', `/orders/${id}`)).body.result;
    assert.equal(order.orderStatusId, 12);
    assert.equal(order.rejectionReason.text, 'called back');
    await page.locator('#details-title .status[data-status="12"]').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.locator('#details:not([open])').waitFor({ state: 'attached', ...WAIT });
  });

  test('search, Russian labels, a tablet screen, and the board screenshot', async () => {
    for (let i = 0; i < 3; i += 1) await t.api('POST', '/orders', demoOrderBody());
    const last = (await t.api('POST', '/orders', demoOrderBody({
      guest: { firstName: 'Anna', phone: '79161234567' } }))).body.result.orderId as string;
    await t.hub.store.db.updateTable('orders')
      .set((eb) => ({ isAttention: 1, attentionReason: 'Cash station did not answer',
        version: eb('version', '+', 1), updatedAt: new Date().toISOString() }))
      .where('id', '=', Number(last)).execute();
    await page.locator(`.card--attention[data-order-id="${last}"]`).waitFor(WAIT);

    await page.keyboard.press('/');
    await page.keyboard.type('9161234567');
    await page.keyboard.press('Enter');
    await page.locator('#results:not([hidden])').waitFor(WAIT);
    assert.deepEqual(await page.locator('#results-list .card').evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-order-id'))), [last]);
    await page.click('#search-clear');

    await page.locator('header .lang-toggle').click();
    const heading = await page.locator('[data-column="colNew"] h2').textContent();
    assert.match(heading ?? '', /^Новые\d+$/);
    await page.locator('header .lang-toggle').click();

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    await page.setViewportSize({ width: 820, height: 1180 });
    const box = await card(last).boundingBox();
    assert.ok(box && box.width >= 200 && box.x >= 0, 'cards stay readable on a tablet');
  });
});

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}
