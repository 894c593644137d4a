import type { CashStation, StationOrder } from '../cash/cash-station.js';
import type { StationPollRepo } from '../store/station-poll-repo.js';
import { isoFromMillis } from '../time/instant.js';
import { type Effect, commitEffect, stationPayments } from './order-effects.js';
import { type OrderContext, loadOrder } from './order-context.js';
import { OrderStatus } from './order-status.js';
import { transition } from './order-transition.js';
import { isAtStation } from './pay-order.js';
import { reconcileOrder } from './reconcile-order.js';

/**
 * Brings what happened at the till back into the hub (`rk7-xml.md` §6.8): each restaurant's
 * station is polled with `GetOrderList onlyOpened="0" lastversion=…` by its `station-poll`
 * timer (a row, so polling survives restarts and only one hub instance polls a restaurant at a
 * time). An idle station answers "No changes". When something changed, every open hub order
 * whose station version moved is read back (`GetOrder`) and mirrored:
 * - voided at the station → Cancelled (12);
 * - paid at the till while the hub has no payment → the station's tenders recorded as the
 *   payments, and Completed (11) when the order is also closed there and the corporation says
 *   `completeWhenClosedAtStation`.
 * An order paid through the hub is left alone: the hub's own PayOrder closes the station order
 * too, so "closed at the station" says nothing new about it.
 */
export class StationPoller {
  readonly #ctx: OrderContext;
  readonly #polls: StationPollRepo;
  readonly #intervalMs: number;
  /** Station version of each order as last mirrored by this process. */
  readonly #mirrored = new Map<string, number>();

  constructor(ctx: OrderContext, polls: StationPollRepo, options: { intervalMs: number }) {
    this.#ctx = ctx;
    this.#polls = polls;
    this.#intervalMs = options.intervalMs;
  }

  /** Creates the poll row and timer of every restaurant that lacks them (start-up). */
  async ensureTimers(): Promise<void> {
    if (this.#intervalMs <= 0) return;

    const now = isoFromMillis(this.#ctx.clock());
    for (const restaurant of await this.#ctx.chain.allRestaurants()) {
      const pollId = await this.#polls.ensure(restaurant.id);
      await this.#ctx.timers.ensure('station-poll', pollId, now, now);
    }
  }

  /** The `station-poll` timer: one poll, then the next one an interval later. */
  async poll(pollId: number): Promise<{ nextDueAt: string } | undefined> {
    const poll = await this.#polls.get(pollId);
    const restaurant = poll && await this.#ctx.chain.getRestaurant(poll.restaurantId);
    if (!poll || !restaurant || this.#intervalMs <= 0) return undefined;

    const station = this.#ctx.stationFor(restaurant);
    const list = await station.listOrders(poll.lastVersion ?? undefined);
    const now = this.#ctx.clock();
    const next = { nextDueAt: isoFromMillis(now + this.#intervalMs) };
    if (!list.changed) {
      await this.#polls.save(pollId, poll.lastVersion, isoFromMillis(now));
      return next;
    }

    const listed = new Map(list.orders.map((o) => [o.guid, o.version]));
    const open = await this.#polls.openOrders(restaurant.id);
    let allMirrored = true;
    for (const order of open) {
      const version = listed.get(order.posOrderGuid);
      if (version === undefined || this.#mirrored.get(order.posOrderGuid) === version) continue;

      try {
        await this.#ctx.locks.run(order.id, () => mirrorStationOrder(this.#ctx, order.id,
          station));
        this.#mirrored.set(order.posOrderGuid, version);
      } catch (err) {
        allMirrored = false;
        this.#ctx.logger.warn({ component: 'station-poll', orderId: order.id, err },
          'station order not mirrored yet');
      }
    }
    this.#forgetClosed(open.map((o) => o.posOrderGuid));

    // Until every changed order is mirrored, the next poll asks about the same changes again.
    const version = allMirrored ? list.version ?? null : poll.lastVersion;
    await this.#polls.save(pollId, version, isoFromMillis(now));
    return next;
  }

  #forgetClosed(openGuids: string[]): void {
    const open = new Set(openGuids);
    for (const guid of this.#mirrored.keys()) if (!open.has(guid)) this.#mirrored.delete(guid);
  }
}

/**
 * Mirrors one order's station state into the hub. The caller holds the order's lock; the
 * order's own journal is reconciled first, so the hub's operations are never taken for till
 * actions.
 */
export async function mirrorStationOrder(
  ctx: OrderContext, orderId: number, station: CashStation,
): Promise<void> {
  await reconcileOrder(ctx, orderId);
  const order = await loadOrder(ctx, orderId);
  if (!isAtStation(order) || order.statusId === OrderStatus.Completed) return;

  const read = await station.getOrder(order.posOrderGuid as string);
  if (read === undefined) return;

  const at = isoFromMillis(ctx.clock());
  if (read.deleted) {
    await commitEffect(ctx, orderId, cancelledAtStation(at));
    ctx.logger.info({ orderId, posOrderName: read.orderName }, 'order voided at the station');
    return;
  }
  if (read.paid && order.paymentStatus !== 'paid') {
    const corporation = await ctx.chain.getCorporation(order.corporationId);
    const complete = read.finished && corporation?.completeWhenClosedAtStation === true;
    await commitEffect(ctx, orderId, paidAtTill(read, at, complete));
    ctx.logger.info({ orderId, posOrderName: read.orderName, completed: complete },
      'order paid at the station');
  }
}

function cancelledAtStation(at: string): Effect {
  return (order) => {
    if (order.statusId === OrderStatus.Cancelled || order.statusId === OrderStatus.Completed) {
      return undefined;
    }
    return {
      patch: { statusId: OrderStatus.Cancelled },
      history: [transition(order, OrderStatus.Cancelled, 'station', at)],
    };
  };
}

function paidAtTill(read: StationOrder, at: string, complete: boolean): Effect {
  return (order) => {
    if (order.paymentStatus === 'paid') return undefined;
    const closing = complete && order.statusId !== OrderStatus.Completed;
    return {
      patch: closing
        ? { paymentStatus: 'paid', statusId: OrderStatus.Completed, completedAt: at }
        : { paymentStatus: 'paid' },
      history: closing ? [transition(order, OrderStatus.Completed, 'station', at)] : [],
      payments: stationPayments(read, at),
    };
  };
}
