import { attr, child } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { simErrors } from './sim-errors.js';
import type { RkOrder, RkRef, SimState } from './sim-state.js';

/**
 * Reading request elements the way the station does: references by `id`, `code` or `guid`,
 * integers strictly, missing children and unknown references answered with RK7's texts.
 */

const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** An optional integer attribute; anything else than an integer is "Bad integer attribute". */
export function intAttr(element: XmlElement, name: string): number | undefined {
  const value = attr(element, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw simErrors.badInteger(`${element.name}/@${name}`, value);
  return Number(value);
}

/** A required integer attribute. */
export function requiredIntAttr(element: XmlElement, name: string): number {
  const value = intAttr(element, name);
  if (value === undefined) throw simErrors.attributeNotFound(`${element.name}/@${name}`);
  return value;
}

/** A boolean attribute (`1`/`0`, `true`/`false`). */
export function boolAttr(element: XmlElement, name: string): boolean | undefined {
  const value = attr(element, name)?.trim().toLowerCase();
  if (value === undefined) return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw simErrors.badAttribute(`${element.name}/@${name}`, value);
}

/** A GUID attribute, returned upper case without braces. */
export function guidAttr(element: XmlElement, name: string): string | undefined {
  const value = attr(element, name);
  if (value === undefined) return undefined;

  const guid = normalizeSimGuid(value);
  if (!GUID.test(guid)) throw simErrors.badAttribute(`${element.name}/@${name}`, value);
  return guid;
}

/** A GUID in any spelling → upper case without braces. */
export function normalizeSimGuid(value: string): string {
  return value.trim().replace(/^\{/, '').replace(/\}$/, '').toUpperCase();
}

/** The named child, or RK7's `Error: child element "X" not found`. */
export function requireChild(element: XmlElement, name: string): XmlElement {
  const found = child(element, name);
  if (!found) throw simErrors.childNotFound(name);
  return found;
}

/**
 * Resolves a `refItem` element (`id` | `code` | `guid`) against a reference; an element naming
 * nothing, or an unknown item, is refused with the reference's collection name.
 */
export function resolveRef<T extends RkRef>(
  element: XmlElement,
  items: readonly T[],
  collection: string,
): T {
  const id = intAttr(element, 'id');
  const code = intAttr(element, 'code');
  const guid = attr(element, 'guid');

  let found: T | undefined;
  if (id !== undefined) found = items.find((i) => i.ident === id);
  else if (code !== undefined) found = items.find((i) => i.code === code);
  else if (guid !== undefined) found = items.find((i) => i.guid === normalizeSimGuid(guid));

  if (!found) {
    throw simErrors.refNotFound(String(id ?? code ?? guid ?? ''), collection);
  }
  return found;
}

/** Resolves an optional child reference (`<Station id/>`) of `parent`. */
export function optionalRef<T extends RkRef>(
  parent: XmlElement,
  name: string,
  items: readonly T[],
  collection: string,
): T | undefined {
  const element = child(parent, name);
  return element === undefined ? undefined : resolveRef(element, items, collection);
}

/** The GUID an `orderElement` (`guid`, or `visit` + `orderIdent`) names, if it names one. */
export function orderGuidOf(state: SimState, element: XmlElement): string | undefined {
  const guid = attr(element, 'guid');
  if (guid !== undefined) return normalizeSimGuid(guid);

  const visit = intAttr(element, 'visit');
  const orderIdent = intAttr(element, 'orderIdent') ?? intAttr(element, 'ident');
  for (const order of state.orders.values()) {
    if (order.visit === visit && order.orderIdent === orderIdent) return order.guid;
  }
  return undefined;
}

/** The order named by the command's `<Order>` child, or "order not found". */
export function requireOrder(state: SimState, command: XmlElement): RkOrder {
  const guid = orderGuidOf(state, requireChild(command, 'Order'));
  const order = guid === undefined ? undefined : state.orders.get(guid);
  if (!order) throw simErrors.orderNotFound();
  return order;
}

/** Refuses changes to an order locked by a station or under another lock key (2219). */
export function checkLock(order: RkOrder, command: XmlElement, nowMs: number): void {
  const lock = order.lock;
  if (lock === undefined || lock.untilMs <= nowMs) return;

  const key = attr(command, 'lockguid');
  if (lock.stationIdent !== undefined || key === undefined || normalizeSimGuid(key) !== lock.guid) {
    throw simErrors.lockedByAnotherKey();
  }
}
