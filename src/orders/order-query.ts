import { DateTime } from 'luxon';
import { parseError } from '../errors/hub-error.js';
import type { OrderQuery } from '../store/order-repo.js';
import { hasControlCharacters } from '../text/control-characters.js';
import { parseInstant } from '../time/instant.js';
import { isStatusId } from './order-status.js';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 1000;

/**
 * Reads the query of `GET /orders` (`delivery-api.md` §9.2). Parameter names match
 * case-insensitively; `includeStatusIds` may repeat, hold a comma list, or use `[]`. Dates come
 * with an offset, without one, or as a bare date, read in the corporation's zone; a bare
 * `toDate` covers its whole day. Anything unreadable is a 400 naming the parameter.
 */
export function readOrderQuery(
  raw: Record<string, unknown>, orderSourceId: string, zone: string,
): OrderQuery {
  const params = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    params.set(key.toLowerCase().replace(/\[\]$/, ''), value);
  }

  return {
    orderSourceId,
    statusIds: readStatusIds(params.get('includestatusids')),
    fromDate: readDate(params.get('fromdate'), 'fromDate', zone, 'start'),
    toDate: readDate(params.get('todate'), 'toDate', zone, 'end'),
    updatedSince: readDate(params.get('updatedsince'), 'updatedSince', zone, 'start'),
    q: readSearchText(params.get('q')),
    orderBy: readEnum(params.get('orderby'), 'orderBy', ['updatedAt', 'expectedAt'], 'updatedAt'),
    sortOrder: readEnum(params.get('sortorder'), 'sortOrder', ['asc', 'desc'], 'desc'),
    offset: readInt(params.get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: readInt(params.get('limit'), 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT,
  };
}

/** `q` as typed; a control character (a NUL would end the pattern in SQLite) is refused. */
function readSearchText(value: unknown): string | undefined {
  const q = single(value)?.trim();
  if (q !== undefined && hasControlCharacters(q)) {
    throw parseError('q', 'must not contain control characters');
  }
  return q || undefined;
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value.at(-1));
  return typeof value === 'string' ? value : undefined;
}

function readStatusIds(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;

  const parts = (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return parts.map((part) => {
    const id = Number(part);
    if (!/^\d+$/.test(part) || !isStatusId(id)) {
      throw parseError('includeStatusIds', `"${part}" is not an order status id`);
    }
    return id;
  });
}

function readDate(
  value: unknown, name: string, zone: string, edge: 'start' | 'end',
): string | undefined {
  const text = single(value)?.trim();
  if (!text) return undefined;

  const parsed = parseInstant(text, zone);
  if (!parsed) throw parseError(name, 'must be a date or an ISO-8601 date-time');
  if (!parsed.dateOnly || edge === 'start') return parsed.instant;

  const endOfDay = DateTime.fromISO(text, { zone }).endOf('day');
  return endOfDay.toUTC().toISO({ includeOffset: false }) + 'Z';
}

function readEnum<T extends string>(value: unknown, name: string, allowed: T[], fallback: T): T {
  const text = single(value)?.trim();
  if (!text) return fallback;

  const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (!match) throw parseError(name, `must be one of ${allowed.join(', ')}`);
  return match;
}

function readInt(value: unknown, name: string, min: number, max: number): number | undefined {
  const text = single(value)?.trim();
  if (!text) return undefined;

  const number = Number(text);
  if (!/^\d+$/.test(text) || number < min || number > max) {
    throw parseError(name, `must be a whole number from ${min} to ${max}`);
  }
  return number;
}
