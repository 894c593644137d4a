import { DateTime, IANAZone } from 'luxon';

/**
 * Instants are stored as UTC ISO-8601 text with milliseconds (`2024-03-01T12:00:00.000Z`), which
 * sorts and compares the same way in SQLite and PostgreSQL. The wire shows them with an explicit
 * `+00:00` offset; the cash station sees restaurant-local time without a zone.
 */
export type IsoInstant = string;

const ISO = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' // date
    + '(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,7}))?)?)?' // time, 0–7 fraction digits
    + '(Z|[+-]\\d{2}(?::?\\d{2})?)?$', // offset
  'i',
);

export interface ParsedInstant {
  instant: IsoInstant;
  /** Whether the input carried an offset or `Z`. */
  hadZone: boolean;
  /** Whether the input was a date without a time. */
  dateOnly: boolean;
}

/**
 * Reads an ISO-8601 date-time. Zone-less input is read in `zone` (an IANA name), as the contract
 * says for `paidAt` (restaurant zone) and query dates (corporation zone). Returns undefined for
 * anything unparseable.
 */
export function parseInstant(text: string, zone: string): ParsedInstant | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;

  const [, y, mo, d, h, mi, s, frac, offset] = m;
  if (offset && !validOffset(offset)) return undefined;
  const millis = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const parts = {
    year: Number(y), month: Number(mo), day: Number(d),
    hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0), millisecond: millis,
  };
  const dt = DateTime.fromObject(parts, { zone: offset ? fixedZone(offset) : zone });
  if (!dt.isValid || dt.day !== parts.day || dt.hour !== parts.hour) return undefined;

  return { instant: toIso(dt), hadZone: offset !== undefined, dateOnly: h === undefined };
}

/** Real offsets run from −12:00 to +14:00 with minutes below 60. */
function validOffset(offset: string): boolean {
  if (offset.toUpperCase() === 'Z') return true;

  const digits = offset.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5) || '0');
  return hours <= 14 && minutes < 60;
}

function fixedZone(offset: string): string {
  if (offset.toUpperCase() === 'Z') return 'UTC';
  const digits = offset.replace(':', '');
  const sign = digits[0];
  const hh = digits.slice(1, 3);
  const mm = digits.slice(3, 5) || '00';
  return `UTC${sign}${hh}:${mm}`;
}

function toIso(dt: DateTime): IsoInstant {
  return dt.toUTC().toISO({ suppressMilliseconds: false, includeOffset: false }) + 'Z';
}

/** The current instant (the clock is injected where tests need to move it). */
export function nowIso(clock: () => number = Date.now): IsoInstant {
  return new Date(clock()).toISOString();
}

/** Milliseconds since the epoch → stored form. */
export function isoFromMillis(ms: number): IsoInstant {
  return new Date(ms).toISOString();
}

/** What `isoFromMillis` writes: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
const STORED_FORM = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Wire form: UTC with `+00:00`, fraction trimmed of trailing zeros and omitted when zero
 * (`2021-04-19T11:53:07.508+00:00`, `2021-02-24T12:55:00+00:00`).
 */
export function toWire(instant: IsoInstant | null | undefined): string | null {
  if (!instant) return null;

  // The stored form is already canonical: skip the Date round trip (hot in searches).
  const base = STORED_FORM.test(instant) ? instant : new Date(instant).toISOString();
  const [main = '', frac = ''] = base.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${main}${trimmed ? `.${trimmed}` : ''}+00:00`;
}

/** Cash-station form: restaurant-local wall time, no zone, no fraction (`2022-04-05T15:12:58`). */
export function toStationLocal(instant: IsoInstant, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'UTC' }).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm:ss");
}

/** Whether `zone` is an IANA time-zone name this runtime knows. */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}
