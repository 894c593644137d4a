import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '../auth/secret-hash.js';
import type { CashStationConfig } from '../cash/cash-station.js';
import { seedDemoGeography } from '../geo/demo-geography.js';
import { seedDemoMenu } from '../menu/demo-menu.js';
import type { Db } from './database.js';
import { insertDocumentedRejectionReasons } from './rejection-reasons.js';

/** Ids of the demo chain; fixed so the demo and the docs can name them. */
export const DEMO = {
  corporationId: 'ce939b6c-611d-47a1-90a6-5054c8492733',
  restaurantId: '18f550d8-7fbe-45fa-8c83-35f531380f65',
  objectId: 199990147,
  clientId: 'ea0cc590-9c2f-4a0b-8bbf-abaa262bc24e',
  /** Demo-only default; set `DEMO_CLIENT_SECRET` (or `SEED_DEMO=false`) for anything real. */
  clientSecret: 'demo-secret',
  roublesCurrency: '16D72549-14D8-4F31-9E2A-0A833D4F5EED',
  cardCurrency: 'A1356E82-8C6A-4070-A40C-D921D89AA8D5',
  /** Menu ids of the dishes of the demo order (978.00). */
  dishes: {
    caesar: '1A950927-028B-46BA-84F8-53A3CFABF23F',
    borscht: '0263BA3F-279D-49E1-AF9B-523717B042DC',
    mors: 'B6F7E123-5E62-494D-80E1-F307A62CB2E4',
    pie: '6D06FFDD-8DCD-4D1B-B1C8-27A961611979',
    shashlik: 'FA6D40A7-901D-47C6-BCE3-3A9A3AC7EFE4',
  },
} as const;

export interface SeedOptions {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Seconds between acceptance and the transfer to the cash station. */
  transferDelaySec?: number;
  orderProcessing?: 'auto' | 'none';
  now: string;
}

export interface SeedResult {
  /** True when the database was empty and the demo chain was written. */
  seeded: boolean;
  clientId: string;
}

const CATEGORIES = [
  { id: '7C0E1A52-3F1B-4C55-9B0D-6A2B8E1F0001', name: 'Salads' },
  { id: '7C0E1A52-3F1B-4C55-9B0D-6A2B8E1F0002', name: 'Soups' },
  { id: '7C0E1A52-3F1B-4C55-9B0D-6A2B8E1F0003', name: 'Drinks' },
  { id: '7C0E1A52-3F1B-4C55-9B0D-6A2B8E1F0004', name: 'Bakery' },
  { id: '7C0E1A52-3F1B-4C55-9B0D-6A2B8E1F0005', name: 'Grill' },
] as const;

/** The menu mirrors the simulator's MENUITEMS: same codes, prices in kopecks. */
const PRODUCTS = [
  { id: DEMO.dishes.caesar, code: '101', name: 'Caesar salad', price: 40000, cat: 0,
    measure: [300, 'g'] },
  { id: DEMO.dishes.borscht, code: '102', name: 'Borscht', price: 29000, cat: 1,
    measure: [350, 'g'] },
  { id: DEMO.dishes.mors, code: '103', name: 'Cranberry mors', price: 14400, cat: 2,
    measure: [500, 'ml'] },
  { id: DEMO.dishes.pie, code: '104', name: 'Pie', price: 9999, cat: 3, measure: [150, 'g'] },
  { id: DEMO.dishes.shashlik, code: '106', name: 'Shashlik (per kg)', price: 120000, cat: 4,
    measure: [1, 'kg'], priceMode: 'PerUnitOfWeight' },
] as const;

/**
 * Writes the demo chain into an empty database: one corporation with automatic processing, one
 * restaurant in Europe/Moscow served by the embedded cash-station simulator, its currencies, a
 * menu on which the story's order totals 978.00, and one API connection. On later starts only
 * the demo connection's credentials follow the configuration.
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const clientId = options.clientId ?? DEMO.clientId;
  const secret = options.clientSecret ?? DEMO.clientSecret;
  const existing = await db.selectFrom('corporations').select('id').limit(1).executeTakeFirst();
  if (existing) {
    await syncDemoConnection(db, clientId, secret, options.now);
    return { seeded: false, clientId };
  }

  try {
    await writeDemoChain(db, clientId, secret, options);
  } catch (err) {
    // Another instance starting at the same moment seeded first: use its chain.
    if (!await db.selectFrom('corporations').select('id').limit(1).executeTakeFirst()) throw err;
    await syncDemoConnection(db, clientId, secret, options.now);
    return { seeded: false, clientId };
  }
  return { seeded: true, clientId };
}

async function writeDemoChain(db: Db, clientId: string, secret: string, options: SeedOptions) {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('corporations').values({
      id: DEMO.corporationId, name: 'Demo chain',
      orderProcessing: options.orderProcessing ?? 'auto',
      transferDelaySec: options.transferDelaySec ?? 5, checkContentsAndPrice: 1,
      completeWhenClosedAtStation: 1, timeZone: 'Europe/Moscow', createdAt: options.now,
    }).execute();
    await insertDocumentedRejectionReasons(trx, DEMO.corporationId);

    await trx.insertInto('restaurants').values({
      id: DEMO.restaurantId, corporationId: DEMO.corporationId, objectId: DEMO.objectId,
      name: 'Demo restaurant', actualAddress: 'Moscow, Sorge str., 2', state: 'active',
      timeZone: 'Europe/Moscow', autoAccept: 1, minLeadMinutes: 30, tableCode: '1',
      cashStation: JSON.stringify(embeddedStation()), createdAt: options.now,
    }).execute();

    await trx.insertInto('restaurantCurrencies').values([
      { restaurantId: DEMO.restaurantId, code: DEMO.roublesCurrency, name: 'Рубли' },
      { restaurantId: DEMO.restaurantId, code: DEMO.cardCurrency, name: 'Card' },
    ]).execute();

    await trx.insertInto('menuCategories').values(CATEGORIES.map((c, sort) => ({
      id: c.id, corporationId: DEMO.corporationId, name: c.name, parentId: null, sort,
    }))).execute();

    await trx.insertInto('menuProducts').values(PRODUCTS.map((p, sort) => ({
      id: p.id, corporationId: DEMO.corporationId, categoryId: CATEGORIES[p.cat]?.id ?? null,
      externalId: p.code, name: p.name, description: '', price: p.price,
      measureValue: p.measure[0] * 1000, measureUnit: p.measure[1],
      priceMode: 'priceMode' in p ? p.priceMode : 'PerPiece', sort,
    }))).execute();
    await seedDemoMenu(trx, DEMO.corporationId, DEMO.restaurantId, options.now);

    await trx.insertInto('apiConnections').values({
      clientId, name: 'Demo website', corporationId: DEMO.corporationId,
      secretHash: await hashSecret(secret), enabled: 1, createdAt: options.now,
    }).execute();
    await trx.insertInto('apiConnectionRestaurants')
      .values({ clientId, restaurantId: DEMO.restaurantId }).execute();

    await seedDemoGeography(trx, DEMO.restaurantId, options.now);
  });
}

/** Keeps the demo connection's id and secret equal to what the configuration says. */
async function syncDemoConnection(db: Db, clientId: string, secret: string, now: string) {
  const demo = await db.selectFrom('apiConnections').selectAll()
    .where('corporationId', '=', DEMO.corporationId).where('name', '=', 'Demo website')
    .executeTakeFirst();
  if (!demo) return;
  if (demo.clientId === clientId && await verifySecret(secret, demo.secretHash)) return;

  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('apiConnectionRestaurants').where('clientId', '=', demo.clientId)
      .execute();
    await trx.deleteFrom('apiConnections').where('clientId', '=', demo.clientId).execute();
    await trx.insertInto('apiConnections').values({
      clientId, name: demo.name, corporationId: demo.corporationId,
      secretHash: await hashSecret(secret), enabled: 1, createdAt: now,
    }).execute();
    await trx.insertInto('apiConnectionRestaurants')
      .values({ clientId, restaurantId: DEMO.restaurantId }).execute();
  });
}

/** The demo restaurant's station: the embedded simulator, with credentials made up once. */
function embeddedStation(): CashStationConfig {
  return {
    url: 'embedded', username: 'cashier', password: randomBytes(12).toString('base64url'),
    tlsInsecure: false, stationId: 15001, cashierId: 1001, tableId: 1, orderCategoryId: 3,
    voidReasonId: 1, deliveryFeeDishCode: '105', timeoutMs: 0, maxConnections: 0,
  };
}
