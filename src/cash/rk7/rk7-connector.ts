import type { Logger } from 'pino';
import { CashStationError } from '../cash-station.js';
import type {
  CashStation, CashStationConfig, StationInfo, StationOrder, StationOrderContent,
  StationOrderDraft, StationTender,
} from '../cash-station.js';
import { createCurrencyDirectory } from './currency-directory.js';
import { planLineChanges } from './line-changes.js';
import { createRk7Client } from './rk7-client.js';
import { isOrderAlreadyExisting, isOrderNotFound } from './rk7-error-classifier.js';
import { readLineErrors, readOrder, readOrderList, readSystemInfo } from './rk7-replies.js';
import type { Rk7Order } from './rk7-replies.js';
import {
  createOrderRequest, getOrderListRequest, getOrderRequest, getSystemInfoRequest, payOrderRequest,
  saveOrderRequest,
  updateOrderRequest, voidOrderRequest,
} from './rk7-requests.js';
import type { SaveOrderDish, SaveOrderVoid } from './rk7-requests.js';
import { afterMutation, asFillingFailure, lineFailure, unchangeable } from './order-failures.js';
import { readStationMenu } from './station-menu.js';
import { child } from './xml-element.js';
import { normalizeGuid, Rk7ProtocolError } from './xml-protocol.js';
import type { Rk7Result } from './xml-protocol.js';

/** The RK7 XML connector: a {@link CashStation} that also owns HTTP connections to close. */
export interface Rk7Connector extends CashStation {
  /** Closes the connections to the cash server. */
  close(): Promise<void>;
}

/**
 * Creates the connector for one restaurant's cash server, following the recipes of
 * `rk7-xml.md` §6. Every failure is a {@link CashStationError}; logs carry `component: 'cash'`.
 */
export function createRk7Connector(
  config: CashStationConfig,
  deps: { logger: Logger },
): Rk7Connector {
  const logger = deps.logger.child({ component: 'cash' });
  const client = createRk7Client(config, logger);
  const currencies = createCurrencyDirectory(client);

  async function findOrder(guid: string): Promise<Rk7Order | undefined> {
    const req = getOrderRequest(guid);
    try {
      const reply = await client.call(req, { expected: isOrderNotFound });
      return client.decode(req, () => readOrder(reply));
    } catch (err) {
      if (err instanceof CashStationError && isOrderNotFound(err)) return undefined;
      throw err;
    }
  }

  async function requireOrder(guid: string): Promise<Rk7Order> {
    const req = getOrderRequest(guid);
    const reply = await client.call(req);
    return client.decode(req, () => readOrder(reply));
  }

  /** Creates the empty order; tells whether it still needs its lines. */
  async function createEmptyOrder(draft: StationOrderDraft, guid: string): Promise<boolean> {
    try {
      await client.call(createOrderRequest({
        guid,
        tableId: config.tableId,
        stationId: config.stationId,
        cashierId: config.cashierId,
        orderCategoryId: config.orderCategoryId,
        guests: draft.guests,
        hubOrderId: draft.hubOrderId,
        comment: draft.comment,
      }));
      return true;
    } catch (err) {
      // A concurrent attempt created it between our GetOrder and CreateOrder: carry on with it.
      if (!(err instanceof CashStationError && isOrderAlreadyExisting(err))) throw err;
      return (await requireOrder(guid)).lines.length === 0;
    }
  }

  /** Adds the lines; returns the order as the reply shows it after the save, when it does. */
  async function fillOrder(
    guid: string, dishes: readonly SaveOrderDish[], voids: readonly SaveOrderVoid[] = [],
  ): Promise<Rk7Order | undefined> {
    const req = saveOrderRequest(guid, dishes, voids);
    let reply;
    try {
      reply = await client.call(req);
    } catch (err) {
      throw asFillingFailure(err);
    }

    const [first] = readLineErrors(reply);
    if (first === undefined) return orderIn(reply);

    logger.error({
      cmd: req.cmd, orderGuid: guid, rk7ErrorN: first.rk7ErrorN, errorText: first.text,
      faultyElement: first.faultyElement,
    }, 'cash order lines refused');
    throw lineFailure(first);
  }

  async function toStationOrder(order: Rk7Order): Promise<StationOrder> {
    const payments: StationTender[] = [];
    for (const pay of order.pays) {
      const currencyGuid = pay.currencyGuid ?? await guidOfPay(pay.currencyId);
      payments.push({ currencyGuid, amount: pay.amount });
    }

    return {
      guid: order.guid,
      visit: order.visit,
      orderIdent: order.orderIdent,
      orderName: order.orderName,
      version: order.version,
      orderSum: order.orderSum,
      unpaidSum: order.unpaidSum,
      paid: order.paid,
      finished: order.finished,
      deleted: order.deleted,
      comment: order.persistentComment,
      guests: order.guests,
      lines: order.lines.map(({ code, quantity, price }) => ({ code, quantity, price })),
      payments,
    };
  }

  async function guidOfPay(currencyId: number | undefined): Promise<string> {
    if (currencyId === undefined) {
      throw new CashStationError('unavailable', 'Payment line without a currency', {
        wsCode: 'Timeout',
      });
    }
    return currencies.guidOf(currencyId);
  }

  async function pay(guid: string, tenders: readonly StationTender[]): Promise<StationOrder> {
    await client.call(payOrderRequest({
      guid,
      stationId: config.stationId,
      cashierId: config.cashierId,
      payments: tenders,
    }));
    return afterMutation(async () => toStationOrder(await requireOrder(guid)));
  }

  async function voidAtStation(guid: string): Promise<void> {
    const order = await requireOrder(guid);
    if (order.deleted) return;
    if (order.paid || order.finished) throw unchangeable(order, 'paid');

    try {
      await client.call(voidOrderRequest({
        guid, stationId: config.stationId, managerId: config.cashierId,
        reasonId: config.voidReasonId,
      }));
    } catch (err) {
      if (!(err instanceof CashStationError) || err.kind !== 'unknown') throw err;

      const after = await findOrder(guid).catch(() => {
        throw err;
      });
      if (after !== undefined && !after.deleted) throw err;
    }
  }

  async function setLines(guid: string, content: StationOrderContent): Promise<StationOrder> {
    const order = await requireOrder(guid);
    if (order.deleted) throw unchangeable(order, 'deleted');
    if (order.paid || order.finished) throw unchangeable(order, 'paid');

    const { add, remove } = planLineChanges(order.dishes, draftDishes(content,
      config.deliveryFeeDishCode));
    if (add.length === 0 && remove.length === 0) return toStationOrder(order);

    const voids = remove.map((dish): SaveOrderVoid => ({
      code: dish.code, uni: dish.uni, lineGuid: dish.lineGuid, quantity: dish.quantity,
      reasonId: config.voidReasonId, authorId: config.cashierId,
    }));
    await fillOrder(guid, add, voids);
    return afterMutation(async () => toStationOrder(await requireOrder(guid)));
  }

  return {
    async systemInfo(): Promise<StationInfo> {
      const req = getSystemInfoRequest();
      const reply = await client.call(req);
      return client.decode(req, () => readSystemInfo(reply));
    },

    async createOrder(draft) {
      const guid = normalizeGuid(draft.guid);
      // A GUID never sent cannot exist there; a duplicate CreateOrder is still recognised.
      const existing = draft.neverSent === true ? undefined : await findOrder(guid);

      const needsLines = existing === undefined
        ? await createEmptyOrder(draft, guid)
        : existing.lines.length === 0;
      const dishes = draftDishes(draft, config.deliveryFeeDishCode);
      const fills = needsLines && dishes.length > 0;
      const filled = fills
        ? await afterMutation(() => fillOrder(guid, dishes), existing === undefined)
        : undefined;

      const changed = existing === undefined || fills;
      // SaveOrder answers with the order as saved (§5.5): no GetOrder needed after it.
      return afterMutation(async () => toStationOrder(filled ?? await requireOrder(guid)),
        changed);
    },

    async getOrder(guid) {
      const order = await findOrder(normalizeGuid(guid));
      return order === undefined ? undefined : toStationOrder(order);
    },

    async payOrder(guid, tenders) {
      if (tenders.length === 0) {
        // An empty PayOrder is the close request of §6.5, never a payment.
        throw new RangeError('payOrder needs at least one tender');
      }
      return pay(normalizeGuid(guid), tenders);
    },

    async closeOrder(guid) {
      const id = normalizeGuid(guid);
      const order = await requireOrder(id);
      if (order.paid || order.finished) return toStationOrder(order);

      return pay(id, []);
    },

    async listOrders(sinceVersion) {
      const req = getOrderListRequest({ onlyOpened: false, lastVersion: sinceVersion });
      const reply = await client.call(req);
      const list = client.decode(req, () => readOrderList(reply));
      return {
        changed: list.changed,
        version: list.lastVersion,
        orders: list.orders.map(({ guid, version, finished }) => ({ guid, version, finished })),
      };
    },

    voidOrder: (guid) => voidAtStation(normalizeGuid(guid)),

    async updateOrder(guid, change) {
      const id = normalizeGuid(guid);
      if (change.comment === undefined && change.guests === undefined) {
        return toStationOrder(await requireOrder(id));
      }

      await client.call(updateOrderRequest({
        guid: id, comment: change.comment, guests: change.guests,
      }));
      return afterMutation(async () => toStationOrder(await requireOrder(id)));
    },

    setLines: (guid, content) => setLines(normalizeGuid(guid), content),

    menu: () => readStationMenu(client, config.stationId),

    close: () => client.close(),
  };
}

/** The `<Order>` of a SaveOrder reply (`resOrderItemExt`), or undefined when it has none. */
function orderIn(reply: Rk7Result): Rk7Order | undefined {
  if (child(reply.body, 'Order') === undefined) return undefined;
  try {
    return readOrder(reply);
  } catch (err) {
    if (err instanceof Rk7ProtocolError) return undefined;
    throw err;
  }
}

/** The draft's lines as SaveOrder dishes, plus the delivery-fee dish when there is a fee. */
function draftDishes(draft: StationOrderContent, deliveryFeeDishCode: string): SaveOrderDish[] {
  const dishes: SaveOrderDish[] = draft.lines.map((line) => ({
    code: line.code,
    quantity: line.quantity,
    price: line.price,
    modifiers: line.modifiers,
  }));
  if (draft.deliveryFee > 0) {
    dishes.push({
      code: deliveryFeeDishCode, quantity: 1000, price: draft.deliveryFee, modifiers: [],
    });
  }
  return dishes;
}
