import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { StationOrderDraft } from '../src/cash/cash-station.js';
import { createRk7Connector } from '../src/cash/rk7/rk7-connector.js';
import type { Rk7Connector } from '../src/cash/rk7/rk7-connector.js';
import { startSimulator } from '../src/simulator/start-simulator.js';
import { StateStore } from '../src/simulator/state-store.js';
import type { RunningSimulator } from '../src/simulator/start-simulator.js';

const USER = 'cashier';
const PASSWORD = 'persist-secret';

function connectorFor(sim: RunningSimulator): Rk7Connector {
  return createRk7Connector({
    url: sim.url, username: USER, password: PASSWORD, tlsInsecure: false, stationId: 15001,
    cashierId: 1001, tableId: 1, orderCategoryId: 3, voidReasonId: 1, deliveryFeeDishCode: '105',
    timeoutMs: 5_000,
  }, { logger: pino({ level: 'silent' }) });
}

function draft(): StationOrderDraft {
  return {
    guid: randomUUID().toUpperCase(), hubOrderId: '1', guests: 1, comment: '', deliveryFee: 0,
    lines: [{ code: '104', quantity: 3000, price: 9999, modifiers: [] }],
  };
}

/** Runs `work` against a simulator on `stateFile` and closes everything afterwards. */
async function withSimulator<T>(
  stateFile: string,
  work: (sim: RunningSimulator, station: Rk7Connector) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({ username: USER, password: PASSWORD, stateFile });
  const station = connectorFor(sim);
  try {
    return await work(sim, station);
  } finally {
    await station.close();
    await sim.close();
  }
}

describe('simulator state file', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rk7-sim-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('orders, counters and payments survive a restart', async () => {
    const file = path.join(dir, 'nested', 'state.json');
    const first = draft();
    await withSimulator(file, async (_sim, station) => {
      await station.createOrder(first);
      await station.payOrder(first.guid, [
        { currencyGuid: '16D72549-14D8-4F31-9E2A-0A833D4F5EED', amount: 29997 },
      ]);
    });

    await withSimulator(file, async (sim, station) => {
      const kept = await station.getOrder(first.guid);
      assert.equal(kept?.orderName, '1.73');
      assert.equal(kept?.orderSum, 29997);
      assert.equal(kept?.paid, true);
      assert.equal(sim.getOrder(first.guid)?.checks.length, 1);

      const next = await station.createOrder(draft());
      assert.equal(next.orderName, '1.74');
      assert.equal(next.visit, 356255788);
    });

    const leftovers = (await readdir(path.dirname(file))).filter((f) => f !== 'state.json');
    assert.deepEqual(leftovers, [], 'no temporary files left behind');
  });

  test('every change is on disk before the reply', async () => {
    const file = path.join(dir, 'immediate.json');
    await withSimulator(file, async (_sim, station) => {
      const order = draft();
      await station.createOrder(order);
      await station.payOrder(order.guid, [
        { currencyGuid: '16D72549-14D8-4F31-9E2A-0A833D4F5EED', amount: 29997 },
      ]);

      // What another process would read from the files now (snapshot and journal).
      const saved = await new StateStore(file).load();
      assert.deepEqual([...saved?.orders.keys() ?? []], [order.guid]);
      assert.equal(saved?.orders.get(order.guid)?.paid, true);
    });
    const folded = JSON.parse(await readFile(file, 'utf8')) as { orders: { guid: string }[] };
    assert.equal(folded.orders.length, 1, 'the journal is folded into the file at close');
  });

  test('a save appends what changed to the journal beside the snapshot', async () => {
    const file = path.join(dir, 'journal.json');
    await withSimulator(file, async (_sim, station) => {
      for (let i = 0; i < 5; i += 1) await station.createOrder(draft());
      const snapshot = JSON.parse(await readFile(file, 'utf8')) as { orders: unknown[] };
      assert.equal(snapshot.orders.length, 0, 'the snapshot of the start');
      const journal = (await readdir(path.dirname(file))).filter((f) => f.endsWith('.journal'));
      assert.equal(journal.length, 1);
    });

    await withSimulator(file, async (_sim, station) => {
      assert.equal((await station.createOrder(draft())).orderName, '1.78');
    });
  });

  test('a journal line cut short by a crash is ignored', async () => {
    const file = path.join(dir, 'torn.json');
    const first = draft();
    await withSimulator(file, async (_sim, station) => {
      await station.createOrder(first);
    });
    const saved = JSON.parse(await readFile(file, 'utf8')) as { journalSequence: number };
    await writeFile(`${file}.${saved.journalSequence}.journal`, '{"head":{"globalVer');

    await withSimulator(file, async (_sim, station) => {
      assert.equal((await station.getOrder(first.guid))?.orderName, '1.73');
    });
  });

  test('reset starts a fresh station and saves it', async () => {
    const file = path.join(dir, 'reset.json');
    await withSimulator(file, async (sim, station) => {
      await station.createOrder(draft());
      await sim.reset();
    });

    await withSimulator(file, async (_sim, station) => {
      assert.equal((await station.createOrder(draft())).orderName, '1.73');
    });
  });

  test('a state file of another format is refused rather than guessed at', async () => {
    const file = path.join(dir, 'foreign.json');
    await writeFile(file, JSON.stringify({ formatVersion: 99 }));

    await assert.rejects(startSimulator({ username: USER, password: PASSWORD, stateFile: file }),
      /format 99/);
  });
});
