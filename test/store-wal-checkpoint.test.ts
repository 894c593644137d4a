import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import pino from 'pino';
import { GroupCommitSqliteDialect } from '../src/store/group-commit-sqlite.js';
import {
  type CheckpointReport, REPORT_EVERY_MS, startCheckpointLoop,
} from '../src/store/wal-checkpoint-loop.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from '../src/store/wal-checkpointer.js';

interface Tables {
  blobs: { id: number; body: string };
}

type LogLine = Record<string, unknown>;

/**
 * Starts a checkpointer whose worker is the module `source` (written to a temporary file),
 * waits until `count` lines are logged (10 s at most), stops it and returns the lines.
 */
async function logsOfWorker(
  source: string, count: number, level: string, restartDelayMs?: number,
): Promise<LogLine[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-worker-'));
  const workerFile = path.join(dir, 'worker.mjs');
  await writeFile(workerFile, source);
  const lines: LogLine[] = [];
  const logger = pino({ level }, {
    write: (line: string) => void lines.push(JSON.parse(line) as LogLine),
  });

  const checkpointer = WalCheckpointer.start(path.join(dir, 'none.sqlite'), {
    logger, workerUrl: pathToFileURL(workerFile),
    ...(restartDelayMs === undefined ? {} : { restartDelayMs }),
  });
  try {
    for (let waited = 0; lines.length < count && waited < 10_000; waited += 20) await sleep(20);
  } finally {
    await checkpointer.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}

describe('SQLite WAL checkpoints off the event loop', () => {
  let dir = '';
  let file = '';
  let sqlite: SqliteDatabase.Database;
  let db: Kysely<Tables>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-wal-checkpoint-'));
    file = path.join(dir, 'wal.sqlite');
    sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    db = new Kysely<Tables>({ dialect: new GroupCommitSqliteDialect(sqlite) });
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
  });

  after(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  test('the committing connection leaves checkpoints to the worker', () => {
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }),
      BACKSTOP_AUTOCHECKPOINT_PAGES);
  });

  test('committed pages reach the database file without a checkpoint on this thread', async () => {
    const before = statSync(file).size;
    // ~2 MB, below the committing connection's own threshold: only the worker copies it.
    for (let i = 0; i < 40; i++) {
      await db.insertInto('blobs').values({ id: i + 1, body: 'x'.repeat(50_000) }).execute();
    }

    let size = statSync(file).size;
    for (let waited = 0; size < before + 2_000_000 && waited < 5_000; waited += 50) {
      await sleep(50);
      size = statSync(file).size;
    }
    assert.ok(size >= before + 2_000_000, `database file ${size} bytes, was ${before}`);
    const count = await db.selectFrom('blobs').select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 40);
  });
});

describe('a failing WAL checkpoint worker', () => {
  test('is logged at error level and started again', async () => {
    // Two reports: the first failure, and the failure of the worker started again after it.
    const lines = await logsOfWorker("throw new Error('checkpoint worker broke');\n", 2, 'error',
      10);

    assert.ok(lines.length >= 2, `${lines.length} failure(s) logged`);
    const [first, second] = lines;
    assert.equal(first?.level, 50);
    assert.equal(first?.component, 'sqlite');
    assert.equal(first?.msg, 'WAL checkpoint worker stopped; restarting it');
    assert.match(String((first?.err as { message?: string } | undefined)?.message),
      /checkpoint worker broke/);
    assert.equal(first?.retryInMs, 10);
    assert.equal(second?.retryInMs, 20, 'the delay grows after each failure');
  });
});

describe('checkpoints failing inside a running worker', () => {
  const sqliteError = (code: string) => Object.assign(new Error(`${code} happened`), { code });

  test('are reported when they start failing, then at most once a minute, then recovered',
    async () => {
      const outcomes = [sqliteError('SQLITE_IOERR_WRITE'), sqliteError('SQLITE_FULL'),
        sqliteError('SQLITE_BUSY'), sqliteError('SQLITE_IOERR'), undefined, undefined];
      let clock = 0;
      const reports: CheckpointReport[] = [];
      const stop = startCheckpointLoop({
        checkpoint: () => {
          clock += REPORT_EVERY_MS / 2;
          const outcome = outcomes.shift();
          if (outcome) throw outcome;
        },
        everyMs: 2, report: (report) => reports.push(report), now: () => clock,
      });
      for (let waited = 0; outcomes.length > 0 && waited < 5_000; waited += 5) await sleep(5);
      stop();

      assert.deepEqual(reports, [
        { kind: 'failing', message: 'SQLITE_IOERR_WRITE happened', code: 'SQLITE_IOERR_WRITE',
          failures: 1 },
        // SQLITE_FULL came half a minute later (not reported); SQLITE_BUSY is contention.
        { kind: 'failing', message: 'SQLITE_IOERR happened', code: 'SQLITE_IOERR', failures: 3 },
        { kind: 'recovered', failures: 3 },
      ]);
    });

  test('are logged by the checkpointer: failing at error, recovered at warn', async () => {
    const lines = await logsOfWorker([
      "import { parentPort } from 'node:worker_threads';",
      "parentPort.postMessage({ kind: 'failing', message: 'disk I/O error',",
      "  code: 'SQLITE_IOERR', failures: 1 });",
      "parentPort.postMessage({ kind: 'recovered', failures: 4 });",
      "parentPort.on('message', () => parentPort.close());",
    ].join('\n'), 2, 'warn');

    assert.deepEqual(lines.map((l) => [l.level, l.component, l.msg, l.failures]), [
      [50, 'sqlite', 'WAL checkpoint failing', 1],
      [40, 'sqlite', 'WAL checkpoint recovered', 4],
    ]);
    assert.deepEqual([lines[0]?.reason, lines[0]?.code], ['disk I/O error', 'SQLITE_IOERR']);
  });
});

describe('a checkpoint worker that fails after a healthy run', () => {
  test('is started again after the first delay, not a doubled one', async () => {
    // Healthy for longer than 60 first delays (60 × 10 ms), then broken.
    const lines = await logsOfWorker(
      "setTimeout(() => { throw new Error('broke late'); }, 700);\n", 2, 'error', 10);

    assert.deepEqual(lines.slice(0, 2).map((l) => l.retryInMs), [10, 10]);
  });
});
