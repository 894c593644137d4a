import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies committed WAL frames into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/**
 * The committing connection still checkpoints itself past this many WAL pages (~16 MB, four times
 * SQLite's default). Under steady writes that is what restarts the WAL (the writer begins anew
 * before the worker has copied its last frames, so the WAL never looks fully copied to it); by
 * then the worker has copied nearly every frame, so this checkpoint is short. It is also the
 * backstop should the worker stop.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 4_000;

/**
 * Runs SQLite's WAL checkpoints on a connection of its own in a worker thread, so that the
 * event loop's connection does not: with the default auto-checkpoint (1,000 pages) one COMMIT in
 * three of the create benchmark also copied the WAL into the database and fsynced it, 10 ms on
 * the event loop's thread each time.
 *
 * Durability is unchanged: a COMMIT still fsyncs the WAL (`synchronous = FULL`) before anyone is
 * answered, and a checkpoint is SQLite's own (PASSIVE: it never blocks the writer), which syncs
 * the database file before the WAL may be reused.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    // A failing checkpointer only leaves the checkpoints to the backstop.
    worker.on('error', () => undefined);
    worker.unref();
  }

  /** Starts checkpointing the WAL of the database file at `filePath`. */
  static start(filePath: string): WalCheckpointer {
    return new WalCheckpointer(new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url),
      { workerData: { filePath, everyMs: CHECKPOINT_EVERY_MS } }));
  }

  /** Stops the worker (after its checkpoint in progress, if any) and closes its connection. */
  async stop(): Promise<void> {
    // Unreferenced while it works, so it never holds the process open; referenced while it stops,
    // so the process waits for its connection to close.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
