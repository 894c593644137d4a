import type { Db } from '../../src/store/database.js';
import { DEMO } from '../../src/store/seed-demo.js';

/** A copy of the demo restaurant under another id and name, for stop-list and access tests. */
export async function addRestaurant(
  db: Db, id: string, name: string, attachTo?: string,
): Promise<void> {
  const demo = await db.selectFrom('restaurants').selectAll()
    .where('id', '=', DEMO.restaurantId).executeTakeFirstOrThrow();
  await db.insertInto('restaurants')
    .values({ ...demo, id, name, objectId: demo.objectId + 1 }).execute();
  if (attachTo !== undefined) {
    await db.insertInto('apiConnectionRestaurants')
      .values({ clientId: attachTo, restaurantId: id }).execute();
  }
}

/** Puts an item on a restaurant's stop list (`remaining` null: stopped; thousandths: limited). */
export async function stop(
  db: Db, restaurantId: string, itemType: 'product' | 'ingredient', itemId: string,
  remaining: number | null = null,
): Promise<void> {
  await db.insertInto('menuStopList').values({
    restaurantId, itemType, itemId, remaining, updatedAt: new Date().toISOString(),
  }).execute();
}

/** Takes an item off a restaurant's stop list. */
export async function unstop(db: Db, restaurantId: string, itemId: string): Promise<void> {
  await db.deleteFrom('menuStopList')
    .where('restaurantId', '=', restaurantId).where('itemId', '=', itemId).execute();
}

/** How many rows the order tables hold, to prove a refused request stored nothing. */
export async function storedCounts(db: Db): Promise<number[]> {
  const counts = await Promise.all([
    db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    db.selectFrom('orderLines').select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
    db.selectFrom('orderLineIngredients').select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return counts.map((row) => Number(row?.n ?? 0));
}
