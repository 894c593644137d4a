import type { Logger } from 'pino';
import { isoFromMillis } from '../time/instant.js';
import type { TimerKind, TimerRepo } from './timer-repo.js';
import type { TimerRow } from '../store/schema.js';

/**
 * Runs one kind of timer; throwing means "try again later". A recurring timer returns when it is
 * due next; otherwise the timer is removed once it has run.
 */
export type TimerHandler = (timer: TimerRow) => Promise<void | { nextDueAt: string }>;

export interface SchedulerOptions {
  timers: TimerRepo;
  handlers: Record<TimerKind, TimerHandler>;
  clock: () => number;
  intervalMs: number;
  /** Names this process in claims. */
  owner: string;
  /** How long a claim holds; longer than the slowest handler (cash-station timeouts included). */
  leaseMs: number;
  logger: Logger;
  /** Told, for each claimed timer, how late it is: claim time minus due time, milliseconds. */
  observeLag?: (kind: string, lagMs: number) => void;
}

const BATCH = 20;
/** Orders whose timers run side by side in one pass. */
const LANES = 8;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Polls the timer table and runs what is due. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #log: Logger;
  #handle: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'scheduler' });
  }

  start(): void {
    if (this.#handle) return;
    this.#handle = setInterval(() => void this.runDue().catch((err: unknown) => {
      this.#log.error({ err }, 'scheduler pass failed');
    }), this.#options.intervalMs);
    this.#handle.unref();
  }

  /** Stops polling, waits for the pass in progress and gives back this process's claims. */
  async stop(): Promise<void> {
    clearInterval(this.#handle);
    this.#handle = undefined;
    await this.#running?.catch(() => 0);
    await this.#options.timers.releaseAll(this.#options.owner);
  }

  /** One pass over due timers; a pass already running is joined rather than doubled. */
  runDue(): Promise<number> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #pass(): Promise<number> {
    const { timers, clock, owner, leaseMs } = this.#options;
    const now = clock();
    const claimed = await timers.claimDue(isoFromMillis(now), owner, isoFromMillis(now + leaseMs),
      BATCH);

    for (const timer of claimed) {
      this.#options.observeLag?.(timer.kind, now - Date.parse(timer.dueAt));
    }

    // Timers of different orders run side by side, so one slow cash station does not hold up
    // the rest of the pass; the timers of one order still run one after another.
    const byOrder = new Map<number, TimerRow[]>();
    for (const timer of claimed) {
      byOrder.set(timer.orderId, [...(byOrder.get(timer.orderId) ?? []), timer]);
    }
    const queues = [...byOrder.values()];
    const lane = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const timer of queue) await this.#run(timer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES, queues.length) }, lane));
    return claimed.length;
  }

  async #run(timer: TimerRow): Promise<void> {
    const { timers, handlers, clock, owner } = this.#options;
    const handler = handlers[timer.kind as TimerKind];

    try {
      if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
      const next = await handler(timer);
      if (next) await timers.reschedule(timer.id, owner, next.nextDueAt);
      else await timers.done(timer.id, owner);
    } catch (err) {
      const delay = Math.min(FIRST_RETRY_MS * 2 ** timer.attempts, MAX_RETRY_MS);
      const message = err instanceof Error ? err.message : String(err);
      this.#log.warn({ err, timerKind: timer.kind, orderId: timer.orderId, attempt:
        timer.attempts + 1, retryInMs: delay }, 'timer failed, retrying later');
      await timers.retryAt(timer.id, owner, isoFromMillis(clock() + delay), message);
    }
  }
}
