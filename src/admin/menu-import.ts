import { FieldProblems } from '../errors/hub-error.js';
import type { Db } from '../store/database.js';
import { type WriteOutcome, newId } from './admin-input.js';
import type {
  GroupInput, IngredientInput, MenuDocument, ProductInput, SchemeInput,
} from './menu-input.js';
import { type WriteTally, sameValues } from './write-tally.js';

/**
 * Writes a menu document into a corporation's menu, adding and updating, never deleting: items
 * are matched by `id`, dishes and modifiers without one by `externalId` (r_keeper code). What is
 * already as the document says is not written again, so importing twice changes nothing.
 * References (category, scheme, group, ingredient) must exist in the document or the menu;
 * every problem is reported against its path before anything is written.
 */
export async function importMenuDocument(
  db: Db, corporationId: string, doc: MenuDocument, now: string, tally: WriteTally,
): Promise<void> {
  const stored = await loadMenuKeys(db, corporationId);
  const problems = new FieldProblems();
  const productIds = resolveIds(doc.products, stored.products, problems);
  const ingredientIds = resolveIds(doc.ingredients, stored.ingredients, problems);
  await checkForeignIds(db, corporationId, doc, productIds, ingredientIds, problems);
  checkReferences(doc, stored, ingredientIds, problems);
  problems.throwIfAny('ERR_PARSE_REQUEST');

  let changed = false;
  const count = (kind: string, outcome: WriteOutcome) => {
    changed ||= outcome !== 'unchanged';
    tally.add(kind, outcome);
  };
  for (const [sort, c] of doc.categories.entries()) {
    count('menuCategories', await upsert(db, 'menuCategories', c.id, {
      corporationId, name: c.name, parentId: c.parentId, sort,
    }));
  }
  for (const [sort, i] of doc.ingredients.entries()) {
    count('menuIngredients', await upsert(db, 'menuIngredients',
      ingredientIds[sort] as string, ingredientRow(corporationId, i, sort)));
  }
  for (const g of doc.groups) {
    count('menuIngredientGroups', await saveGroup(db, corporationId, g));
  }
  for (const s of doc.schemes) {
    count('menuIngredientSchemes', await saveScheme(db, corporationId, s));
  }
  for (const [sort, p] of doc.products.entries()) {
    count('menuProducts', await upsert(db, 'menuProducts',
      productIds[sort] as string, productRow(corporationId, p, sort)));
  }

  await saveMenuSet(db, corporationId, { name: doc.name, now, changed }, tally);
}

/** Ids and codes of what a corporation's menu holds already. */
export interface MenuKeys {
  categories: Set<string>;
  products: Map<string, string>;
  ingredients: Map<string, string>;
  groups: Set<string>;
  schemes: Set<string>;
}

/** The corporation's menu ids; `products`/`ingredients` map `externalId` → id. */
export async function loadMenuKeys(db: Db, corporationId: string): Promise<MenuKeys> {
  const ids = (table: 'menuCategories' | 'menuIngredientGroups' | 'menuIngredientSchemes') =>
    db.selectFrom(table).select('id').where('corporationId', '=', corporationId).execute();
  const codes = (table: 'menuProducts' | 'menuIngredients') =>
    db.selectFrom(table).select(['id', 'externalId']).where('corporationId', '=', corporationId)
      .execute();

  const [categories, groups, schemes, products, ingredients] = await Promise.all([
    ids('menuCategories'), ids('menuIngredientGroups'), ids('menuIngredientSchemes'),
    codes('menuProducts'), codes('menuIngredients'),
  ]);
  return {
    categories: new Set(categories.map((r) => r.id)),
    groups: new Set(groups.map((r) => r.id)),
    schemes: new Set(schemes.map((r) => r.id)),
    products: new Map(products.map((r) => [r.externalId, r.id])),
    ingredients: new Map(ingredients.map((r) => [r.externalId, r.id])),
  };
}

/** Inserts or updates one row by id; `values` are compared with what is stored. */
export async function upsert(
  db: Db,
  table: 'menuCategories' | 'menuProducts' | 'menuIngredients',
  id: string,
  values: Record<string, unknown>,
): Promise<WriteOutcome> {
  const existing = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
  // One helper for three tables: Kysely cannot type a row for a table chosen at run time, so the
  // callers' row builders (`productRow`, `ingredientRow`…) are what keeps the columns right.
  if (!existing) {
    await db.insertInto(table).values({ id, ...values } as never).execute();
    return 'created';
  }
  if (sameValues(existing, values)) return 'unchanged';

  await db.updateTable(table).set(values as never).where('id', '=', id).execute();
  return 'updated';
}

/** The id each item gets: its own, the stored one of its `externalId`, or a new one. */
function resolveIds(
  items: readonly (ProductInput | IngredientInput)[],
  storedByCode: Map<string, string>,
  problems: FieldProblems,
): string[] {
  const seenIds = new Set<string>();
  const seenCodes = new Set<string>();
  return items.map((item) => {
    const stored = storedByCode.get(item.externalId);
    const id = item.id ?? stored ?? newId();
    if (seenCodes.has(item.externalId)) problems.add(`${item.path}.externalId`, 'is listed twice');
    else if (seenIds.has(id)) problems.add(`${item.path}.id`, 'is listed twice');
    else if (stored !== undefined && stored !== id) {
      problems.add(`${item.path}.externalId`, `is already the code of ${stored}`);
    }
    seenIds.add(id);
    seenCodes.add(item.externalId);
    return id;
  });
}

/** Menu ids are global: an id another corporation uses cannot be taken. */
async function checkForeignIds(
  db: Db, corporationId: string, doc: MenuDocument,
  productIds: string[], ingredientIds: string[], problems: FieldProblems,
): Promise<void> {
  const check = async (
    table: 'menuCategories' | 'menuProducts' | 'menuIngredients' | 'menuIngredientGroups'
      | 'menuIngredientSchemes',
    entries: { id: string; path: string }[],
  ) => {
    if (entries.length === 0) return;
    const taken = await db.selectFrom(table).select('id')
      .where('id', 'in', entries.map((e) => e.id)).where('corporationId', '!=', corporationId)
      .execute();
    const foreign = new Set(taken.map((r) => r.id));
    for (const e of entries.filter((entry) => foreign.has(entry.id))) {
      problems.add(`${e.path}.id`, 'is used by another corporation');
    }
  };

  await check('menuCategories', doc.categories);
  await check('menuProducts', doc.products.map((p, i) => ({ id: productIds[i] as string,
    path: p.path })));
  await check('menuIngredients', doc.ingredients.map((p, i) => ({ id: ingredientIds[i] as string,
    path: p.path })));
  await check('menuIngredientGroups', doc.groups);
  await check('menuIngredientSchemes', doc.schemes);
}

function checkReferences(
  doc: MenuDocument, stored: MenuKeys, ingredientIds: string[], problems: FieldProblems,
): void {
  const categories = new Set([...stored.categories, ...doc.categories.map((c) => c.id)]);
  const schemes = new Set([...stored.schemes, ...doc.schemes.map((s) => s.id)]);
  const groups = new Set([...stored.groups, ...doc.groups.map((g) => g.id)]);
  const ingredients = new Set([...stored.ingredients.values(), ...ingredientIds]);
  const missing = (path: string, what: string) => problems.add(path, `no such ${what}`);

  for (const c of doc.categories) {
    if (c.parentId !== null && !categories.has(c.parentId)) {
      missing(`${c.path}.parentId`, 'category');
    }
  }
  for (const p of doc.products) {
    if (p.categoryId !== null && !categories.has(p.categoryId)) {
      missing(`${p.path}.categoryId`, 'category');
    }
    if (p.schemeId !== null && !schemes.has(p.schemeId)) missing(`${p.path}.schemeId`, 'scheme');
  }
  for (const s of doc.schemes) {
    s.groups.forEach((g, i) => {
      if (!groups.has(g.groupId)) missing(`${s.path}.ingredientsGroups[${i}].id`, 'group');
    });
  }
  for (const g of doc.groups) {
    g.ingredientIds.forEach((id, i) => {
      if (!ingredients.has(id)) missing(`${g.path}.ingredients[${i}]`, 'ingredient');
    });
  }
}

function productRow(corporationId: string, p: ProductInput, sort: number) {
  return {
    corporationId, categoryId: p.categoryId, externalId: p.externalId, name: p.name,
    description: p.description, price: p.price, measureValue: p.measureValue,
    measureUnit: p.measureUnit, priceMode: p.priceMode, sort, schemeId: p.schemeId,
    imageUrls: JSON.stringify(p.imageUrls), calories: p.calories, energyValue: p.energyValue,
    proteins: p.proteins, fats: p.fats, carbohydrates: p.carbohydrates,
    qntDecDigits: p.qntDecDigits,
    changeQntOnce: p.changeQntOnce === null ? null : p.changeQntOnce ? 1 : 0,
    joinMode: p.joinMode,
    dishTaxes: p.dishTaxes === null ? null : JSON.stringify(p.dishTaxes),
  };
}

function ingredientRow(corporationId: string, i: IngredientInput, sort: number) {
  return {
    corporationId, externalId: i.externalId, name: i.name, description: i.description,
    price: i.price, measureValue: i.measureValue, measureUnit: i.measureUnit,
    imageUrls: JSON.stringify(i.imageUrls), maxCountForDish: i.maxCountForDish, sort,
  };
}

/** A group and its members, in their order. */
async function saveGroup(db: Db, corporationId: string, g: GroupInput): Promise<WriteOutcome> {
  const members = g.ingredientIds;
  const existing = await db.selectFrom('menuIngredientGroups').selectAll()
    .where('id', '=', g.id).executeTakeFirst();
  const stored = await db.selectFrom('menuGroupIngredients').select('ingredientId')
    .where('groupId', '=', g.id).orderBy('sort').execute();
  const sameMembers = JSON.stringify(stored.map((m) => m.ingredientId)) === JSON.stringify(members);
  if (existing && existing.name === g.name && sameMembers) return 'unchanged';

  if (!existing) {
    await db.insertInto('menuIngredientGroups').values({ id: g.id, corporationId, name: g.name })
      .execute();
  } else {
    await db.updateTable('menuIngredientGroups').set({ name: g.name }).where('id', '=', g.id)
      .execute();
  }
  await db.deleteFrom('menuGroupIngredients').where('groupId', '=', g.id).execute();
  if (members.length > 0) {
    await db.insertInto('menuGroupIngredients')
      .values(members.map((ingredientId, sort) => ({ groupId: g.id, ingredientId, sort })))
      .execute();
  }
  return existing ? 'updated' : 'created';
}

async function saveScheme(db: Db, corporationId: string, s: SchemeInput): Promise<WriteOutcome> {
  const existing = await db.selectFrom('menuIngredientSchemes').selectAll()
    .where('id', '=', s.id).executeTakeFirst();
  const stored = await db.selectFrom('menuSchemeGroups')
    .select(['groupId', 'minCount', 'maxCount']).where('schemeId', '=', s.id).orderBy('sort')
    .execute();
  if (existing && existing.name === s.name && JSON.stringify(stored) === JSON.stringify(s.groups)) {
    return 'unchanged';
  }

  if (!existing) {
    await db.insertInto('menuIngredientSchemes').values({ id: s.id, corporationId, name: s.name })
      .execute();
  } else {
    await db.updateTable('menuIngredientSchemes').set({ name: s.name }).where('id', '=', s.id)
      .execute();
  }
  await db.deleteFrom('menuSchemeGroups').where('schemeId', '=', s.id).execute();
  if (s.groups.length > 0) {
    await db.insertInto('menuSchemeGroups')
      .values(s.groups.map((g, sort) => ({ schemeId: s.id, ...g, sort }))).execute();
  }
  return existing ? 'updated' : 'created';
}

/**
 * The menu set row: written when the import names the menu; `dateModified` moves to `now`
 * whenever the import changed something.
 */
export async function saveMenuSet(
  db: Db, corporationId: string,
  update: { name: string | undefined; now: string; changed: boolean },
  tally: WriteTally,
): Promise<void> {
  const existing = await db.selectFrom('menuSets').selectAll()
    .where('corporationId', '=', corporationId).executeTakeFirst();
  if (!existing) {
    if (update.name === undefined) return;
    await db.insertInto('menuSets').values({
      corporationId, name: update.name, isPossibleDelete: 0, haveChanges: 0,
      dateModified: update.now,
    }).execute();
    tally.add('menuSet', 'created');
    return;
  }

  const renamed = update.name !== undefined && update.name !== existing.name;
  if (!renamed && !update.changed) return;
  await db.updateTable('menuSets')
    .set({ name: update.name ?? existing.name, dateModified: update.now })
    .where('corporationId', '=', corporationId).execute();
  if (renamed) tally.add('menuSet', 'updated');
}
