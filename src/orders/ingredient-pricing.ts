import type { FieldProblems } from '../errors/hub-error.js';
import type { DishGroup, MenuIndex } from '../menu/menu-index.js';
import type { MenuIngredient, MenuProduct } from '../menu/menu.js';
import { lineTotal } from '../money/money.js';
import type { DishInput, IngredientInput } from './create-order-input.js';
import type { OrderLineIngredient } from './order-record.js';

/** An ingredient priced for a line, with the path of the client's item it came from. */
export interface PricedIngredient {
  path: string;
  /** The id the client named it by (menu id or r_keeper code). */
  inputId: string;
  ingredient: OrderLineIngredient;
}

interface IngredientRules {
  menu: MenuIndex;
  checkPrices: boolean;
}

/**
 * Checks and prices the ingredients (modifiers) chosen for one dish line of `quantity`
 * thousandths: each must be in the menu and in the dish's scheme, not stopped, a whole number of
 * times, at the menu price when prices are checked; then every scheme group's min/max and each
 * ingredient's `maxCountForDish` must hold (messages of `delivery-api.md` §13.3).
 */
export function priceIngredients(
  dish: DishInput, product: MenuProduct, quantity: number, rules: IngredientRules,
  problems: FieldProblems,
): PricedIngredient[] {
  const groups = rules.menu.groupsOf(product);
  if (groups === undefined) {
    if (dish.ingredients.length > 0) {
      problems.add(`${dish.path}.ingredients`, `Dish ${dish.id} must not have ingredients`);
    }
    return [];
  }

  const priced: PricedIngredient[] = [];
  const chosen = new Map<string, number>();
  for (const input of dish.ingredients) {
    const found = checkIngredient(input, groups, rules, problems);
    if (!found) continue;

    const perDish = input.quantity ?? 1000;
    chosen.set(found.id, (chosen.get(found.id) ?? 0) + perDish / 1000);
    priced.push({
      path: input.path,
      inputId: input.id as string,
      ingredient: {
        ingredientId: found.id,
        externalId: found.externalId,
        name: found.name,
        price: found.price,
        quantity: perDish,
        total: lineTotal(found.price, (perDish / 1000) * quantity),
      },
    });
  }

  checkCounts(dish, groups, chosen, rules.menu, problems);
  return priced;
}

/** The menu ingredient of a client's item when it may be priced; problems recorded otherwise. */
function checkIngredient(
  input: IngredientInput, groups: readonly DishGroup[], rules: IngredientRules,
  problems: FieldProblems,
): MenuIngredient | undefined {
  if (!input.id) {
    problems.add(`${input.path}.id`, 'Value is required');
    return undefined;
  }
  const ingredient = rules.menu.ingredient(input.id);
  if (!ingredient) {
    problems.add(`${input.path}.id`,
      `Ingredient ${input.id} ${input.name ?? ''}`.trimEnd() + ' is not in the menu');
    return undefined;
  }
  if (!groups.some((g) => g.ingredientIds.includes(ingredient.id))) {
    problems.add(`${input.path}.id`, `Incorrect ingredient ${ingredient.name} for the dish`);
    return undefined;
  }
  if (input.nested > 0) {
    problems.add(`${input.path}.ingredients`,
      `Ingredient ${input.id} ${ingredient.name} must not have ingredients`);
    return undefined;
  }
  if (input.quantity !== undefined && input.quantity <= 0) {
    problems.add(`${input.path}.quantity`, 'The number of ingredients must be greater than 0');
    return undefined;
  }
  if (input.quantity !== undefined && input.quantity % 1000 !== 0) {
    problems.add(`${input.path}.quantity`, 'The number of ingredients must be a whole number');
    return undefined;
  }

  if (rules.checkPrices && input.price !== undefined && input.price !== ingredient.price) {
    problems.add(`${input.path}.price`,
      `Wrong price for ingredient ${input.id} ${ingredient.name}`);
  }
  if (rules.menu.stop('ingredient', ingredient.id)?.stopped) {
    problems.add(`${input.path}.id`,
      `Ingredient ${input.id} ${ingredient.name} is in the stop list`);
  }
  return ingredient;
}

/** Group min/max over what the dish took (`chosen`: ingredient id → count per dish). */
function checkCounts(
  dish: DishInput, groups: readonly DishGroup[], chosen: ReadonlyMap<string, number>,
  menu: MenuIndex, problems: FieldProblems,
): void {
  const path = `${dish.path}.ingredients`;
  for (const group of groups) {
    const count = group.ingredientIds.reduce((sum, id) => sum + (chosen.get(id) ?? 0), 0);
    if (group.minCount > 0 && group.ingredientIds.length === 0) {
      problems.add(path,
        'Menu export problem: the dish lacks ingredients required by its scheme');
    } else if (count < group.minCount) {
      problems.add(path, `Set the ingredients for dish ${dish.id}`);
    } else if (count > group.maxCount) {
      problems.add(path,
        `The number of ingredients for ${dish.id} must not exceed ${group.maxCount}`);
    }
  }

  for (const [id, count] of chosen) {
    const max = menu.ingredient(id)?.maxCountForDish;
    if (max !== undefined && max !== null && count > max) {
      problems.add(path, `The number of ingredients for ${dish.id} must not exceed ${max}`);
    }
  }
}
