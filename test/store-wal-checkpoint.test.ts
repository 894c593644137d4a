import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import pino from 'pino';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '../src/store/wal-checkpointer.js';

interface Tables {
  blobs: { id: number; body: string };
}

describe('SQLite WAL checkpoints off the event loop', () => {
  let dir = '';
  let file = '';
  let sqlite: SqliteDatabase.Database;
  let db: Kysely<Tables>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-checkpoint-'));
    file = path.join(dir, 'wal.sqlite');
    sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    db = new Kysely<Tables>({ dialect: new GroupCommitSqliteDialect(sqlite) });
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
  });

  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test('the committing connection leaves checkpoints to the worker', () => {
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }),
      BACKSTOP_AUTOCHECKPOINT_PAGES);
  });

  test('committed pages reach the database file without a checkpoint on this thread', async () => {
    const before = statSync(file).size;
    // ~2 MB, below the committing connection's own threshold: only the worker copies it.
    for (let i = 0; i < 40; i++) {
      await db.insertInto('blobs').values({ id: i + 1, body: 'x'.repeat(50_000) }).execute();
    }

    let size = statSync(file).size;
    for (let waited = 0; size < before + 2_000_000 && waited < 5_000; waited += 50) {
      await sleep(50);
      size = statSync(file).size;
    }
    assert.ok(size >= before + 2_000_000, `database file ${size} bytes, was ${before}`);
    const count = await db.selectFrom('blobs').select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 40);
  });
});

describe('a failing WAL checkpoint worker', () => {
  test('is logged at error level and started again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-failing-'));
    const failing = path.join(dir, 'failing-worker.mjs');
    await writeFile(failing, "throw new Error('checkpoint worker broke');\n");
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'error' }, {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });

    const checkpointer = WalCheckpointer.start(path.join(dir, 'none.sqlite'), {
      logger, workerUrl: pathToFileURL(failing), restartDelayMs: 10,
    });
    try {
      // Two reports: the first failure, and the failure of the worker started again after it.
      for (let waited = 0; lines.length < 2 && waited < 10_000; waited += 20) await sleep(20);
    } finally {
      await checkpointer.stop();
    }

    assert.ok(lines.length >= 2, `${lines.length} failure(s) logged`);
    const [first, second] = lines;
    assert.equal(first?.level, 50);
    assert.equal(first?.component, 'sqlite');
    assert.equal(first?.msg, 'WAL checkpoint worker stopped; restarting it');
    assert.match(String((first?.err as { message?: string } | undefined)?.message),
      /checkpoint worker broke/);
    assert.equal(first?.retryInMs, 10);
    assert.equal(second?.retryInMs, 20, 'the delay grows after each failure');
    await rm(dir, { recursive: true, force: true });
  });
});
