import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * Ids of the demo menu's modifiers and scheme. The modifiers mirror the simulator's MODIFIERS
 * (`rk7-xml.md` §8.6): same codes, GUIDs and prices in kopecks.
 */
export const DEMO_MENU = {
  modifiers: {
    withoutSalt: 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A51',
    rare: 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A52',
    extraCheese: 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A53',
  },
  caesarScheme: '5E7A0C11-2B3D-4E5F-8A9B-0C1D2E3F0001',
  groups: {
    extras: '5E7A0C11-2B3D-4E5F-8A9B-0C1D2E3F0101',
    serving: '5E7A0C11-2B3D-4E5F-8A9B-0C1D2E3F0102',
  },
  /** Shashlik is a limited dish in the demo restaurant: 5 kg left. */
  limited: { productId: 'FA6D40A7-901D-47C6-BCE3-3A9A3AC7EFE4', remaining: 5000 },
} as const;

const MODIFIERS = [
  { id: DEMO_MENU.modifiers.withoutSalt, code: '201', name: 'Without salt', price: 0 },
  { id: DEMO_MENU.modifiers.rare, code: '202', name: 'Rare', price: 0 },
  { id: DEMO_MENU.modifiers.extraCheese, code: '203', name: 'Extra cheese', price: 5000 },
] as const;

/**
 * The modifier side of the demo menu, written into the seed's transaction after its dishes:
 * Caesar salad takes up to two "Extras" (Extra cheese) and at most one "Serving" choice (Rare or
 * Without salt); shashlik is weighed to the gram and limited in the demo restaurant. None of it
 * changes the story's order (Caesar, Borscht, 2 × mors = 978.00).
 */
export async function seedDemoMenu(
  trx: Transaction<Database>, corporationId: string, restaurantId: string, now: string,
): Promise<void> {
  await trx.insertInto('menuSets').values({
    corporationId, name: 'Demo menu', isPossibleDelete: 0, haveChanges: 0, dateModified: now,
  }).execute();

  await trx.insertInto('menuIngredients').values(MODIFIERS.map((m, sort) => ({
    id: m.id, corporationId, externalId: m.code, name: m.name, description: '', price: m.price,
    measureValue: null, measureUnit: null, maxCountForDish: null, sort,
  }))).execute();

  await trx.insertInto('menuIngredientGroups').values([
    { id: DEMO_MENU.groups.extras, corporationId, name: 'Extras' },
    { id: DEMO_MENU.groups.serving, corporationId, name: 'Serving' },
  ]).execute();
  await trx.insertInto('menuGroupIngredients').values([
    { groupId: DEMO_MENU.groups.extras, ingredientId: DEMO_MENU.modifiers.extraCheese, sort: 0 },
    { groupId: DEMO_MENU.groups.serving, ingredientId: DEMO_MENU.modifiers.rare, sort: 0 },
    { groupId: DEMO_MENU.groups.serving, ingredientId: DEMO_MENU.modifiers.withoutSalt, sort: 1 },
  ]).execute();

  await trx.insertInto('menuIngredientSchemes')
    .values({ id: DEMO_MENU.caesarScheme, corporationId, name: 'Caesar salad' }).execute();
  await trx.insertInto('menuSchemeGroups').values([
    { schemeId: DEMO_MENU.caesarScheme, groupId: DEMO_MENU.groups.extras,
      minCount: 0, maxCount: 2, sort: 0 },
    { schemeId: DEMO_MENU.caesarScheme, groupId: DEMO_MENU.groups.serving,
      minCount: 0, maxCount: 1, sort: 1 },
  ]).execute();

  await trx.updateTable('menuProducts').set({ schemeId: DEMO_MENU.caesarScheme })
    .where('corporationId', '=', corporationId).where('externalId', '=', '101').execute();
  await trx.updateTable('menuProducts').set({ qntDecDigits: 3 })
    .where('id', '=', DEMO_MENU.limited.productId).execute();

  await trx.insertInto('menuStopList').values({
    restaurantId, itemType: 'product', itemId: DEMO_MENU.limited.productId,
    remaining: DEMO_MENU.limited.remaining, updatedAt: now,
  }).execute();
}
