import type { FieldProblems } from '../errors/hub-error.js';

/** The marks people type inside a phone number: spaces, dashes, dots, parentheses. */
const MARKS = /[ \-.()]/g;
/** At most 15 digits (ITU-T E.164); fewer than 5 is not a number a courier can call. */
const DIGITS = /^\+?\d{5,15}$/;

/**
 * Adds the problem of a guest phone, when one was sent and cannot be taken, under `guest.phone`
 * (`delivery-api.md` §8: digits, e.g. `79000000001`). A number typed with its marks
 * (`+7 (912) 345-67-89`) is kept as typed: search reads only its digits, and r_keeper takes the
 * text as it is. Letters, or too few or too many digits, are refused before anything is stored
 * or sent to the cash station.
 */
export function checkGuestPhone(
  phone: string | null | undefined, problems: FieldProblems,
): void {
  if (!phone || DIGITS.test(phone.replace(MARKS, ''))) return;
  problems.add('guest.phone', 'Phone must be 5 to 15 digits, optionally with a leading + and '
    + 'spaces, dashes, dots or parentheses between them');
}
