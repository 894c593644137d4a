import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import { adminInput, finishInput } from './admin-input.js';
import { requireCorporation } from './corporation-admin.js';
import { importMenuDocument } from './menu-import.js';
import { type MenuDocument, readMenuDocument } from './menu-input.js';
import { type KindCount, WriteTally } from './write-tally.js';

/**
 * `POST /corporations/{id}/menu/import`: a menu document (the `GET /menu/view` shape) into the
 * corporation's menu, in one transaction; answers what was created, updated or left unchanged.
 */
export async function importMenu(
  ctx: AdminContext, corporationId: string, body: unknown,
): Promise<Record<string, KindCount>> {
  await requireCorporation(ctx.db, corporationId);
  const { root, problems } = adminInput(body);
  const doc = readMenuDocument(root);
  finishInput(problems);

  const tally = new WriteTally();
  await ctx.db.transaction().execute((trx) => importMenuDocument(
    trx, corporationId, doc as MenuDocument, nowIso(ctx.clock), tally));
  return tally.toJSON();
}
