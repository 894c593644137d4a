import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { EventTables } from './event-schema.js';
import type { JournalTables } from './journal-schema.js';
import type { MenuProductsTable, MenuTables } from './menu-schema.js';

/**
 * Table shapes as Kysely sees them (camelCase here, snake_case in SQL through CamelCasePlugin).
 *
 * Conventions, the same on SQLite and PostgreSQL:
 * - instants are UTC ISO-8601 text with milliseconds (`2024-03-01T12:00:00.000Z`);
 * - money is integer kopecks, quantities integer thousandths;
 * - flags are integers 0/1;
 * - JSON documents are text.
 */
export interface Database extends EventTables, JournalTables, MenuTables {
  hubSettings: HubSettingsTable;
  corporations: CorporationsTable;
  rejectionReasons: RejectionReasonsTable;
  restaurants: RestaurantsTable;
  restaurantCurrencies: RestaurantCurrenciesTable;
  apiConnections: ApiConnectionsTable;
  apiConnectionRestaurants: ApiConnectionRestaurantsTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  orderPayments: OrderPaymentsTable;
  orderStatusHistory: OrderStatusHistoryTable;
  timers: TimersTable;
  orderLineIngredients: OrderLineIngredientsTable;
  countries: CountriesTable;
  cities: CitiesTable;
  addresses: AddressesTable;
  deliveryZones: DeliveryZonesTable;
  chainStamp: ChainStampTable;
}

/** One row (`chain`): changes, by trigger, with every write to a chain table (0008). */
export interface ChainStampTable {
  name: string;
  stamp: string;
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
  /** PATCH allowed (1, the default) or prohibited (0). */
  allowOrderModification: Generated<number>;
  /** `/reject` needs a reason (1) or not (0, the default). */
  rejectionReasonRequired: Generated<number>;
}

export interface RejectionReasonsTable {
  corporationId: string;
  /** Lower-case GUID; the documented ids are the same in every corporation. */
  id: string;
  reason: string;
  /** `simple` | `text`. */
  type: string;
  isPossibleDelete: number;
  sort: number;
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
  /** The idempotency claim the create ran under (issue #4); null without one. */
  requestKey: string | null;
  /** JSON `{id, reason, text}` after cancellation. */
  rejectionReason: string | null;
  /** JSON of the client's `discounts` object, stored and echoed, never applied; null if none. */
  discounts: string | null;
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
  /** Serving size from the menu when ordered (thousandths) and its unit. */
  measureValue: number | null;
  measureUnit: string | null;
}

/** An ingredient chosen for an order line; quantity per dish, total for the whole line. */
export interface OrderLineIngredientsTable {
  orderId: number;
  lineNo: number;
  position: number;
  ingredientId: string;
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

export interface CountriesTable {
  id: string;
  name: string;
}

export interface CitiesTable {
  id: string;
  countryId: string;
  name: string;
}

/** The hub's own address list behind `GET /addresses/suggestions`. */
export interface AddressesTable {
  id: string;
  cityId: string;
  street: string;
  house: string;
  building: string;
  postalCode: string;
  lat: number;
  lon: number;
  /** Normalised words of city, street, house, building and postal code (`address-search.ts`). */
  searchText: string;
}

export interface DeliveryZonesTable {
  id: string;
  restaurantId: string;
  name: string;
  /** GeoJSON `Polygon` or `MultiPolygon` geometry, positions `[lon, lat]`. */
  polygon: string;
  /** Lower wins when zones overlap. */
  priority: number;
  deliveryTimeMinutes: number;
  /** Delivery fee in kopecks. */
  deliveryPrice: number;
  /** Smallest dishes amount (kopecks) accepted for delivery; 0 for none. */
  minOrderAmountDelivery: number;
  /** Dishes amount (kopecks) from which delivery is free; null when it never is. */
  minOrderAmountFreeDelivery: number | null;
  active: number;
  createdAt: string;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type RestaurantRow = Selectable<RestaurantsTable>;
export type CorporationRow = Selectable<CorporationsTable>;
export type MenuProductRow = Selectable<MenuProductsTable>;
export type TimerRow = Selectable<TimersTable>;
export type DeliveryZoneRow = Selectable<DeliveryZonesTable>;
