import type { BodyReader } from '../api/body-reader.js';
import { HubError, parseError } from '../errors/hub-error.js';
import type { Corporation } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';
import { insertDocumentedRejectionReasons } from '../store/rejection-reasons.js';
import type { CorporationRow } from '../store/schema.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import {
  type WriteOutcome, adminObject, finishInput, guid, intIn, needed, newId, nonBlank, oneOf,
  timeZone,
} from './admin-input.js';

/** A corporation's settings, as the admin API reads and writes them: all but its id. */
export type CorporationSettings = Omit<Corporation, 'id'>;

/** A corporation as the admin API shows it. */
export interface CorporationView extends CorporationSettings {
  id: string;
  createdAt: string;
}

/** Keys of a corporation in admin input; `id` only when creating. */
export const CORPORATION_KEYS = [
  'name', 'orderProcessing', 'transferDelaySec', 'checkContentsAndPrice',
  'completeWhenClosedAtStation', 'timeZone', 'allowOrderModification', 'rejectionReasonRequired',
] as const;

/** A day: longer delays are typing mistakes, not policies. */
const MAX_TRANSFER_DELAY_SEC = 86_400;

/**
 * Reads corporation settings over `current` (a patch), or over the defaults when creating
 * (`name` and `timeZone` then required). Problems are recorded on the reader's fields.
 */
export function readCorporationSettings(
  r: BodyReader, current: CorporationSettings | undefined,
): CorporationSettings | undefined {
  const name = needed(r.field('name'), !current, nonBlank);
  const zone = needed(r.field('timeZone'), !current, timeZone);

  const merged = {
    name: name ?? current?.name,
    orderProcessing: oneOf(r.field('orderProcessing'), ['auto', 'none'] as const)
      ?? current?.orderProcessing ?? 'auto',
    transferDelaySec: intIn(r.field('transferDelaySec'), 0, MAX_TRANSFER_DELAY_SEC)
      ?? current?.transferDelaySec ?? 0,
    checkContentsAndPrice: r.field('checkContentsAndPrice').bool()
      ?? current?.checkContentsAndPrice ?? true,
    completeWhenClosedAtStation: r.field('completeWhenClosedAtStation').bool()
      ?? current?.completeWhenClosedAtStation ?? true,
    timeZone: zone ?? current?.timeZone,
    allowOrderModification: r.field('allowOrderModification').bool()
      ?? current?.allowOrderModification ?? true,
    rejectionReasonRequired: r.field('rejectionReasonRequired').bool()
      ?? current?.rejectionReasonRequired ?? false,
  };
  if (merged.name === undefined || merged.timeZone === undefined) return undefined;
  return { ...merged, name: merged.name, timeZone: merged.timeZone };
}

export async function listCorporations(db: Db): Promise<CorporationView[]> {
  const rows = await db.selectFrom('corporations').selectAll().orderBy('name').orderBy('id')
    .execute();
  return rows.map(toView);
}

export async function findCorporation(db: Db, id: string): Promise<CorporationView | undefined> {
  const row = await db.selectFrom('corporations').selectAll().where('id', '=', id)
    .executeTakeFirst();
  return row && toView(row);
}

/** The corporation, or 404 `corporation_not_found`. */
export async function requireCorporation(db: Db, id: string): Promise<CorporationView> {
  const found = await findCorporation(db, id);
  if (!found) throw new HubError('corporation_not_found', `Corporation ${id} not found`);
  return found;
}

/**
 * Inserts or updates a corporation; writes nothing when the settings are already these. A new
 * corporation gets the documented rejection reasons, as every corporation starts with them.
 */
export async function saveCorporation(
  db: Db, id: string, settings: CorporationSettings, now: string,
): Promise<WriteOutcome> {
  const current = await findCorporation(db, id);
  const values = toRow(settings);
  if (!current) {
    await db.insertInto('corporations').values({ id, ...values, createdAt: now }).execute();
    await insertDocumentedRejectionReasons(db, id);
    return 'created';
  }
  if (sameSettings(current, settings)) return 'unchanged';

  await db.updateTable('corporations').set(values).where('id', '=', id).execute();
  return 'updated';
}

/** `POST /corporations`: a new corporation from the body (`id` optional, generated). */
export async function createCorporation(
  ctx: AdminContext, body: unknown,
): Promise<CorporationView> {
  const { root, problems } = adminObject(body, ['id', ...CORPORATION_KEYS]);
  const id = guid(root.field('id')) ?? newId();
  const settings = readCorporationSettings(root, undefined);
  finishInput(problems);

  if (await findCorporation(ctx.db, id)) {
    throw parseError('id', 'a corporation with this id already exists');
  }
  await ctx.db.transaction().execute((trx) =>
    saveCorporation(trx, id, settings as CorporationSettings, nowIso(ctx.clock)));
  return requireCorporation(ctx.db, id);
}

/** `PATCH /corporations/{id}`: changes the settings present in the body. */
export async function updateCorporation(
  ctx: AdminContext, id: string, body: unknown,
): Promise<CorporationView> {
  const current = await requireCorporation(ctx.db, id);
  const { root, problems } = adminObject(body, CORPORATION_KEYS);
  const settings = readCorporationSettings(root, current);
  finishInput(problems);

  await saveCorporation(ctx.db, id, settings as CorporationSettings, nowIso(ctx.clock));
  return requireCorporation(ctx.db, id);
}

function sameSettings(a: CorporationSettings, b: CorporationSettings): boolean {
  return CORPORATION_KEYS.every((key) => a[key] === b[key]);
}

function toRow(s: CorporationSettings) {
  return {
    name: s.name,
    orderProcessing: s.orderProcessing,
    transferDelaySec: s.transferDelaySec,
    checkContentsAndPrice: s.checkContentsAndPrice ? 1 : 0,
    completeWhenClosedAtStation: s.completeWhenClosedAtStation ? 1 : 0,
    timeZone: s.timeZone,
    allowOrderModification: s.allowOrderModification ? 1 : 0,
    rejectionReasonRequired: s.rejectionReasonRequired ? 1 : 0,
  };
}

function toView(row: CorporationRow): CorporationView {
  return {
    id: row.id,
    name: row.name,
    orderProcessing: row.orderProcessing === 'none' ? 'none' : 'auto',
    transferDelaySec: row.transferDelaySec,
    checkContentsAndPrice: row.checkContentsAndPrice === 1,
    completeWhenClosedAtStation: row.completeWhenClosedAtStation === 1,
    timeZone: row.timeZone,
    allowOrderModification: row.allowOrderModification === 1,
    rejectionReasonRequired: row.rejectionReasonRequired === 1,
    createdAt: row.createdAt,
  };
}
