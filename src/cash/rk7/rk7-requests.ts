import type { Kopecks, Thousandths } from '../../money/money.js';
import { xmlElement } from './xml-element.js';
import { buildRk7Query, normalizeGuid, refById, toWireGuid } from './xml-protocol.js';
import type { Rk7Request } from './xml-protocol.js';

/**
 * Request shapes of the commands the connector sends (`rk7-xml.md` §5), written with the XSD
 * spelling of every element and attribute. Money is in kopecks, quantities in thousandths,
 * GUIDs braced and upper-case, booleans 1/0.
 */

/** `GetSystemInfo`: identity and shift of the node. */
export function getSystemInfoRequest(): Rk7Request {
  return buildRk7Query('GetSystemInfo', { mutating: false });
}

/** `GetRefData` for one reference (`CURRENCIES`, `MENUITEMS`…). */
export function getRefDataRequest(
  refName: string,
  options: { onlyActive?: boolean; propMask?: string } = {},
): Rk7Request {
  return buildRk7Query('GetRefData', {
    attrs: { RefName: refName, OnlyActive: options.onlyActive, PropMask: options.propMask },
    mutating: false,
  });
}

/** `GetOrder` by GUID. */
export function getOrderRequest(guid: string): Rk7Request {
  return buildRk7Query('GetOrder', {
    children: [xmlElement('Order', { guid: toWireGuid(guid) })],
    mutating: false,
    orderGuid: normalizeGuid(guid),
  });
}

/** `GetOrderList`; with `lastVersion` the station answers `No changes` when nothing changed. */
export function getOrderListRequest(
  options: { onlyOpened?: boolean; lastVersion?: number } = {},
): Rk7Request {
  return buildRk7Query('GetOrderList', {
    attrs: { onlyOpened: options.onlyOpened ?? false, lastversion: options.lastVersion },
    mutating: false,
  });
}

/** What `CreateOrder` needs: the pre-assigned GUID and the configured references. */
export interface CreateOrderParams {
  guid: string;
  tableId: number;
  stationId: number;
  cashierId: number;
  orderCategoryId: number;
  guests: number;
  hubOrderId: string;
  comment: string;
}

/** `CreateOrder` on the delivery table, under the GUID the hub assigned (§6.3 step 2). */
export function createOrderRequest(p: CreateOrderParams): Rk7Request {
  const order = xmlElement(
    'Order',
    { guid: toWireGuid(p.guid), persistentComment: normalizedString(p.comment) || undefined },
    [
      refById('Table', p.tableId),
      refById('Station', p.stationId),
      refById('Creator', p.cashierId),
      refById('Waiter', p.cashierId),
      refById('OrderCategory', p.orderCategoryId),
      xmlElement('Guests', { count: p.guests }),
      xmlElement('ExternalProps', {}, [
        xmlElement('Prop', { name: 'hubOrderId', value: p.hubOrderId }),
      ]),
    ],
  );
  return buildRk7Query('CreateOrder', {
    children: [order], mutating: true, orderGuid: normalizeGuid(p.guid),
  });
}

/** One dish line of a `SaveOrder` session. */
export interface SaveOrderDish {
  /** Menu item code. */
  code: string;
  quantity: Thousandths;
  price: Kopecks;
  modifiers: readonly { code: string; count: number; price: Kopecks }[];
}

/** A line of the order to void in a `SaveOrder` (§5.5 `voidItem`, §6.6). */
export interface SaveOrderVoid {
  /** Menu item code of the line. */
  code: string;
  /** The line's `uni` and `line_guid` as GetOrder gave them; at least one names the line. */
  uni: number | undefined;
  lineGuid: string | undefined;
  /** The whole quantity of the line: the line is voided, not reduced. */
  quantity: Thousandths;
  /** ORDERVOIDS ident of the reason. */
  reasonId: number;
  /** EMPLOYEES ident of who voids it. */
  authorId: number;
}

/**
 * `SaveOrder` adding one new session (no `uni`) with the given dishes (§6.3 step 3). Lines to
 * void ride in the same session as `<Dish uni line_guid><Void/></Dish>`, so an edit is one
 * request: the station applies it whole or refuses it.
 */
export function saveOrderRequest(
  guid: string,
  dishes: readonly SaveOrderDish[],
  voids: readonly SaveOrderVoid[] = [],
): Rk7Request {
  const session = xmlElement('Session', {}, [
    ...voids.map((v) => xmlElement(
      'Dish',
      {
        code: v.code,
        uni: v.uni,
        line_guid: v.lineGuid === undefined ? undefined : toWireGuid(v.lineGuid),
        quantity: v.quantity,
      },
      [xmlElement('Void', { id: v.reasonId, quantity: v.quantity }, [
        refById('Author', v.authorId),
      ])],
    )),
    ...dishes.map((d) => xmlElement(
      'Dish',
      { code: d.code, quantity: d.quantity, price: d.price },
      d.modifiers.map((m) => xmlElement('Modi', { code: m.code, count: m.count, price: m.price })),
    )),
  ]);
  return buildRk7Query('SaveOrder', {
    children: [xmlElement('Order', { guid: toWireGuid(guid) }), session],
    mutating: true,
    orderGuid: normalizeGuid(guid),
  });
}

/** What `PayOrder` needs; no payments means "close on what is already paid" (§6.5). */
export interface PayOrderParams {
  guid: string;
  stationId: number;
  cashierId: number;
  payments: readonly { currencyGuid: string; amount: Kopecks }[];
}

/** `PayOrder` with one `<Payment>` per tender (§6.4), or none for the close request (§6.5). */
export function payOrderRequest(p: PayOrderParams): Rk7Request {
  return buildRk7Query('PayOrder', {
    children: [
      xmlElement('Order', { guid: toWireGuid(p.guid) }),
      refById('Station', p.stationId),
      refById('Cashier', p.cashierId),
      ...p.payments.map((t) =>
        xmlElement('Payment', { guid: toWireGuid(t.currencyGuid), amount: t.amount })),
    ],
    mutating: true,
    orderGuid: normalizeGuid(p.guid),
  });
}

/** What `VoidOrder` needs (§5.11, §6.6). */
export interface VoidOrderParams {
  guid: string;
  stationId: number;
  managerId: number;
  reasonId: number;
}

/**
 * `VoidOrder`: deletes an unpaid order. `change_guids="0"` keeps the order's GUID (servers from
 * 7.6.5.189 re-key a voided order by default), so the voided order can still be read back.
 */
export function voidOrderRequest(p: VoidOrderParams): Rk7Request {
  return buildRk7Query('VoidOrder', {
    attrs: { change_guids: false },
    children: [
      xmlElement('Order', { guid: toWireGuid(p.guid) }),
      refById('Station', p.stationId),
      refById('Manager', p.managerId),
      refById('DeleteReason', p.reasonId),
    ],
    mutating: true,
    orderGuid: normalizeGuid(p.guid),
  });
}

/** What `UpdateOrder` changes; absent values are left out of the request. */
export interface UpdateOrderParams {
  guid: string;
  comment: string | undefined;
  guests: number | undefined;
}

/** `UpdateOrder` (§5.12): the order's persistent comment and guest count. */
export function updateOrderRequest(p: UpdateOrderParams): Rk7Request {
  return buildRk7Query('UpdateOrder', {
    attrs: {
      persistentComment: p.comment === undefined ? undefined : normalizedString(p.comment),
    },
    children: [
      xmlElement('Order', { guid: toWireGuid(p.guid) }),
      p.guests === undefined ? undefined : xmlElement('Guests', { count: p.guests }),
    ],
    mutating: true,
    orderGuid: normalizeGuid(p.guid),
  });
}

/** XSD `normalizedString`: no line breaks or tabs, which the station would mangle anyway. */
function normalizedString(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}
