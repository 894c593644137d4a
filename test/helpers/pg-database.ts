import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throw-away PostgreSQL database made for one test suite. */
export interface TestDatabase {
  /** Connection URL of the new database (the admin URL with the database name replaced). */
  url: string;
  /** Ends every connection still open to the database, then drops it. Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, empty PostgreSQL database `dh_test_<random>` when `TEST_DATABASE_URL` (a
 * `postgres://` URL to an admin database such as `postgres`) is set; returns `undefined`
 * otherwise, and the suite then runs on SQLite.
 *
 * One database per suite keeps suites independent when the runner runs files in parallel.
 */
export async function createTestDatabase(
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestDatabase | undefined> {
  const adminUrl = env.TEST_DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') return undefined;

  const name = `dh_test_${randomBytes(6).toString('hex')}`;
  const url = databaseUrl(adminUrl, name);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));

  let dropped = false;
  return {
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(adminUrl, async (client) => {
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity'
            + ' WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        // FORCE (PostgreSQL 13+) also ends connections a pool opens after the terminate above.
        const { rows } = await client.query<{ v: string }>(
          "SELECT current_setting('server_version_num') AS v",
        );
        const force = Number(rows[0]?.v) >= 130000 ? ' WITH (FORCE)' : '';
        await client.query(`DROP DATABASE IF EXISTS "${name}"${force}`);
      });
    },
  };
}

/** The admin URL pointing at database `name`; user, password, host and options are kept. */
function databaseUrl(adminUrl: string, name: string): string {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw new Error('TEST_DATABASE_URL is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`TEST_DATABASE_URL must be a postgres:// URL, not ${url.protocol}//…`);
  }
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
