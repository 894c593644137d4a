import type { Kopecks, Thousandths } from '../money/money.js';

/**
 * The port through which the hub reaches a restaurant's r_keeper 7 cash station.
 *
 * It speaks the hub's domain (orders identified by a GUID the hub assigns, money in kopecks,
 * quantities in thousandths) and hides the XML interface entirely. The RK7 XML connector is the
 * only production implementation; tests run that same connector against the simulator.
 *
 * Failures are thrown as {@link CashStationError}; translating them into API error codes happens
 * in `cash-error-mapping.ts`, nowhere else.
 */
export interface CashStation {
  /** Reads the station's identity and shift; used for health checks. */
  systemInfo(): Promise<StationInfo>;

  /**
   * Creates the order at the station and fills it with its lines, under the GUID given in the
   * draft. Idempotent on that GUID: when an order with it already exists (a previous attempt
   * whose answer was lost), it is read back and only the missing part is done — the station
   * never gets two orders for one draft.
   */
  createOrder(draft: StationOrderDraft): Promise<StationOrder>;

  /** Reads an order by GUID; `undefined` when the station does not know it. */
  getOrder(guid: string): Promise<StationOrder | undefined>;

  /**
   * Pays the order with the given tenders. The station checks the sum: short → refused with
   * RK7 error 3373. On success the station order is paid and closed (fiscal receipt printed).
   */
  payOrder(guid: string, tenders: readonly StationTender[]): Promise<StationOrder>;

  /**
   * Closes the order on what is already paid. Refused (3071) when it is not fully paid;
   * a no-op success when the order is already closed.
   */
  closeOrder(guid: string): Promise<StationOrder>;

  /**
   * Reads the station's order list (`GetOrderList onlyOpened="0"`), to follow what happens at
   * the till (`rk7-xml.md` §6.8). Given the `version` of the previous answer, a station where
   * nothing changed answers `changed: false` cheaply ("No changes").
   */
  listOrders(sinceVersion?: number): Promise<StationOrderList>;

  /**
   * Voids (deletes) an unpaid order with the configured void reason, the configured cashier
   * acting as manager (`rk7-xml.md` §5.11, §6.6). Idempotent: an order already deleted is a
   * success and nothing is sent. A paid or closed order is refused (`refused`) before anything
   * is sent. When the answer is lost, the station is asked again: the order deleted, or no longer
   * known under its GUID (RK7 may give a voided order new GUIDs), counts as voided.
   */
  voidOrder(guid: string): Promise<void>;

  /**
   * Changes the order's header (`UpdateOrder`, §5.12): the cashier's comment and the guest count;
   * what is left out stays as it is. Setting the same values again changes nothing, so repeating
   * the call after a lost answer is safe.
   */
  updateOrder(guid: string, change: StationOrderUpdate): Promise<StationOrder>;

  /**
   * Makes the order's dish lines those of `content` (the delivery dish included when the fee is
   * above zero), the way an edit reaches the station (§6.6): station lines that `content` lacks
   * are voided (`<Void>`, configured reason), lines it adds go in as one new session, and equal
   * lines (same code, quantity, price and modifiers) are kept. Converges, so repeating the call
   * after a lost answer only does what is still missing. A paid, closed or deleted order is
   * refused before anything is sent.
   */
  setLines(guid: string, content: StationOrderContent): Promise<StationOrder>;

  /**
   * Reads what the station sells (`rk7-xml.md` §6.2): the active dishes (`MENUITEMS`) and
   * modifiers (`MODIFIERS`), priced from the configured station's order menu (`GetOrderMenu`).
   * Items that order menu does not price are not sold there and are left out.
   */
  menu(): Promise<StationMenu>;
}

/** The station's menu as {@link CashStation.menu} reads it. */
export interface StationMenu {
  dishes: StationMenuItem[];
  modifiers: StationMenuItem[];
}

/** A dish or modifier the station sells. */
export interface StationMenuItem {
  /** Menu item or modifier code: the hub's `externalId`. */
  code: string;
  name: string;
  /** Upper case without braces, when the station gives one. */
  guid: string | undefined;
  /** The station's price of one piece (or one unit of weight). */
  price: Kopecks;
  /** Decimal places of the quantity (`QntDecDigits`): 3 for dishes sold by weight, else 0. */
  qntDecDigits: number;
}

/** What {@link CashStation.updateOrder} changes; absent fields stay as they are. */
export interface StationOrderUpdate {
  /** The cashier's comment (`persistentComment`), built like {@link StationOrderDraft.comment}. */
  comment?: string;
  guests?: number;
}

/** The dish lines an order should have at the station. */
export type StationOrderContent = Pick<StationOrderDraft, 'lines' | 'deliveryFee'>;

/** The station's order list: each order's GUID and change counter. */
export interface StationOrderList {
  /** False when nothing changed since the version asked about. */
  changed: boolean;
  /** The list's version, to pass to the next {@link CashStation.listOrders}. */
  version: number | undefined;
  orders: { guid: string; version: number; finished: boolean }[];
}

/** What the station says about itself. */
export interface StationInfo {
  /** Restaurant code in the licensing system (`RestCode`); equals the restaurant's `objectId`. */
  restCode: number;
  netName: string;
  serverVersion: string;
  /** Business date of the open shift, `YYYY-MM-DD`. */
  shiftDate: string;
}

/** An order as the hub wants it created at the station. */
export interface StationOrderDraft {
  /** Upper-case GUID without braces, assigned by the hub before the first attempt. */
  guid: string;
  /** The hub's order id, stamped on the station order as an external property. */
  hubOrderId: string;
  guests: number;
  /** Short comment for the cashier: order number, phone, address. No other personal data. */
  comment: string;
  lines: readonly StationLineDraft[];
  /** Delivery fee, sent as the configured delivery dish when above zero. */
  deliveryFee: Kopecks;
  /**
   * True when no earlier attempt with this GUID can have reached the station (the hub has never
   * sent it): the existence check before CreateOrder is then skipped. Absent means "maybe".
   */
  neverSent?: boolean;
}

export interface StationLineDraft {
  /** r_keeper menu item code (the hub's `externalId`). */
  code: string;
  quantity: Thousandths;
  /** Unit price sent explicitly so the station's sum equals the hub's. */
  price: Kopecks;
  modifiers: readonly { code: string; count: number; price: Kopecks }[];
}

/** An order as the station reports it. */
export interface StationOrder {
  guid: string;
  visit: number;
  orderIdent: number;
  /** The station's order name, e.g. `1.73`: table name + number on that table. */
  orderName: string;
  version: number;
  orderSum: Kopecks;
  unpaidSum: Kopecks;
  paid: boolean;
  finished: boolean;
  deleted: boolean;
  /** The cashier's comment (`persistentComment`). */
  comment: string;
  guests: number;
  /** Dish lines (modifiers and the delivery dish included as their own lines). */
  lines: StationLine[];
  payments: StationTender[];
}

export interface StationLine {
  code: string;
  quantity: Thousandths;
  price: Kopecks;
}

/** One tender of a payment. */
export interface StationTender {
  /** r_keeper currency GUID, upper-case without braces. */
  currencyGuid: string;
  amount: Kopecks;
}

/**
 * How a station call failed, in the terms the hub acts on:
 * - `refused`: the station answered with a business error (3373, 3071, 3444, dish unknown…);
 * - `locked`: the order is locked by a POS or another lock key (2219, 2129); retry later;
 * - `unavailable`: nothing was sent (connection refused), shift closing (2172), or a read failed;
 * - `unknown`: a state-changing call got no definite answer (timeout, reset, 5xx, garbage);
 * - `shift`: the common shift is too old, new orders are refused (2133);
 * - `config`: credentials, licence, or references (station, table, cashier) are wrong.
 */
export type CashFailureKind = 'refused' | 'locked' | 'unavailable' | 'unknown' | 'shift' | 'config';

export class CashStationError extends Error {
  readonly kind: CashFailureKind;
  /** RK7ErrorN when the station gave one. */
  readonly rk7ErrorN: number | undefined;
  /** The station's ErrorText (or a description of the transport failure). */
  readonly text: string;
  /** Agent-style code for the message (`WsaOrderError`, `Timeout`, `WsaInvalidSettings`…). */
  readonly wsCode: string;

  constructor(kind: CashFailureKind, text: string, details: CashErrorDetails = {}) {
    super(details.rk7ErrorN === undefined ? text : `[${details.rk7ErrorN}] ${text}`,
      details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CashStationError';
    this.kind = kind;
    this.text = text;
    this.rk7ErrorN = details.rk7ErrorN;
    this.wsCode = details.wsCode ?? defaultWsCode(kind);
  }
}

export interface CashErrorDetails {
  rk7ErrorN?: number;
  wsCode?: string;
  cause?: unknown;
}

function defaultWsCode(kind: CashFailureKind): string {
  switch (kind) {
    case 'unknown': return 'Timeout';
    case 'config': return 'WsaInvalidSettings';
    case 'unavailable': return 'WsaHttpRequest';
    default: return 'WsaOrderError';
  }
}

/** Connection settings of one restaurant's cash station (`rk7-xml.md` §1.3). */
export interface CashStationConfig {
  /** XML interface endpoint, e.g. `https://10.0.0.5:16090/rk7api/v0/xmlinterface.xml`. */
  url: string;
  username: string;
  password: string;
  /** Accept the cash server's self-signed certificate. */
  tlsInsecure: boolean;
  /** CASHES ident used for CreateOrder/PayOrder. */
  stationId: number;
  /** EMPLOYEES ident used as creator, waiter and cashier. */
  cashierId: number;
  /** TABLES ident of the delivery table. */
  tableId: number;
  /** UNCHANGEABLEORDERTYPES ident ("Delivery"). */
  orderCategoryId: number;
  /** ORDERVOIDS ident used to void orders. */
  voidReasonId: number;
  /** Menu item code of the delivery-fee dish. */
  deliveryFeeDishCode: string;
  /** Per-call bound in milliseconds. */
  timeoutMs: number;
  /**
   * Open HTTP connections to the cash server at most, for this restaurant and hub instance
   * (restaurants sharing a server, or several instances, add up); calls beyond them wait in the
   * hub, inside their own bound. Absent or 0: {@link DEFAULT_STATION_CONNECTIONS}.
   */
  maxConnections?: number;
}

/**
 * Connections to one cash server when its settings name none: a real RK7 server handles a few
 * XML requests at a time, so more would only queue there.
 */
export const DEFAULT_STATION_CONNECTIONS = 16;
