import type { Rk7Dish } from './rk7-replies.js';
import type { SaveOrderDish } from './rk7-requests.js';

/** What an edit sends: dishes to add, and station lines to void whole. */
export interface LineChanges {
  add: SaveOrderDish[];
  remove: Rk7Dish[];
}

/**
 * Compares the dishes an order has at the station with the dishes it should have (`rk7-xml.md`
 * §6.6). Lines are equal when code, quantity, price and modifiers are; each wanted line keeps
 * one equal station line, the remaining station lines are voided, and wanted lines left without
 * a partner are added. Order does not matter and duplicates count one by one, so applying the
 * result and comparing again yields no changes.
 */
export function planLineChanges(
  current: readonly Rk7Dish[],
  wanted: readonly SaveOrderDish[],
): LineChanges {
  const unclaimed = current.map((dish) => ({ dish, key: lineKey(dish) }));
  const add: SaveOrderDish[] = [];

  for (const dish of wanted) {
    const key = lineKey(dish);
    const partner = unclaimed.findIndex((c) => c.key === key);
    if (partner === -1) add.push(dish);
    else unclaimed.splice(partner, 1);
  }
  return { add, remove: unclaimed.map((c) => c.dish) };
}

function lineKey(dish: Pick<SaveOrderDish, 'code' | 'quantity' | 'price' | 'modifiers'>): string {
  const modifiers = dish.modifiers
    .map((m) => `${m.code}×${m.count}@${m.price}`)
    .sort()
    .join(',');
  return `${dish.code}|${dish.quantity}|${dish.price}|${modifiers}`;
}
