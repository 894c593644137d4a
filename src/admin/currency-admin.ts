import type { BodyReader } from '../api/body-reader.js';
import type { Currency } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';
import type { AdminContext } from './admin-context.js';
import {
  type WriteOutcome, adminInput, finishInput, guid, needed, nonBlank, strictObject,
} from './admin-input.js';
import { requireRestaurantRow } from './restaurant-admin.js';

/**
 * Reads a restaurant's payment currencies: `[{code, name}]`, `code` being the r_keeper currency
 * GUID (kept upper case without braces, as payments name it). A code given twice is a problem.
 */
export function readCurrencies(r: BodyReader): Currency[] | undefined {
  const items = r.array();
  if (items === undefined) {
    if (r.absent) r.problem('is required');
    return undefined;
  }

  const currencies: Currency[] = [];
  for (const item of items) {
    if (!strictObject(item, ['code', 'name'])) continue;

    const codeReader = item.field('code');
    const code = needed(codeReader, true, guid)?.toUpperCase();
    const name = needed(item.field('name'), true, nonBlank);
    if (code !== undefined && currencies.some((c) => c.code === code)) {
      codeReader.problem('is listed twice');
    } else if (code !== undefined && name !== undefined) {
      currencies.push({ code, name });
    }
  }
  return currencies;
}

export async function listCurrencies(db: Db, restaurantId: string): Promise<Currency[]> {
  return db.selectFrom('restaurantCurrencies').select(['code', 'name'])
    .where('restaurantId', '=', restaurantId).orderBy('code').execute();
}

/** Makes the restaurant's currencies exactly `currencies`; writes nothing when they are. */
export async function saveCurrencies(
  db: Db, restaurantId: string, currencies: readonly Currency[],
): Promise<WriteOutcome> {
  const current = await listCurrencies(db, restaurantId);
  const wanted = byCode(currencies);
  if (JSON.stringify(byCode(current)) === JSON.stringify(wanted)) return 'unchanged';

  await db.deleteFrom('restaurantCurrencies').where('restaurantId', '=', restaurantId).execute();
  if (wanted.length > 0) {
    await db.insertInto('restaurantCurrencies')
      .values(wanted.map((c) => ({ restaurantId, code: c.code, name: c.name }))).execute();
  }
  return current.length === 0 ? 'created' : 'updated';
}

/** `PUT /restaurants/{id}/currencies`: replaces the restaurant's currencies. */
export async function replaceCurrencies(
  ctx: AdminContext, restaurantId: string, body: unknown,
): Promise<Currency[]> {
  await requireRestaurantRow(ctx.db, restaurantId);
  const { root, problems } = adminInput(body);
  const currencies = readCurrencies(root);
  finishInput(problems);

  await ctx.db.transaction().execute((trx) =>
    saveCurrencies(trx, restaurantId, currencies as Currency[]));
  return listCurrencies(ctx.db, restaurantId);
}

// Sorted here, not in SQL: PostgreSQL collations may order hyphens differently.
function byCode(currencies: readonly Currency[]): Currency[] {
  return [...currencies].map(({ code, name }) => ({ code, name }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
