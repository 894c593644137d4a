import type { Kopecks, Thousandths } from '../money/money.js';

/** `measure.priceMode` of the menu (`delivery-api.md` §8.4). */
export type PriceMode = 'PerPiece' | 'PerPortion' | 'PerUnitOfWeight' | 'PerDose';

/** A serving: size in thousandths of `unit` (300 g → 300000, `g`). */
export interface Measure {
  value: Thousandths | null;
  unit: string | null;
}

export interface MenuCategory {
  id: string;
  name: string;
  parentId: string | null;
}

/** A dish of the menu; `externalId` is its r_keeper menu item code. */
export interface MenuProduct {
  id: string;
  externalId: string;
  categoryId: string | null;
  name: string;
  description: string;
  price: Kopecks;
  schemeId: string | null;
  imageUrls: string[];
  measure: Measure;
  priceMode: string;
  /** As stored; null means the default of {@link quantityDecimals}. */
  qntDecDigits: number | null;
  changeQntOnce: boolean | null;
  joinMode: string | null;
  nutrition: Nutrition;
  dishTaxes: unknown;
}

export interface Nutrition {
  calories: number | null;
  energyValue: number | null;
  proteins: number | null;
  fats: number | null;
  carbohydrates: number | null;
}

/** A modifier ("ingredient"); `externalId` is its r_keeper MODIFIERS code. */
export interface MenuIngredient {
  id: string;
  externalId: string;
  name: string;
  description: string;
  price: Kopecks;
  imageUrls: string[];
  measure: Measure;
  /** How many of it one dish may take; null when only its group limits it. */
  maxCountForDish: number | null;
}

/** A modifier scheme: the groups a dish chooses from, each with its min/max count. */
export interface IngredientScheme {
  id: string;
  name: string;
  groups: SchemeGroup[];
}

export interface SchemeGroup {
  groupId: string;
  minCount: number;
  maxCount: number;
}

export interface IngredientGroup {
  id: string;
  name: string;
  ingredientIds: string[];
}

/** The menu set's own attributes. */
export interface MenuSet {
  name: string;
  isPossibleDelete: boolean;
  haveChanges: boolean;
  dateModified: string | null;
}

/** A corporation's whole menu. */
export interface Menu {
  set: MenuSet;
  categories: MenuCategory[];
  products: MenuProduct[];
  schemes: IngredientScheme[];
  groups: IngredientGroup[];
  ingredients: MenuIngredient[];
}

export type StopItemType = 'product' | 'ingredient';

/** A dish or ingredient stopped (`remaining` null or 0) or limited in one restaurant. */
export interface StopListEntry {
  restaurantId: string;
  itemType: StopItemType;
  itemId: string;
  remaining: Thousandths | null;
}

/** Whether a stop-list entry stops the item outright (nothing left). */
export function isStopped(entry: StopListEntry): boolean {
  return entry.remaining === null || entry.remaining <= 0;
}

/**
 * Decimal places a dish's quantity may have: its `qntDecDigits`, or by default 3 for dishes
 * sold by weight and 0 (whole pieces) for the rest.
 */
export function quantityDecimals(product: Pick<MenuProduct, 'qntDecDigits' | 'priceMode'>): number {
  if (product.qntDecDigits !== null) return Math.max(0, Math.min(3, product.qntDecDigits));
  return product.priceMode === 'PerUnitOfWeight' ? 3 : 0;
}
