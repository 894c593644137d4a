/**
 * C0 controls but tab, line feed and carriage return, DEL and the C1 controls: never meant in
 * text a client sends. Stored text reaches operators, receipts and the station's XML, where they
 * break or vanish; SQLite ends a bound string at a NUL.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Every C0 control, tab and line breaks included. */
const C0_CONTROLS = /[\u0000-\u001f]/;

/** Whether `text` holds a character of {@link CONTROL_CHARACTERS}. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

/**
 * Whether `text` holds any C0 control, tab and line breaks included: the rule for secrets, which
 * scrypt's HMAC would otherwise confuse (it pads a short key with zero bytes, so `s` and `s\0`
 * hash alike).
 */
export function hasC0Controls(text: string): boolean {
  return C0_CONTROLS.test(text);
}
