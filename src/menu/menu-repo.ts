import type { Selectable } from 'kysely';
import type { Db } from '../store/database.js';
import type { MenuIngredientsTable } from '../store/menu-schema.js';
import type { MenuProductRow } from '../store/schema.js';
import { MenuIndex } from './menu-index.js';
import type {
  IngredientGroup, IngredientScheme, Menu, MenuCategory, MenuIngredient, MenuProduct, MenuSet,
  StopItemType, StopListEntry,
} from './menu.js';

/** What a corporation without a menu-set row is shown as. */
const DEFAULT_SET: MenuSet = {
  name: 'Menu', isPossibleDelete: false, haveChanges: false, dateModified: null,
};

/**
 * Reads a corporation's menu (dishes, categories, modifier schemes, groups and ingredients) and
 * the restaurants' stop lists. Writes happen through the seed and the admin tools.
 */
export class MenuRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The whole menu of a corporation, in menu order. */
  async menu(corporationId: string): Promise<Menu> {
    const [set, categories, products, ingredients, schemes, groups] = await Promise.all([
      this.#set(corporationId),
      this.#categories(corporationId),
      this.#products(corporationId),
      this.#ingredients(corporationId),
      this.#schemes(corporationId),
      this.#groups(corporationId),
    ]);
    return { set, categories, products, schemes, groups, ingredients };
  }

  /** One restaurant's view of the corporation's menu, with its stop list, for pricing orders. */
  async restaurantMenu(corporationId: string, restaurantId: string): Promise<MenuIndex> {
    const [menu, stops] = await Promise.all([
      this.menu(corporationId), this.stopList([restaurantId]),
    ]);
    return new MenuIndex(menu, stops);
  }

  /** Stop-list entries of the given restaurants. */
  async stopList(restaurantIds: readonly string[]): Promise<StopListEntry[]> {
    if (restaurantIds.length === 0) return [];

    const rows = await this.#db.selectFrom('menuStopList')
      .select(['restaurantId', 'itemType', 'itemId', 'remaining'])
      .where('restaurantId', 'in', restaurantIds)
      .orderBy('restaurantId').orderBy('itemType').orderBy('itemId')
      .execute();
    return rows.map((row) => ({ ...row, itemType: row.itemType as StopItemType }));
  }

  async #set(corporationId: string): Promise<MenuSet> {
    const row = await this.#db.selectFrom('menuSets').selectAll()
      .where('corporationId', '=', corporationId).executeTakeFirst();
    if (!row) return DEFAULT_SET;
    return {
      name: row.name,
      isPossibleDelete: row.isPossibleDelete === 1,
      haveChanges: row.haveChanges === 1,
      dateModified: row.dateModified,
    };
  }

  async #categories(corporationId: string): Promise<MenuCategory[]> {
    return this.#db.selectFrom('menuCategories').select(['id', 'name', 'parentId'])
      .where('corporationId', '=', corporationId).orderBy('sort').orderBy('id').execute();
  }

  async #products(corporationId: string): Promise<MenuProduct[]> {
    const rows = await this.#db.selectFrom('menuProducts').selectAll()
      .where('corporationId', '=', corporationId).orderBy('sort').orderBy('id').execute();
    return rows.map(toProduct);
  }

  async #ingredients(corporationId: string): Promise<MenuIngredient[]> {
    const rows = await this.#db.selectFrom('menuIngredients').selectAll()
      .where('corporationId', '=', corporationId).orderBy('sort').orderBy('id').execute();
    return rows.map(toIngredient);
  }

  async #schemes(corporationId: string): Promise<IngredientScheme[]> {
    const [schemes, links] = await Promise.all([
      this.#db.selectFrom('menuIngredientSchemes').select(['id', 'name'])
        .where('corporationId', '=', corporationId).orderBy('id').execute(),
      this.#db.selectFrom('menuSchemeGroups')
        .innerJoin('menuIngredientSchemes as s', 's.id', 'menuSchemeGroups.schemeId')
        .select(['schemeId', 'groupId', 'minCount', 'maxCount'])
        .where('s.corporationId', '=', corporationId)
        .orderBy('schemeId').orderBy('menuSchemeGroups.sort').orderBy('groupId')
        .execute(),
    ]);
    return schemes.map((scheme) => ({
      ...scheme,
      groups: links.filter((l) => l.schemeId === scheme.id)
        .map(({ groupId, minCount, maxCount }) => ({ groupId, minCount, maxCount })),
    }));
  }

  async #groups(corporationId: string): Promise<IngredientGroup[]> {
    const [groups, members] = await Promise.all([
      this.#db.selectFrom('menuIngredientGroups').select(['id', 'name'])
        .where('corporationId', '=', corporationId).orderBy('id').execute(),
      this.#db.selectFrom('menuGroupIngredients')
        .innerJoin('menuIngredientGroups as g', 'g.id', 'menuGroupIngredients.groupId')
        .select(['groupId', 'ingredientId'])
        .where('g.corporationId', '=', corporationId)
        .orderBy('groupId').orderBy('menuGroupIngredients.sort').orderBy('ingredientId')
        .execute(),
    ]);
    return groups.map((group) => ({
      ...group,
      ingredientIds: members.filter((m) => m.groupId === group.id).map((m) => m.ingredientId),
    }));
  }
}

function toProduct(row: MenuProductRow): MenuProduct {
  return {
    id: row.id,
    externalId: row.externalId,
    categoryId: row.categoryId,
    name: row.name,
    description: row.description,
    price: row.price,
    schemeId: row.schemeId,
    imageUrls: parseUrls(row.imageUrls),
    measure: { value: row.measureValue, unit: row.measureUnit },
    priceMode: row.priceMode,
    qntDecDigits: row.qntDecDigits,
    changeQntOnce: row.changeQntOnce === null ? null : row.changeQntOnce === 1,
    joinMode: row.joinMode,
    nutrition: {
      calories: row.calories,
      energyValue: row.energyValue,
      proteins: row.proteins,
      fats: row.fats,
      carbohydrates: row.carbohydrates,
    },
    dishTaxes: row.dishTaxes === null ? null : JSON.parse(row.dishTaxes) as unknown,
  };
}

function toIngredient(row: Selectable<MenuIngredientsTable>): MenuIngredient {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    description: row.description,
    price: row.price,
    imageUrls: parseUrls(row.imageUrls),
    measure: { value: row.measureValue, unit: row.measureUnit },
    maxCountForDish: row.maxCountForDish,
  };
}

function parseUrls(json: string): string[] {
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? value.filter((url): url is string => typeof url === 'string') : [];
}
