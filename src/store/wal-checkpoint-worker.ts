import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

/** The worker thread of `WalCheckpointer`: a PASSIVE checkpoint every `everyMs`. */
const { filePath, everyMs } = workerData as { filePath: string; everyMs: number };
const file = new SqliteDatabase(filePath, { fileMustExist: true });
file.pragma('synchronous = FULL');
file.pragma('wal_autocheckpoint = 0');

const timer = setInterval(() => {
  try {
    file.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing now: the next turn tries again, and the writer's backstop remains.
  }
}, everyMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  file.close();
  parentPort?.close();
});
