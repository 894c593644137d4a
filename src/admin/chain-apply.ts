import { hashSecret, newSecret, verifySecret } from '../auth/secret-hash.js';
import type { Db } from '../store/database.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import { newId } from './admin-input.js';
import { type ChainDocument, type ChainSources, type ConnectionDecl, readChainDocument }
  from './chain-input.js';
import { saveConnection } from './connection-admin.js';
import { saveCorporation } from './corporation-admin.js';
import { saveCurrencies } from './currency-admin.js';
import { saveZones } from './delivery-zone-admin.js';
import { importMenuDocument } from './menu-import.js';
import { saveRejectionReasons } from './rejection-reason-admin.js';
import { saveRestaurant } from './restaurant-admin.js';
import { saveStopList } from './stop-list-admin.js';
import { type KindCount, WriteTally } from './write-tally.js';

/** What `admin apply` did (or, in a dry run, would do). */
export interface ApplySummary {
  /** False when the database already was as the file declares. */
  changed: boolean;
  dryRun: boolean;
  /** Per kind of thing (`corporations`, `restaurants`, `menuProducts`…). */
  counts: Record<string, KindCount>;
  /** Secrets of the connections this run created: shown here once, stored hashed. */
  newSecrets: { clientId: string; name: string; clientSecret: string }[];
}

/**
 * Applies a chain file: reads and checks all of it first, then upserts everything in one
 * transaction, so a file with a problem changes nothing. What already is as declared is not
 * written, so applying the same file twice changes nothing the second time. A dry run does the
 * same work and rolls it back.
 */
export async function applyChain(
  ctx: AdminContext, body: unknown,
  options: ChainSources & { dryRun?: boolean } = {},
): Promise<ApplySummary> {
  const doc = readChainDocument(body, options);
  const now = nowIso(ctx.clock);
  const dryRun = options.dryRun === true;

  let summary: ApplySummary | undefined;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const tally = new WriteTally();
      const newSecrets = await writeChain(trx, doc, now, tally);
      summary = { changed: tally.changed, dryRun, counts: tally.toJSON(), newSecrets };
      if (dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  // A dry run's secrets were never stored: showing them would only mislead.
  const result = summary as ApplySummary;
  return dryRun ? { ...result, newSecrets: [] } : result;
}

/** Thrown inside the transaction of a dry run to roll it back. */
class DryRunRollback extends Error {}

async function writeChain(
  db: Db, doc: ChainDocument, now: string, tally: WriteTally,
): Promise<ApplySummary['newSecrets']> {
  const newSecrets: ApplySummary['newSecrets'] = [];
  for (const corp of doc.corporations) {
    tally.add('corporations', await saveCorporation(db, corp.id, corp.settings, now));
    if (corp.rejectionReasons) {
      await saveRejectionReasons(db, corp.id, corp.rejectionReasons,
        `${corp.path}.rejectionReasons`, tally);
    }
    if (corp.menu) await importMenuDocument(db, corp.id, corp.menu, now, tally);

    for (const r of corp.restaurants) {
      tally.add('restaurants', await saveRestaurant(db,
        { id: r.id, corporationId: corp.id, path: r.path }, r.settings, now));
      if (r.currencies) tally.add('currencies', await saveCurrencies(db, r.id, r.currencies));
      if (r.stopList) {
        await saveStopList(db, { id: r.id, corporationId: corp.id }, r.stopList, now, tally);
      }
      if (r.deliveryZones) await saveZones(db, r.id, r.deliveryZones, now, tally);
    }

    for (const c of corp.connections) {
      const created = await saveDeclaredConnection(db, corp.id, c, now, tally);
      if (created) newSecrets.push(created);
    }
  }
  return newSecrets;
}

/**
 * A declared connection, found by `clientId` or else by name in the corporation. A new one gets
 * the declared secret or a generated one (returned, to be shown once); an existing one keeps its
 * secret unless a declared secret differs from it.
 */
async function saveDeclaredConnection(
  db: Db, corporationId: string, decl: ConnectionDecl, now: string, tally: WriteTally,
): Promise<ApplySummary['newSecrets'][number] | undefined> {
  const existing = decl.clientId !== undefined
    ? await db.selectFrom('apiConnections').select(['clientId', 'secretHash'])
      .where('clientId', '=', decl.clientId).executeTakeFirst()
    : await db.selectFrom('apiConnections').select(['clientId', 'secretHash'])
      .where('corporationId', '=', corporationId).where('name', '=', decl.settings.name)
      .executeTakeFirst();
  const clientId = existing?.clientId ?? decl.clientId ?? newId();

  let secret: string | undefined;
  if (!existing) secret = decl.secret ?? newSecret();
  else if (decl.secret !== undefined && !await verifySecret(decl.secret, existing.secretHash)) {
    secret = decl.secret;
  }

  const hash = secret === undefined ? undefined : await hashSecret(secret);
  tally.add('connections', await saveConnection(db,
    { clientId, corporationId, path: decl.path }, decl.settings, { hash, now }));
  if (existing || decl.secret !== undefined || secret === undefined) return undefined;
  return { clientId, name: decl.settings.name, clientSecret: secret };
}
