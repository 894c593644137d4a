import { cashErrorToHubError } from '../cash/cash-error-mapping.js';
import { CashStationError } from '../cash/cash-station.js';
import type { StationMenu, StationMenuItem } from '../cash/cash-station.js';
import { HubError } from '../errors/hub-error.js';
import { ChainRepo } from '../store/chain-repo.js';
import type { Db } from '../store/database.js';
import { nowIso } from '../time/instant.js';
import type { AdminContext } from './admin-context.js';
import { type WriteOutcome, newId } from './admin-input.js';
import { saveMenuSet, upsert } from './menu-import.js';
import { WriteTally } from './write-tally.js';

/**
 * `POST /restaurants/{id}/menu/import-from-station`: reads what the restaurant's cash station
 * sells (`CashStation.menu`, `rk7-xml.md` §6.2) into the corporation's menu. Dishes become
 * products and modifiers ingredients, matched by r_keeper code (`externalId`): a known one gets
 * the station's name and price, and keeps what the admin set (category, description,
 * measure); a new one is added uncategorised, under the station's GUID when no menu item has
 * it yet. The delivery-fee dish is a charge, not a dish, and is left out. Nothing is deleted.
 */
export async function importStationMenu(
  ctx: AdminContext, restaurantId: string,
): Promise<Record<string, unknown>> {
  const restaurant = await new ChainRepo(ctx.db).getRestaurant(restaurantId);
  if (!restaurant) {
    throw new HubError('restaurant_not_found', `Restaurant ${restaurantId} not found`);
  }

  let menu: StationMenu;
  try {
    menu = await ctx.stationFor(restaurant).menu();
  } catch (err) {
    throw err instanceof CashStationError ? cashErrorToHubError(err, 'read') : err;
  }

  const dishes = menu.dishes.filter((d) => d.code !== restaurant.cashStation.deliveryFeeDishCode);
  const tally = new WriteTally();
  await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso(ctx.clock);
    const { corporationId } = restaurant;
    for (const dish of dishes) {
      tally.add('menuProducts', await saveStationItem(trx, 'menuProducts', corporationId, dish));
    }
    for (const modifier of menu.modifiers) {
      tally.add('menuIngredients',
        await saveStationItem(trx, 'menuIngredients', corporationId, modifier));
    }
    await saveMenuSet(trx, corporationId, { name: undefined, now, changed: tally.changed }, tally);
  });
  return tally.toJSON();
}

async function saveStationItem(
  db: Db, table: 'menuProducts' | 'menuIngredients', corporationId: string,
  item: StationMenuItem,
): Promise<WriteOutcome> {
  const existing = await db.selectFrom(table).selectAll()
    .where('corporationId', '=', corporationId).where('externalId', '=', item.code)
    .executeTakeFirst();
  const weighed = item.qntDecDigits > 0;

  if (existing) {
    const changes: Record<string, unknown> = { name: item.name, price: item.price };
    if (table === 'menuProducts' && 'priceMode' in existing) {
      changes.qntDecDigits = weighed ? item.qntDecDigits : existing.qntDecDigits;
      // A weighed dish is priced per unit of weight; one no longer weighed falls back to pieces.
      changes.priceMode = weighed ? 'PerUnitOfWeight'
        : existing.priceMode === 'PerUnitOfWeight' ? 'PerPiece' : existing.priceMode;
    }
    return upsert(db, table, existing.id, changes);
  }

  const id = await freeId(db, item.guid);
  const sort = await nextSort(db, table, corporationId);
  const common = {
    corporationId, externalId: item.code, name: item.name, description: '', price: item.price,
    measureValue: null, measureUnit: null, sort,
  };
  return upsert(db, table, id, table === 'menuProducts'
    ? {
      ...common, categoryId: null, priceMode: weighed ? 'PerUnitOfWeight' : 'PerPiece',
      qntDecDigits: weighed ? item.qntDecDigits : null,
    }
    : common);
}

/** The station's GUID when no dish or modifier has it as id yet (in any corporation). */
async function freeId(db: Db, guid: string | undefined): Promise<string> {
  if (guid === undefined) return newId();

  const [product, ingredient] = await Promise.all([
    db.selectFrom('menuProducts').select('id').where('id', '=', guid).executeTakeFirst(),
    db.selectFrom('menuIngredients').select('id').where('id', '=', guid).executeTakeFirst(),
  ]);
  return product || ingredient ? newId() : guid;
}

async function nextSort(
  db: Db, table: 'menuProducts' | 'menuIngredients', corporationId: string,
): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('sort').as('last'))
    .where('corporationId', '=', corporationId).executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}
