/**
 * The console API's wire shapes, shared by the server (`src/console`) and the page: one
 * definition, so the two cannot drift apart. Types only; nothing here runs.
 */

/** A move a user may make on an order card; `status:N` sets a delivery status. */
export type ConsoleAction = 'confirm' | 'accept' | 'transfer' | 'cancel' | `status:${number}`;

export interface User {
  username: string;
  displayName: string;
  role: 'operator' | 'manager' | 'admin';
  corporationId: string;
}

/** One order on the board: what a card shows, and the moves this user may make. */
export interface Card {
  orderId: string;
  statusId: number;
  restaurantName: string;
  guestName: string;
  phone: string;
  fullAmount: number;
  expeditionType: string;
  createdAt: string;
  expectedAt: string | null;
  isLate: boolean;
  needsAttention: boolean;
  attentionReason: string | null;
  posSyncState: string;
  version: number;
  actions: ConsoleAction[];
}

export interface StatusInfo {
  id: number;
  name: string;
  nameRu: string;
  final: boolean;
}

export interface Reason {
  id: string;
  reason: string;
  type: 'simple' | 'text';
}

export interface Meta {
  statuses: StatusInfo[];
  progressStatuses: number[];
  rejectionReasons: Reason[];
}

export interface Details {
  orderId: string;
  comment: string;
  guest: { phone: string; firstName: string; lastName: string; email: string | null };
  address: Record<string, string | number | null> | null;
  expectedAt: string | null;
  createdAt: string;
  amount: number;
  deliveryAmount: number;
  fullAmount: number;
  paymentStatus: string;
  payments: { code: string; amount: number; paidAt: string; name: string }[] | null;
  dishList: { name: string; price: number; quantity: number;
    ingredients: { name?: string; quantity: number }[] | null }[];
  rejectionReason: { reason: string; text: string } | null;
  restaurantName: string;
  posOrderName: string | null;
  posSyncState: string;
  attentionReason: string | null;
  history: { fromStatus: number | null; toStatus: number; at: string; actor: string }[];
  card: Card;
}

export interface Delivery {
  id: string;
  eventType: string;
  sequence: number;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastError: string | null;
}
