/** What the checkpoint loop tells its owner (`WalCheckpointer` logs it). */
export type CheckpointReport =
  | { kind: 'failing'; message: string; code?: string; failures: number }
  | { kind: 'recovered'; failures: number };

/** While checkpoints keep failing, the failure is reported again at most this often. */
export const REPORT_EVERY_MS = 60_000;

/** Settings of {@link startCheckpointLoop}. */
export interface CheckpointLoopOptions {
  /** Runs one checkpoint; throws what SQLite threw. */
  checkpoint: () => void;
  everyMs: number;
  report: (report: CheckpointReport) => void;
  now?: () => number;
}

/**
 * Runs `checkpoint` every `everyMs` and reports failures that are not a passing contention: the
 * first of a run of failures at once, then at most every {@link REPORT_EVERY_MS}, and the
 * recovery when one succeeds again. Busy or locked is contention with the writer or a reader
 * (PASSIVE gives way) and is retried silently on the next turn. Returns a function that stops it.
 */
export function startCheckpointLoop(options: CheckpointLoopOptions): () => void {
  const now = options.now ?? Date.now;
  let failures = 0;
  let reportedAt = 0;

  const timer = setInterval(() => {
    try {
      options.checkpoint();
    } catch (err) {
      const { message, code } = err as { message?: string; code?: unknown };
      if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return;

      failures += 1;
      if (failures > 1 && now() - reportedAt < REPORT_EVERY_MS) return;
      reportedAt = now();
      options.report({
        kind: 'failing', message: message ?? String(err), failures,
        ...(typeof code === 'string' ? { code } : {}),
      });
      return;
    }

    if (failures === 0) return;
    options.report({ kind: 'recovered', failures });
    failures = 0;
  }, options.everyMs);
  return () => clearInterval(timer);
}
