import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { cashErrorToHubError } from '../src/cash/cash-error-mapping.js';
import type { StationOrderDraft } from '../src/cash/cash-station.js';
import { createRk7Connector } from '../src/cash/rk7/rk7-connector.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';
import {
  type CashHarness, cashRejection, cashTargets, createAtStation, demoDraft, silentLogger,
} from './helpers/cash-targets.js';

/**
 * One contract for the CashStation port, run against the RK7 connector talking to the
 * simulator always, and to a real RK7 cash server when RK7_URL and its companions are set.
 * Cases that need the simulator's control surface (faults, counters, exact names) run there only.
 */

for (const target of cashTargets()) {
  describe(`CashStation contract: ${target.name}`, { skip: target.skip }, () => {
    let h: CashHarness;
    const simOnly = target.simulated ? {} : { skip: 'needs the simulator' };

    before(async () => {
      h = await target.start();
    });
    beforeEach(async () => {
      await h.sim?.reset();
    });
    after(async () => {
      await h.stop();
    });

    test('systemInfo names the restaurant and the shift date', async () => {
      const info = await h.station.systemInfo();

      assert.ok(Number.isInteger(info.restCode) && info.restCode > 0);
      assert.match(info.shiftDate, /^\d{4}-\d{2}-\d{2}$/);
      if (target.simulated) {
        assert.equal(info.restCode, 199990147);
        assert.equal(info.netName, 'SIM-CASH');
        assert.equal(info.serverVersion, '7.6.4.483');
      }
    });

    test('createOrder fills the order: the demo order is 978.00', async () => {
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);

      assert.equal(order.guid, draft.guid);
      assert.equal(order.orderSum, 97800);
      assert.equal(order.unpaidSum, 97800);
      assert.equal(order.paid, false);
      assert.deepEqual(order.lines.map((l) => [l.code, l.quantity, l.price]), [
        [h.dishes.caesar, 1000, 40000],
        [h.dishes.borscht, 1000, 29000],
        [h.dishes.mors, 2000, 14400],
      ]);
      if (target.simulated) {
        assert.equal(order.orderName, '1.73');
        assert.equal(order.orderIdent, 256);
        assert.equal(order.visit, 356255787);
      }
    });

    test('createOrder twice with one draft makes one order', async () => {
      const draft = demoDraft(h);
      const first = await createAtStation(h, draft);
      const second = await h.station.createOrder(draft);

      assert.equal(second.guid, first.guid);
      assert.equal(second.orderName, first.orderName);
      assert.equal(second.visit, first.visit);
      assert.equal(second.lines.length, 3);
      assert.equal(second.orderSum, 97800);
      if (h.sim) {
        assert.equal(h.sim.commandCount('CreateOrder'), 1);
        assert.equal(h.sim.commandCount('SaveOrder'), 1);
      }
    });

    test('createOrder adds the delivery fee and modifiers as lines', simOnly, async () => {
      const draft: StationOrderDraft = {
        ...demoDraft(h),
        lines: [{
          code: h.dishes.caesar, quantity: 1000, price: 40000,
          modifiers: [{ code: '203', count: 1, price: 5000 }],
        }],
        deliveryFee: 15000,
      };
      const order = await createAtStation(h, draft);

      assert.equal(order.orderSum, 40000 + 5000 + 15000);
      assert.deepEqual(order.lines.map((l) => l.code),
        [h.dishes.caesar, '203', h.config.deliveryFeeDishCode]);
    });

    test('getOrder of an unknown GUID is undefined', async () => {
      assert.equal(await h.station.getOrder(randomUUID().toUpperCase()), undefined);
    });

    test('a short payment is refused with [3373]', async () => {
      const order = await createAtStation(h, demoDraft(h));

      const err = await cashRejection(h.station.payOrder(order.guid, [
        { currencyGuid: h.currencyGuid, amount: 97700 },
      ]));
      assert.equal(err.kind, 'refused');
      assert.equal(err.rk7ErrorN, 3373);
      if (target.simulated) {
        assert.equal(err.text, 'There is not enough money to fully pay the order.');
        assert.equal(cashErrorToHubError(err, 'pay').message,
          'WS error: Error code: WsaOrderError. RkInternal: Cash station [3373] '
          + 'There is not enough money to fully pay the order.');
      }
      assert.equal((await h.station.getOrder(order.guid))?.paid, false);
    });

    test('the exact payment pays and closes the order', async () => {
      const order = await createAtStation(h, demoDraft(h));

      const paid = await h.station.payOrder(order.guid, [
        { currencyGuid: h.currencyGuid, amount: 97800 },
      ]);
      assert.equal(paid.paid, true);
      assert.equal(paid.finished, true);
      assert.equal(paid.unpaidSum, 0);
      assert.deepEqual(paid.payments, [{ currencyGuid: h.currencyGuid, amount: 97800 }]);
    });

    test('closing an unpaid order is refused with [3071]', async () => {
      const order = await createAtStation(h, demoDraft(h));

      const err = await cashRejection(h.station.closeOrder(order.guid));
      assert.equal(err.kind, 'refused');
      if (target.simulated) {
        assert.equal(err.rk7ErrorN, 3071);
        assert.equal(err.text, 'Cannot save order 1.73, it is not fully paid');
        const hub = cashErrorToHubError(err, 'complete');
        assert.equal(hub.code, 'rk7_close_order');
        assert.equal(hub.message,
          'RkInternal: Cash station [3071] Cannot save order 1.73, it is not fully paid');
      }
    });

    test('closing a paid order succeeds without paying again', async () => {
      const order = await createAtStation(h, demoDraft(h));
      await h.station.payOrder(order.guid, [{ currencyGuid: h.currencyGuid, amount: 97800 }]);

      const closed = await h.station.closeOrder(order.guid);
      assert.equal(closed.paid, true);
      assert.equal(closed.finished, true);
      if (h.sim) assert.equal(h.sim.commandCount('PayOrder'), 1);
    });

    test('kopecks stay exact: 104 × 3 = 299.97 paid exactly', async () => {
      const order = await createAtStation(h, {
        ...demoDraft(h),
        lines: [{ code: h.dishes.pie, quantity: 3000, price: 9999, modifiers: [] }],
      });
      assert.equal(order.orderSum, 29997);

      const paid = await h.station.payOrder(order.guid, [
        { currencyGuid: h.currencyGuid, amount: 29997 },
      ]);
      assert.equal(paid.paid, true);
      assert.equal(paid.unpaidSum, 0);
    });

    test('wrong credentials are a configuration failure', async () => {
      const wrong = createRk7Connector({ ...h.config, password: `${h.config.password}-wrong` },
        { logger: silentLogger });
      try {
        const err = await cashRejection(wrong.systemInfo());
        assert.equal(err.kind, 'config');
        assert.equal(cashErrorToHubError(err, 'read').code, 'ERR_EXTERNAL_CONFIG_WS');
      } finally {
        await wrong.close();
      }
    });

    test('a refused connection is unavailability', simOnly, async () => {
      const closed = createRk7Connector(
        { ...h.config, url: `http://127.0.0.1:${await closedPort()}/rk7api/v0/xmlinterface.xml` },
        { logger: silentLogger },
      );
      try {
        const err = await cashRejection(closed.getOrder(randomUUID()));
        assert.equal(err.kind, 'unavailable');
        assert.equal(err.wsCode, 'WsaHttpRequest');
      } finally {
        await closed.close();
      }
    });

    test('an unanswered PayOrder has an unknown outcome; nothing was paid', simOnly, async () => {
      const sim = h.sim as RunningSimulator;
      const order = await createAtStation(h, demoDraft(h));
      const impatient = createRk7Connector({ ...h.config, timeoutMs: 200 },
        { logger: silentLogger });
      sim.faults.add({ mode: 'hang', match: { cmd: 'PayOrder' }, times: 1, params: { ms: 5_000 } });
      try {
        const started = Date.now();
        const err = await cashRejection(impatient.payOrder(order.guid, [
          { currencyGuid: h.currencyGuid, amount: 97800 },
        ]));
        assert.equal(err.kind, 'unknown');
        assert.equal(cashErrorToHubError(err, 'pay').code, 'ERR_EXTERNAL_TIMEOUT_WS');
        assert.ok(Date.now() - started < 3_000, 'the connector gave up at its timeout');
      } finally {
        await impatient.close();
      }

      assert.equal((await h.station.getOrder(order.guid))?.paid, false);
      assert.equal(sim.commandCount('PayOrder'), 1);
    });

    test('an order locked at the station (2219) is a retryable lock', simOnly, async () => {
      const sim = h.sim as RunningSimulator;
      const order = await createAtStation(h, demoDraft(h));
      sim.faults.add({
        mode: 'decline', match: { cmd: 'PayOrder' },
        params: { rk7ErrorN: 2219, text: 'Cannot lock the order: it is locked with another key' },
      });

      const err = await cashRejection(h.station.payOrder(order.guid, [
        { currencyGuid: h.currencyGuid, amount: 97800 },
      ]));
      assert.equal(err.kind, 'locked');
      assert.equal(err.rk7ErrorN, 2219);
      const hub = cashErrorToHubError(err, 'pay');
      assert.equal(hub.code, 'ERR_EXTERNAL_LOCKED_WS');
      assert.ok((hub.retryAfterSec ?? 0) > 0);
    });
  });
}

/** A port nobody listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}
