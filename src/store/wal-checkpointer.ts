import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CheckpointReport } from './wal-checkpoint-loop.js';

/** How often the checkpointer copies committed WAL frames into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/** A worker that failed is started again after this, doubled after each failure up to a minute. */
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 60_000;
/** A worker that ran this many first delays before failing was healthy: the delay starts over. */
const HEALTHY_RUN_DELAYS = 60;
/**
 * The committing connection still checkpoints itself past this many WAL pages (~16 MB, four times
 * SQLite's default). Under steady writes that is what restarts the WAL (the writer begins anew
 * before the worker has copied its last frames, so the WAL never looks fully copied to it); by
 * then the worker has copied nearly every frame, so this checkpoint is short. It is also the
 * backstop while the worker is down.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 4_000;

/** Settings of {@link WalCheckpointer.start}. */
export interface WalCheckpointerOptions {
  /** Where a failing worker is reported (at error level). */
  logger?: Logger | undefined;
  /** The worker's module; tests give one that fails. */
  workerUrl?: URL;
  /**
   * First wait before a failed worker is started again (1 s); a worker that ran 60 times this
   * long before it failed starts the doubling over.
   */
  restartDelayMs?: number;
}

/**
 * Runs SQLite's WAL checkpoints on a connection of its own in a worker thread, so that the
 * event loop's connection does not: with the default auto-checkpoint (1,000 pages) one COMMIT in
 * three of the create benchmark also copied the WAL into the database and fsynced it, 10 ms on
 * the event loop's thread each time.
 *
 * Durability is unchanged: a COMMIT still fsyncs the WAL (`synchronous = FULL`) before anyone is
 * answered, and a checkpoint is SQLite's own (PASSIVE: it never blocks the writer), which syncs
 * the database file before the WAL may be reused.
 *
 * A worker that fails (an error, an exit nobody asked for) is logged and started again with a
 * growing delay; meanwhile the committing connection's backstop keeps the WAL bounded.
 * Checkpoints that fail inside a running worker (I/O error, full disk; not mere contention) are
 * logged at error when they start failing and then once a minute, and their recovery at warn
 * (`wal-checkpoint-loop.ts`).
 */
export class WalCheckpointer {
  readonly #filePath: string;
  readonly #options: WalCheckpointerOptions;
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #restart: NodeJS.Timeout | undefined;
  readonly #firstRestartMs: number;
  #restartMs: number;
  #startedAt = 0;
  #stopping = false;

  private constructor(filePath: string, options: WalCheckpointerOptions) {
    this.#filePath = filePath;
    this.#options = options;
    this.#firstRestartMs = options.restartDelayMs ?? FIRST_RESTART_MS;
    this.#restartMs = this.#firstRestartMs;
  }

  /** Starts checkpointing the WAL of the database file at `filePath`. */
  static start(filePath: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
    const checkpointer = new WalCheckpointer(filePath, options);
    checkpointer.#spawn();
    return checkpointer;
  }

  /** Stops the worker (after its checkpoint in progress, if any) and closes its connection. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const worker = this.#worker;
    if (!worker) return;

    // Unreferenced while it works, so it never holds the process open; referenced while it stops,
    // so the process waits for its connection to close.
    worker.ref();
    worker.postMessage('stop');
    await this.#exited;
  }

  #spawn(): void {
    const url = this.#options.workerUrl ?? new URL('./wal-checkpoint-worker.js', import.meta.url);
    const worker = new Worker(url, {
      workerData: { filePath: this.#filePath, everyMs: CHECKPOINT_EVERY_MS },
    });
    this.#worker = worker;
    this.#startedAt = Date.now();
    let failure: unknown;
    worker.on('message', (report: CheckpointReport) => this.#reported(report));
    worker.on('error', (err) => {
      failure = err;
    });
    this.#exited = new Promise((resolve) => worker.once('exit', (exitCode) => {
      this.#worker = undefined;
      resolve();
      if (!this.#stopping) this.#failed(failure, exitCode);
    }));
    worker.unref();
  }

  #reported(report: CheckpointReport): void {
    const logger = this.#options.logger;
    if (report.kind === 'failing') {
      const { message, code, failures } = report;
      logger?.error({ component: 'sqlite', reason: message, code, failures },
        'WAL checkpoint failing');
    } else {
      logger?.warn({ component: 'sqlite', failures: report.failures }, 'WAL checkpoint recovered');
    }
  }

  #failed(err: unknown, exitCode: number): void {
    if (Date.now() - this.#startedAt >= this.#firstRestartMs * HEALTHY_RUN_DELAYS) {
      this.#restartMs = this.#firstRestartMs;
    }
    const retryInMs = this.#restartMs;
    this.#restartMs = Math.min(this.#restartMs * 2, MAX_RESTART_MS);
    this.#options.logger?.error({ component: 'sqlite', err, exitCode, retryInMs },
      'WAL checkpoint worker stopped; restarting it');
    this.#restart = setTimeout(() => {
      if (!this.#stopping) this.#spawn();
    }, retryInMs);
    this.#restart.unref();
  }
}
