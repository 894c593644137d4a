import type { SimRefs, SimState } from './sim-state.js';

/** GUID of the seeded roubles currency, as in RK7 demo databases (`rk7-xml.md` §1.6). */
export const ROUBLES_GUID = '16D72549-14D8-4F31-9E2A-0A833D4F5EED';
/** GUID of the seeded card currency (no change given). */
export const CARD_GUID = 'A1356E82-8C6A-4070-A40C-D921D89AA8D5';
/** GUID of the seeded online-payment currency (no change given). */
export const ONLINE_GUID = 'FEB41B9A-A519-4A4E-B2D8-EACF3E6A8F25';

/** First visit id handed out (§8.2). */
export const FIRST_VISIT = 356255787;

/** Delivery-table counter that makes the first order "1.73", the documented name. */
export const DEFAULT_NUM_ON_TABLE_SEED = 72;

/** Station the station-side actions (payment at the till…) happen on. */
export const TILL_STATION = 15001;

/** What varies between seeds. */
export interface SeedOptions {
  /** Orders already numbered on the delivery table; the first new one is `seed + 1`. */
  numOnTableSeed: number;
  now: Date;
}

/** The reference data of §8.6. */
function seedRefs(numOnTableSeed: number): SimRefs {
  return {
    restaurant: { ident: 1, code: 1, name: 'Demo restaurant', active: true },
    stations: [
      { ident: 15001, code: 1, name: 'Cash 1', netName: 'SIM-CASH-1', online: true, active: true },
      { ident: 15002, code: 2, name: 'Cash 2', netName: 'SIM-CASH-2', online: true, active: true },
    ],
    tables: [
      { ident: 1, code: 1, name: '1', numOnTable: numOnTableSeed, active: true },
      { ident: 2, code: 2, name: '2', numOnTable: 0, active: true },
    ],
    employees: [
      { ident: 1001, code: 1, name: 'Cashier', active: true },
      { ident: 1002, code: 2, name: 'Manager', active: true },
    ],
    orderCategories: [
      { ident: 1, code: 1, name: 'Hall', active: true },
      { ident: 3, code: 3, name: 'Delivery', active: true },
    ],
    currencies: [
      { ident: 1, code: 1, name: 'Рубли', guid: ROUBLES_GUID, allowChange: true, active: true },
      { ident: 2, code: 2, name: 'Card', guid: CARD_GUID, allowChange: false, active: true },
      { ident: 3, code: 3, name: 'Online', guid: ONLINE_GUID, allowChange: false, active: true },
    ],
    menu: [
      menuItem(101, 'Caesar salad', 40000, '1A950927-028B-46BA-84F8-53A3CFABF23F'),
      menuItem(102, 'Borscht', 29000, '0263BA3F-279D-49E1-AF9B-523717B042DC'),
      menuItem(103, 'Cranberry mors', 14400, 'B6F7E123-5E62-494D-80E1-F307A62CB2E4'),
      menuItem(104, 'Pie', 9999, '6D06FFDD-8DCD-4D1B-B1C8-27A961611979'),
      menuItem(105, 'Delivery', 15000, '8D69DE29-5646-4909-8B21-671AC4F909BD'),
      {
        ...menuItem(106, 'Shashlik (per kg)', 120000, 'FA6D40A7-901D-47C6-BCE3-3A9A3AC7EFE4'),
        qntDecDigits: 3,
      },
    ],
    modifiers: [
      menuItem(201, 'Without salt', 0, 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A51'),
      menuItem(202, 'Rare', 0, 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A52'),
      menuItem(203, 'Extra cheese', 5000, 'C3A0B9D4-6C1E-4F51-9A57-0D1B2E3F4A53'),
    ],
    discounts: [{ ident: 1004, code: 1004, name: '10% off', active: true }],
    voidReasons: [{
      ident: 1, code: 1, name: 'Guest refused', active: true,
      flags: ['ImplOnCheckVoid', 'ImplOnDishReturn', 'ImplOnBillCancel', 'ImplOnPrepayDeletion'],
    }],
    prepayReasons: [{ ident: 1, code: 1, name: 'Online prepayment', active: true }],
  };
}

/** A fresh station: seeded references, an open shift, no visits or orders. */
export function createSeedState(options: SeedOptions): SimState {
  return {
    restCode: 199990147,
    netName: 'SIM-CASH',
    serverVersion: '7.6.4.483',
    xmlVersion: 248,
    shift: {
      num: 1,
      date: businessDate(options.now),
      open: true,
      closing: false,
      openedAt: stationTime(options.now),
    },
    globalVersion: 1,
    nextVisit: FIRST_VISIT,
    nextCheckNum: 1,
    visits: new Map(),
    orders: new Map(),
    refs: seedRefs(options.numOnTableSeed),
  };
}

/** Station-local wall time without zone or fraction, as RK7 writes it (`2024-03-01T12:00:00`). */
export function stationTime(at: Date): string {
  return `${businessDate(at, '-')}T${pad(at.getHours())}:${pad(at.getMinutes())}:`
    + pad(at.getSeconds());
}

/** The business date of `at`: `YYYYMMDD`, or with `separator` between the parts. */
export function businessDate(at: Date, separator = ''): string {
  return [at.getFullYear(), pad(at.getMonth() + 1), pad(at.getDate())].join(separator);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function menuItem(code: number, name: string, price: number, guid: string) {
  return { ident: code, code, name, price, guid, active: true, stopped: false };
}
