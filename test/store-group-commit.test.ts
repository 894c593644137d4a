import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';

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
