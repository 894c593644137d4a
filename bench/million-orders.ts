import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** Days the bulk orders are spread over, ending now. */
export const BULK_DAYS = 100;

/** Columns the bulk insert sets itself; every other column is copied from the template order. */
const GENERATED = new Set(['id', 'status_id', 'created_at', 'updated_at', 'completed_at',
  'pos_order_guid', 'comment', 'version', 'order_external_id']);
/** Columns that must differ per order (unique indexes), set to NULL when the schema has them. */
const NULLED = new Set(['request_key']);

/**
 * Fills a stopped hub's SQLite database with `count` orders for the search benchmark, straight
 * in SQL: every order is a copy of the template order `templateId` (so it has whatever columns
 * the current schema has) with its own id, GUID and instants spread evenly over the last
 * {@link BULK_DAYS} days; 97% are completed (11), 2% cancelled (12), 1% at the kitchen (4). Each
 * gets copies of the template's lines. Returns the seconds it took.
 */
export function insertBulkOrders(dataDir: string, templateId: number, count: number): number {
  const started = performance.now();
  const db = new SqliteDatabase(path.join(dataDir, 'hub.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    const columns = (db.pragma('table_info(orders)') as { name: string }[])
      .map((c) => c.name).filter((name) => !GENERATED.has(name));
    const copied = columns.map((c) => (NULLED.has(c) ? 'NULL' : `t.${c}`));
    const lineColumns = (db.pragma('table_info(order_lines)') as { name: string }[])
      .map((c) => c.name).filter((name) => name !== 'order_id');
    const spanSec = BULK_DAYS * 86_400;
    const startSec = Math.floor(Date.now() / 1000) - spanSec;
    const first = templateId + 1;

    const iso = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;
    const at = `${startSec} + s.n * ${spanSec / count}`;
    db.transaction(() => {
      db.prepare(`
        WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${count - 1})
        INSERT INTO orders (id, status_id, created_at, updated_at, completed_at, pos_order_guid,
          comment, version, order_external_id, ${columns.join(', ')})
        SELECT ${first} + s.n,
          CASE WHEN s.n % 100 = 0 THEN 4 WHEN s.n % 100 < 3 THEN 12 ELSE 11 END,
          ${iso(at)}, ${iso(`${at} + 1800`)},
          CASE WHEN s.n % 100 >= 3 THEN ${iso(`${at} + 1800`)} END,
          upper(hex(randomblob(16))), 'bulk order', 3, NULL, ${copied.join(', ')}
        FROM s, orders t WHERE t.id = ${templateId}`).run();
      db.prepare(`
        INSERT INTO order_lines (order_id, ${lineColumns.join(', ')})
        SELECT o.id, ${lineColumns.map((c) => `l.${c}`)}
        FROM orders o JOIN order_lines l ON l.order_id = ${templateId}
        WHERE o.id >= ${first}`).run();
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return (performance.now() - started) / 1000;
}

/** The `fromDate`/`toDate` of one whole day among the bulk orders' days, UTC. */
export function bulkDay(index: number): string {
  const day = new Date(Date.now() - (BULK_DAYS - index) * 86_400_000);
  return day.toISOString().slice(0, 10);
}
