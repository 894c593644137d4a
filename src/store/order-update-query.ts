import type { OrderUpdate } from './schema.js';
import { PreparedQuery } from './prepared-query.js';

/** The parameters of an optimistic update: the columns set, and the version expected. */
export type UpdateParams = OrderUpdate & {
  id: number; expectedVersion: number; nextVersion: number;
};

/** Optimistic updates, compiled once per set of columns (a few shapes: one per use case). */
const UPDATES = new Map<string, PreparedQuery<UpdateParams, unknown>>();

/**
 * The statement setting `columns` (and the next version) of the order `id` if it still has
 * `expectedVersion`; compiled once per set of columns.
 */
export function orderUpdateQuery(
  columns: readonly (keyof OrderUpdate)[],
): PreparedQuery<UpdateParams, unknown> {
  const key = columns.join(',');
  let query = UPDATES.get(key);
  if (!query) {
    query = new PreparedQuery((db, p: UpdateParams) => db.updateTable('orders')
      .set({ ...Object.fromEntries(columns.map((c) => [c, p[c]])), version: p.nextVersion })
      .where('id', '=', p.id).where('version', '=', p.expectedVersion));
    // Column sets come from code (a PATCH combines a few): bounded all the same.
    if (UPDATES.size < 256) UPDATES.set(key, query);
  }
  return query;
}
