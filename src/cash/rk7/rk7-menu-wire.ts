import type { Kopecks } from '../../money/money.js';
import { attr, child, childrenNamed } from './xml-element.js';
import type { XmlElement } from './xml-element.js';
import { getRefDataRequest } from './rk7-requests.js';
import {
  buildRk7Query, normalizeGuid, readOptionalInt, refById, requireChild, requireInt,
} from './xml-protocol.js';
import type { Rk7Request, Rk7Result } from './xml-protocol.js';

/**
 * Wire shapes of the menu import (`rk7-xml.md` §5.2, §5.3, §6.2): the `MENUITEMS` and
 * `MODIFIERS` references, and the station's order menu with its prices in kopecks.
 */

/** The menu references the import reads. */
export type MenuRefName = 'MENUITEMS' | 'MODIFIERS';

/** `GetRefData` for the active items of a menu reference, with the properties the import uses. */
export function getMenuRefRequest(refName: MenuRefName): Rk7Request {
  return getRefDataRequest(refName, {
    onlyActive: true,
    propMask: 'items.(Ident,Code,Name,GUIDString,Status,QntDecDigits)',
  });
}

/** `GetOrderMenu` of one station (CASHES ident): what it sells and at which price. */
export function getOrderMenuRequest(stationId: number): Rk7Request {
  return buildRk7Query('GetOrderMenu', {
    children: [refById('Station', stationId)],
    mutating: false,
  });
}

/** One active item of `MENUITEMS` or `MODIFIERS`. */
export interface Rk7MenuRefItem {
  ident: number;
  code: string;
  name: string;
  /** Upper case, no braces. */
  guid: string | undefined;
  /** `QntDecDigits`: decimal places of the quantity; absent for pieces. */
  qntDecDigits: number | undefined;
}

/**
 * The active items of a `MENUITEMS`/`MODIFIERS` reply. Items without a code cannot be ordered
 * through the XML interface (dishes are sent by code), so they are left out.
 */
export function readMenuRefItems(result: Rk7Result): Rk7MenuRefItem[] {
  const reference = requireChild(result.body, 'RK7Reference');
  const items = child(reference, 'Items');
  const found: Rk7MenuRefItem[] = [];
  for (const item of items === undefined ? [] : childrenNamed(items, 'Item')) {
    const code = attr(item, 'Code')?.trim();
    const status = attr(item, 'Status') ?? 'rsActive';
    if (code === undefined || code === '' || status !== 'rsActive') continue;

    const guid = attr(item, 'GUIDString');
    found.push({
      ident: requireInt(item, 'Ident'),
      code,
      name: attr(item, 'Name') ?? code,
      guid: guid === undefined || guid.trim() === '' ? undefined : normalizeGuid(guid),
      qntDecDigits: readOptionalInt(attr(item, 'QntDecDigits')),
    });
  }
  return found;
}

/** Prices (kopecks) of a station's order menu by reference ident. */
export interface Rk7OrderMenuPrices {
  dishes: Map<number, Kopecks>;
  modifiers: Map<number, Kopecks>;
}

/** Reads `<Dishes>` and `<Modifiers>` of a GetOrderMenu reply; items without a price left out. */
export function readOrderMenuPrices(result: Rk7Result): Rk7OrderMenuPrices {
  return {
    dishes: pricesOf(child(result.body, 'Dishes')),
    modifiers: pricesOf(child(result.body, 'Modifiers')),
  };
}

function pricesOf(list: XmlElement | undefined): Map<number, Kopecks> {
  const prices = new Map<number, Kopecks>();
  for (const item of list === undefined ? [] : childrenNamed(list, 'Item')) {
    const price = readOptionalInt(attr(item, 'Price'));
    if (price !== undefined && price >= 0) prices.set(requireInt(item, 'Ident'), price);
  }
  return prices;
}
