import type { Kopecks, Thousandths } from '../../money/money.js';
import { attr, child, childrenNamed, descendants } from './xml-element.js';
import type { XmlElement } from './xml-element.js';
import {
  normalizeGuid, readBool, readOptionalInt, requireAttr, requireChild, requireInt, Rk7ProtocolError,
} from './xml-protocol.js';
import type { Rk7Result } from './xml-protocol.js';

/**
 * Typed readings of the replies the connector uses (`rk7-xml.md` §5). Attribute names are read
 * case-insensitively; a reply lacking something the hub depends on is a {@link Rk7ProtocolError}.
 */

/** `SystemInfo` (§5.1). */
export interface Rk7SystemInfo {
  restCode: number;
  netName: string;
  serverVersion: string;
  /** `ShiftDate` as `YYYY-MM-DD`. */
  shiftDate: string;
}

/** Reads the `<SystemInfo>` of a GetSystemInfo reply. */
export function readSystemInfo(result: Rk7Result): Rk7SystemInfo {
  const info = requireChild(result.body, 'SystemInfo');
  const shift = requireAttr(info, 'ShiftDate');
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(shift);
  if (!m) throw new Rk7ProtocolError(`unexpected ShiftDate "${shift}"`);

  return {
    restCode: requireInt(info, 'RestCode'),
    netName: attr(info, 'NetName') ?? result.netName ?? '',
    serverVersion: result.serverVersion ?? '',
    shiftDate: `${m[1]}-${m[2]}-${m[3]}`,
  };
}

/** A station order (`resOrderItem`, §5.6) reduced to what the hub reads. */
export interface Rk7Order {
  /** Upper case, no braces. */
  guid: string;
  visit: number;
  orderIdent: number;
  orderName: string;
  version: number;
  orderSum: Kopecks;
  unpaidSum: Kopecks;
  prepaySum: Kopecks;
  paid: boolean;
  finished: boolean;
  deleted: boolean;
  persistentComment: string;
  /** `Guests@count`, 0 when the station wrote none. */
  guests: number;
  /** Dish lines, each followed by its modifiers; deleted lines (state 7) left out. */
  lines: Rk7OrderLine[];
  /** The same dishes with their modifiers and line identities, for edits. */
  dishes: Rk7Dish[];
  /** Payment lines of the order's receipts, deleted ones left out. */
  pays: Rk7Pay[];
}

/** A dish or modifier line of an order. */
export interface Rk7OrderLine {
  kind: 'dish' | 'modi';
  code: string;
  /** Thousandths; a modifier's `count` × 1000. */
  quantity: Thousandths;
  price: Kopecks;
}

/** A dish line with its modifiers, named the way an edit refers to it. */
export interface Rk7Dish {
  code: string;
  quantity: Thousandths;
  price: Kopecks;
  /** The line's number within the order, when the station wrote it. */
  uni: number | undefined;
  /** The line's GUID (upper case, no braces), when the station wrote it. */
  lineGuid: string | undefined;
  modifiers: { code: string; count: number; price: Kopecks }[];
}

/** A payment line (`<Pay>`) of an order's receipt. */
export interface Rk7Pay {
  /** Currency reference ident (`Pay@id`). */
  currencyId: number | undefined;
  /** Currency GUID when the station wrote one, upper case without braces. */
  currencyGuid: string | undefined;
  amount: Kopecks;
}

/** Reads the `<Order>` of a GetOrder / CreateOrder / SaveOrder reply. */
export function readOrder(result: Rk7Result): Rk7Order {
  return readOrderElement(requireChild(result.body, 'Order'));
}

/** Reads an `<Order>` element (`resOrderItem`). */
export function readOrderElement(order: XmlElement): Rk7Order {
  return {
    guid: normalizeGuid(requireAttr(order, 'guid')),
    visit: requireInt(order, 'visit'),
    orderIdent: requireInt(order, 'orderIdent'),
    orderName: requireAttr(order, 'orderName'),
    version: requireInt(order, 'version'),
    orderSum: requireInt(order, 'orderSum'),
    unpaidSum: requireInt(order, 'unpaidSum'),
    prepaySum: readOptionalInt(attr(order, 'prepaySum')) ?? 0,
    paid: readBool(attr(order, 'paid')),
    finished: readBool(attr(order, 'finished')),
    deleted: readBool(attr(order, 'deleted')),
    persistentComment: attr(order, 'persistentComment') ?? '',
    guests: readGuestCount(child(order, 'Guests')),
    lines: childrenNamed(order, 'Session').flatMap(readSessionLines),
    dishes: childrenNamed(order, 'Session').flatMap(readSessionDishes),
    pays: readPays(order),
  };
}

function readSessionLines(session: XmlElement): Rk7OrderLine[] {
  const lines: Rk7OrderLine[] = [];
  for (const dish of childrenNamed(session, 'Dish')) {
    if (isDeletedLine(dish)) continue;

    lines.push({
      kind: 'dish',
      code: requireAttr(dish, 'code'),
      quantity: requireInt(dish, 'quantity'),
      price: readOptionalInt(attr(dish, 'price')) ?? 0,
    });
    for (const modi of childrenNamed(dish, 'Modi')) {
      if (isDeletedLine(modi)) continue;
      lines.push({
        kind: 'modi',
        code: requireAttr(modi, 'code'),
        quantity: (readOptionalInt(attr(modi, 'count')) ?? 1) * 1000,
        price: readOptionalInt(attr(modi, 'price')) ?? 0,
      });
    }
  }
  return lines;
}

function readGuestCount(guests: XmlElement | undefined): number {
  if (guests === undefined) return 0;
  return readOptionalInt(attr(guests, 'count')) ?? childrenNamed(guests, 'Guest').length;
}

function readSessionDishes(session: XmlElement): Rk7Dish[] {
  return childrenNamed(session, 'Dish').filter((dish) => !isDeletedLine(dish)).map((dish) => {
    const lineGuid = attr(dish, 'line_guid');
    return {
      code: requireAttr(dish, 'code'),
      quantity: requireInt(dish, 'quantity'),
      price: readOptionalInt(attr(dish, 'price')) ?? 0,
      uni: readOptionalInt(attr(dish, 'uni')),
      lineGuid: lineGuid === undefined ? undefined : normalizeGuid(lineGuid),
      modifiers: childrenNamed(dish, 'Modi').filter((modi) => !isDeletedLine(modi))
        .map((modi) => ({
          code: requireAttr(modi, 'code'),
          count: readOptionalInt(attr(modi, 'count')) ?? 1,
          price: readOptionalInt(attr(modi, 'price')) ?? 0,
        })),
    };
  });
}

// Pay lines may sit in a Session and again inside its PrintCheck; line_guid tells duplicates.
function readPays(order: XmlElement): Rk7Pay[] {
  const seen = new Set<string>();
  const pays: Rk7Pay[] = [];
  for (const pay of descendants(order, 'Pay')) {
    const lineGuid = attr(pay, 'line_guid');
    if (isDeletedLine(pay) || (lineGuid !== undefined && seen.has(lineGuid))) continue;
    if (lineGuid !== undefined) seen.add(lineGuid);

    const guid = attr(pay, 'guid');
    pays.push({
      currencyId: readOptionalInt(attr(pay, 'id')),
      currencyGuid: guid === undefined ? undefined : normalizeGuid(guid),
      amount: requireInt(pay, 'amount'),
    });
  }
  return pays;
}

function isDeletedLine(line: XmlElement): boolean {
  return attr(line, 'state') === '7' || readBool(attr(line, 'deleted'));
}

/** One `<Error>` of a SaveOrder reply: a line the station could not apply. */
export interface Rk7LineError {
  rk7ErrorN: number | undefined;
  text: string;
  /** Name of the offending request element (`Dish`, `Modi`…), when echoed. */
  faultyElement: string | undefined;
}

/** The `<Error>` children of a SaveOrder reply; empty when every line was applied. */
export function readLineErrors(result: Rk7Result): Rk7LineError[] {
  return childrenNamed(result.body, 'Error').map((error) => ({
    rk7ErrorN: readOptionalInt(attr(error, 'RK7ErrorN')),
    text: attr(error, 'ErrorText') ?? error.text,
    faultyElement: child(error, 'FaultyTag')?.children[0]?.name,
  }));
}

/** One `<Item>` of a GetRefData reply (§5.2). */
export interface Rk7RefItem {
  ident: number;
  code: string | undefined;
  name: string | undefined;
  /** Upper case, no braces. */
  guid: string | undefined;
  active: boolean;
}

/** The items of a GetRefData reply. */
export function readRefItems(result: Rk7Result): Rk7RefItem[] {
  const reference = requireChild(result.body, 'RK7Reference');
  const items = child(reference, 'Items');
  return (items === undefined ? [] : childrenNamed(items, 'Item')).map((item) => {
    const guid = attr(item, 'GUIDString');
    return {
      ident: requireInt(item, 'Ident'),
      code: attr(item, 'Code'),
      name: attr(item, 'Name'),
      guid: guid === undefined ? undefined : normalizeGuid(guid),
      active: (attr(item, 'Status') ?? 'rsActive') === 'rsActive',
    };
  });
}

/** A GetOrderList reply (§5.8). */
export interface Rk7OrderList {
  /** `false` when the station answered `No changes`. */
  changed: boolean;
  lastVersion: number | undefined;
  orders: Rk7OrderListEntry[];
}

/** One order of a GetOrderList reply (capitalised attribute names on the wire). */
export interface Rk7OrderListEntry {
  guid: string;
  visit: number;
  orderIdent: number;
  orderName: string;
  version: number;
  orderSum: Kopecks;
  finished: boolean;
}

/** Reads a GetOrderList reply, `No changes` included. */
export function readOrderList(result: Rk7Result): Rk7OrderList {
  const orders: Rk7OrderListEntry[] = [];
  for (const visit of childrenNamed(result.body, 'Visit')) {
    const orderList = child(visit, 'Orders');
    for (const order of orderList === undefined ? [] : childrenNamed(orderList, 'Order')) {
      orders.push({
        guid: normalizeGuid(requireAttr(order, 'guid')),
        visit: requireInt(visit, 'VisitID'),
        orderIdent: requireInt(order, 'OrderID'),
        orderName: requireAttr(order, 'OrderName'),
        version: requireInt(order, 'Version'),
        orderSum: readOptionalInt(attr(order, 'OrderSum')) ?? 0,
        finished: readBool(attr(order, 'Finished')),
      });
    }
  }

  return {
    changed: result.status !== 'No changes',
    lastVersion: readOptionalInt(attr(result.body, 'lastversion')),
    orders,
  };
}
