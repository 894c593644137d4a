import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import { CamelCaseRowsPlugin, readNow } from '../src/store/direct-read.js';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';

interface Tables {
  items: { id: number; itemName: string };
}

describe('SQLite reads without Kysely (direct-read.ts)', () => {
  let dir = '';
  let db: Kysely<Tables>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-direct-read-'));
    const sqlite = new SqliteDatabase(path.join(dir, 'direct.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    db = new Kysely<Tables>({
      dialect: new GroupCommitSqliteDialect(sqlite), plugins: [new CamelCaseRowsPlugin()],
    });
    await sql`create table items (id integer primary key, item_name text not null)`.execute(db);
    await db.insertInto('items').values({ id: 1, itemName: 'one' }).execute();
  });

  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const byId = (executor: Kysely<Tables>, id: number) =>
    executor.selectFrom('items').selectAll().where('id', '=', id).compile();

  test('a free connection answers at once, renamed as Kysely renames', async () => {
    assert.deepEqual(readNow(db, byId(db, 1)), [{ id: 1, itemName: 'one' }]);
    assert.deepEqual(readNow(db, byId(db, 1)), (await db.executeQuery(byId(db, 1))).rows);
  });

  test('not inside a transaction, nor while one holds the connection', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('items').set({ itemName: 'changed' }).where('id', '=', 1).execute();
      const inside = trx as unknown as Kysely<Tables>;
      assert.equal(readNow(inside, byId(inside, 1)), undefined);
      assert.equal(readNow(db, byId(db, 1)), undefined, 'the connection is held');
      throw new Error('roll back');
    }).catch(() => undefined);
    assert.deepEqual(readNow(db, byId(db, 1)), [{ id: 1, itemName: 'one' }]);
  });

  test('not for writes, nor under other plugins', () => {
    const write = db.deleteFrom('items').where('id', '=', 1).compile();
    assert.equal(readNow(db, write), undefined);
    const plain = db.withoutPlugins().withPlugin(new CamelCasePlugin());
    assert.equal(readNow(plain, byId(plain, 1)), undefined);
  });
});
