import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { adminCommand } from '../src/cli/admin-command.js';
import { openStore } from '../src/store/database.js';
import { repoJson, repoRoot } from './helpers/repo-files.js';
import { type TestEnv, createTestEnv } from './helpers/test-hub.js';

const EXAMPLE = path.join(repoRoot(), 'examples/chain.example.json');
const RESTAURANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c61';

interface Run {
  code: number | undefined;
  out: string;
  err: string;
}

describe('delivery-hub admin (command line)', () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv();
  });
  after(async () => {
    await env.dispose();
  });

  /** Runs `delivery-hub admin <args>` in this process, on the test database. */
  async function admin(args: string[], vars: Record<string, string> = {}): Promise<Run> {
    const run: Run = { code: undefined, out: '', err: '' };
    const program = new Command().exitOverride().addCommand(adminCommand({
      config: () => ({ dataDir: env.dataDir, databaseUrl: env.databaseUrl, cashTimeoutMs: 5000 }),
      io: {
        out: (line) => {
          run.out += `${line}\n`;
        },
        err: (line) => {
          run.err += `${line}\n`;
        },
      },
      env: vars,
      setExitCode: (code) => {
        run.code = code;
      },
    }));
    await program.parseAsync(['admin', ...args], { from: 'user' });
    return run;
  }

  test('apply: the example, then again with nothing to change; a dry run first', async () => {
    const dry = await admin(['apply', '--dry-run', EXAMPLE]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^dry run: nothing was written\n {2}corporations: 1 created/);
    assert.equal((await admin(['corporations', 'list'])).out.trim(), '[]');

    const first = await admin(['apply', EXAMPLE]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^applied\n/);
    assert.match(first.out, /restaurants: 1 created, 0 updated, 0 unchanged\n/);
    const secret = /new connection "Example website": client_id=(\S+) client_secret=(\S+) /
      .exec(first.out);
    assert.ok(secret, first.out);

    const second = await admin(['apply', EXAMPLE]);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /^nothing to change/);
    assert.doesNotMatch(second.out, /client_secret|[1-9]\d* (created|updated|deleted)/);

    const shown = JSON.parse((await admin(['connections', 'show', secret[1] as string])).out);
    assert.equal(shown.name, 'Example website');
    assert.equal(JSON.stringify(shown).includes(secret[2] as string), false);
  });

  test('create, update and refuse with the option named', async () => {
    const created = await admin(['corporations', 'create', '--name', 'CLI chain',
      '--time-zone', 'Europe/Samara', '--order-processing', 'none']);
    assert.equal(created.code, 0, created.err);
    const corporation = JSON.parse(created.out);
    assert.equal(corporation.orderProcessing, 'none');

    const refused = await admin(['corporations', 'update', corporation.id,
      '--transfer-delay-sec', 'soon', '--time-zone', 'Samara']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^ERR_PARSE_REQUEST: /);
    assert.match(refused.err, /--transfer-delay-sec \(transferDelaySec\): must be a whole number/);
    assert.match(refused.err, /--time-zone \(timeZone\): must be an IANA time zone/);

    const restaurant = await admin(['restaurants', 'create', '--corporation', corporation.id,
      '--object-id', '199990600', '--name', 'CLI kitchen',
      '--station-url', 'https://10.0.0.5:16090/rk7api/v0/xmlinterface.xml',
      '--station-username', 'http-user', '--station-password-env', 'RK7_PASSWORD',
      '--station-id', '15001', '--cashier-id', '1001', '--table-id', '1',
      '--order-category-id', '3', '--void-reason-id', '1', '--delivery-dish-code', '105',
    ], { RK7_PASSWORD: 'from-the-environment' });
    assert.equal(restaurant.code, 0, restaurant.err);
    assert.doesNotMatch(restaurant.out, /from-the-environment/);
    const restaurantId = JSON.parse(restaurant.out).id as string;
    const store = await openStore({ dataDir: env.dataDir, databaseUrl: env.databaseUrl });
    try {
      const row = await store.db.selectFrom('restaurants').select('cashStation')
        .where('id', '=', restaurantId).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(row.cashStation).password, 'from-the-environment');
    } finally {
      await store.close();
    }

    const connection = await admin(['connections', 'create', '--corporation', corporation.id,
      '--name', 'Kiosk', '--restaurant', restaurantId]);
    assert.equal(connection.code, 0, connection.err);
    const { clientId, clientSecret } = JSON.parse(connection.out);
    assert.ok(clientSecret.length >= 40);
    const disabled = JSON.parse((await admin(['connections', 'disable', clientId])).out);
    assert.equal(disabled.enabled, false);
    const rotated = JSON.parse((await admin(['connections', 'rotate-secret', clientId])).out);
    assert.notEqual(rotated.clientSecret, clientSecret);
  });

  test('lists: currencies, stop list and zones from files; the embedded station is the hub\'s',
    async () => {
      await admin(['apply', EXAMPLE]);
      const currencies = await admin(['currencies', 'set', RESTAURANT,
        '16D72549-14D8-4F31-9E2A-0A833D4F5EED=Cash']);
      assert.equal(currencies.code, 0, currencies.err);
      assert.deepEqual(JSON.parse(currencies.out),
        [{ code: '16D72549-14D8-4F31-9E2A-0A833D4F5EED', name: 'Cash' }]);

      const file = path.join(env.dataDir, 'stop-list.json');
      await writeFile(file, JSON.stringify([{ externalId: '102' }, { externalId: '999' }]));
      const refused = await admin(['stop-list', 'set', RESTAURANT, file]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /\[1\]\.externalId: no such product/);
      await writeFile(file, JSON.stringify([{ externalId: '102', remaining: 3 }]));
      const stopped = JSON.parse((await admin(['stop-list', 'set', RESTAURANT, file])).out);
      assert.deepEqual(stopped.map((s: { externalId: string; remaining: number }) =>
        [s.externalId, s.remaining]), [['102', 3]]);

      const zones = JSON.parse((await admin(['zones', 'show', RESTAURANT])).out);
      assert.equal(zones[0].name, 'City centre');
      assert.equal(zones[0].deliveryPrice, 150);

      const station = await admin(['menu', 'import-station', RESTAURANT]);
      assert.equal(station.code, 1);
      assert.match(station.err, /embedded cash station.*admin API/s);
      const missing = await admin(['apply', path.join(env.dataDir, 'nope.json')]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /cannot read .*nope\.json: ENOENT/);
    });

  test('a chain file names secrets by environment variable; a missing one is refused',
    async () => {
      const doc = repoJson('examples/chain.example.json') as any;
      const restaurant = doc.corporations[0].restaurants[0];
      restaurant.cashStation = { ...restaurant.cashStation,
        url: 'https://10.0.0.7:16090/rk7api/v0/xmlinterface.xml', username: 'http-user',
        passwordEnv: 'RK7_PASSWORD_EXAMPLE' };
      doc.corporations[0].connections[0].clientSecretEnv = 'SHOP_SECRET';
      const file = path.join(env.dataDir, 'chain-env.json');
      await writeFile(file, JSON.stringify(doc));

      const refused = await admin(['apply', file], { SHOP_SECRET: 'shop-secret-value' });
      assert.equal(refused.code, 1);
      assert.match(refused.err,
        /corporations\[0\]\.restaurants\[0\]\.cashStation\.passwordEnv: environment variable/);

      const applied = await admin(['apply', '--json', file],
        { SHOP_SECRET: 'shop-secret-value', RK7_PASSWORD_EXAMPLE: 'station-password' });
      assert.equal(applied.code, 0, applied.err);
      const summary = JSON.parse(applied.out);
      assert.deepEqual(summary.counts.restaurants,
        { created: 0, updated: 1, unchanged: 0, deleted: 0 });
      assert.deepEqual(summary.newSecrets, [], 'a declared secret is not printed');
    });

  test('the installed entry point runs admin commands', async () => {
    const main = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js');
    const { stdout } = await promisify(execFile)(process.execPath, [main, 'admin',
      'corporations', 'list'], {
      env: { ...process.env, DATA_DIR: env.dataDir, DATABASE_URL: env.databaseUrl ?? '' },
    });
    const names = JSON.parse(stdout).map((c: { name: string }) => c.name);
    assert.ok(names.includes('Example chain'), stdout);
  });
});
