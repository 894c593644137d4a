/**
 * Serialises operations on one order inside this process: pay, complete and the transfer to the
 * cash station of the same order run one after another, so `complete` sent right after `pay`
 * waits for the payment instead of racing it. Across processes the version check on every
 * order update is what keeps writers apart.
 */
export class OrderLocks {
  readonly #tails = new Map<number, Promise<unknown>>();

  /** Runs `work` after every earlier `work` for the same order has finished. */
  async run<T>(orderId: number, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(orderId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.#tails.set(orderId, tail);

    try {
      return await current;
    } finally {
      if (this.#tails.get(orderId) === tail) this.#tails.delete(orderId);
    }
  }
}
