import type { BodyReader } from '../api/body-reader.js';
import type { Db } from '../store/database.js';
import type { RejectionReason } from '../store/rejection-reasons.js';
import type { AdminContext } from './admin-context.js';
import {
  adminInput, finishInput, guid, inputError, needed, newId, nonBlank, oneOf, strictObject,
} from './admin-input.js';
import { requireCorporation } from './corporation-admin.js';
import { WriteTally, sameValues } from './write-tally.js';

/** One reason of rejection-reason input; without `id` it is matched by its text. */
export interface ReasonInput {
  id: string | undefined;
  reason: string;
  type: 'simple' | 'text';
  path: string;
}

/** Reads `[{id?, reason, type?}]`; `type` is `simple` (default) or `text` (free text expected). */
export function readRejectionReasons(r: BodyReader): ReasonInput[] | undefined {
  const items = r.array();
  if (items === undefined) {
    if (r.absent) r.problem('is required');
    return undefined;
  }

  return items.flatMap((item) => {
    if (!strictObject(item, ['id', 'reason', 'type'])) return [];
    const reason = needed(item.field('reason'), true, nonBlank);
    const type = oneOf(item.field('type'), ['simple', 'text'] as const) ?? 'simple';
    return reason === undefined
      ? []
      : [{ id: guid(item.field('id')), reason, type, path: item.path }];
  });
}

export async function listRejectionReasons(
  db: Db, corporationId: string,
): Promise<RejectionReason[]> {
  const rows = await db.selectFrom('rejectionReasons').selectAll()
    .where('corporationId', '=', corporationId).orderBy('sort').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    reason: row.reason,
    type: row.type === 'text' ? 'text' : 'simple',
    isPossibleDelete: row.isPossibleDelete === 1,
  }));
}

/**
 * Makes the corporation's reasons exactly `reasons`, in that order. A reason the corporation may
 * not delete (the documented "Cancelled by the restaurant") must stay in the list; leaving it out
 * is a 400 naming `path`.
 */
export async function saveRejectionReasons(
  db: Db, corporationId: string, reasons: readonly ReasonInput[], path: string,
  tally: WriteTally,
): Promise<void> {
  const stored = await listRejectionReasons(db, corporationId);
  const ids = reasons.map((r) => r.id ?? stored.find((s) => s.reason === r.reason)?.id ?? newId());
  const duplicate = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (duplicate >= 0) throw inputError(`${reasons[duplicate]?.path}.id`, 'is listed twice');
  const kept = stored.find((s) => !s.isPossibleDelete && !ids.includes(s.id));
  if (kept) throw inputError(path, `reason ${kept.id} (${kept.reason}) cannot be deleted`);

  for (const old of stored.filter((s) => !ids.includes(s.id))) {
    await db.deleteFrom('rejectionReasons').where('corporationId', '=', corporationId)
      .where('id', '=', old.id).execute();
    tally.add('rejectionReasons', 'deleted');
  }
  for (const [sort, reason] of reasons.entries()) {
    const id = ids[sort] as string;
    const current = await db.selectFrom('rejectionReasons').selectAll()
      .where('corporationId', '=', corporationId).where('id', '=', id).executeTakeFirst();
    const values = { reason: reason.reason, type: reason.type, sort };
    if (current && sameValues(current, values)) {
      tally.add('rejectionReasons', 'unchanged');
    } else if (current) {
      await db.updateTable('rejectionReasons').set(values)
        .where('corporationId', '=', corporationId).where('id', '=', id).execute();
      tally.add('rejectionReasons', 'updated');
    } else {
      await db.insertInto('rejectionReasons')
        .values({ corporationId, id, ...values, isPossibleDelete: 1 }).execute();
      tally.add('rejectionReasons', 'created');
    }
  }
}

/** `PUT /corporations/{id}/rejection-reasons`: replaces the corporation's reasons. */
export async function replaceRejectionReasons(
  ctx: AdminContext, corporationId: string, body: unknown,
): Promise<RejectionReason[]> {
  await requireCorporation(ctx.db, corporationId);
  const { root, problems } = adminInput(body);
  const reasons = readRejectionReasons(root);
  finishInput(problems);

  await ctx.db.transaction().execute((trx) => saveRejectionReasons(
    trx, corporationId, reasons as ReasonInput[], '', new WriteTally()));
  return listRejectionReasons(ctx.db, corporationId);
}
