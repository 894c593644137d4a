import type { BodyReader } from '../api/body-reader.js';
import type { Kopecks, Thousandths } from '../money/money.js';
import { dishCode } from './cash-station-input.js';
import { intIn, needed, nonBlank, oneOf, strictObject } from './admin-input.js';

/**
 * A menu document: the shape `GET /orders/api/v1/menu/view` answers with (`delivery-api.md`
 * §6.2), so a menu saved from r_k Delivery or from the hub imports as is. Prices are roubles,
 * measures in their unit; keys that only a view carries (`isContainInStopList`, `dateModified`)
 * are accepted and ignored. Items keep the order of the document.
 */
export interface MenuDocument {
  /** The menu set's name, when the document gives one. */
  name: string | undefined;
  categories: CategoryInput[];
  products: ProductInput[];
  ingredients: IngredientInput[];
  groups: GroupInput[];
  schemes: SchemeInput[];
}

export interface CategoryInput {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
}

/** A dish; without `id` it is matched by `externalId` (or gets a new id). */
export interface ProductInput {
  id: string | undefined;
  externalId: string;
  categoryId: string | null;
  name: string;
  description: string;
  price: Kopecks;
  schemeId: string | null;
  imageUrls: string[];
  measureValue: Thousandths | null;
  measureUnit: string | null;
  priceMode: string;
  qntDecDigits: number | null;
  changeQntOnce: boolean | null;
  joinMode: string | null;
  calories: number | null;
  energyValue: number | null;
  proteins: number | null;
  fats: number | null;
  carbohydrates: number | null;
  dishTaxes: unknown;
  path: string;
}

/** A modifier; without `id` it is matched by `externalId` (or gets a new id). */
export interface IngredientInput {
  id: string | undefined;
  externalId: string;
  name: string;
  description: string;
  price: Kopecks;
  imageUrls: string[];
  measureValue: Thousandths | null;
  measureUnit: string | null;
  maxCountForDish: number | null;
  path: string;
}

export interface GroupInput {
  id: string;
  name: string;
  ingredientIds: string[];
  path: string;
}

export interface SchemeInput {
  id: string;
  name: string;
  groups: { groupId: string; minCount: number; maxCount: number }[];
  path: string;
}

export const PRICE_MODES = ['PerPiece', 'PerPortion', 'PerUnitOfWeight', 'PerDose'] as const;

const PRODUCT_KEYS = [
  'id', 'externalId', 'categoryId', 'name', 'price', 'schemeId', 'description', 'imageUrls',
  'measure', 'isContainInStopList', 'calories', 'energyValue', 'proteins', 'fats',
  'carbohydrates', 'dishTaxes',
];
const INGREDIENT_KEYS = [
  'id', 'externalId', 'name', 'price', 'schemeId', 'description', 'imageUrls', 'measure',
  'maxCountForDish', 'isContainInStopList',
];
const NUTRITION = ['calories', 'energyValue', 'proteins', 'fats', 'carbohydrates'] as const;

/** Reads a menu document; `{"result": {…}}` as saved from the API is unwrapped. */
export function readMenuDocument(r: BodyReader): MenuDocument | undefined {
  const keys = r.isObject ? Object.keys(r.value as object) : [];
  const root = keys.length === 1 && keys[0]?.toLowerCase() === 'result' ? r.field('result') : r;
  if (!strictObject(root, ['name', 'categories', 'products', 'ingredientsSchemes',
    'ingredientsGroups', 'ingredients', 'isPossibleDelete', 'haveChanges', 'dateModified'])) {
    return undefined;
  }

  return {
    name: nonBlank(root.field('name')),
    categories: items(root.field('categories'), readCategory),
    products: items(root.field('products'), readProduct),
    ingredients: items(root.field('ingredients'), readIngredient),
    groups: items(root.field('ingredientsGroups'), readGroup),
    schemes: items(root.field('ingredientsSchemes'), readScheme),
  };
}

function items<T>(r: BodyReader, read: (item: BodyReader) => T | undefined): T[] {
  return (r.array() ?? []).flatMap((item) => {
    const value = read(item);
    return value === undefined ? [] : [value];
  });
}

function readCategory(r: BodyReader): CategoryInput | undefined {
  if (!strictObject(r, ['id', 'name', 'parentId'])) return undefined;
  const id = needed(r.field('id'), true, nonBlank);
  const name = needed(r.field('name'), true, nonBlank);
  const parentId = nonBlank(r.field('parentId')) ?? null;
  return id === undefined || name === undefined ? undefined : { id, name, parentId, path: r.path };
}

function readProduct(r: BodyReader): ProductInput | undefined {
  if (!strictObject(r, PRODUCT_KEYS)) return undefined;
  const externalId = needed(r.field('externalId'), true, dishCode);
  const name = needed(r.field('name'), true, nonBlank);
  const price = needed(r.field('price'), true, price0);
  const measure = readMeasure(r.field('measure'), true);
  const nutrition = Object.fromEntries(NUTRITION.map((key) => [key, nonNegative(r.field(key))]));
  if (externalId === undefined || name === undefined || price === undefined || !measure) {
    return undefined;
  }

  return {
    id: nonBlank(r.field('id')),
    externalId,
    categoryId: nonBlank(r.field('categoryId')) ?? null,
    name,
    description: r.field('description').string() ?? '',
    price,
    schemeId: nonBlank(r.field('schemeId')) ?? null,
    imageUrls: urls(r.field('imageUrls')),
    measureValue: measure.value,
    measureUnit: measure.unit,
    priceMode: measure.priceMode ?? 'PerPiece',
    qntDecDigits: measure.qntDecDigits,
    changeQntOnce: measure.changeQntOnce,
    joinMode: measure.joinMode,
    calories: nutrition.calories ?? null,
    energyValue: nutrition.energyValue ?? null,
    proteins: nutrition.proteins ?? null,
    fats: nutrition.fats ?? null,
    carbohydrates: nutrition.carbohydrates ?? null,
    dishTaxes: r.field('dishTaxes').absent ? null : r.field('dishTaxes').value,
    path: r.path,
  };
}

function readIngredient(r: BodyReader): IngredientInput | undefined {
  if (!strictObject(r, INGREDIENT_KEYS)) return undefined;
  const externalId = needed(r.field('externalId'), true, dishCode);
  const name = needed(r.field('name'), true, nonBlank);
  const price = needed(r.field('price'), true, price0);
  const measure = readMeasure(r.field('measure'), false);
  if (externalId === undefined || name === undefined || price === undefined || !measure) {
    return undefined;
  }

  return {
    id: nonBlank(r.field('id')),
    externalId,
    name,
    description: r.field('description').string() ?? '',
    price,
    imageUrls: urls(r.field('imageUrls')),
    measureValue: measure.value,
    measureUnit: measure.unit,
    maxCountForDish: intIn(r.field('maxCountForDish'), 0, 1000) ?? null,
    path: r.path,
  };
}

function readGroup(r: BodyReader): GroupInput | undefined {
  if (!strictObject(r, ['id', 'name', 'ingredients'])) return undefined;
  const id = needed(r.field('id'), true, nonBlank);
  const name = needed(r.field('name'), true, nonBlank);
  const ingredientIds = (r.field('ingredients').array() ?? [])
    .map((item) => needed(item, true, nonBlank)).filter((v): v is string => v !== undefined);
  return id === undefined || name === undefined
    ? undefined
    : { id, name, ingredientIds: [...new Set(ingredientIds)], path: r.path };
}

function readScheme(r: BodyReader): SchemeInput | undefined {
  if (!strictObject(r, ['id', 'name', 'ingredientsGroups'])) return undefined;
  const id = needed(r.field('id'), true, nonBlank);
  const groups = (r.field('ingredientsGroups').array() ?? []).flatMap((g) => {
    if (!strictObject(g, ['id', 'minCount', 'maxCount'])) return [];
    const groupId = needed(g.field('id'), true, nonBlank);
    const minCount = intIn(g.field('minCount'), 0, 1000) ?? 0;
    const maxCount = intIn(g.field('maxCount'), 0, 1000) ?? 0;
    if (maxCount < minCount) g.field('maxCount').problem('must not be below minCount');
    return groupId === undefined ? [] : [{ groupId, minCount, maxCount }];
  });
  return id === undefined
    ? undefined
    : { id, name: nonBlank(r.field('name')) ?? '', groups, path: r.path };
}

interface MeasureInput {
  value: Thousandths | null;
  unit: string | null;
  priceMode: string | undefined;
  qntDecDigits: number | null;
  changeQntOnce: boolean | null;
  joinMode: string | null;
}

function readMeasure(r: BodyReader, ofProduct: boolean): MeasureInput | undefined {
  if (r.absent) {
    return {
      value: null, unit: null, priceMode: undefined, qntDecDigits: null, changeQntOnce: null,
      joinMode: null,
    };
  }
  const productKeys = ['priceMode', 'qntDecDigits', 'changeQntOnce', 'joinMode'];
  if (!strictObject(r, ['value', 'unit', ...ofProduct ? productKeys : []])) return undefined;

  return {
    value: r.field('value').thousandths() ?? null,
    unit: nonBlank(r.field('unit')) ?? null,
    priceMode: oneOf(r.field('priceMode'), PRICE_MODES),
    qntDecDigits: intIn(r.field('qntDecDigits'), 0, 3) ?? null,
    changeQntOnce: r.field('changeQntOnce').bool() ?? null,
    joinMode: nonBlank(r.field('joinMode')) ?? null,
  };
}

function price0(r: BodyReader): Kopecks | undefined {
  const value = r.kopecks();
  if (value === undefined || value >= 0) return value;
  r.problem('must not be negative');
  return undefined;
}

function nonNegative(r: BodyReader): number | undefined {
  const value = r.number();
  if (value === undefined || value >= 0) return value;
  r.problem('must not be negative');
  return undefined;
}

function urls(r: BodyReader): string[] {
  return (r.array() ?? []).map((item) => nonBlank(item))
    .filter((url): url is string => url !== undefined);
}
