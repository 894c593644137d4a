import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, sql,
} from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { CamelCaseRowsPlugin } from './direct-read.js';
import { GroupCommitSqliteDialect } from './group-commit-sqlite.js';
import { initialMigration } from './migrations/0001-initial.js';
import { menuMigration } from './migrations/0002-menu.js';
import { rejectionMigration } from './migrations/0003-rejection.js';
import { geoMigration } from './migrations/0004-geo.js';
import { journalMigration } from './migrations/0005-journal.js';
import { eventsMigration } from './migrations/0006-events.js';
import { searchIndexMigration } from './migrations/0007-search-index.js';
import { chainStampMigration } from './migrations/0008-chain-stamp.js';
import { eventPositionsMigration } from './migrations/0009-event-positions.js';
import { openOrdersIndexMigration } from './migrations/0010-open-orders-index.js';
import { discountsExternalIdMigration } from './migrations/0011-discounts-external-id.js';
import { webhookPauseMigration } from './migrations/0012-webhook-pause.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (`hub.sqlite`); no `:memory:`: durability is the point. */
  dataDir: string;
  /** Largest number of pooled PostgreSQL connections. */
  poolSize?: number;
  /** Refuse to create a new SQLite file (tools that act on an existing hub's data). */
  mustExist?: boolean;
  /** Where store faults that no caller sees are reported (a failing SQLite checkpointer). */
  logger?: Logger;
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
    : sqliteDb(options.dataDir, options.mustExist ?? false, options.logger);

  await migrate(db, dialect);
  const statistics = dialect === 'sqlite' ? await keepPlannerStatistics(db) : undefined;
  return {
    db, dialect,
    async close() {
      clearInterval(statistics);
      await db.destroy();
    },
  };
}

/**
 * SQLite chooses query plans from statistics that only ANALYZE gathers; without them a search
 * over a large table can walk the wrong index (seconds instead of milliseconds). `optimize`
 * analyses what changed a lot, with bounded work (`analysis_limit`): at open, then every 6 h.
 */
async function keepPlannerStatistics(db: Db): Promise<NodeJS.Timeout> {
  const optimize = () => sql`pragma optimize = 0x10002`.execute(db);
  await optimize();
  const timer = setInterval(() => void optimize().catch(() => undefined), 6 * 3600_000);
  timer.unref();
  return timer;
}

function sqliteDb(dataDir: string, mustExist: boolean, logger: Logger | undefined): Db {
  const filePath = path.join(dataDir, 'hub.sqlite');
  if (mustExist && !existsSync(filePath)) {
    throw new Error(`no hub database at ${filePath}; check DATA_DIR (or DATABASE_URL)`);
  }

  mkdirSync(dataDir, { recursive: true });
  const file = new SqliteDatabase(filePath);
  // WAL with synchronous=FULL: an acknowledged commit survives a power cut. Commits are grouped
  // (group-commit-sqlite.ts) so that one fsync makes many requests' writes durable together.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  file.pragma('analysis_limit = 1000');
  return new Kysely<Database>({
    dialect: new GroupCommitSqliteDialect(file, logger),
    plugins: [new CamelCaseRowsPlugin()],
  });
}

function postgresDb(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle pooled connection the server ends (restart, failover, admin) emits 'error' on the
  // pool; unhandled, that would kill the process. The pool drops the client and opens a new one.
  pool.on('error', () => undefined);
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCaseRowsPlugin()],
  });
}

async function migrate(db: Db, dialect: DialectName): Promise<void> {
  const migrations: Record<string, Migration> = {
    '0001-initial': initialMigration(dialect),
    '0002-menu': menuMigration(),
    '0003-rejection': rejectionMigration(),
    '0004-geo': geoMigration(),
    '0005-journal': journalMigration(dialect),
    '0006-events': eventsMigration(dialect),
    '0007-search-index': searchIndexMigration(),
    '0008-chain-stamp': chainStampMigration(dialect),
    '0009-event-positions': eventPositionsMigration(dialect),
    '0010-open-orders-index': openOrdersIndexMigration(),
    '0011-discounts-external-id': discountsExternalIdMigration(),
    '0012-webhook-pause': webhookPauseMigration(),
  };
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });

  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw new Error(
      `database migration failed${failed ? ` at ${failed.migrationName}` : ''}${reason}`,
      { cause: error },
    );
  }
}
