import type { Db } from '../store/database.js';
import { newAddressRow } from './geo-directory-repo.js';
import type { ZoneGeometry } from './zone-geometry.js';

/** Ids of the demo geography; fixed so tests and docs can name them. */
export const DEMO_GEO = {
  /** The ids of the r_k documentation's examples (§5.3, §7). */
  russiaId: '144cdd68-986d-40b0-84b5-c00a3b5d3129',
  moscowId: '73439fb3-c0c4-42ca-a269-64f031a6a33b',
  petersburgId: '5c1f2b7e-7d0a-4b8e-9a51-2f7a3c0e6b11',
  novosibirskId: 'b0a8c6d2-3e4f-4a1b-8c9d-0e1f2a3b4c5d',
  zoneId: 'd3f0c1a2-6b7e-4c8d-9e0f-1a2b3c4d5e6f',
  zoneName: 'Central Moscow',
  /** Inside the zone: Tverskaya 13. */
  inside: { lat: 55.7618, lon: 37.6086 },
  /** Outside the zone: Varshavskoye shosse 150, in the south of Moscow. */
  outside: { lat: 55.593, lon: 37.603 },
} as const;

/**
 * Central Moscow, from Sokol in the north-west to the Third Ring in the south-east; positions
 * `[lon, lat]`. Drawn by hand for the demo, not a real service area.
 */
export const CENTRAL_MOSCOW: ZoneGeometry = {
  type: 'Polygon',
  coordinates: [[
    [37.50, 55.75], [37.48, 55.80], [37.60, 55.83], [37.68, 55.80], [37.72, 55.75],
    [37.69, 55.70], [37.60, 55.68], [37.53, 55.70], [37.50, 55.75],
  ]],
};

/** Moscow addresses: street, house, building, postal code, lat, lon. */
const MOSCOW_ADDRESSES: readonly (readonly [string, string, string, string, number, number])[] = [
  ['Тверская улица', '7', '', '125009', 55.7610, 37.6100],
  ['Тверская улица', '13', '', '125032', 55.7618, 37.6086],
  ['улица Арбат', '10', '', '119002', 55.7515, 37.5960],
  ['улица Арбат', '25', '', '119002', 55.7497, 37.5900],
  ['улица Покровка', '17', '', '101000', 55.7590, 37.6470],
  ['Мясницкая улица', '24', 'стр. 1', '101000', 55.7640, 37.6370],
  ['улица Сретенка', '9', '', '107045', 55.7680, 37.6320],
  ['Ленинский проспект', '15', '', '119071', 55.7230, 37.6000],
  ['Кутузовский проспект', '26', '', '121165', 55.7440, 37.5470],
  ['улица Льва Толстого', '16', '', '119021', 55.7336, 37.5878],
  ['улица Большая Якиманка', '22', '', '119180', 55.7337, 37.6125],
  ['улица Бахрушина', '18', '', '115054', 55.7380, 37.6370],
  ['Новослободская улица', '20', '', '127055', 55.7870, 37.5980],
  ['Ленинградский проспект', '39', '', '125167', 55.7900, 37.5460],
  ['улица Рихарда Зорге', '2', '', '125252', 55.7925, 37.5140],
  ['улица Юных Ленинцев', '85', '', '109443', 55.7009, 37.7738],
  ['Профсоюзная улица', '128', '', '117321', 55.6300, 37.5100],
  ['Братиславская улица', '14', '', '109451', 55.6590, 37.7490],
  ['Митинская улица', '36', '', '125464', 55.8450, 37.3600],
  ['Варшавское шоссе', '150', '', '117405', 55.5930, 37.6030],
];

/**
 * Adds the demo geography to the demo chain: Russia with Moscow, Saint Petersburg and
 * Novosibirsk, twenty Moscow addresses (some outside the zone) plus one in each other city
 * (the documentation's "улица Гоголя, 13" among them), and the restaurant's central-Moscow zone:
 * delivery 150.00 in 60 minutes, free from 2000.00, orders from 500.00.
 */
export async function seedDemoGeography(db: Db, restaurantId: string, now: string) {
  await db.insertInto('countries').values({ id: DEMO_GEO.russiaId, name: 'Россия' }).execute();
  await db.insertInto('cities').values([
    { id: DEMO_GEO.moscowId, countryId: DEMO_GEO.russiaId, name: 'Москва' },
    { id: DEMO_GEO.petersburgId, countryId: DEMO_GEO.russiaId, name: 'Санкт-Петербург' },
    { id: DEMO_GEO.novosibirskId, countryId: DEMO_GEO.russiaId, name: 'Новосибирск' },
  ]).execute();

  const moscow = MOSCOW_ADDRESSES.map(([street, house, building, postalCode, lat, lon], i) =>
    newAddressRow({
      id: `0a000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      cityId: DEMO_GEO.moscowId, city: 'Москва', street, house, building, postalCode, lat, lon,
    }));
  await db.insertInto('addresses').values([
    ...moscow,
    newAddressRow({
      id: '0a000000-0000-4000-8000-000000000101', cityId: DEMO_GEO.petersburgId,
      city: 'Санкт-Петербург', street: 'Невский проспект', house: '28', building: '',
      postalCode: '191186', lat: 59.9357, lon: 30.3260,
    }),
    newAddressRow({
      id: '0a000000-0000-4000-8000-000000000201', cityId: DEMO_GEO.novosibirskId,
      city: 'Новосибирск', street: 'улица Гоголя', house: '13', building: '',
      postalCode: '630005', lat: 55.04372025, lon: 82.92234039,
    }),
  ]).execute();

  await db.insertInto('deliveryZones').values({
    id: DEMO_GEO.zoneId, restaurantId, name: DEMO_GEO.zoneName,
    polygon: JSON.stringify(CENTRAL_MOSCOW), priority: 0, deliveryTimeMinutes: 60,
    deliveryPrice: 15000, minOrderAmountDelivery: 50000, minOrderAmountFreeDelivery: 200000,
    active: 1, createdAt: now,
  }).execute();
}
