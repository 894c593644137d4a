import type { Thousandths } from '../money/money.js';
import {
  type Menu, type MenuIngredient, type MenuProduct, type SchemeGroup, type StopItemType,
  type StopListEntry, isStopped,
} from './menu.js';

/** How an item stands in a restaurant's stop list. */
export type StopState = { stopped: true } | { stopped: false; remaining: Thousandths };

/** A scheme group as a dish sees it: its limits and the ingredients in it. */
export interface DishGroup extends SchemeGroup {
  ingredientIds: readonly string[];
}

/**
 * One restaurant's view of the menu for pricing orders: dishes and ingredients found by menu id
 * (case-insensitive, braces ignored) or by r_keeper code, each dish's scheme groups, and the
 * restaurant's stop list.
 */
export class MenuIndex {
  readonly #products: Lookup<MenuProduct>;
  readonly #ingredients: Lookup<MenuIngredient>;
  readonly #groupsOfScheme: Map<string, DishGroup[]>;
  readonly #stops: Map<string, StopState>;

  constructor(menu: Menu, stops: readonly StopListEntry[]) {
    this.#products = new Lookup(menu.products);
    this.#ingredients = new Lookup(menu.ingredients);

    const groups = new Map(menu.groups.map((g) => [g.id, g.ingredientIds]));
    this.#groupsOfScheme = new Map(menu.schemes.map((scheme) => [
      scheme.id,
      scheme.groups.map((g) => ({ ...g, ingredientIds: groups.get(g.groupId) ?? [] })),
    ]));

    this.#stops = new Map(stops.map((entry) => [
      `${entry.itemType}:${entry.itemId}`,
      isStopped(entry)
        ? { stopped: true as const }
        : { stopped: false as const, remaining: entry.remaining as number },
    ]));
  }

  /** The dish a client id names: its menu id, or its r_keeper code. */
  product(id: string): MenuProduct | undefined {
    return this.#products.find(id);
  }

  /** The ingredient a client id names: its menu id, or its r_keeper modifier code. */
  ingredient(id: string): MenuIngredient | undefined {
    return this.#ingredients.find(id);
  }

  /** The groups of a dish's scheme; undefined when the dish has no scheme (or it is missing). */
  groupsOf(product: MenuProduct): readonly DishGroup[] | undefined {
    return product.schemeId === null ? undefined : this.#groupsOfScheme.get(product.schemeId);
  }

  /** The item's stop-list state in the restaurant; undefined when it is not listed. */
  stop(type: StopItemType, id: string): StopState | undefined {
    return this.#stops.get(`${type}:${id}`);
  }
}

class Lookup<T extends { id: string; externalId: string }> {
  readonly #byId: Map<string, T>;
  readonly #byExternalId: Map<string, T>;

  constructor(items: readonly T[]) {
    this.#byId = new Map(items.map((item) => [canonical(item.id), item]));
    this.#byExternalId = new Map(items.map((item) => [item.externalId, item]));
  }

  find(id: string): T | undefined {
    return this.#byId.get(canonical(id)) ?? this.#byExternalId.get(id.trim());
  }
}

function canonical(id: string): string {
  return id.trim().replace(/[{}]/g, '').toLowerCase();
}
