/** The marks people type inside a phone number: spaces, dashes, dots, parentheses. */
const MARKS = /[ \-.()]/g;
/** At most 15 digits (ITU-T E.164); fewer than 5 is not a number a courier can call. */
const DIGITS = /^\+?\d{5,15}$/;

/**
 * Why a guest phone cannot be taken, or undefined when it can (`delivery-api.md` §8: digits,
 * e.g. `79000000001`). A number typed with its marks (`+7 (912) 345-67-89`) is kept as typed:
 * search reads only its digits, and r_keeper takes the text as it is. Letters, or too few or too
 * many digits, are refused before anything is stored or sent to the cash station.
 */
export function guestPhoneProblem(phone: string): string | undefined {
  if (DIGITS.test(phone.replace(MARKS, ''))) return undefined;
  return 'Phone must be 5 to 15 digits, optionally with a leading + and spaces, dashes, dots or '
    + 'parentheses between them';
}
