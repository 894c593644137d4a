import assert from 'node:assert/strict';
import fs, { openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSeedState } from '../src/simulator/seed-fixtures.js';
import { StateStore } from '../src/simulator/state-store.js';

/** The simulator's journal descriptor after a failed close (found in review). */

const realClose = fs.closeSync;

test('a failed close of the journal never sends later lines to a reused descriptor', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-journal-close-'));
  try {
    const store = new StateStore(path.join(dir, 'state.json'));
    const seed = () => createSeedState({ numOnTableSeed: 1, now: new Date() });
    const state = seed();
    await store.save(state);
    await store.save(state);

    // close(2) failing with EIO: Linux has freed the descriptor's number all the same.
    fs.closeSync = (fd: number) => {
      realClose(fd);
      throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' });
    };
    syncBuiltinESMExports();
    const reset = seed();
    try {
      // A new state is snapshot whole, which closes the journal.
      await assert.rejects(store.save(reset), /EIO/);
    } finally {
      fs.closeSync = realClose;
      syncBuiltinESMExports();
    }

    const otherPath = path.join(dir, 'unrelated.db');
    const other = openSync(otherPath, 'w');
    try {
      await store.save(reset).catch(() => undefined);
      assert.equal(readFileSync(otherPath, 'utf8'), '', 'no journal line in another file');
    } finally {
      realClose(other);
    }
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
