import { CamelCasePlugin, type CompiledQuery, type DialectAdapter, type Kysely } from 'kysely';

/** A connection that can run a read-only statement at once, or says it cannot. */
export interface DirectReader {
  /** The rows of `query` as the driver reads them, or undefined when it cannot run it now. */
  readNow(query: CompiledQuery): unknown[] | undefined;
}

/**
 * Kysely's camel-case plugin with its row mapping public, so {@link readNow} can rename the
 * columns of rows read without Kysely exactly as the plugin would. Use it in place of
 * `CamelCasePlugin`.
 */
export class CamelCaseRowsPlugin extends CamelCasePlugin {
  override mapRow(row: Record<string, unknown>): Record<string, unknown> {
    return super.mapRow(row);
  }
}

/** Keyed by the adapter, the one part of a Kysely instance its transactions share. */
const readers = new WeakMap<DialectAdapter, DirectReader>();

/** Lets {@link readNow} use `reader` for the Kysely instance whose adapter is `adapter`. */
export function registerDirectReader(adapter: DialectAdapter, reader: DirectReader): void {
  readers.set(adapter, reader);
}

/**
 * The rows of a compiled read-only `query`, run at once on the SQLite connection when no one
 * holds it, without Kysely's connection handling (acquire, release, a promise per step); else
 * undefined, and the caller runs the query through Kysely as usual.
 *
 * Only outside transactions, and only where the results would pass through no plugin but
 * {@link CamelCaseRowsPlugin}, whose mapping is applied here as Kysely would. A read run here
 * sees what a read through Kysely at the same moment would see: the connection is free, so no
 * logical transaction is half done on it.
 */
export function readNow<DB, O>(
  executor: Kysely<DB>, query: CompiledQuery<O>,
): O[] | undefined {
  if (executor.isTransaction) return undefined;
  const inner = executor.getExecutor();
  const reader = readers.get(inner.adapter);
  if (!reader) return undefined;
  const plugins = inner.plugins;
  for (const plugin of plugins) if (!(plugin instanceof CamelCaseRowsPlugin)) return undefined;

  let rows = reader.readNow(query);
  if (rows === undefined) return undefined;
  for (const plugin of plugins) {
    const renaming = plugin as CamelCaseRowsPlugin;
    rows = rows.map((row) => renaming.mapRow(row as Record<string, unknown>));
  }
  return rows as O[];
}
