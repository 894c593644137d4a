/** How failed webhook deliveries are retried (`delivery-api.md` §15.2). */
export interface RetryPolicy {
  /** Delay after the first failure; it doubles with every further one. */
  firstDelayMs: number;
  /** Cap of the delay. */
  maxDelayMs: number;
  /** How long a delivery keeps being retried before it is dead-lettered. */
  windowMs: number;
  /** Spread of the jitter: the delay is multiplied by a factor in `1 ± jitter`. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  firstDelayMs: 60_000,
  maxDelayMs: 3_600_000,
  windowMs: 24 * 3_600_000,
  jitter: 0.2,
});

/** What follows a failed attempt: another one at `at` (ms since the epoch), or the dead letter. */
export type RetryDecision = { kind: 'retry'; at: number } | { kind: 'dead' };

/**
 * Exponential back-off with jitter, so that subscribers coming back after an outage are not hit
 * by every delivery at the same instant. Retrying continues while the failure happens inside the
 * window, so a delivery is tried for at least `windowMs` before it is given up.
 *
 * @param failures attempts made so far, the one that just failed included (1, 2, …)
 * @param random a number in [0, 1), injected by tests
 */
export function afterFailure(
  policy: RetryPolicy, failures: number, windowStartedAt: number, now: number,
  random: () => number = Math.random,
): RetryDecision {
  if (now - windowStartedAt >= policy.windowMs) return { kind: 'dead' };

  const nominal = Math.min(policy.firstDelayMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);
  const factor = 1 - policy.jitter + 2 * policy.jitter * random();
  const delay = Math.min(Math.round(nominal * factor), policy.maxDelayMs);
  return { kind: 'retry', at: now + delay };
}
