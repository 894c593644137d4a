import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { OrderLine } from '../orders/order-record.js';
import { inList } from './in-list.js';
import { PreparedQuery, PreparedRows } from './prepared-query.js';
import type { Database, OrderLineIngredientsTable, OrderLinesTable } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

const INSERT_LINES = new PreparedRows<Insertable<OrderLinesTable>, unknown>([
  'orderId', 'lineNo', 'productId', 'externalId', 'name', 'price', 'quantity', 'total',
  'measureValue', 'measureUnit',
], (db, rows) => db.insertInto('orderLines').values(rows));
const INSERT_INGREDIENTS = new PreparedRows<Insertable<OrderLineIngredientsTable>, unknown>([
  'orderId', 'lineNo', 'position', 'ingredientId', 'externalId', 'name', 'price', 'quantity',
  'total',
], (db, rows) => db.insertInto('orderLineIngredients').values(rows));
/** One order's lines, each with its ingredients (a row per ingredient; none: nulls). */
const LINES_OF = new PreparedQuery((db, p: { orderId: number }) => db.selectFrom('orderLines')
  .leftJoin('orderLineIngredients as i', (join) => join
    .onRef('i.orderId', '=', 'orderLines.orderId').onRef('i.lineNo', '=', 'orderLines.lineNo'))
  .selectAll('orderLines')
  .select(['i.ingredientId', 'i.externalId as ingredientExternalId', 'i.name as ingredientName',
    'i.price as ingredientPrice', 'i.quantity as ingredientQuantity',
    'i.total as ingredientTotal'])
  .where('orderLines.orderId', '=', p.orderId)
  .orderBy('orderLines.lineNo').orderBy('i.position'));

/**
 * Writes an order's dish lines, numbered from 1 in the given order, with the ingredients chosen
 * for each. Deleting a line deletes its ingredients (foreign key with cascade).
 */
export async function insertOrderLines(
  trx: Executor, orderId: number, lines: readonly Omit<OrderLine, 'lineNo'>[],
): Promise<void> {
  if (lines.length === 0) return;

  await INSERT_LINES.execute(trx, lines.map((line, i) => ({
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
  })));

  const ingredients = lines.flatMap((line, i) => line.ingredients.map((ingredient, position) => ({
    orderId, lineNo: i + 1, position: position + 1, ...ingredient,
  })));
  if (ingredients.length > 0) {
    await INSERT_INGREDIENTS.execute(trx, ingredients);
  }
}

/** The lines of the given orders with their ingredients, by order id, in line order. */
export async function loadOrderLines(
  db: Executor, orderIds: readonly number[],
): Promise<Map<number, OrderLine[]>> {
  const byOrder = new Map<number, OrderLine[]>();
  if (orderIds.length === 0) return byOrder;

  const [lines, ingredients] = await Promise.all([
    db.selectFrom('orderLines').selectAll().where('orderId', 'in', inList(orderIds))
      .orderBy('orderId').orderBy('lineNo').execute(),
    db.selectFrom('orderLineIngredients').selectAll().where('orderId', 'in', inList(orderIds))
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
    byOrder.get(row.orderId)?.push(lineOf(row, chosen.get(`${row.orderId}:${row.lineNo}`) ?? []));
  }
  return byOrder;
}

/** One order's lines with their ingredients, in line order (one statement). */
export async function loadLinesOf(db: Executor, orderId: number): Promise<OrderLine[]> {
  const lines: OrderLine[] = [];
  for (const row of await LINES_OF.rows(db, { orderId })) {
    let line = lines.at(-1);
    if (line?.lineNo !== row.lineNo) {
      line = lineOf(row, []);
      lines.push(line);
    }
    if (row.ingredientId !== null) {
      line.ingredients.push({
        ingredientId: row.ingredientId,
        externalId: row.ingredientExternalId as string,
        name: row.ingredientName as string,
        price: row.ingredientPrice as number,
        quantity: row.ingredientQuantity as number,
        total: row.ingredientTotal as number,
      });
    }
  }
  return lines;
}

/** A stored line row as the order holds it. */
function lineOf(
  row: Selectable<OrderLinesTable>, ingredients: OrderLine['ingredients'],
): OrderLine {
  return {
    lineNo: row.lineNo,
    productId: row.productId,
    externalId: row.externalId,
    name: row.name,
    price: row.price,
    quantity: row.quantity,
    total: row.total,
    measureValue: row.measureValue,
    measureUnit: row.measureUnit,
    ingredients,
  };
}
