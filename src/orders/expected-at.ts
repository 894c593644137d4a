import type { FieldProblems } from '../errors/hub-error.js';
import type { Restaurant } from '../store/chain-repo.js';
import { parseInstant } from '../time/instant.js';

/**
 * How far ahead an order may be scheduled. The r_k contract sets no bound; ours keeps a typo in
 * the year (`2062` for `2026`) from parking an order, its timer and the restaurant's plans for
 * decades, and leaves room for orders taken weeks ahead (banquets, holidays).
 */
export const MAX_ADVANCE_DAYS = 60;

/**
 * Reads a sent `expectedAt` of a scheduled order: a date and time with a zone
 * (`delivery-api.md` §8), no earlier than the restaurant's lead time (`minLeadMinutes`) from
 * `now` and at most {@link MAX_ADVANCE_DAYS} ahead. What is wrong goes to `problems` under
 * `expectedAt`. Returns the instant (UTC ISO-8601) when it could be read, valid or not.
 */
export function readExpectedAt(
  text: string | null | undefined, restaurant: Restaurant, now: number, problems: FieldProblems,
): string | undefined {
  if (!text) {
    problems.add('expectedAt', 'Select the time of receipt');
    return undefined;
  }

  const parsed = parseInstant(text, restaurant.timeZone);
  if (!parsed) {
    problems.add('expectedAt', 'Value is not a valid date and time');
    return undefined;
  }
  if (!parsed.hadZone || parsed.dateOnly) {
    problems.add('expectedAt', 'Time zone is required');
    return parsed.instant;
  }

  const at = Date.parse(parsed.instant);
  if (at < now + restaurant.minLeadMinutes * 60_000) {
    problems.add('expectedAt', 'The requested time is earlier than the earliest possible time');
  } else if (at > now + MAX_ADVANCE_DAYS * 86_400_000) {
    problems.add('expectedAt',
      `The requested time is more than ${MAX_ADVANCE_DAYS} days ahead`);
  }
  return parsed.instant;
}
