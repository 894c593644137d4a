import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** A reason a corporation offers for cancelling an order (`delivery-api.md` §11.2). */
export interface RejectionReason {
  /** Lower-case GUID. */
  id: string;
  reason: string;
  /** `simple`: a fixed reason; `text`: free text expected in `rejectionReasonText`. */
  type: 'simple' | 'text';
  /** Whether the corporation may delete it (system reasons cannot be deleted). */
  isPossibleDelete: boolean;
}

/** The seven reasons of the r_k documentation, in their documented order and with their ids. */
export const DOCUMENTED_REJECTION_REASONS: readonly RejectionReason[] = [
  simple('a762a6da-2379-4fa2-9a04-7f5ca82b39d4', 'Test order'),
  simple('4239979e-093c-43c0-8351-6918364c5c94', 'Double'),
  simple('37631981-7d11-4e36-8465-dd1887d888cc', 'The guest refused the order'),
  simple('7c224784-7382-4a47-8e5a-849d8529a34a',
    'The guest is unavailable / did not open the door'),
  simple('bb8502fa-dfcc-4196-a306-08ec526abc91', 'The dish is out of stock'),
  { ...simple('73f8e0eb-06d5-489f-8258-42a941bede14', 'Cancelled by the restaurant'),
    isPossibleDelete: false },
  { ...simple('5ff37e88-61ef-46ff-9f6c-4c9579e74210', 'Other'), type: 'text' },
];

/**
 * Gives a new corporation the documented reasons. Whoever creates a corporation calls this in
 * the same transaction (the demo seed does; the `0003` migration did it for earlier ones).
 */
export async function insertDocumentedRejectionReasons(
  db: Kysely<Database> | Transaction<Database>, corporationId: string,
): Promise<void> {
  await db.insertInto('rejectionReasons')
    .values(DOCUMENTED_REJECTION_REASONS.map((r, sort) => ({
      corporationId, id: r.id, reason: r.reason, type: r.type,
      isPossibleDelete: r.isPossibleDelete ? 1 : 0, sort,
    })))
    .execute();
}

function simple(id: string, reason: string): RejectionReason {
  return { id, reason, type: 'simple', isPossibleDelete: true };
}
