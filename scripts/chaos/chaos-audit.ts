import type { SimOrderSnapshot } from '../../src/simulator/sim-station.js';
import type { Db } from '../../src/store/database.js';
import type { LifecycleTrace } from './chaos-client.js';

/** The comparison of hub and station at the end of a chaos run; every count should be 0. */
export interface AuditCounts {
  /** A lifecycle without its hub order, or a hub order at the kitchen missing at the station. */
  ordersLost: number;
  /** Extra hub orders for one lifecycle, extra station orders for one hub order, or station
   * orders no hub order knows. */
  ordersDuplicated: number;
  /** A payment acknowledged to the client, or made at the station, that one side lacks. */
  paymentsLost: number;
  /** More than one receipt at the station, or more payment rows in the hub, for one order. */
  paymentsDuplicated: number;
  /** Station order sum different from the hub's total (lines lost or doubled). */
  sumsMismatched: number;
  /** Lifecycles not completed in both systems, with the hub's sync state settled. */
  notConverged: number;
  /** Journal entries still open (intent or unknown) at the end. */
  openJournalEntries: number;
  /** Answers a correct hub never gives, as the client saw them. */
  clientAnomalies: number;
}

interface HubOrder {
  id: number;
  comment: string;
  statusId: number;
  paymentStatus: string;
  fullAmount: number;
  posSyncState: string;
  isAttention: number;
}

/** Compares what the client was told, what the hub stored and what the station holds. */
export async function audit(
  db: Db, traces: readonly LifecycleTrace[], station: readonly SimOrderSnapshot[],
  markerPrefix: string,
): Promise<{ counts: AuditCounts; problems: string[] }> {
  const orders = await db.selectFrom('orders')
    .select(['id', 'comment', 'statusId', 'paymentStatus', 'fullAmount', 'posSyncState',
      'isAttention'])
    .where('comment', 'like', `${markerPrefix}%`).execute() as HubOrder[];
  const paymentRows = await db.selectFrom('orderPayments').select(['orderId', 'amount'])
    .where('orderId', 'in', orders.length === 0 ? [0] : orders.map((o) => o.id)).execute();
  const open = await db.selectFrom('stationOperations').select('id')
    .where('state', 'in', ['intent', 'unknown']).execute();

  const counts: AuditCounts = {
    ordersLost: 0, ordersDuplicated: 0, paymentsLost: 0, paymentsDuplicated: 0,
    sumsMismatched: 0, notConverged: 0, openJournalEntries: open.length,
    clientAnomalies: traces.reduce((n, t) => n + t.anomalies.length, 0),
  };
  const problems: string[] = traces.flatMap((t) => t.anomalies.map((a) => `#${t.index} ${a}`));
  const note = (key: keyof AuditCounts, what: string) => {
    counts[key] += 1;
    if (problems.length < 50) problems.push(`${key}: ${what}`);
  };

  const byMarker = groupBy(orders, (o) => o.comment);
  const atStation = groupBy(station, (o) => o.externalProps.hubOrderId ?? '');
  const hubIds = new Set(orders.map((o) => String(o.id)));
  for (const order of station) {
    const hubId = order.externalProps.hubOrderId ?? '';
    // The run's simulator starts empty: every station order must be one of the run's.
    if (!hubIds.has(hubId)) {
      note('ordersDuplicated', `station order ${order.guid} of no hub order (${hubId})`);
    }
  }

  for (const trace of traces) {
    const mine = byMarker.get(trace.marker) ?? [];
    if (mine.length === 0) note('ordersLost', `#${trace.index} has no hub order`);
    for (let extra = 1; extra < mine.length; extra++) {
      note('ordersDuplicated', `#${trace.index} has ${mine.length} hub orders`);
    }
    for (const id of trace.orderIds) {
      if (!hubIds.has(id)) note('ordersLost', `#${trace.index} was told order ${id}`);
    }

    let converged = trace.completeAcknowledged && mine.length === 1;
    for (const order of mine) {
      const copies = atStation.get(String(order.id)) ?? [];
      if (copies.length === 0 && order.statusId >= 4) {
        note('ordersLost', `hub order ${order.id} is not at the station`);
      }
      for (let extra = 1; extra < copies.length; extra++) {
        note('ordersDuplicated', `hub order ${order.id} is ${copies.length} station orders`);
      }
      const copy = copies[0];
      const rows = paymentRows.filter((p) => p.orderId === order.id);
      const receipts = copy?.checks.length ?? 0;

      if (receipts > 1) note('paymentsDuplicated', `order ${order.id}: ${receipts} receipts`);
      if (rows.length > 1) note('paymentsDuplicated', `order ${order.id}: ${rows.length} rows`);
      const hubPaid = order.paymentStatus === 'paid' && rows.length > 0;
      if (trace.payAcknowledged && !(hubPaid && receipts > 0)) {
        note('paymentsLost',
          `order ${order.id}: acknowledged, hub ${hubPaid}, receipts ${receipts}`);
      } else if (receipts > 0 !== hubPaid) {
        note('paymentsLost', `order ${order.id}: hub paid ${hubPaid}, receipts ${receipts}`);
      }
      if (copy !== undefined && copy.orderSum !== order.fullAmount) {
        note('sumsMismatched',
          `order ${order.id}: station ${copy.orderSum}, hub ${order.fullAmount}`);
      }

      const settled = order.statusId === 11 && order.posSyncState === 'confirmed'
        && order.isAttention === 0 && copy?.paid === true && copy.finished;
      converged &&= settled;
    }
    if (!converged) note('notConverged', `#${trace.index} (${[...trace.orderIds].join(',')})`);
  }
  return { counts, problems };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}
