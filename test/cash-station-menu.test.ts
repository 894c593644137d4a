import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { CashStationError } from '../src/cash/cash-station.js';
import type { CashStationConfig } from '../src/cash/cash-station.js';
import { createRk7Client } from '../src/cash/rk7/rk7-client.js';
import { createRk7Connector } from '../src/cash/rk7/rk7-connector.js';
import { getOrderMenuRequest, readOrderMenuPrices } from '../src/cash/rk7/rk7-menu-wire.js';
import { buildRk7Query } from '../src/cash/rk7/xml-protocol.js';
import { type RunningSimulator, startSimulator } from '../src/simulator/start-simulator.js';

const silent = pino({ level: 'silent' });

describe('CashStation.menu through the RK7 connector (simulator)', () => {
  let sim: RunningSimulator;
  let config: CashStationConfig;
  before(async () => {
    sim = await startSimulator({ username: 'cashier', password: 'menu-secret' });
    config = {
      url: sim.url, username: 'cashier', password: 'menu-secret', tlsInsecure: false,
      stationId: 15001, cashierId: 1001, tableId: 1, orderCategoryId: 3, voidReasonId: 1,
      deliveryFeeDishCode: '105', timeoutMs: 5000,
    };
  });
  after(async () => {
    await sim.close();
  });

  test('dishes and modifiers with codes, names, GUIDs and the station\'s prices', async () => {
    const station = createRk7Connector(config, { logger: silent });
    try {
      const menu = await station.menu();

      assert.deepEqual(menu.dishes.map((d) => [d.code, d.name, d.price, d.qntDecDigits]), [
        ['101', 'Caesar salad', 40000, 0], ['102', 'Borscht', 29000, 0],
        ['103', 'Cranberry mors', 14400, 0], ['104', 'Pie', 9999, 0],
        ['105', 'Delivery', 15000, 0], ['106', 'Shashlik (per kg)', 120000, 3],
      ]);
      assert.equal(menu.dishes[0]?.guid, '1A950927-028B-46BA-84F8-53A3CFABF23F');
      assert.deepEqual(menu.modifiers.map((m) => [m.code, m.price]),
        [['201', 0], ['202', 0], ['203', 5000]]);
      for (const cmd of ['GetRefData', 'GetOrderMenu']) {
        assert.ok(sim.commandCount(cmd) >= 1, cmd);
      }
    } finally {
      await station.close();
    }
  });

  test('an unknown till is refused by the station, not read as an empty menu', async () => {
    const station = createRk7Connector({ ...config, stationId: 99999 }, { logger: silent });
    try {
      const err = await station.menu().then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof CashStationError, String(err));
      assert.match(err.text, /99999.*Cashes/);
    } finally {
      await station.close();
    }
  });

  test('GetOrderMenu on the wire: Item Ident and Price per list; Station required', async () => {
    const client = createRk7Client(config, silent);
    try {
      const req = getOrderMenuRequest(15002);
      assert.match(req.xml, /<RK7CMD CMD="GetOrderMenu"><Station id="15002"\/><\/RK7CMD>/);
      const prices = readOrderMenuPrices(await client.call(req));
      assert.equal(prices.dishes.get(106), 120000);
      assert.equal(prices.modifiers.get(203), 5000);

      const bare = buildRk7Query('GetOrderMenu', { mutating: false });
      const refused = await client.exchange(bare);
      assert.equal(refused.status, 'Query Executing Error');
      assert.equal(refused.errorText, 'Error: child element "Station" not found');
    } finally {
      await client.close();
    }
  });
});
