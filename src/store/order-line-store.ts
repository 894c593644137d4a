import type { Kysely, Transaction } from 'kysely';
import type { OrderLine } from '../orders/order-record.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Writes an order's dish lines, numbered from 1 in the given order, with the ingredients chosen
 * for each. Deleting a line deletes its ingredients (foreign key with cascade).
 */
export async function insertOrderLines(
  trx: Executor, orderId: number, lines: readonly Omit<OrderLine, 'lineNo'>[],
): Promise<void> {
  if (lines.length === 0) return;

  await trx.insertInto('orderLines').values(lines.map((line, i) => ({
    orderId,
    lineNo: i + 1,
    productId: line.productId,
    externalId: line.externalId,
    name: line.name,
    price: line.price,
    quantity: line.quantity,
    total: line.total,
    measureValue: line.measureValue,
    measureUnit: line.measureUnit,
  }))).execute();

  const ingredients = lines.flatMap((line, i) => line.ingredients.map((ingredient, position) => ({
    orderId, lineNo: i + 1, position: position + 1, ...ingredient,
  })));
  if (ingredients.length > 0) {
    await trx.insertInto('orderLineIngredients').values(ingredients).execute();
  }
}

/** The lines of the given orders with their ingredients, by order id, in line order. */
export async function loadOrderLines(
  db: Executor, orderIds: readonly number[],
): Promise<Map<number, OrderLine[]>> {
  const byOrder = new Map<number, OrderLine[]>();
  if (orderIds.length === 0) return byOrder;

  const [lines, ingredients] = await Promise.all([
    db.selectFrom('orderLines').selectAll().where('orderId', 'in', orderIds)
      .orderBy('orderId').orderBy('lineNo').execute(),
    db.selectFrom('orderLineIngredients').selectAll().where('orderId', 'in', orderIds)
      .orderBy('orderId').orderBy('lineNo').orderBy('position').execute(),
  ]);

  const chosen = new Map<string, OrderLine['ingredients']>();
  for (const { orderId, lineNo, ingredientId, externalId, name, price, quantity, total }
    of ingredients) {
    const key = `${orderId}:${lineNo}`;
    if (!chosen.has(key)) chosen.set(key, []);
    chosen.get(key)?.push({ ingredientId, externalId, name, price, quantity, total });
  }

  for (const row of lines) {
    if (!byOrder.has(row.orderId)) byOrder.set(row.orderId, []);
    byOrder.get(row.orderId)?.push({
      lineNo: row.lineNo,
      productId: row.productId,
      externalId: row.externalId,
      name: row.name,
      price: row.price,
      quantity: row.quantity,
      total: row.total,
      measureValue: row.measureValue,
      measureUnit: row.measureUnit,
      ingredients: chosen.get(`${row.orderId}:${row.lineNo}`) ?? [],
    });
  }
  return byOrder;
}
