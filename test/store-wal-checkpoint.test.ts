import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES } from '../src/store/wal-checkpointer.js';

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
