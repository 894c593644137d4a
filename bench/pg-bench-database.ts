import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throw-away PostgreSQL database for one benchmark scenario. */
export interface PgBenchDatabase {
  url: string;
  version(): Promise<string>;
  drop(): Promise<void>;
}

/** Creates `dh_bench_<random>` on the server of `adminUrl` (a `postgres://` admin database). */
export async function createBenchDatabase(adminUrl: string): Promise<PgBenchDatabase> {
  const name = `dh_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));

  return {
    url: url.toString(),
    version: () => withClient(adminUrl, async (client) =>
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
        .rows[0]?.v ?? '?'),
    drop: () => withClient(adminUrl, async (client) => {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
        + 'WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    }),
  };
}

/** Whether a PostgreSQL server answers at `url`. */
export async function postgresAnswers(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
