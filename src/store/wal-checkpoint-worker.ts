import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { startCheckpointLoop } from './wal-checkpoint-loop.js';

/** The worker thread of `WalCheckpointer`: a PASSIVE checkpoint every `everyMs`. */
const { filePath, everyMs } = workerData as { filePath: string; everyMs: number };
const file = new SqliteDatabase(filePath, { fileMustExist: true });
file.pragma('synchronous = FULL');
file.pragma('wal_autocheckpoint = 0');

const stop = startCheckpointLoop({
  checkpoint: () => file.pragma('wal_checkpoint(PASSIVE)'),
  everyMs,
  report: (report) => parentPort?.postMessage(report),
});

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  stop();
  file.close();
  parentPort?.close();
});
