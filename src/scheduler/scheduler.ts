import type { Logger } from 'pino';
import { isoFromMillis } from '../time/instant.js';
import type { TimerKind, TimerRepo } from './timer-repo.js';
import type { TimerRow } from '../store/schema.js';

/** Runs one kind of timer; throwing means "try again later". */
export type TimerHandler = (timer: TimerRow) => Promise<void>;

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
}

const BATCH = 20;
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

    for (const timer of claimed) await this.#run(timer);
    return claimed.length;
  }

  async #run(timer: TimerRow): Promise<void> {
    const { timers, handlers, clock, owner } = this.#options;
    const handler = handlers[timer.kind as TimerKind];

    try {
      if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
      await handler(timer);
      await timers.done(timer.id, owner);
    } catch (err) {
      const delay = Math.min(FIRST_RETRY_MS * 2 ** timer.attempts, MAX_RETRY_MS);
      const message = err instanceof Error ? err.message : String(err);
      this.#log.warn({ err, timerKind: timer.kind, orderId: timer.orderId, attempt:
        timer.attempts + 1, retryInMs: delay }, 'timer failed, retrying later');
      await timers.retryAt(timer.id, owner, isoFromMillis(clock() + delay), message);
    }
  }
}
