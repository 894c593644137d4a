import { HubError } from '../errors/hub-error.js';
import { LockWaitTimeout, type SharedLock } from '../store/advisory-lock.js';

/**
 * Serialises operations on one order: pay, complete, the transfer to the cash station, the
 * reconciliation of the order's journal and the station poll's mirroring of the same order run
 * one after another, so `complete` sent right after `pay` waits for the payment instead of
 * racing it.
 *
 * Inside the process a queue per order does it. With a {@link SharedLock} (PostgreSQL advisory
 * locks) the holder also excludes every other hub instance on the same database; a waiter that
 * cannot get the lock within its bound gets `err_operation_in_progress`. Without one (SQLite,
 * one process) the version check on every order update is what keeps other writers apart.
 */
export class OrderLocks {
  readonly #tails = new Map<number, Promise<unknown>>();
  readonly #shared: SharedLock | undefined;

  constructor(shared?: SharedLock) {
    this.#shared = shared;
  }

  /** Whether holding a lock also excludes other hub instances. */
  get crossInstance(): boolean {
    return this.#shared !== undefined;
  }

  /** Runs `work` after every earlier `work` for the same order has finished. */
  async run<T>(orderId: number, work: () => Promise<T>): Promise<T> {
    const exclusive = this.#shared === undefined
      ? work
      : () => this.#acrossInstances(orderId, work);
    const previous = this.#tails.get(orderId) ?? Promise.resolve();
    const current = previous.then(exclusive, exclusive);
    const tail = current.catch(() => undefined);
    this.#tails.set(orderId, tail);

    try {
      return await current;
    } finally {
      if (this.#tails.get(orderId) === tail) this.#tails.delete(orderId);
    }
  }

  async #acrossInstances<T>(orderId: number, work: () => Promise<T>): Promise<T> {
    try {
      return await (this.#shared as SharedLock).run(orderId, work);
    } catch (err) {
      if (!(err instanceof LockWaitTimeout)) throw err;
      throw new HubError('err_operation_in_progress',
        `Another operation on order ${orderId} is still running; repeat the request`,
        { retryAfterSec: 2, cause: err });
    }
  }

  /** Releases the shared lock's connections. */
  async close(): Promise<void> {
    await this.#shared?.close();
  }
}
