import { toQuantity, toRoubles } from '../money/money.js';
import { toWire } from '../time/instant.js';
import {
  type Measure, type Menu, type MenuIngredient, type MenuProduct, type StopItemType,
  type StopListEntry, isStopped,
} from './menu.js';

/**
 * The menu as `GET /menu/view` shows it (`delivery-api.md` §6.2): every documented key present,
 * ids as strings, prices in roubles. `stops` holds the stop lists of the restaurants the answer
 * covers; `isContainInStopList` lists those in which an item is stopped.
 */
export function menuView(menu: Menu, stops: readonly StopListEntry[]) {
  const stoppedIn = stoppedRestaurants(stops);
  return {
    categories: menu.categories.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
    products: menu.products.map((p) => productView(p, stoppedIn('product', p.id))),
    ingredientsSchemes: menu.schemes.map((s) => ({
      id: s.id,
      ingredientsGroups: s.groups.map((g) => ({
        id: g.groupId, minCount: g.minCount, maxCount: g.maxCount,
      })),
    })),
    ingredientsGroups: menu.groups.map((g) => ({
      id: g.id, name: g.name, ingredients: g.ingredientIds,
    })),
    ingredients: menu.ingredients.map((i) => ingredientView(i, stoppedIn('ingredient', i.id))),
    name: menu.set.name,
    isPossibleDelete: menu.set.isPossibleDelete,
    haveChanges: menu.set.haveChanges,
    dateModified: toWire(menu.set.dateModified),
  };
}

/**
 * `GET /menu/dishes/limitedlist` (§6.3): one entry per stopped or limited item and restaurant;
 * `quantity` is what is left, 0 when the item is stopped.
 */
export function limitedListView(menu: Menu, stops: readonly StopListEntry[]) {
  const products = new Map(menu.products.map((p) => [p.id, p]));
  const ingredients = new Map(menu.ingredients.map((i) => [i.id, i]));

  return stops.flatMap((entry) => {
    const item = entry.itemType === 'product'
      ? products.get(entry.itemId)
      : ingredients.get(entry.itemId);
    if (!item) return [];
    return [{
      restaurantId: entry.restaurantId,
      typeOfDish: entry.itemType,
      externalId: item.externalId,
      name: item.name,
      quantity: isStopped(entry) ? 0 : toQuantity(entry.remaining as number),
    }];
  });
}

function productView(p: MenuProduct, stoppedIn: string[]) {
  return {
    id: p.id,
    externalId: p.externalId,
    categoryId: p.categoryId,
    name: p.name,
    price: toRoubles(p.price),
    schemeId: p.schemeId,
    description: p.description,
    imageUrls: p.imageUrls,
    measure: {
      ...measureView(p.measure),
      priceMode: p.priceMode,
      qntDecDigits: p.qntDecDigits,
      changeQntOnce: p.changeQntOnce,
      joinMode: p.joinMode,
    },
    isContainInStopList: stoppedIn,
    ...p.nutrition,
    dishTaxes: p.dishTaxes,
  };
}

function ingredientView(i: MenuIngredient, stoppedIn: string[]) {
  return {
    id: i.id,
    externalId: i.externalId,
    name: i.name,
    price: toRoubles(i.price),
    schemeId: null,
    description: i.description,
    imageUrls: i.imageUrls,
    measure: measureView(i.measure),
    maxCountForDish: i.maxCountForDish,
    isContainInStopList: stoppedIn,
  };
}

function measureView(measure: Measure) {
  return {
    value: measure.value === null ? null : toQuantity(measure.value),
    unit: measure.unit,
  };
}

/** Looks up the restaurants in which an item is stopped outright. */
function stoppedRestaurants(stops: readonly StopListEntry[]) {
  const index = new Map<string, string[]>();
  for (const entry of stops) {
    if (!isStopped(entry)) continue;
    const key = `${entry.itemType}:${entry.itemId}`;
    index.set(key, [...(index.get(key) ?? []), entry.restaurantId]);
  }
  return (type: StopItemType, id: string): string[] => index.get(`${type}:${id}`) ?? [];
}
