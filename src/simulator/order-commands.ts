import { attr, child, childrenNamed } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { renderOrder, renderOrderList, wireGuid } from './order-view.js';
import {
  boolAttr, checkLock, guidAttr, intAttr, normalizeSimGuid, optionalRef, requireChild, requireOrder,
  resolveRef,
} from './request-reading.js';
import { stationTime } from './seed-fixtures.js';
import { newGuid } from './sim-command.js';
import type { CommandHandler } from './sim-command.js';
import { simErrors } from './sim-errors.js';
import { touchOrder } from './sim-state.js';
import type { RkOrder, RkVisit, RkVoidReason, SimState } from './sim-state.js';

/** First `orderIdent` of a visit in every public example (§4). */
const FIRST_ORDER_IDENT = 256;

/** `CreateOrder` (§5.4, §8.3): a new order on the table, in a new or the given visit. */
export const createOrder: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const refs = state.refs;
  const orderEl = requireChild(command, 'Order');
  const requestedGuid = guidAttr(orderEl, 'guid');
  if (requestedGuid !== undefined && state.orders.has(requestedGuid)) {
    throw simErrors.orderExists(wireGuid(requestedGuid));
  }

  const table = resolveRef(requireChild(orderEl, 'Table'), refs.tables, 'Tables');
  const station = optionalRef(orderEl, 'Station', refs.stations, 'Cashes');
  const creator = optionalRef(orderEl, 'Creator', refs.employees, 'Employees');
  const waiter = optionalRef(orderEl, 'Waiter', refs.employees, 'Employees');
  const category = optionalRef(orderEl, 'OrderCategory', refs.orderCategories,
    'UnchangeableOrderTypes');
  const guests = readGuests(orderEl);
  const existingVisit = findVisit(state, child(orderEl, 'Visit'));
  if (existingVisit?.finished === true) {
    throw simErrors.visitClosed(existingVisit.visit, ctx.settings.language);
  }
  const props = readExternalProps(orderEl);

  const visit = existingVisit ?? openVisit(state);
  const orderIdent = FIRST_ORDER_IDENT + visit.orderIdents.length;
  table.numOnTable += 1;
  const order: RkOrder = {
    visit: visit.visit,
    orderIdent,
    guid: requestedGuid ?? newGuid(),
    orderName: `${table.name}.${table.numOnTable}`,
    tableIdent: table.ident,
    stationIdent: station?.ident,
    creatorIdent: creator?.ident,
    waiterIdent: (waiter ?? creator)?.ident,
    orderCategoryIdent: category?.ident,
    seqNumber: state.orders.size + 1,
    version: 0,
    openTime: stationTime(ctx.now),
    guestsCount: guests,
    persistentComment: attr(orderEl, 'persistentComment') ?? '',
    nonPersistentComment: attr(orderEl, 'nonPersistentComment') ?? '',
    sessions: [],
    checks: [],
    paid: false,
    finished: false,
    deleted: false,
    externalProps: props,
    nextUni: 1,
  };
  visit.orderIdents.push(orderIdent);
  state.orders.set(order.guid, order);
  touchOrder(state, order);

  return {
    attrs: { VisitID: order.visit, OrderID: order.orderIdent, guid: wireGuid(order.guid) },
    children: [renderOrder(state, order)],
    changed: true,
  };
};

/** `GetOrder` (§5.6). */
export const getOrder: CommandHandler = (command, ctx) => ({
  children: [renderOrder(ctx.state, requireOrder(ctx.state, command))],
  changed: false,
});

/** `GetOrderList` (§5.8): `No changes` when `lastversion` is the current version. */
export const getOrderList: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const lastVersion = intAttr(command, 'lastversion');
  if (lastVersion === state.globalVersion) {
    return { status: 'No changes', attrs: { lastversion: state.globalVersion }, changed: false };
  }

  const onlyOpened = boolAttr(command, 'onlyOpened') ?? false;
  const include = (o: RkOrder) => !onlyOpened || (!o.finished && !o.deleted);
  return {
    attrs: { lastversion: state.globalVersion },
    children: renderOrderList(state, include),
    changed: false,
  };
};

/** `VoidOrder` (§5.11): deletes an unpaid order with a reason allowed to void orders. */
export const voidOrder: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const order = requireOrder(state, command);
  optionalRef(command, 'Station', state.refs.stations, 'Cashes');
  optionalRef(command, 'Manager', state.refs.employees, 'Employees');
  const reason = resolveRef(requireChild(command, 'DeleteReason'), state.refs.voidReasons,
    'OrderVoids');
  checkLock(order, command, ctx.now.getTime());

  voidOrderAtStation(state, order, reason);
  return { changed: true };
};

/**
 * `UpdateOrder` (§5.12): the comments, guest count and external properties of an open order;
 * what the command leaves out stays as it is.
 */
export const updateOrder: CommandHandler = (command, ctx) => {
  const { state } = ctx;
  const order = requireOrder(state, command);
  if (order.deleted) throw simErrors.orderDeleted();
  if (state.visits.get(order.visit)?.finished === true) {
    throw simErrors.visitClosed(order.visit, ctx.settings.language);
  }
  if (order.paid || order.finished) throw simErrors.orderAlreadyPaid();
  checkLock(order, command, ctx.now.getTime());

  const guests = child(command, 'Guests') === undefined ? undefined : readGuests(command);
  const props = readExternalProps(command);

  const before = JSON.stringify(order);
  order.persistentComment = attr(command, 'persistentComment') ?? order.persistentComment;
  order.nonPersistentComment = attr(command, 'nonPersistentComment') ?? order.nonPersistentComment;
  order.guestsCount = guests ?? order.guestsCount;
  Object.assign(order.externalProps, props);

  const changed = JSON.stringify(order) !== before;
  if (changed) touchOrder(state, order);
  return { changed };
};

/** Voids an order (also the till's "void" action); refuses paid or already deleted ones. */
export function voidOrderAtStation(state: SimState, order: RkOrder, reason: RkVoidReason): void {
  if (order.deleted) throw simErrors.orderDeleted();
  if (order.paid) throw simErrors.orderPaid();
  if (!reason.flags.includes('ImplOnCheckVoid')) {
    throw simErrors.voidReasonNotAllowed(reason.name, 'ImplOnCheckVoid');
  }

  for (const line of order.sessions.flatMap((s) => s.lines)) {
    line.state = 7;
    if (line.kind === 'dish') line.modifiers.forEach((m) => { m.state = 7; });
  }
  order.deleted = true;
  touchOrder(state, order);
}

function readGuests(orderEl: XmlElement): number {
  const guests = child(orderEl, 'Guests');
  if (guests === undefined) return 0;
  return intAttr(guests, 'count') ?? childrenNamed(guests, 'Guest').length;
}

function readExternalProps(orderEl: XmlElement): Record<string, string> {
  const props: Record<string, string> = {};
  const list = child(orderEl, 'ExternalProps');
  for (const prop of list === undefined ? [] : childrenNamed(list, 'Prop')) {
    const name = attr(prop, 'name');
    if (name === undefined) throw simErrors.childNotFound('Prop/@name');
    props[name] = attr(prop, 'value') ?? '';
  }
  return props;
}

function findVisit(state: SimState, element: XmlElement | undefined): RkVisit | undefined {
  if (element === undefined) return undefined;

  const id = intAttr(element, 'visit') ?? intAttr(element, 'id');
  const guid = attr(element, 'guid');
  const wanted = guid === undefined ? undefined : normalizeSimGuid(guid);
  const found = id !== undefined
    ? state.visits.get(id)
    : [...state.visits.values()].find((v) => v.guid === wanted);
  if (!found) throw simErrors.refNotFound(String(id ?? guid ?? ''), 'Visits');
  return found;
}

function openVisit(state: SimState): RkVisit {
  const visit: RkVisit = {
    visit: state.nextVisit, guid: newGuid(), orderIdents: [], finished: false,
  };
  state.nextVisit += 1;
  state.visits.set(visit.visit, visit);
  return visit;
}
