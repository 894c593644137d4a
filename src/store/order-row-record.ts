import type {
  Address, Discounts, ExpeditionType, Guest, OrderLine, OrderPayment, OrderRecord, PaymentTypeId,
  PosSyncState,
} from '../orders/order-record.js';
import type { OrderStatusId } from '../orders/order-status.js';
import type { OrderRow } from './schema.js';

/** What an order's record holds beside its own row. */
export interface Related {
  lines: OrderLine[];
  payments: OrderPayment[];
  sourceName: string;
  restaurantCode: number;
}

/** An order's record from its stored row and what was read beside it. */
export function toRecord(row: OrderRow, related: Related): OrderRecord {
  return {
    id: row.id,
    orderSourceId: row.orderSourceId,
    orderSourceName: related.sourceName,
    corporationId: row.corporationId,
    restaurantId: row.restaurantId,
    restaurantCode: related.restaurantCode,
    statusId: row.statusId as OrderStatusId,
    expeditionType: row.expeditionType as ExpeditionType,
    paymentTypeId: row.paymentTypeId as PaymentTypeId,
    persons: row.persons,
    comment: row.comment,
    guest: JSON.parse(row.guest) as Guest,
    address: row.address === null ? null : JSON.parse(row.address) as Address,
    expectedAt: row.expectedAt,
    soonest: row.soonest === 1,
    changeFrom: row.changeFrom,
    amount: row.amount,
    deliveryAmount: row.deliveryAmount,
    fullAmount: row.fullAmount,
    paymentStatus: row.paymentStatus === 'paid' ? 'paid' : 'notPaid',
    paidRequest: row.paidRequest,
    orderExternalId: row.orderExternalId,
    tableCode: row.tableCode,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
    version: row.version,
    posSyncState: row.posSyncState as PosSyncState,
    posOrderGuid: row.posOrderGuid,
    posOrderName: row.posOrderName,
    isAttention: row.isAttention === 1,
    attentionReason: row.attentionReason,
    rejectionReason: row.rejectionReason === null ? null : JSON.parse(row.rejectionReason),
    discounts: row.discounts === null ? null : JSON.parse(row.discounts) as Discounts,
    lines: related.lines,
    payments: related.payments.map(({ currencyCode, name, amount, paidAt }) =>
      ({ currencyCode, name, amount, paidAt })),
  };
}
