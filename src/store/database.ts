import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CamelCasePlugin, Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import { initialMigration } from './migrations/0001-initial.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (`hub.sqlite`); `:memory:` is not offered, durability is the point. */
  dataDir: string;
  /** Largest number of pooled PostgreSQL connections. */
  poolSize?: number;
}

export interface Store {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

// int8 (counts, sums, bigint columns) arrives as text from pg; every such value the hub keeps is a
// safe integer, so it is read as a number, as SQLite gives it.
pg.types.setTypeParser(20, (value) => Number(value));

/** Opens the database, runs pending migrations and returns it ready to use. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: DialectName = options.databaseUrl?.startsWith('postgres') ? 'postgres' : 'sqlite';
  const db = dialect === 'postgres'
    ? postgresDb(options.databaseUrl as string, options.poolSize ?? 10)
    : sqliteDb(options.dataDir);

  await migrate(db, dialect);
  return { db, dialect, close: () => db.destroy() };
}

function sqliteDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = new SqliteDatabase(path.join(dataDir, 'hub.sqlite'));
  // WAL with synchronous=FULL: an acknowledged commit survives a power cut.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: file }),
    plugins: [new CamelCasePlugin()],
  });
}

function postgresDb(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
  });
}

async function migrate(db: Db, dialect: DialectName): Promise<void> {
  const migrations: Record<string, Migration> = {
    '0001-initial': initialMigration(dialect),
  };
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });

  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, {
      cause: error,
    });
  }
}
