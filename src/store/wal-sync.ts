import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes what SQLite has written to its write-ahead log durable. With `synchronous = NORMAL` a
 * WAL-mode COMMIT only writes the log (no fsync); calling {@link WalSync.sync} after the COMMIT
 * returned, and answering nobody before it resolves, gives the durability of `FULL` while the
 * fsync waits on libuv's thread pool instead of the event loop.
 */
export interface WalSync {
  /** Resolves once everything written to the log before the call is on stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The WAL file of the database at `databasePath`, synced with fsync (calls coalesced by
 * {@link coalesced}).
 */
export function fileWalSync(databasePath: string): WalSync {
  const walPath = `${databasePath}-wal`;
  let handle: Promise<FileHandle> | undefined;

  // SQLite keeps the log file (same inode) while the database is open, so one handle serves.
  // The directory is synced once, so the log's own directory entry survives a power cut.
  const logFile = () => handle ??= (async () => {
    await syncPath(path.dirname(walPath));
    return open(walPath, 'r');
  })();
  const sync = coalesced(async () => (await logFile()).sync());

  return {
    sync,
    async close() {
      await sync().catch(() => undefined);
      const file = await handle?.catch(() => undefined);
      handle = undefined;
      await file?.close();
    },
  };
}

/**
 * `run` made safe to call often: a call while a run is in progress shares the next run, which
 * starts when that one ends — a run that began before a call may have missed its writes, one
 * that begins after it cannot.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const start = (): Promise<void> => {
    const current = run().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };

  return () => {
    if (running === undefined) return start();

    next ??= running.catch(() => undefined).then(() => {
      next = undefined;
      return start();
    });
    return next;
  };
}

async function syncPath(target: string): Promise<void> {
  const file = await open(target, 'r');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}
