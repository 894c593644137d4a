import { crc32 } from 'node:zlib';
import { xmlElement } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { dishAmount, orderTotals } from './sim-state.js';
import type {
  RkDishLine, RkLine, RkOrder, RkPrintCheck, RkRef, RkSession, SimState,
} from './sim-state.js';

/**
 * How the simulated station writes orders: the `resOrderItem` tree of GetOrder, SaveOrder and
 * CreateOrder replies (§5.6), and the capitalised `Visit`/`Order` entries of GetOrderList (§5.8).
 */

/** `<Order …>` with its references, sessions, lines and receipts. */
export function renderOrder(state: SimState, order: RkOrder): XmlElement {
  const totals = orderTotals(order);
  const refs = state.refs;
  const employee = (ident: number | undefined) => refs.employees.find((e) => e.ident === ident);

  return xmlElement('Order', {
    visit: order.visit,
    orderIdent: order.orderIdent,
    guid: wireGuid(order.guid),
    url: '',
    orderName: order.orderName,
    version: order.version,
    crc32: orderCrc(order),
    orderSum: totals.orderSum,
    prepaySum: totals.prepaySum,
    promisedSum: totals.promisedSum,
    unpaidSum: totals.unpaidSum,
    discountSum: totals.discountSum,
    totalPieces: totals.totalPieces,
    seqNumber: order.seqNumber,
    paid: order.paid,
    finished: order.finished,
    deleted: order.deleted,
    locked: order.lock !== undefined,
    persistentComment: order.persistentComment,
    nonPersistentComment: order.nonPersistentComment,
    openTime: order.openTime,
    cookMins: 0,
  }, [
    refElement('Creator', employee(order.creatorIdent)),
    refElement('Waiter', employee(order.waiterIdent)),
    refElement('OrderCategory', refs.orderCategories.find((c) =>
      c.ident === order.orderCategoryIdent)),
    refElement('Table', refs.tables.find((t) => t.ident === order.tableIdent)),
    refElement('Station', refs.stations.find((s) => s.ident === order.stationIdent)),
    xmlElement('Guests', { count: order.guestsCount }),
    xmlElement('ExternalProps', {}, Object.entries(order.externalProps).map(([name, value]) =>
      xmlElement('Prop', { name, value }))),
    ...order.sessions.map((s) => renderSession(state, s, order.checks)),
  ]);
}

/** `<Visit>` entries of GetOrderList, holding the orders `include` accepts. */
export function renderOrderList(
  state: SimState,
  include: (order: RkOrder) => boolean,
): XmlElement[] {
  const visits: XmlElement[] = [];
  // One pass over the orders, not one per visit: stations with thousands of orders are polled.
  const byVisit = new Map<number, RkOrder[]>();
  for (const order of state.orders.values()) {
    const list = byVisit.get(order.visit) ?? [];
    list.push(order);
    byVisit.set(order.visit, list);
  }
  for (const visit of state.visits.values()) {
    const ofVisit = byVisit.get(visit.visit) ?? [];
    const orders = visit.orderIdents
      .map((ident) => ofVisit.find((o) => o.orderIdent === ident))
      .filter((o): o is RkOrder => o !== undefined && include(o));
    if (orders.length === 0) continue;

    const guests = orders.reduce((n, o) => Math.max(n, o.guestsCount), 0);
    visits.push(xmlElement('Visit', {
      VisitID: visit.visit,
      guid: wireGuid(visit.guid),
      Finished: visit.finished,
      GuestsCount: guests,
    }, [
      xmlElement('Guests', { count: guests }),
      xmlElement('Orders', {}, orders.map((o) => renderListEntry(state, o))),
    ]));
  }
  return visits;
}

function renderListEntry(state: SimState, order: RkOrder): XmlElement {
  const totals = orderTotals(order);
  const table = state.refs.tables.find((t) => t.ident === order.tableIdent);
  const category = state.refs.orderCategories.find((c) => c.ident === order.orderCategoryIdent);
  return xmlElement('Order', {
    OrderID: order.orderIdent,
    Version: order.version,
    crc32: orderCrc(order),
    guid: wireGuid(order.guid),
    url: '',
    OrderName: order.orderName,
    OrderSum: totals.orderSum,
    ToPaySum: totals.unpaidSum,
    PrepaySum: totals.prepaySum,
    PromisedSum: totals.promisedSum,
    TotalPieces: totals.totalPieces,
    CreateTime: order.openTime,
    Finished: order.finished,
    Bill: false,
    TableID: table?.ident,
    TableCode: table?.code,
    TableName: table?.name,
    OrderCategID: category?.ident,
    OrderCategCode: category?.code,
    OrderCategName: category?.name,
    locked: order.lock !== undefined,
  });
}

function renderSession(state: SimState, session: RkSession, checks: RkPrintCheck[]): XmlElement {
  return xmlElement('Session', {
    uni: session.uni,
    line_guid: wireGuid(session.lineGuid),
    sessionID: session.uni,
    isDraft: false,
    printed: session.printed,
    cookMins: 0,
  }, [
    refElement('Station', state.refs.stations.find((s) => s.ident === session.stationIdent)),
    ...session.lines.map((line) => renderLine(state, line)),
    ...checks.filter((c) => c.sessionUni === session.uni).map((c) => renderCheck(state, c)),
  ]);
}

function renderLine(state: SimState, line: RkLine): XmlElement {
  if (line.kind === 'dish') return renderDish(state, line);

  const currency = state.refs.currencies.find((c) => c.ident === line.currencyIdent);
  return xmlElement('Prepay', {
    ...refAttrs(currency),
    uni: line.uni,
    line_guid: wireGuid(line.lineGuid),
    state: line.state,
    amount: line.amount,
    promised: line.promised,
    deleted: line.state === 7,
  }, [line.reasonIdent === undefined ? undefined : xmlElement('Reason', { id: line.reasonIdent })]);
}

function renderDish(state: SimState, dish: RkDishLine): XmlElement {
  const item = state.refs.menu.find((m) => m.ident === dish.menuIdent);
  return xmlElement('Dish', {
    ...refAttrs(item),
    uni: dish.uni,
    line_guid: wireGuid(dish.lineGuid),
    state: dish.state,
    quantity: dish.quantity,
    price: dish.price,
    amount: dishAmount(dish),
  }, [
    ...dish.modifiers.map((m) => xmlElement('Modi', {
      ...refAttrs(state.refs.modifiers.find((r) => r.ident === m.modiIdent)),
      uni: m.uni,
      line_guid: wireGuid(m.lineGuid),
      state: m.state,
      count: m.count,
      price: m.price,
      amount: m.price * m.count,
    })),
    dish.void === undefined ? undefined : xmlElement('Void', {
      ...refAttrs(state.refs.voidReasons.find((r) => r.ident === dish.void?.reasonIdent)),
      quantity: dish.void.quantity,
    }, [refElement('Author', state.refs.employees.find((e) =>
      e.ident === dish.void?.authorIdent))]),
  ]);
}

/** `<PrintCheck>` of a PayOrder reply or of a paid order's session. */
export function renderCheck(state: SimState, check: RkPrintCheck): XmlElement {
  return xmlElement('PrintCheck', {
    uni: check.uni,
    line_guid: wireGuid(check.lineGuid),
    CheckNum: check.checkNum,
    amount: check.amount,
    unpaidSum: 0,
    state: 6,
    deleted: false,
    bill: false,
    printTime: check.printTime,
    startTime: check.printTime,
  }, check.pays.map((pay) => xmlElement('Pay', {
    // Currencies are named by reference like every refItem; the GUID is in CURRENCIES.
    ...refAttrs(state.refs.currencies.find((c) => c.ident === pay.currencyIdent)),
    uni: pay.uni,
    line_guid: wireGuid(pay.lineGuid),
    state: 6,
    amount: pay.amount,
    basicSum: pay.amount,
  })));
}

/** `{UPPER}` as the station writes GUIDs. */
export function wireGuid(guid: string): string {
  return `{${guid}}`;
}

function refElement(name: string, ref: RkRef | undefined): XmlElement | undefined {
  return ref === undefined ? undefined : xmlElement(name, refAttrs(ref));
}

function refAttrs(ref: RkRef | undefined): Record<string, string | number | undefined> {
  return ref === undefined ? {} : { id: ref.ident, code: ref.code, name: ref.name };
}

function orderCrc(order: RkOrder): number {
  const content = JSON.stringify([order.sessions, order.checks, order.paid, order.deleted]);
  return crc32(content) | 0;
}
