import type { StationLineDraft } from '../cash/cash-station.js';
import type { FieldProblems } from '../errors/hub-error.js';
import type { MenuIndex } from '../menu/menu-index.js';
import { type MenuProduct, quantityDecimals } from '../menu/menu.js';
import { lineTotal, toQuantity } from '../money/money.js';
import type { DishInput } from './create-order-input.js';
import { type PricedIngredient, priceIngredients } from './ingredient-pricing.js';
import type { OrderLine } from './order-record.js';

/** A line priced from the menu, before it is numbered. */
export type PricedLine = Omit<OrderLine, 'lineNo'>;

/** What pricing needs: the menu with the restaurant's stop list, and the corporation's rule. */
export interface PricingContext {
  menu: MenuIndex;
  /** *Check contents and price*: a client price unlike the menu's is an error. */
  checkPrices: boolean;
}

/**
 * Prices every dish line from the menu (`delivery-api.md` §8.3, §8.4) and records every rule it
 * breaks against the field's path. Lines are never merged. A line's total is
 * `(dish price + Σ ingredient price × ingredient quantity) × dish quantity`, in kopecks, each
 * ingredient's share rounded half-up on its own so the cash station, which charges a modifier
 * `price × count`, arrives at the same sum (see {@link stationModifiers}).
 */
export function priceLines(
  dishes: readonly DishInput[] | undefined, ctx: PricingContext, problems: FieldProblems,
): PricedLine[] {
  if (!dishes || dishes.length === 0) {
    problems.add('dishList', 'Select dishes from the menu');
    return [];
  }

  const lines: PricedLine[] = [];
  const priced: Priced[] = [];
  for (const dish of dishes) {
    const product = checkDish(dish, ctx, problems);
    if (!product) continue;

    const quantity = dish.quantity as number;
    const chosen = priceIngredients(dish, product, quantity, ctx, problems);
    const ingredients = chosen.map((c) => c.ingredient);
    const line: PricedLine = {
      productId: product.id,
      externalId: product.externalId,
      name: product.name,
      price: product.price,
      quantity,
      total: lineTotal(product.price, quantity) + ingredients.reduce((s, i) => s + i.total, 0),
      measureValue: product.measure.value,
      measureUnit: product.measure.unit,
      ingredients,
    };
    lines.push(line);
    priced.push({ dish, product, line, chosen });
  }

  checkLimits(priced, ctx.menu, problems);
  return lines;
}

interface Priced {
  dish: DishInput;
  product: MenuProduct;
  line: PricedLine;
  chosen: PricedIngredient[];
}

/** The menu dish of a line when the line may be priced; its problems recorded otherwise. */
function checkDish(
  dish: DishInput, ctx: PricingContext, problems: FieldProblems,
): MenuProduct | undefined {
  if (!dish.id) {
    problems.add(`${dish.path}.id`, 'Value is required');
    return undefined;
  }
  const product = ctx.menu.product(dish.id);
  if (!product) {
    problems.add(`${dish.path}.id`, `Dish ${dish.id} ${dish.name ?? ''} not found`.trimEnd());
    return undefined;
  }
  if (dish.quantity === undefined) {
    problems.add(`${dish.path}.quantity`, 'Value is required');
    return undefined;
  }
  if (dish.quantity <= 0) {
    problems.add(`${dish.path}.quantity`, 'The number of dishes must be greater than 0');
    return undefined;
  }
  const decimals = quantityDecimals(product);
  if (dish.quantity % 10 ** (3 - decimals) !== 0) {
    problems.add(`${dish.path}.quantity`, decimals === 0
      ? `The quantity of dish ${dish.id} must be a whole number`
      : `The quantity of dish ${dish.id} may have at most ${decimals} decimal places`);
    return undefined;
  }

  if (ctx.checkPrices && dish.price !== undefined && dish.price !== product.price) {
    problems.add(`${dish.path}.price`, `Wrong price for dish ${dish.id} ${product.name}`);
  }
  if (ctx.menu.stop('product', product.id)?.stopped) {
    problems.add(`${dish.path}.id`, `Dish ${dish.id} ${product.name} is in the stop list`);
  }
  return product;
}

/**
 * Limited dishes and ingredients: what the whole order takes of each (all lines together) must
 * not exceed what is left. The problem is named on the line that goes over.
 */
function checkLimits(priced: readonly Priced[], menu: MenuIndex, problems: FieldProblems) {
  const taken = new Map<string, number>();
  const take = (key: string, amount: number) => {
    const sum = (taken.get(key) ?? 0) + amount;
    taken.set(key, sum);
    return sum;
  };

  for (const { dish, product, line, chosen } of priced) {
    const dishLeft = menu.stop('product', product.id);
    if (dishLeft?.stopped === false
      && take(`product:${product.id}`, line.quantity) > dishLeft.remaining) {
      problems.add(`${dish.path}.quantity`,
        `Dish ${dish.id} ${product.name}: only ${toQuantity(dishLeft.remaining)} left`);
    }

    for (const { path, inputId, ingredient } of chosen) {
      const left = menu.stop('ingredient', ingredient.ingredientId);
      const onLine = (ingredient.quantity / 1000) * line.quantity;
      if (left?.stopped === false
        && take(`ingredient:${ingredient.ingredientId}`, onLine) > left.remaining) {
        problems.add(`${path}.quantity`, `Ingredient ${inputId} ${ingredient.name}:`
          + ` only ${toQuantity(left.remaining)} left`);
      }
    }
  }
}

/**
 * A line's ingredients as cash-station modifiers. The station charges a modifier
 * `price × count` with a whole `count` for the whole line, so an ingredient taken a whole number
 * of times on the line goes as its unit price × that count; on a fractional (weighed) line it
 * goes once at the amount the hub charged for it. Either way the station's sum equals the
 * line's `total`.
 */
export function stationModifiers(
  line: Pick<OrderLine, 'quantity' | 'ingredients'>,
): StationLineDraft['modifiers'] {
  return line.ingredients.map((ingredient) => {
    const count = (ingredient.quantity * line.quantity) / 1_000_000;
    return Number.isInteger(count)
      ? { code: ingredient.externalId, count, price: ingredient.price }
      : { code: ingredient.externalId, count: 1, price: ingredient.total };
  });
}
