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

/** `SaveOrder` adding one new session (no `uni`) with the given dishes (§6.3 step 3). */
export function saveOrderRequest(guid: string, dishes: readonly SaveOrderDish[]): Rk7Request {
  const session = xmlElement('Session', {}, dishes.map((d) => xmlElement(
    'Dish',
    { code: d.code, quantity: d.quantity, price: d.price },
    d.modifiers.map((m) => xmlElement('Modi', { code: m.code, count: m.count, price: m.price })),
  )));
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

/** `VoidOrder`: deletes an unpaid order. */
export function voidOrderRequest(p: VoidOrderParams): Rk7Request {
  return buildRk7Query('VoidOrder', {
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

/** XSD `normalizedString`: no line breaks or tabs, which the station would mangle anyway. */
function normalizedString(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}
