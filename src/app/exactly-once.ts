import type { Logger } from 'pino';
import type { IdempotencyOptions } from '../api/idempotency.js';
import type { HubConfig } from '../config/hub-config.js';
import { OperationJournal } from '../orders/operation-journal.js';
import type { OrderContext } from '../orders/order-context.js';
import { OrderLocks } from '../orders/order-locks.js';
import { reconcileOrder } from '../orders/reconcile-order.js';
import { StationPoller } from '../orders/station-poll.js';
import type { TimerHandler } from '../scheduler/scheduler.js';
import { PgAdvisoryLock } from '../store/advisory-lock.js';
import type { Store } from '../store/database.js';
import { IdempotencyRepo } from '../store/idempotency-repo.js';
import { JournalRepo } from '../store/journal-repo.js';
import { StationPollRepo } from '../store/station-poll-repo.js';

/**
 * The parts of issue #4 the composition root wires in: the operation journal and the order
 * locks (shared across instances on PostgreSQL) for the order context, the idempotency
 * settings for the API, and the `reconcile` and `station-poll` timer handlers.
 */
export interface ExactlyOnce {
  journal: OperationJournal;
  locks: OrderLocks;
  idempotency: IdempotencyOptions;
  /** The timer handlers, once the order context exists. */
  handlers(ctx: OrderContext): { reconcile: TimerHandler; 'station-poll': TimerHandler };
  /**
   * Start-up: gives up the idempotency claims a previous life of this process (same
   * `INSTANCE_ID`) still held and makes sure every restaurant's station poll is scheduled.
   */
  start(ctx: OrderContext): Promise<void>;
  close(): Promise<void>;
}

export function createExactlyOnce(
  config: HubConfig, store: Store, deps: { clock: () => number; logger: Logger },
): ExactlyOnce {
  const journal = new OperationJournal(new JournalRepo(store.db), {
    instanceId: config.instanceId,
    // A call may take the timeout, and its read-back another one.
    settleAfterMs: 2 * config.cashTimeoutMs,
  });
  // An operation holds its order's lock for a reconciliation read, its call and a read-back.
  const operationMs = 3 * config.cashTimeoutMs + 5_000;
  const shared = store.dialect === 'postgres' && config.databaseUrl !== undefined
    ? new PgAdvisoryLock({
      url: config.databaseUrl, connections: config.databasePoolSize, waitMs: operationMs,
    })
    : undefined;
  const locks = new OrderLocks(shared);
  const idempotencyRepo = new IdempotencyRepo(store.db);
  const polls = new StationPollRepo(store.db);
  let poller: StationPoller | undefined;

  return {
    journal,
    locks,
    idempotency: {
      repo: idempotencyRepo, clock: deps.clock, owner: journal.owner,
      keyTtlMs: config.idempotencyTtlSec * 1000,
      createWindowMs: config.createDedupeWindowSec * 1000,
      waitMs: operationMs, leaseMs: operationMs + 5_000, logger: deps.logger,
    },
    handlers(ctx) {
      poller ??= new StationPoller(ctx, polls, { intervalMs: config.stationPollIntervalMs });
      const stationPoller = poller;
      return {
        reconcile: (timer) => ctx.locks.run(timer.orderId, async () => {
          await reconcileOrder(ctx, timer.orderId);
        }),
        'station-poll': (timer) => stationPoller.poll(timer.orderId),
      };
    },
    async start(ctx) {
      // (Timer claims of a previous life are given back by `listen`.)
      await idempotencyRepo.releaseOwnedBy(`${config.instanceId}/`, journal.owner);
      poller ??= new StationPoller(ctx, polls, { intervalMs: config.stationPollIntervalMs });
      await poller.ensureTimers();
    },
    close: () => locks.close(),
  };
}
