import pg from 'pg';

/** Raised when a lock could not be had within the wait bound. */
export class LockWaitTimeout extends Error {
  constructor(key: number) {
    super(`lock ${key} still held by another process`);
    this.name = 'LockWaitTimeout';
  }
}

/** A lock shared by every hub process on one database. */
export interface SharedLock {
  /** Runs `work` while holding the lock named `key`; waits for it at most the configured bound. */
  run<T>(key: number, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** First key of the two-key advisory locks the hub takes: "order operations". */
const ORDER_LOCK_SPACE = 0x6f72_6472;

/** PostgreSQL's SQLSTATE `lock_not_available`, raised when `lock_timeout` runs out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Per-order PostgreSQL advisory locks, so that operations on one order are serialised across
 * hub instances: a second instance waits instead of failing its version check.
 *
 * Each held lock keeps one connection of a pool of its own (the work itself uses the store's
 * pool, so holders never starve their own queries). A session-level lock dies with its
 * connection: a killed process leaves no lock behind.
 */
export class PgAdvisoryLock implements SharedLock {
  readonly #pool: pg.Pool;

  constructor(options: { url: string; connections: number; waitMs: number }) {
    this.#pool = new pg.Pool({
      connectionString: options.url, max: options.connections,
      connectionTimeoutMillis: options.waitMs,
      // Set once per connection (a startup parameter), not with a round trip per lock.
      lock_timeout: Math.max(1, Math.round(options.waitMs)),
    });
    // An idle connection ended by the server must not crash the process (see database.ts).
    this.#pool.on('error', () => undefined);
  }

  async run<T>(key: number, work: () => Promise<T>): Promise<T> {
    const client = await this.#pool.connect().catch((err: unknown) => {
      throw isTimeout(err) ? new LockWaitTimeout(key) : err;
    });
    let broken: Error | undefined;
    try {
      try {
        await client.query('SELECT pg_advisory_lock($1, $2)', [ORDER_LOCK_SPACE, key]);
      } catch (err) {
        if ((err as { code?: unknown }).code === LOCK_NOT_AVAILABLE) throw new LockWaitTimeout(key);
        throw err;
      }

      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [ORDER_LOCK_SPACE, key])
          .catch((err: unknown) => {
            // Dropping the connection releases the lock with the session.
            broken = err instanceof Error ? err : new Error(String(err));
          });
      }
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timeout/i.test(err.message);
}
