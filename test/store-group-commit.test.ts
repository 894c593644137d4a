import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';
import { coalesced, fileWalSync } from '../src/store/wal-sync.js';

interface Tables {
  items: { id: number; name: string };
}

describe('SQLite group commit', () => {
  let dir = '';
  let file = '';
  let db: Kysely<Tables>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-group-commit-'));
    file = path.join(dir, 'group.sqlite');
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    db = new Kysely<Tables>({ dialect: new GroupCommitSqliteDialect(sqlite) });
    await sql`create table items (id integer primary key, name text not null unique)`.execute(db);
  });

  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test('concurrent transactions commit; a failing one undoes only its own writes', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: i + 1, name: `item ${i}` }).execute();
        if (i % 10 === 3) throw new Error(`member ${i} fails`);
        await trx.insertInto('items').values({ id: 1000 + i, name: `second ${i}` }).execute();
      })));

    assert.equal(results.filter((r) => r.status === 'rejected').length, 5);
    const rows = await db.selectFrom('items').select('id').orderBy('id').execute();
    const expected = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 10 !== 3)
      .flatMap((i) => [i + 1, 1000 + i]).sort((a, b) => a - b);
    assert.deepEqual(rows.map((r) => r.id), expected);
  });

  test('a write outside a transaction that fails rejects its caller alone', async () => {
    const [ok, duplicate, other] = await Promise.allSettled([
      db.insertInto('items').values({ id: 5000, name: 'single a' }).execute(),
      db.insertInto('items').values({ id: 5001, name: 'single a' }).execute(),
      db.insertInto('items').values({ id: 5002, name: 'single b' }).execute(),
    ]);

    assert.equal(ok?.status, 'fulfilled');
    assert.equal(duplicate?.status, 'rejected');
    assert.equal(other?.status, 'fulfilled');
  });

  test('a write is acknowledged only once it is committed for every reader', async () => {
    const acknowledged = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      db.insertInto('items').values({ id: 6000 + i, name: `late ${i}` }).execute()
        .then(() => {
          const other = new SqliteDatabase(file, { readonly: true });
          try {
            return other.prepare('select count(*) as n from items where id = ?').get(6000 + i);
          } finally {
            other.close();
          }
        })));

    assert.deepEqual(acknowledged, Array.from({ length: 20 }, () => ({ n: 1 })));
  });
});

describe('SQLite group commit with the log synced off the event loop', () => {
  let dir = '';
  let sqlite: SqliteDatabase.Database;
  let db: Kysely<Tables>;
  /** Syncs asked for and not yet let through by the test. */
  const pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  let synced = 0;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-sync-'));
    sqlite = new SqliteDatabase(path.join(dir, 'wal.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    const walSync = {
      sync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }))
        .then(() => void synced++),
      close: async () => undefined,
    };
    db = new Kysely<Tables>({ dialect: new GroupCommitSqliteDialect(sqlite, { walSync }) });
    const created = sql`create table items (id integer primary key, name text not null)`
      .execute(db);
    await waitFor(() => pending.length === 1);
    pending.shift()?.resolve();
    await created;
  });

  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test('nobody is answered before the log of their group is synced', async () => {
    let answered = 0;
    const writes = Array.from({ length: 5 }, (_, i) =>
      db.insertInto('items').values({ id: 100 + i, name: 'x' }).execute().then(() => answered++));

    await waitFor(() => pending.length === 1);
    assert.equal(answered, 0, 'committed, not yet synced: nobody answered');
    const stored = sqlite.prepare('select count(*) as n from items').get() as { n: number };
    assert.equal(stored.n, 5, 'the group is committed');

    const before = synced;
    pending.shift()?.resolve();
    await Promise.all(writes);
    assert.equal(answered, 5);
    assert.equal(synced, before + 1, 'one sync for the whole group');
  });

  test('a failed sync fails every member of its group', async () => {
    const writes = Array.from({ length: 3 }, (_, i) => db.transaction().execute((trx) =>
      trx.insertInto('items').values({ id: 200 + i, name: 'y' }).execute()));

    await waitFor(() => pending.length === 1);
    pending.shift()?.reject(new Error('EIO'));
    const results = await Promise.allSettled(writes);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
  });
});

describe('syncing the SQLite log file', () => {
  test('calls during a running sync share one more sync after it', async () => {
    const releases: (() => void)[] = [];
    let runs = 0;
    const sync = coalesced(() => {
      runs++;
      return new Promise<void>((resolve) => releases.push(resolve));
    });

    const first = sync();
    const later = [sync(), sync(), sync()];
    assert.equal(runs, 1, 'the later calls wait for the run in progress');
    releases.shift()?.();
    await first;
    await waitFor(() => runs === 2);
    releases.shift()?.();
    await Promise.all(later);
    assert.equal(runs, 2);
  });

  test('the log file of a real database is synced', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-file-'));
    const sqlite = new SqliteDatabase(path.join(dir, 'f.sqlite'));
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.exec('create table t (x integer)');
      const walSync = fileWalSync(path.join(dir, 'f.sqlite'));
      await Promise.all([walSync.sync(), walSync.sync()]);
      await walSync.close();
    } finally {
      sqlite.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(condition(), 'condition reached');
}
