import type { BodyReader } from '../api/body-reader.js';
import { FieldProblems } from '../errors/hub-error.js';
import { toQuantity } from '../money/money.js';
import type { Thousandths } from '../money/money.js';
import type { Db } from '../store/database.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import { adminInput, finishInput, nonBlank, oneOf, strictObject } from './admin-input.js';
import { requireRestaurantRow } from './restaurant-admin.js';
import { WriteTally } from './write-tally.js';

/** A dish or modifier stopped or limited in a restaurant, as the admin API shows it. */
export interface StopListItemView {
  type: 'product' | 'ingredient';
  id: string;
  externalId: string;
  name: string;
  /** Quantity still available; null when the item is stopped outright. */
  remaining: number | null;
}

/** One entry of stop-list input: the item by `id` or by `externalId` (r_keeper code). */
export interface StopListInput {
  type: 'product' | 'ingredient';
  id: string | undefined;
  externalId: string | undefined;
  remaining: Thousandths | null;
  path: string;
}

/**
 * Reads a stop list: `[{type?, id | externalId, remaining?}]`; `type` is `product` (default) or
 * `ingredient`, `remaining` absent, null or 0 stops the item, above 0 limits it.
 */
export function readStopList(r: BodyReader): StopListInput[] | undefined {
  const items = r.array();
  if (items === undefined) {
    if (r.absent) r.problem('is required');
    return undefined;
  }

  return items.flatMap((item) => {
    if (!strictObject(item, ['type', 'id', 'externalId', 'remaining'])) return [];
    const id = nonBlank(item.field('id'));
    const externalId = nonBlank(item.field('externalId'));
    if ((id === undefined) === (externalId === undefined)) {
      item.field('id').problem('give either id or externalId');
    }
    const remainingReader = item.field('remaining');
    const remaining = remainingReader.thousandths();
    if (remaining !== undefined && remaining < 0) remainingReader.problem('must not be negative');
    return [{
      type: oneOf(item.field('type'), ['product', 'ingredient'] as const) ?? 'product',
      id, externalId, remaining: remaining === undefined || remaining <= 0 ? null : remaining,
      path: item.path,
    }];
  });
}

export async function listStopList(db: Db, restaurantId: string): Promise<StopListItemView[]> {
  const rows = await db.selectFrom('menuStopList').selectAll()
    .where('restaurantId', '=', restaurantId).orderBy('itemType').orderBy('itemId').execute();
  const named = async (table: 'menuProducts' | 'menuIngredients', ids: string[]) =>
    ids.length === 0 ? [] : db.selectFrom(table).select(['id', 'externalId', 'name'])
      .where('id', 'in', ids).execute();
  const idsOf = (type: string) => rows.filter((r) => r.itemType === type).map((r) => r.itemId);
  const items = [
    ...await named('menuProducts', idsOf('product')),
    ...await named('menuIngredients', idsOf('ingredient')),
  ];

  return rows.map((row) => {
    const item = items.find((i) => i.id === row.itemId);
    return {
      type: row.itemType === 'ingredient' ? 'ingredient' : 'product',
      id: row.itemId,
      externalId: item?.externalId ?? '',
      name: item?.name ?? '',
      remaining: row.remaining === null || row.remaining === 0 ? null : toQuantity(row.remaining),
    };
  });
}

/**
 * Makes the restaurant's stop list exactly `entries`: items must be in the corporation's menu
 * (a stranger is a 400 naming `path`); entries already so are left alone.
 */
export async function saveStopList(
  db: Db, restaurant: { id: string; corporationId: string }, entries: readonly StopListInput[],
  now: string, tally: WriteTally,
): Promise<void> {
  const resolved = await resolveItems(db, restaurant.corporationId, entries);
  const stored = await db.selectFrom('menuStopList').selectAll()
    .where('restaurantId', '=', restaurant.id).execute();
  const key = (type: string, id: string) => `${type}:${id}`;
  const wanted = new Map(resolved.map((e) => [key(e.type, e.id), e]));

  for (const row of stored) {
    if (wanted.has(key(row.itemType, row.itemId))) continue;
    await db.deleteFrom('menuStopList').where('restaurantId', '=', restaurant.id)
      .where('itemType', '=', row.itemType).where('itemId', '=', row.itemId).execute();
    tally.add('stopList', 'deleted');
  }
  for (const entry of wanted.values()) {
    const row = stored.find((s) => key(s.itemType, s.itemId) === key(entry.type, entry.id));
    if (row && (row.remaining || null) === entry.remaining) {
      tally.add('stopList', 'unchanged');
    } else if (row) {
      await db.updateTable('menuStopList').set({ remaining: entry.remaining, updatedAt: now })
        .where('restaurantId', '=', restaurant.id).where('itemType', '=', entry.type)
        .where('itemId', '=', entry.id).execute();
      tally.add('stopList', 'updated');
    } else {
      await db.insertInto('menuStopList').values({
        restaurantId: restaurant.id, itemType: entry.type, itemId: entry.id,
        remaining: entry.remaining, updatedAt: now,
      }).execute();
      tally.add('stopList', 'created');
    }
  }
}

/** `PUT /restaurants/{id}/stop-list`: replaces the restaurant's stop list. */
export async function replaceStopList(
  ctx: AdminContext, restaurantId: string, body: unknown,
): Promise<StopListItemView[]> {
  const { corporationId } = await requireRestaurantRow(ctx.db, restaurantId);
  const { root, problems } = adminInput(body);
  const entries = readStopList(root);
  finishInput(problems);

  await ctx.db.transaction().execute((trx) => saveStopList(trx, { id: restaurantId, corporationId },
    entries as StopListInput[], nowIso(ctx.clock), new WriteTally()));
  return listStopList(ctx.db, restaurantId);
}

async function resolveItems(
  db: Db, corporationId: string, entries: readonly StopListInput[],
): Promise<{ type: 'product' | 'ingredient'; id: string; remaining: Thousandths | null }[]> {
  const [products, ingredients] = await Promise.all(
    (['menuProducts', 'menuIngredients'] as const).map((table) => db.selectFrom(table)
      .select(['id', 'externalId']).where('corporationId', '=', corporationId).execute()),
  );
  const problems = new FieldProblems();
  const resolved = entries.flatMap((entry) => {
    const menu = (entry.type === 'product' ? products : ingredients) ?? [];
    const item = menu.find((m) => entry.id !== undefined
      ? m.id.toLowerCase() === entry.id.toLowerCase()
      : m.externalId === entry.externalId);
    if (!item) {
      problems.add(`${entry.path}.${entry.id === undefined ? 'externalId' : 'id'}`,
        `no such ${entry.type} in the corporation's menu`);
      return [];
    }
    return [{ type: entry.type, id: item.id, remaining: entry.remaining }];
  });
  problems.throwIfAny('ERR_PARSE_REQUEST');
  return resolved;
}
