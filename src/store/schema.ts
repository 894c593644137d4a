import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table shapes as Kysely sees them (camelCase here, snake_case in SQL through CamelCasePlugin).
 *
 * Conventions, the same on SQLite and PostgreSQL:
 * - instants are UTC ISO-8601 text with milliseconds (`2024-03-01T12:00:00.000Z`);
 * - money is integer kopecks, quantities integer thousandths;
 * - flags are integers 0/1;
 * - JSON documents are text.
 */
export interface Database {
  hubSettings: HubSettingsTable;
  corporations: CorporationsTable;
  restaurants: RestaurantsTable;
  restaurantCurrencies: RestaurantCurrenciesTable;
  apiConnections: ApiConnectionsTable;
  apiConnectionRestaurants: ApiConnectionRestaurantsTable;
  menuCategories: MenuCategoriesTable;
  menuProducts: MenuProductsTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  orderPayments: OrderPaymentsTable;
  orderStatusHistory: OrderStatusHistoryTable;
  timers: TimersTable;
}

export interface HubSettingsTable {
  key: string;
  value: string;
}

export interface CorporationsTable {
  id: string;
  name: string;
  /** `auto` | `none` (`rules` later). */
  orderProcessing: string;
  transferDelaySec: number;
  checkContentsAndPrice: number;
  completeWhenClosedAtStation: number;
  timeZone: string;
  createdAt: string;
}

export interface RestaurantsTable {
  id: string;
  corporationId: string;
  objectId: number;
  name: string;
  actualAddress: string;
  /** `active` | `noActive`. */
  state: string;
  timeZone: string;
  autoAccept: number;
  minLeadMinutes: number;
  /** Code of the r_keeper delivery table, echoed as `tableCode`. */
  tableCode: string;
  /** JSON of `CashStationConfig`, with `url: "embedded"` for the in-process simulator. */
  cashStation: string;
  createdAt: string;
}

export interface RestaurantCurrenciesTable {
  restaurantId: string;
  /** r_keeper currency GUID, upper-case without braces. */
  code: string;
  name: string;
}

export interface ApiConnectionsTable {
  clientId: string;
  name: string;
  corporationId: string;
  /** scrypt hash of the client secret (`scrypt$N$r$p$salt$hash`). */
  secretHash: string;
  enabled: number;
  createdAt: string;
}

export interface ApiConnectionRestaurantsTable {
  clientId: string;
  restaurantId: string;
}

export interface MenuCategoriesTable {
  id: string;
  corporationId: string;
  name: string;
  parentId: string | null;
  sort: number;
}

export interface MenuProductsTable {
  id: string;
  corporationId: string;
  categoryId: string | null;
  /** r_keeper menu item code. */
  externalId: string;
  name: string;
  description: string;
  price: number;
  measureValue: number | null;
  measureUnit: string | null;
  priceMode: string;
  sort: number;
}

export interface OrdersTable {
  id: Generated<number>;
  orderSourceId: string;
  corporationId: string;
  restaurantId: string;
  statusId: number;
  expeditionType: string;
  paymentTypeId: string;
  persons: number;
  comment: string;
  /** JSON of the guest object. */
  guest: string;
  /** JSON of the address object, null for pickup. */
  address: string | null;
  expectedAt: string | null;
  soonest: number;
  changeFrom: number | null;
  amount: number;
  deliveryAmount: number;
  fullAmount: number;
  /** `notPaid` | `paid`. */
  paymentStatus: string;
  /** Canonical form of the accepted `/pay` body, so an identical repeat is recognised. */
  paidRequest: string | null;
  orderExternalId: string | null;
  /** Lower-case guest names, e-mail and phone digits, for `GET /orders?q=`. */
  searchText: string;
  tableCode: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
  /** `none` | `pending` | `confirmed` | `failed` | `unknown`. */
  posSyncState: string;
  posOrderGuid: string | null;
  posOrderName: string | null;
  posVisit: number | null;
  posOrderIdent: number | null;
  isAttention: number;
  attentionReason: string | null;
  /** JSON `{id, reason, text}` after cancellation. */
  rejectionReason: string | null;
}

export interface OrderLinesTable {
  orderId: number;
  lineNo: number;
  productId: string;
  externalId: string;
  name: string;
  price: number;
  quantity: number;
  total: number;
}

export interface OrderPaymentsTable {
  orderId: number;
  lineNo: number;
  currencyCode: string;
  name: string;
  amount: number;
  paidAt: string;
}

export interface OrderStatusHistoryTable {
  id: Generated<number>;
  orderId: number;
  fromStatus: number | null;
  toStatus: number;
  at: string;
  /** Who moved it: `api:<clientId>`, `automation`, `operator:<name>`, `station`. */
  actor: string;
}

export interface TimersTable {
  id: string;
  /** What to do when due, e.g. `transfer`. */
  kind: string;
  orderId: number;
  dueAt: string;
  /** A claim: until this instant the timer belongs to `lockedBy`. */
  lockedUntil: string | null;
  lockedBy: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type RestaurantRow = Selectable<RestaurantsTable>;
export type CorporationRow = Selectable<CorporationsTable>;
export type MenuProductRow = Selectable<MenuProductsTable>;
export type TimerRow = Selectable<TimersTable>;
