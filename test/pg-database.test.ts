import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from './helpers/pg-database.js';

const skip = process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set (SQLite run)';

describe('createTestDatabase', () => {
  it('returns undefined when TEST_DATABASE_URL is not set', async () => {
    assert.equal(await createTestDatabase({}), undefined);
  });

  it('rejects a URL that is not postgres://', async () => {
    await assert.rejects(createTestDatabase({ TEST_DATABASE_URL: 'mysql://localhost/x' }),
      /postgres:\/\//);
  });

  it('creates an empty database and drops it even with connections open', { skip }, async () => {
    const database = await createTestDatabase();
    assert.ok(database);
    assert.match(new URL(database.url).pathname, /^\/dh_test_[0-9a-f]{12}$/);

    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const { rows } = await pool.query<{ name: string }>('SELECT current_database() AS name');
    assert.equal(`/${rows[0]?.name}`, new URL(database.url).pathname);
    pool.on('error', () => {});

    await database.drop();
    await database.drop();
    await assert.rejects(pool.query('SELECT 1'));
    await pool.end().catch(() => {});
  });
});
