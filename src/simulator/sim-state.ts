import type { Kopecks, Thousandths } from '../money/money.js';
import { lineTotal } from '../money/money.js';

/**
 * The simulated cash server's state (`rk7-xml.md` §8.2): reference data, visits and orders.
 * Plain data only, so it can be written to a JSON file and read back. GUIDs are kept upper case
 * without braces; money is in kopecks, quantities in thousandths.
 */
export interface SimState {
  restCode: number;
  netName: string;
  serverVersion: string;
  xmlVersion: number;
  shift: SimShift;
  /** Bumped on every change of any order: `GetOrderList@lastversion`. */
  globalVersion: number;
  nextVisit: number;
  nextCheckNum: number;
  visits: Map<number, RkVisit>;
  orders: Map<string, RkOrder>;
  refs: SimRefs;
}

/** The common shift. */
export interface SimShift {
  num: number;
  /** Business date, `YYYYMMDD`. */
  date: string;
  open: boolean;
  closing: boolean;
  openedAt: string;
}

/** A reference item: `Ident` (id), `Code`, `Name`, optional GUID. */
export interface RkRef {
  ident: number;
  code: number;
  name: string;
  guid?: string;
  active: boolean;
}

/** CURRENCIES item. */
export interface RkCurrency extends RkRef {
  guid: string;
  /** Whether the till gives change in this currency (cash). */
  allowChange: boolean;
}

/** CASHES item: a cash station. */
export interface RkStation extends RkRef {
  netName: string;
  online: boolean;
}

/** TABLES item. */
export interface RkTable extends RkRef {
  /** Orders numbered on this table so far in the shift; the next is `numOnTable + 1`. */
  numOnTable: number;
}

/** MENUITEMS or MODIFIERS item, price in kopecks. */
export interface RkMenuItem extends RkRef {
  guid: string;
  price: Kopecks;
  stopped: boolean;
  qntDecDigits?: number;
}

/** ORDERVOIDS item. */
export interface RkVoidReason extends RkRef {
  /** `ImplOnCheckVoid`, `ImplOnDishReturn`… */
  flags: string[];
}

/** The reference data the station serves (§8.6). */
export interface SimRefs {
  restaurant: RkRef;
  currencies: RkCurrency[];
  stations: RkStation[];
  tables: RkTable[];
  employees: RkRef[];
  menu: RkMenuItem[];
  modifiers: RkMenuItem[];
  orderCategories: RkRef[];
  voidReasons: RkVoidReason[];
  prepayReasons: RkRef[];
  discounts: RkRef[];
}

/** A visit: the orders opened together (256, 257…). */
export interface RkVisit {
  visit: number;
  guid: string;
  orderIdents: number[];
  finished: boolean;
}

/** CheckItemState: 1 open, 3 fixed, 4 printed, 5 partly closed, 6 closed, 7 deleted. */
export type RkLineState = 0 | 1 | 3 | 4 | 5 | 6 | 7;

/** A modifier on a dish line; its amount is price × count. */
export interface RkModiLine {
  uni: number;
  lineGuid: string;
  modiIdent: number;
  count: number;
  price: Kopecks;
  state: RkLineState;
}

/** A dish line of a session. */
export interface RkDishLine {
  kind: 'dish';
  uni: number;
  lineGuid: string;
  menuIdent: number;
  quantity: Thousandths;
  price: Kopecks;
  state: RkLineState;
  modifiers: RkModiLine[];
  /** Set when the line was voided (`<Void>` in a SaveOrder); the line is then in state 7. */
  void?: RkDishVoid;
}

/** How a dish line was voided. */
export interface RkDishVoid {
  reasonIdent: number;
  quantity: Thousandths;
  authorIdent: number | undefined;
}

/** A prepayment line of a session (promised or not). */
export interface RkPrepayLine {
  kind: 'prepay';
  uni: number;
  lineGuid: string;
  currencyIdent: number;
  amount: Kopecks;
  promised: boolean;
  reasonIdent: number | undefined;
  state: RkLineState;
}

/** A line of a session. */
export type RkLine = RkDishLine | RkPrepayLine;

/** An order session (packet): lines added together. */
export interface RkSession {
  uni: number;
  lineGuid: string;
  printed: boolean;
  stationIdent: number | undefined;
  lines: RkLine[];
}

/** A payment line of a receipt. */
export interface RkPay {
  uni: number;
  lineGuid: string;
  currencyIdent: number;
  amount: Kopecks;
}

/** A receipt (PrintCheck) closing the order. */
export interface RkPrintCheck {
  /** The session the receipt was added in. */
  sessionUni: number;
  uni: number;
  lineGuid: string;
  checkNum: number;
  /** Sum the receipt settles (the tendered total minus change). */
  amount: Kopecks;
  change: Kopecks;
  printTime: string;
  pays: RkPay[];
}

/** A lock on an order, by a lock key or a station. */
export interface RkOrderLock {
  guid: string;
  untilMs: number;
  stationIdent?: number;
}

/** A station order (§8.2). */
export interface RkOrder {
  visit: number;
  orderIdent: number;
  guid: string;
  orderName: string;
  tableIdent: number;
  stationIdent: number | undefined;
  creatorIdent: number | undefined;
  waiterIdent: number | undefined;
  orderCategoryIdent: number | undefined;
  seqNumber: number;
  version: number;
  openTime: string;
  guestsCount: number;
  persistentComment: string;
  nonPersistentComment: string;
  sessions: RkSession[];
  checks: RkPrintCheck[];
  paid: boolean;
  finished: boolean;
  deleted: boolean;
  lock?: RkOrderLock;
  externalProps: Record<string, string>;
  /** Next `uni` for a session or line of this order. */
  nextUni: number;
}

/** Sums of an order, derived from its lines (§8.2). */
export interface OrderTotals {
  orderSum: Kopecks;
  discountSum: Kopecks;
  prepaySum: Kopecks;
  promisedSum: Kopecks;
  paidSum: Kopecks;
  /** `orderSum − prepaySum − paidSum`, never below zero (GetOrder's view). */
  unpaidSum: Kopecks;
  totalPieces: Thousandths;
}

/** The order's sums, derived from its lines and receipts. */
export function orderTotals(order: RkOrder): OrderTotals {
  let orderSum = 0;
  let prepaySum = 0;
  let promisedSum = 0;
  let totalPieces = 0;
  for (const line of order.sessions.flatMap((s) => s.lines)) {
    if (line.state === 7) continue;
    if (line.kind === 'dish') {
      orderSum += dishAmount(line);
      totalPieces += line.quantity;
    } else if (line.promised) {
      promisedSum += line.amount;
    } else {
      prepaySum += line.amount;
    }
  }

  const paidSum = order.checks.reduce((sum, c) => sum + c.amount, 0);
  const unpaidSum = Math.max(0, orderSum - prepaySum - paidSum);
  return { orderSum, discountSum: 0, prepaySum, promisedSum, paidSum, unpaidSum, totalPieces };
}

/** A dish line's amount: price × quantity, plus its modifiers (price × count each). */
export function dishAmount(line: RkDishLine): Kopecks {
  const modifiers = line.modifiers
    .filter((m) => m.state !== 7)
    .reduce((sum, m) => sum + m.price * m.count, 0);
  return lineTotal(line.price, line.quantity) + modifiers;
}

/** GUIDs of the orders changed since the state was last saved, per state (not part of it). */
const changedOrders = new WeakMap<SimState, Set<string>>();

/**
 * Records a change of `order`: its version and the global version move on, and the order is
 * remembered as changed for the next save (`takeChangedOrders`).
 */
export function touchOrder(state: SimState, order: RkOrder): void {
  order.version += 1;
  state.globalVersion += 1;
  let changed = changedOrders.get(state);
  if (changed === undefined) {
    changed = new Set();
    changedOrders.set(state, changed);
  }
  changed.add(order.guid);
}

/** The orders touched since the last call (for incremental saving); forgets them. */
export function takeChangedOrders(state: SimState): RkOrder[] {
  const changed = changedOrders.get(state);
  if (changed === undefined || changed.size === 0) return [];

  changedOrders.delete(state);
  return [...changed].flatMap((guid) => state.orders.get(guid) ?? []);
}
