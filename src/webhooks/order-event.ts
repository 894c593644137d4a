/**
 * Event types the hub emits (`X-Hub-Event-Type`): the order's creation, each later status change,
 * its payment becoming recorded (by the API, or at the till as the station poll finds it), and
 * its flagging for an operator (`isAttention`: an unknown station outcome, a failed transfer, a
 * sum mismatch), once per new reason. `ping` is sent only by the admin's test call.
 */
export type OrderEventType =
  | 'order.created' | 'order.status_changed' | 'order.paid' | 'order.attention';

export const EVENT_TYPES: readonly string[] = [
  'order.created', 'order.status_changed', 'order.paid', 'order.attention', 'ping',
];

/**
 * The body of a webhook call and of an item of `GET /orders/api/v1/events`
 * (`delivery-api.md` §15.2). Webhook bodies also carry the subscription's `title`.
 */
export interface OrderEventPayload {
  /** GUID; the same across retries and replays, so receivers dedupe on it. */
  eventId: string;
  eventType: OrderEventType;
  /**
   * Per order, strictly increasing; deliveries may arrive out of order, so receivers take the
   * order's state only from an event above the last one applied.
   */
  sequence: number;
  /** When the status changed (the payment was recorded), UTC with `+00:00`. */
  occurredAt: string;
  orderId: string;
  orderExternalId: string | null;
  orderStatusId: number;
  orderStatusName: string;
  /** `null` for `order.created`; for `order.paid` and `order.attention` `orderStatusId`. */
  previousOrderStatusId: number | null;
  restaurantId: string;
  orderSourceId: string;
  corporationId: string;
  paymentStatus: 'notPaid' | 'paid';
  guest: { phone: string; firstName: string };
  updatedAt: string;
  /** `order.attention` only: why the order needs an operator. */
  attentionReason?: string;
}
