import { type ExpressionBuilder, sql } from 'kysely';
import type { Guest } from '../orders/order-record.js';
import type { Database } from './schema.js';

/*
 * What the order search's free-text `q` looks in: `search_text` (names, e-mail and the phone's
 * digits, written with every order), the client's external id and the order number.
 */

/** `q` matches the order number, the client's external id, guest name, phone digits, e-mail. */
export function matchesQuery(eb: ExpressionBuilder<Database, 'orders'>, q: string) {
  const trimmed = q.trim();
  const alternatives = [
    sql<boolean>`${sql.ref('searchText')} like ${`%${escapeLike(trimmed.toLowerCase())}%`}
      escape '!'`,
    eb('orderExternalId', '=', trimmed),
  ];
  if (/^\d{1,9}$/.test(trimmed)) alternatives.push(eb('id', '=', Number(trimmed)));
  // A phone pasted as written (`+7 (916) 123-45-67`) matches its stored digits.
  const digits = trimmed.replace(/\D/g, '');
  if (PHONE_LIKE.test(trimmed) && digits.length >= 3 && digits !== trimmed) {
    alternatives.push(sql<boolean>`${sql.ref('searchText')} like ${`%${digits}%`}`);
  }
  return eb.or(alternatives);
}

/** Text made only of digits and the marks people write phone numbers with. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/** `%` and `_` in `q` are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}

/** The lower-case text `q` searches in: names, e-mail and the phone's digits. */
export function orderSearchText(guest: Guest): string {
  const phone = (guest.phone ?? '').replace(/\D/g, '');
  return [guest.firstName, guest.lastName, guest.email, phone]
    .filter((part) => part).join(' ').toLowerCase();
}
