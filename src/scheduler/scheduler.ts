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
  /** Timers held at once by the polling loop (claimed and not finished); default 64. */
  capacity?: number;
}

/** Timers one claim statement takes at most. */
const BATCH = 32;
const DEFAULT_CAPACITY = 64;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Polls the timer table and runs what is due. The polling loop keeps up to `capacity` timers
 * going at once and claims more as soon as some finish, so one slow cash station holds up only
 * its own timers, and a backlog is worked off without waiting for the next tick. Timers of one
 * order (or one station poll) still run one after another, in due order.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #log: Logger;
  readonly #capacity: number;
  #handle: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  /** Claimed timers not finished yet, each as the promise of its run. */
  readonly #held = new Set<Promise<void>>();
  /** The last run of each order's (or poll's) timers, so the next one queues behind it. */
  readonly #tails = new Map<string, Promise<void>>();
  #claiming: Promise<void> | undefined;
  /** The last claim took all it asked for: more may be due right now. */
  #backlog = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'scheduler' });
    this.#capacity = options.capacity ?? DEFAULT_CAPACITY;
  }

  start(): void {
    if (this.#handle) return;
    this.#handle = setInterval(() => this.#pump(), this.#options.intervalMs);
    this.#handle.unref();
    this.#pump();
  }

  /** Stops polling, waits for every claimed timer and gives back this process's claims. */
  async stop(): Promise<void> {
    clearInterval(this.#handle);
    this.#handle = undefined;
    await this.#claiming;
    await this.#running?.catch(() => 0);
    while (this.#held.size > 0) await Promise.allSettled([...this.#held]);
    await this.#options.timers.releaseAll(this.#options.owner);
  }

  /**
   * One pass over due timers (up to one claim's worth): claims them, runs them and resolves
   * with how many it claimed once they have run. A pass already running is joined.
   */
  runDue(): Promise<number> {
    this.#running ??= this.#claim(BATCH).then(async (runs) => {
      await Promise.all(runs);
      return runs.length;
    }).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** The polling loop's step: claims as many timers as there are free places. */
  #pump(): void {
    if (this.#handle === undefined || this.#claiming !== undefined) return;
    const free = this.#capacity - this.#held.size;
    if (free <= 0) return;

    this.#claiming = this.#claim(Math.min(free, BATCH))
      .then(() => undefined, (err: unknown) => {
        this.#backlog = false;
        this.#log.error({ err }, 'scheduler pass failed');
      })
      .finally(() => {
        this.#claiming = undefined;
        if (this.#backlog) this.#pump();
      });
  }

  /** Claims up to `limit` due timers and starts them; returns their runs. */
  async #claim(limit: number): Promise<Promise<void>[]> {
    const { timers, clock, owner, leaseMs } = this.#options;
    const now = clock();
    const claimed = await timers.claimDue(isoFromMillis(now), owner, isoFromMillis(now + leaseMs),
      limit);
    this.#backlog = claimed.length === limit;

    for (const timer of claimed) {
      this.#options.observeLag?.(timer.kind, now - Date.parse(timer.dueAt));
    }
    return claimed.map((timer) => this.#start(timer));
  }

  /** Runs the timer after the earlier timers of its order; frees its place when done. */
  #start(timer: TimerRow): Promise<void> {
    const key = `${timer.kind === 'station-poll' ? 'poll' : 'order'}:${timer.orderId}`;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const run = previous.then(() => this.#run(timer));
    this.#tails.set(key, run);
    this.#held.add(run);

    void run.finally(() => {
      this.#held.delete(run);
      if (this.#tails.get(key) === run) this.#tails.delete(key);
      if (this.#backlog) this.#pump();
    });
    return run;
  }

  /** Never rejects: a failing handler puts its timer back for a later attempt. */
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
      await timers.retryAt(timer.id, owner, isoFromMillis(clock() + delay), message)
        .catch((retryErr: unknown) => {
          // The claim lapses with its lease, and the timer is tried again then.
          this.#log.error({ err: retryErr, timerKind: timer.kind, orderId: timer.orderId },
            'timer could not be put back');
        });
    }
  }
}
