import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { cashErrorToHubError } from '../src/cash/cash-error-mapping.js';
import type { StationLineDraft, StationOrder } from '../src/cash/cash-station.js';
import { createRk7Connector } from '../src/cash/rk7/rk7-connector.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';
import {
  type CashHarness, cashRejection, cashTargets, createAtStation, demoDraft, silentLogger,
} from './helpers/cash-targets.js';

/**
 * The CashStation contract for changing and cancelling orders (`rk7-xml.md` §5.11, §5.12, §6.6):
 * voidOrder, updateOrder and setLines, against the simulator always and a real RK7 server when
 * RK7_URL is set. Cases needing the simulator's control surface run there only.
 */

for (const target of cashTargets()) {
  describe(`CashStation changes: ${target.name}`, { skip: target.skip }, () => {
    let h: CashHarness;
    const simOnly = target.simulated ? {} : { skip: 'needs the simulator' };
    const line = (code: string, quantity: number, price: number): StationLineDraft =>
      ({ code, quantity, price, modifiers: [] });
    const codes = (order: StationOrder | undefined) =>
      (order?.lines ?? []).map((l) => `${l.code}×${l.quantity}`).sort();

    before(async () => {
      h = await target.start();
    });
    beforeEach(async () => {
      await h.sim?.reset();
    });
    after(async () => {
      await h.stop();
    });

    test('voidOrder deletes an unpaid order; voiding it again is a success', async () => {
      const order = await createAtStation(h, demoDraft(h));

      await h.station.voidOrder(order.guid);
      assert.equal((await h.station.getOrder(order.guid))?.deleted, true);
      await h.station.voidOrder(order.guid);
      if (h.sim) {
        assert.equal(h.sim.commandCount('VoidOrder'), 1, 'the second void sent nothing');
        assert.equal(h.sim.getOrder(order.guid)?.orderSum, 0);
      }
    });

    test('voidOrder refuses a paid order and leaves it paid', async () => {
      const order = await createAtStation(h, demoDraft(h));
      await h.station.payOrder(order.guid, [{ currencyGuid: h.currencyGuid, amount: 97800 }]);

      const err = await cashRejection(h.station.voidOrder(order.guid));
      assert.equal(err.kind, 'refused');
      assert.equal(cashErrorToHubError(err, 'cancel').code, 'ERR_EXTERNAL_ERROR_WS');
      const after = await h.station.getOrder(order.guid);
      assert.equal(after?.paid, true);
      assert.equal(after?.deleted, false);
      if (h.sim) assert.equal(h.sim.commandCount('VoidOrder'), 0);
    });

    test('updateOrder changes the comment and the guest count', async () => {
      const order = await createAtStation(h, demoDraft(h));

      const updated = await h.station.updateOrder(order.guid, {
        comment: 'Delivery #1, 79000000009, Lenina 1', guests: 3,
      });
      assert.equal(updated.comment, 'Delivery #1, 79000000009, Lenina 1');
      assert.equal(updated.guests, 3);
      const commentOnly = await h.station.updateOrder(order.guid, { comment: 'Changed again' });
      assert.equal(commentOnly.comment, 'Changed again');
      assert.equal(commentOnly.guests, 3, 'what is left out stays');
      assert.equal(commentOnly.orderSum, 97800);
    });

    test('setLines voids removed lines and adds new ones in one session', async () => {
      const order = await createAtStation(h, demoDraft(h));

      const changed = await h.station.setLines(order.guid, {
        lines: [
          line(h.dishes.caesar, 1000, 40000),
          line(h.dishes.mors, 2000, 14400),
          line(h.dishes.pie, 3000, 9999),
        ],
        deliveryFee: 0,
      });
      assert.deepEqual(codes(changed),
        [`${h.dishes.caesar}×1000`, `${h.dishes.mors}×2000`, `${h.dishes.pie}×3000`].sort());
      assert.equal(changed.orderSum, 40000 + 28800 + 29997);
      assert.equal(changed.unpaidSum, 98797);
      assert.ok(changed.version > order.version, 'the station order moved on');
      if (h.sim) assert.equal(h.sim.commandCount('SaveOrder'), 2, 'fill, then one edit');
    });

    test('setLines with the lines the order has sends nothing', async () => {
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);

      const same = await h.station.setLines(order.guid, {
        lines: [...draft.lines].reverse(), deliveryFee: 0,
      });
      assert.equal(same.version, order.version);
      assert.equal(same.orderSum, 97800);
      if (h.sim) assert.equal(h.sim.commandCount('SaveOrder'), 1);
    });

    test('setLines adds and removes the delivery dish with the fee', async () => {
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);

      const withFee = await h.station.setLines(order.guid,
        { lines: draft.lines, deliveryFee: 15000 });
      assert.equal(withFee.orderSum, 97800 + 15000);
      assert.ok(codes(withFee).includes(`${h.config.deliveryFeeDishCode}×1000`));
      const withoutFee = await h.station.setLines(order.guid,
        { lines: draft.lines, deliveryFee: 0 });
      assert.equal(withoutFee.orderSum, 97800);
    });

    test('setLines refuses a paid order; nothing is sent', async () => {
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);
      await h.station.payOrder(order.guid, [{ currencyGuid: h.currencyGuid, amount: 97800 }]);

      const err = await cashRejection(h.station.setLines(order.guid, {
        lines: draft.lines.slice(1), deliveryFee: 0,
      }));
      assert.equal(err.kind, 'refused');
      assert.equal((await h.station.getOrder(order.guid))?.orderSum, 97800);
      if (h.sim) assert.equal(h.sim.commandCount('SaveOrder'), 1);
    });

    test('a voided line stays at the station in state 7 with its void', simOnly, async () => {
      const sim = h.sim as RunningSimulator;
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);
      const before = sim.getOrder(order.guid);

      await h.station.setLines(order.guid, { lines: draft.lines.slice(0, 2), deliveryFee: 0 });
      const after = sim.getOrder(order.guid);
      const dishes = (after?.sessions ?? []).flatMap((s) => s.lines)
        .flatMap((l) => (l.kind === 'dish' ? [l] : []));
      const mors = dishes.find((d) => d.menuIdent === 103);
      assert.equal(mors?.state, 7);
      assert.deepEqual(mors?.void, { reasonIdent: 1, quantity: 2000, authorIdent: 1001 });
      assert.equal(after?.orderSum, 69000);
      assert.equal(after?.version, (before?.version ?? 0) + 1);
      assert.equal(after?.sessions.length, 1, 'a void alone opens no session');
    });

    test('setLines repeated after a lost answer does not add twice', simOnly, async () => {
      const sim = h.sim as RunningSimulator;
      const draft = demoDraft(h);
      const order = await createAtStation(h, draft);
      const wanted = { lines: [...draft.lines, line('104', 1000, 9999)], deliveryFee: 0 };
      sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'SaveOrder' }, times: 1 });

      const err = await cashRejection(h.station.setLines(order.guid, wanted));
      assert.equal(err.kind, 'unknown');
      assert.equal(cashErrorToHubError(err, 'change').code, 'ERR_EXTERNAL_TIMEOUT_WS');
      const repeated = await h.station.setLines(order.guid, wanted);
      assert.equal(repeated.orderSum, 97800 + 9999);
      assert.equal(sim.commandCount('SaveOrder'), 2, 'the repeat found nothing left to do');
    });

    test('voidOrder whose answer was lost is found voided', simOnly, async () => {
      const sim = h.sim as RunningSimulator;
      const order = await createAtStation(h, demoDraft(h));
      sim.faults.add({ mode: 'dropAfterCommit', match: { cmd: 'VoidOrder' }, times: 1 });

      await h.station.voidOrder(order.guid);
      assert.equal(sim.getOrder(order.guid)?.deleted, true);
      assert.equal(sim.commandCount('VoidOrder'), 1);
    });

    test('an unknown void reason is a configuration failure', simOnly, async () => {
      const order = await createAtStation(h, demoDraft(h));
      const misconfigured = createRk7Connector({ ...h.config, voidReasonId: 99 },
        { logger: silentLogger });
      try {
        const err = await cashRejection(misconfigured.voidOrder(order.guid));
        assert.equal(err.kind, 'config');
        assert.equal(cashErrorToHubError(err, 'cancel').code, 'ERR_EXTERNAL_CONFIG_WS');
      } finally {
        await misconfigured.close();
      }
      assert.equal((await h.station.getOrder(order.guid))?.deleted, false);
    });

    test('updateOrder of a deleted order is refused', simOnly, async () => {
      const order = await createAtStation(h, demoDraft(h));
      await h.station.voidOrder(order.guid);

      const err = await cashRejection(h.station.updateOrder(order.guid, { guests: 2 }));
      assert.equal(err.kind, 'refused');
      assert.equal(err.text, 'order is deleted');
    });
  });
}
