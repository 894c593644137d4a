import type { Generated } from 'kysely';

/**
 * The menu's tables (migration 0002 and later): categories, products, modifier schemes, groups
 * and ingredients, sets and the stop list. Same conventions as `schema.ts`.
 */
export interface MenuTables {
  menuCategories: MenuCategoriesTable;
  menuProducts: MenuProductsTable;
  menuSets: MenuSetsTable;
  menuIngredients: MenuIngredientsTable;
  menuIngredientSchemes: MenuIngredientSchemesTable;
  menuIngredientGroups: MenuIngredientGroupsTable;
  menuSchemeGroups: MenuSchemeGroupsTable;
  menuGroupIngredients: MenuGroupIngredientsTable;
  menuStopList: MenuStopListTable;
}

export interface MenuCategoriesTable {
  id: string;
  corporationId: string;
  name: string;
  parentId: string | null;
  sort: number;
}

export interface MenuProductsTable {
  id: string;
  corporationId: string;
  categoryId: string | null;
  /** r_keeper menu item code. */
  externalId: string;
  name: string;
  description: string;
  price: number;
  measureValue: number | null;
  measureUnit: string | null;
  priceMode: string;
  sort: number;
  /** Modifier scheme of the dish (`menuIngredientSchemes.id`), null when it takes none. */
  schemeId: string | null;
  /** JSON array of image URLs. */
  imageUrls: Generated<string>;
  calories: number | null;
  energyValue: number | null;
  proteins: number | null;
  fats: number | null;
  carbohydrates: number | null;
  /** Decimal places the quantity may have; null: 3 for `PerUnitOfWeight`, else 0. */
  qntDecDigits: number | null;
  changeQntOnce: number | null;
  joinMode: string | null;
  /** JSON of the `dishTaxes` object. */
  dishTaxes: string | null;
}

/** The menu set (view) of a corporation: its name and publication flags. */
export interface MenuSetsTable {
  corporationId: string;
  name: string;
  isPossibleDelete: number;
  haveChanges: number;
  dateModified: string | null;
}

/** A modifier ("ingredient"); `externalId` is its r_keeper MODIFIERS code. */
export interface MenuIngredientsTable {
  id: string;
  corporationId: string;
  externalId: string;
  name: string;
  description: string;
  price: number;
  measureValue: number | null;
  measureUnit: string | null;
  imageUrls: Generated<string>;
  /** How many of it one dish may take; null for no limit of its own. */
  maxCountForDish: number | null;
  sort: number;
}

export interface MenuIngredientSchemesTable {
  id: string;
  corporationId: string;
  name: string;
}

export interface MenuIngredientGroupsTable {
  id: string;
  corporationId: string;
  name: string;
}

/** A group in a scheme, with how many of its ingredients a dish must and may take. */
export interface MenuSchemeGroupsTable {
  schemeId: string;
  groupId: string;
  minCount: number;
  maxCount: number;
  sort: number;
}

export interface MenuGroupIngredientsTable {
  groupId: string;
  ingredientId: string;
  sort: number;
}

/**
 * A dish or ingredient stopped or limited in one restaurant: `remaining` null or 0 means
 * stopped, above 0 the quantity (thousandths) still available.
 */
export interface MenuStopListTable {
  restaurantId: string;
  /** `product` | `ingredient`. */
  itemType: string;
  itemId: string;
  remaining: number | null;
  updatedAt: string;
}
