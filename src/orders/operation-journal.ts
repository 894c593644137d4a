import { randomUUID } from 'node:crypto';
import type { JournalRepo } from '../store/journal-repo.js';

/** Prefix of the attention reason set while a cash-station outcome is unknown. */
export const UNKNOWN_OUTCOME_REASON = 'Cash station outcome unknown';

/**
 * The operation journal as the order use cases see it: the repository, who this process is, and
 * how long an unanswered call may still be on its way (`rk7-xml.md` §6.1, §6.8).
 */
export class OperationJournal {
  readonly repo: JournalRepo;
  /** `instanceId/bootId`: names the process that sent an operation. */
  readonly owner: string;
  /**
   * How old an entry must be before "not applied at the station" is believed: until then a
   * call that got no answer may still be on its way, and nothing is sent again.
   */
  readonly settleAfterMs: number;

  constructor(repo: JournalRepo, options: { instanceId: string; settleAfterMs: number }) {
    this.repo = repo;
    this.owner = `${options.instanceId}/${randomUUID().slice(0, 8)}`;
    this.settleAfterMs = options.settleAfterMs;
  }
}
