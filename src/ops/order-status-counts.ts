import { OrderStatus } from '../orders/order-status.js';
import type { Db } from '../store/database.js';
import type { HubMetricsSources, StatusCounts } from './hub-metrics.js';

/** Orders per status in one grouped query. */
export async function countOrdersByStatus(db: Db): Promise<StatusCounts> {
  const rows = await db.selectFrom('orders')
    .select((eb) => ['statusId', eb.fn.countAll<number | string>().as('count')])
    .groupBy('statusId')
    .execute();
  return rows.map((row) => ({ statusId: row.statusId, count: Number(row.count) }));
}

/** The scrape-time sources of {@link HubMetrics} for a hub on `db`. */
export function metricsSourcesOf(db: Db): HubMetricsSources {
  return {
    ordersByStatus: () => countOrdersByStatus(db),
    statusIds: Object.values(OrderStatus),
  };
}
