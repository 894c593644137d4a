import { CashStationError } from '../cash-station.js';
import type { Rk7Result } from './xml-protocol.js';

/**
 * Sorts every way a station call can fail into the port's {@link CashStationError} kinds, as
 * `rk7-xml.md` §7.3 lays out. The station's number and `ErrorText` are kept verbatim; texts of
 * transport failures name no host or address, since they end up in API messages.
 */

const LOCKED_NUMBERS = new Set([2219, 2129]);
const SHIFT_CLOSING = 2172;
const SHIFT_TOO_OLD = 2133;

/** References configured per restaurant: not finding one is a configuration problem. */
const CONFIGURED_REFERENCES = new Set([
  'cashes', 'tables', 'employees', 'unchangeableordertypes', 'ordervoids', 'restaurants',
]);

/** Error codes of failures that happen before a request is written to the socket. */
const NOTHING_SENT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** Classifies a reply whose status is not a success. */
export function classifyStationResult(result: Rk7Result, mutating: boolean): CashStationError {
  const text = result.errorText;
  const n = result.rk7ErrorN ?? ucsErrorNumber(text);
  const details = n === undefined ? {} : { rk7ErrorN: n };

  if (n === SHIFT_CLOSING) return new CashStationError('unavailable', text, station(details));
  if ((n !== undefined && LOCKED_NUMBERS.has(n)) || /\blocked\b|заблокирован/i.test(text)) {
    return new CashStationError('locked', text, station(details));
  }
  if (n === SHIFT_TOO_OLD) return new CashStationError('shift', text, station(details));
  if (/bad license anchor/i.test(text)) {
    return new CashStationError('config', text, { ...details, wsCode: 'License' });
  }

  switch (result.status) {
    case 'Bad Query Parameters':
    case 'Query Parse Error':
      return new CashStationError('config', text, details);
    case 'Query Executing Error':
      if (isConfiguredReferenceMissing(text) || /unknown command/i.test(text)) {
        return new CashStationError('config', text, details);
      }
      return new CashStationError('refused', text, station(details));
    default:
      // 'Execution Started', 'Result Writing Error' or a status this code does not know: the
      // command may or may not have run.
      return new CashStationError(mutating ? 'unknown' : 'unavailable', text, {
        ...details, wsCode: 'Timeout',
      });
  }
}

/** Whether a refusal says the order itself does not exist (GetOrder on an unknown GUID). */
export function isOrderNotFound(err: CashStationError): boolean {
  return err.kind === 'refused'
    && (/\border\b.*\bnot found\b/i.test(err.text) || /заказ.*не найден/i.test(err.text));
}

/** Whether a CreateOrder refusal says an order with that GUID exists already. */
export function isOrderAlreadyExisting(err: CashStationError): boolean {
  return err.kind === 'refused' && /\balready exists\b|уже существует/i.test(err.text);
}

/** Classifies an HTTP status other than 200. */
export function classifyHttpStatus(status: number, mutating: boolean): CashStationError {
  if (status === 401 || status === 403) {
    return new CashStationError('config', `HTTP ${status}: the cash station rejected the `
      + 'XML interface credentials');
  }
  if (status === 404 || status === 405) {
    return new CashStationError('config', `HTTP ${status}: no XML interface at the configured URL`);
  }
  return new CashStationError(mutating ? 'unknown' : 'unavailable',
    `HTTP ${status} from the cash station`, { wsCode: 'Timeout' });
}

/** Classifies a reply that is not a readable `RK7QueryResult`. */
export function classifyUnreadableReply(cause: unknown, mutating: boolean): CashStationError {
  return new CashStationError(mutating ? 'unknown' : 'unavailable',
    'Unreadable reply from the cash station', { wsCode: 'Timeout', cause });
}

/** Classifies a failure of the HTTP exchange itself. */
export function classifyTransportFailure(
  cause: unknown,
  context: { mutating: boolean; timedOut: boolean; timeoutMs: number },
): CashStationError {
  const kindIfUnanswered = context.mutating ? 'unknown' : 'unavailable';
  if (context.timedOut) {
    return new CashStationError(kindIfUnanswered,
      `No answer from the cash station within ${context.timeoutMs} ms`,
      { wsCode: 'Timeout', cause });
  }

  const codes = errorCodes(cause);
  if (codes.some((c) => NOTHING_SENT_CODES.has(c))) {
    const code = codes.find((c) => NOTHING_SENT_CODES.has(c));
    return new CashStationError('unavailable', `Cash station unreachable (${code})`, { cause });
  }
  if (codes.some((c) => TLS_CODE.test(c))) {
    return new CashStationError('config',
      'TLS handshake with the cash station failed (certificate not accepted)', { cause });
  }
  return new CashStationError(kindIfUnanswered, 'Connection to the cash station lost',
    { wsCode: 'Timeout', cause });
}

function station(details: { rk7ErrorN?: number }): { rk7ErrorN?: number; wsCode: string } {
  return { ...details, wsCode: 'WsaOrderError' };
}

/** `UCSERR(2172)` carries the number in the text when `RK7ErrorN` is absent. */
function ucsErrorNumber(text: string): number | undefined {
  const m = /UCSERR\((\d+)\)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function isConfiguredReferenceMissing(text: string): boolean {
  const m = /(?:в коллекции|in collection)\s+([A-Za-z]+)/i.exec(text);
  return m?.[1] !== undefined && CONFIGURED_REFERENCES.has(m[1].toLowerCase());
}

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
