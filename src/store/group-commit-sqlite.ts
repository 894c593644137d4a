import type { Database as SqliteFile, Statement } from 'better-sqlite3';
import {
  type CompiledQuery, type DatabaseConnection, type DialectAdapter, type Driver, type QueryResult,
  SelectQueryNode, SqliteDialect,
} from 'kysely';
import type { Logger } from 'pino';
import { registerDirectReader } from './direct-read.js';
import { FifoLock } from './fifo-lock.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer.js';

/** Prepared statements kept per SQL text; the hub issues a few hundred distinct ones. */
const STATEMENT_CACHE_SIZE = 1000;
/** Logical transactions run one at a time, so one savepoint name serves them all. */
const MEMBER = 'group_member';

/**
 * Kysely's SQLite dialect with a driver that makes durable commits cheap: **group commit** and
 * prepared-statement reuse, on one better-sqlite3 connection.
 *
 * With `synchronous = FULL` every COMMIT waits for an fsync of the WAL (milliseconds, and
 * better-sqlite3 waits on the event loop's thread). Here a transaction of the hub (a *logical*
 * transaction) runs as a SAVEPOINT inside a *physical* transaction that stays open while work
 * keeps coming; when the event loop has nothing more ready, one COMMIT makes every logical
 * transaction of the group durable at once. The rules that keep this safe:
 * - a logical commit, and a write outside any transaction, resolves only after the COMMIT that
 *   contains it succeeded: nothing is acknowledged before it survives a power cut;
 * - a logical rollback rolls back to its savepoint: other members of the group are unaffected;
 * - if the COMMIT fails, or SQLite abandons the physical transaction after an I/O error, every
 *   waiting member fails, as each would have alone;
 * - logical transactions still run one at a time (one connection, a FIFO lock), so they are
 *   serialisable with respect to each other, exactly as with a plain SQLite connection.
 * The one difference a reader can see: a read may see another request's write up to one event
 * loop turn before that write is durable (its writer is not yet answered). Every write waits
 * for durability, so nothing the hub does *after* a write of its own acts on undurable data.
 *
 * WAL checkpoints run on a connection of their own in a worker thread (wal-checkpointer.ts),
 * not inside this connection's COMMITs on the event loop's thread.
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #file: SqliteFile;
  readonly #logger: Logger | undefined;
  #driver: GroupCommitDriver | undefined;

  /** `logger`: where a failing checkpoint worker is reported. */
  constructor(file: SqliteFile, logger?: Logger) {
    super({ database: file });
    this.#file = file;
    this.#logger = logger;
  }

  override createDriver(): Driver {
    this.#driver = new GroupCommitDriver(this.#file, this.#logger);
    return this.#driver;
  }

  override createAdapter(): DialectAdapter {
    const adapter = super.createAdapter();
    // Kysely creates the driver first; otherwise reads simply all go through Kysely.
    if (this.#driver) registerDirectReader(adapter, this.#driver);
    return adapter;
  }
}

/** One use of the connection, from acquire to release. */
class Lease implements DatabaseConnection {
  readonly #driver: GroupCommitDriver;
  /** Whether a logical transaction is running on this lease. */
  inTransaction = false;

  constructor(driver: GroupCommitDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#driver.execute(this, query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) {
      throw new Error('the SQLite driver streams select queries only');
    }
    const statement = this.#driver.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class GroupCommitDriver implements Driver {
  readonly #file: SqliteFile;
  readonly #lock = new FifoLock();
  readonly #statements = new Map<string, Statement>();
  /** Members of the open group, waiting for its COMMIT. */
  #waiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  #open = false;
  #flushScheduled = false;
  #checkpointer: WalCheckpointer | undefined;

  readonly #logger: Logger | undefined;

  constructor(file: SqliteFile, logger: Logger | undefined) {
    this.#file = file;
    this.#logger = logger;
  }

  async init(): Promise<void> {
    // WAL checkpoints off the event loop's thread (wal-checkpointer.ts); not for memory files.
    if (this.#file.memory || this.#file.pragma('journal_mode', { simple: true }) !== 'wal') return;
    this.#checkpointer = WalCheckpointer.start(this.#file.name, { logger: this.#logger });
    this.#file.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return new Lease(this);
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(lease: Lease): Promise<void> {
    this.#openGroup();
    this.#run(`savepoint ${MEMBER}`);
    lease.inTransaction = true;
  }

  async commitTransaction(lease: Lease): Promise<void> {
    this.#run(`release ${MEMBER}`);
    lease.inTransaction = false;
    await this.#durable();
  }

  /** Also called after a failed commit, when the member has already ended. */
  async rollbackTransaction(lease: Lease): Promise<void> {
    if (!lease.inTransaction) return;

    lease.inTransaction = false;
    // After an I/O error SQLite may have abandoned the whole transaction already.
    if (!this.#file.inTransaction) return;
    this.#run(`rollback to ${MEMBER}`);
    this.#run(`release ${MEMBER}`);
  }

  async savepoint(_lease: Lease, name: string): Promise<void> {
    this.#run(`savepoint ${quote(name)}`);
  }

  async rollbackToSavepoint(_lease: Lease, name: string): Promise<void> {
    this.#run(`rollback to ${quote(name)}`);
  }

  async releaseSavepoint(_lease: Lease, name: string): Promise<void> {
    this.#run(`release ${quote(name)}`);
  }

  async destroy(): Promise<void> {
    await this.#flush();
    await this.#checkpointer?.stop();
    this.#file.close();
  }

  /** Runs one statement for `lease`; a write outside a transaction joins the group. */
  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    const joins = !statement.readonly && !lease.inTransaction;
    if (joins) this.#openGroup();

    const result = this.#guarded(() => statement.reader
      ? { rows: statement.all(parameters) as R[] }
      : resultOf<R>(statement.run(parameters)));
    if (joins) await this.#durable();
    return result;
  }

  /** Runs a read-only `query` at once if no one holds the connection (`direct-read.ts`). */
  readNow(query: CompiledQuery): unknown[] | undefined {
    if (this.#lock.held || !this.#file.open) return undefined;
    const statement = this.prepare(query.sql);
    if (!statement.reader || !statement.readonly) return undefined;
    return this.#guarded(() => statement.all(query.parameters as unknown[]));
  }

  prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#file.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #openGroup(): void {
    if (this.#open && this.#file.inTransaction) return;

    this.#abandoned();
    this.#run('begin immediate');
    this.#open = true;
  }

  /**
   * Waits until the open group is committed. The lock is handed on meanwhile, so later work
   * joins the group, and taken back before returning, as the caller still holds its lease.
   */
  async #durable(): Promise<void> {
    const committed = new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
    });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      // After the I/O callbacks of this turn: requests that arrived together commit together.
      setImmediate(() => void this.#flush());
    }

    this.#lock.release();
    try {
      await committed;
    } finally {
      await this.#lock.acquire();
    }
  }

  async #flush(): Promise<void> {
    await this.#lock.acquire();
    this.#flushScheduled = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    try {
      if (this.#open) {
        this.#open = false;
        if (!this.#file.inTransaction) throw new Error('SQLite abandoned the transaction');
        this.#run('commit');
      } else if (waiting.length > 0) {
        throw new Error('SQLite abandoned the transaction');
      }
      for (const member of waiting) member.resolve();
    } catch (err) {
      if (this.#file.inTransaction) this.#file.exec('rollback');
      for (const member of waiting) member.reject(err);
    } finally {
      this.#lock.release();
    }
  }

  /** A statement error that made SQLite drop the open group fails the group's members. */
  #guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      this.#abandoned(err);
      throw err;
    }
  }

  #abandoned(cause?: unknown): void {
    if (!this.#open || this.#file.inTransaction) return;

    this.#open = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    const err = new Error('SQLite abandoned the transaction', { cause });
    for (const member of waiting) member.reject(err);
  }

  #run(sql: string): void {
    this.#guarded(() => this.prepare(sql).run());
  }
}

function resultOf<R>(result: { changes: number; lastInsertRowid: number | bigint }) {
  return {
    numAffectedRows: BigInt(result.changes),
    insertId: BigInt(result.lastInsertRowid),
    rows: [] as R[],
  };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
