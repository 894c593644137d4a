/**
 * The order status machine as one table (`delivery-api.md` §10). Ids are the wire's; 13
 * (Delivered) sits between 10 and 11 in the sequence. Statuses only move forward, 12 (Cancelled)
 * is reachable from every non-final status, and 4 is entered only after the cash station has
 * confirmed the order exists — the service enforces that, the table only says it is allowed.
 */
export const OrderStatus = {
  New: 1,
  Confirmed: 2,
  TakenAtRestaurant: 3,
  TransferredToKitchen: 4,
  BeingPrepared: 5,
  Ready: 6,
  Assembly: 7,
  Assembled: 8,
  WithCourier: 9,
  InTransit: 10,
  Completed: 11,
  Cancelled: 12,
  Delivered: 13,
} as const;

export type OrderStatusId = (typeof OrderStatus)[keyof typeof OrderStatus];

export interface StatusInfo {
  readonly name: string;
  readonly nameRu: string;
  readonly mandatory: boolean;
  readonly final: boolean;
  /** Only delivery orders pass through it. */
  readonly deliveryOnly: boolean;
  readonly next: readonly OrderStatusId[];
}

const S = OrderStatus;

/** The forward sequence (13 before 11), used to build the table and to validate it. */
export const STATUS_SEQUENCE: readonly OrderStatusId[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 11];

export const STATUS_TABLE: Readonly<Record<OrderStatusId, StatusInfo>> = {
  1: info('New', 'Новый', true, [S.Confirmed, S.TakenAtRestaurant, S.TransferredToKitchen]),
  2: info('Confirmed', 'Подтвержден', false, [S.TakenAtRestaurant, S.TransferredToKitchen]),
  3: info('Taken at the restaurant', 'Принят в заведении', false, [S.TransferredToKitchen]),
  4: info('Transferred to the kitchen', 'Передан на кухню', true, afterKitchen(S.BeingPrepared)),
  5: info('Being prepared', 'Готовится', false, afterKitchen(S.Ready)),
  6: info('Ready', 'Готов', false, afterKitchen(S.Assembly)),
  7: info('Order assembly', 'Собирается', false, afterKitchen(S.Assembled)),
  8: info('Assembled', 'Собран', false, afterKitchen(S.WithCourier)),
  9: info('With the courier', 'У курьера', false, afterKitchen(S.InTransit), true),
  10: info('Order in transit', 'В пути', false, afterKitchen(S.Delivered), true),
  13: info('Delivered', 'Доставлен', false, [S.Completed], true),
  11: { name: 'Completed', nameRu: 'Выполнен', mandatory: true, final: true, deliveryOnly: false,
    next: [] },
  12: { name: 'Cancelled', nameRu: 'Отменен', mandatory: true, final: true, deliveryOnly: false,
    next: [] },
};

function info(
  name: string, nameRu: string, mandatory: boolean, next: OrderStatusId[], deliveryOnly = false,
): StatusInfo {
  return { name, nameRu, mandatory, final: false, deliveryOnly, next: [...next, S.Cancelled] };
}

/** Every status of the sequence from `from` on, through Completed. */
function afterKitchen(from: OrderStatusId): OrderStatusId[] {
  return STATUS_SEQUENCE.slice(STATUS_SEQUENCE.indexOf(from));
}

export function isStatusId(value: number): value is OrderStatusId {
  return Object.hasOwn(STATUS_TABLE, value);
}

export function statusName(id: OrderStatusId): string {
  return STATUS_TABLE[id].name;
}

export function canTransition(from: OrderStatusId, to: OrderStatusId): boolean {
  return STATUS_TABLE[from].next.includes(to);
}

/**
 * Checks the table at start-up: every target exists, the machine only moves forward along the
 * sequence, every status is reachable from New, finals have no exit, and every non-final status
 * can be cancelled. Returns the problems found (empty when sound).
 */
export function validateStatusTable(table = STATUS_TABLE): string[] {
  const problems: string[] = [];
  const ids = Object.keys(table).map(Number) as OrderStatusId[];
  const position = (id: OrderStatusId) => STATUS_SEQUENCE.indexOf(id);

  for (const id of ids) {
    const entry = table[id];
    if (entry.final && entry.next.length > 0) problems.push(`final status ${id} has exits`);
    if (!entry.final && !entry.next.includes(S.Cancelled)) {
      problems.push(`status ${id} cannot be cancelled`);
    }
    for (const to of entry.next) {
      if (!isStatusId(to)) problems.push(`status ${id} leads to unknown ${to}`);
      else if (to !== S.Cancelled && position(to) <= position(id)) {
        problems.push(`status ${id} moves backwards to ${to}`);
      }
    }
  }

  const reached = new Set<OrderStatusId>([S.New]);
  const queue: OrderStatusId[] = [S.New];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const to of table[id].next) {
      if (!reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  for (const id of ids) if (!reached.has(id)) problems.push(`status ${id} is unreachable`);

  return problems;
}
