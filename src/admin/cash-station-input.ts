import type { BodyReader } from '../api/body-reader.js';
import { EMBEDDED_STATION_URL } from '../app/cash-station-registry.js';
import type { CashStationConfig } from '../cash/cash-station.js';
import { intIn, needed, nonBlank, strictObject } from './admin-input.js';

/** A restaurant's cash-station settings as the admin API shows them: never the password. */
export type CashStationView = Omit<CashStationConfig, 'password'> & { passwordSet: boolean };

/** Keys of `cashStation` in admin input. */
export const CASH_STATION_KEYS = [
  'url', 'username', 'password', 'tlsInsecure', 'stationId', 'cashierId', 'tableId',
  'orderCategoryId', 'voidReasonId', 'deliveryFeeDishCode', 'timeoutMs', 'maxConnections',
] as const;

/** Reference idents the connector sends with every order (`rk7-xml.md` §1.3). */
const IDENT_KEYS = [
  'stationId', 'cashierId', 'tableId', 'orderCategoryId', 'voidReasonId',
] as const;

/** Ten minutes: a bound longer than that is a mistake, not a setting. */
const MAX_TIMEOUT_MS = 600_000;

/** More connections than this to one cash server would be a mistake, not a setting. */
const MAX_CONNECTIONS = 256;

/** r_keeper codes are integers; the hub keeps them as text. */
const CODE = /^\d{1,10}$/;

/**
 * Reads `cashStation` over `current` (a patch; absent keys keep their value, the password
 * included), or from scratch when creating: then the URL, the five reference idents and the
 * delivery dish are required, and so are the login and password unless the URL is `embedded`
 * (the in-process simulator has its own login). With `env` (the CLI applying a chain file),
 * `passwordEnv` may name a variable of it holding the password, so chain files keep no secrets;
 * the HTTP API passes none, so a caller cannot make the hub send its environment anywhere.
 */
export function readCashStation(
  r: BodyReader, current: CashStationConfig | undefined,
  env?: Readonly<Record<string, string | undefined>>,
): CashStationConfig | undefined {
  const known: string[] = [...CASH_STATION_KEYS, ...env ? ['passwordEnv'] : []];
  if (!strictObject(r, known)) return undefined;

  const creating = current === undefined;
  const url = needed(r.field('url'), creating, stationUrl) ?? current?.url;
  const embedded = url === EMBEDDED_STATION_URL;
  const username = needed(r.field('username'), creating && !embedded, nonBlank)
    ?? current?.username ?? '';
  const password = readPassword(r, creating && !embedded, env) ?? current?.password ?? '';

  const idents: Partial<Record<(typeof IDENT_KEYS)[number], number>> = {};
  for (const key of IDENT_KEYS) {
    idents[key] = needed(r.field(key), creating, (f) => intIn(f, 1, 2 ** 31 - 1))
      ?? current?.[key];
  }
  const deliveryFeeDishCode = needed(r.field('deliveryFeeDishCode'), creating, dishCode)
    ?? current?.deliveryFeeDishCode;

  const config = {
    url,
    username,
    password,
    tlsInsecure: r.field('tlsInsecure').bool() ?? current?.tlsInsecure ?? false,
    ...idents,
    deliveryFeeDishCode,
    timeoutMs: intIn(r.field('timeoutMs'), 0, MAX_TIMEOUT_MS) ?? current?.timeoutMs ?? 0,
    maxConnections: intIn(r.field('maxConnections'), 0, MAX_CONNECTIONS)
      ?? current?.maxConnections ?? 0,
  };
  return isComplete(config) ? config : undefined;
}

/** The settings with their keys in one order, so equal settings are equal text. */
export function canonicalStation(c: CashStationConfig): CashStationConfig {
  return {
    url: c.url, username: c.username, password: c.password, tlsInsecure: c.tlsInsecure,
    stationId: c.stationId, cashierId: c.cashierId, tableId: c.tableId,
    orderCategoryId: c.orderCategoryId, voidReasonId: c.voidReasonId,
    deliveryFeeDishCode: c.deliveryFeeDishCode, timeoutMs: c.timeoutMs,
    maxConnections: c.maxConnections ?? 0,
  };
}

/** The settings without the password. */
export function cashStationView(config: CashStationConfig): CashStationView {
  const { password, ...shown } = config;
  return { ...shown, passwordSet: password !== '' };
}

/** An r_keeper menu item code (digits). */
export function dishCode(reader: BodyReader): string | undefined {
  const value = nonBlank(reader);
  if (value === undefined || CODE.test(value)) return value;

  reader.problem('must be an r_keeper code (digits)');
  return undefined;
}

/** `embedded`, or an absolute http(s) URL of the XML interface. */
function stationUrl(reader: BodyReader): string | undefined {
  const value = nonBlank(reader);
  if (value === undefined || value === EMBEDDED_STATION_URL) return value;

  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return value;

  reader.problem(`must be "${EMBEDDED_STATION_URL}" or an http(s) URL of the XML interface, `
    + 'e.g. https://10.0.0.5:16090/rk7api/v0/xmlinterface.xml');
  return undefined;
}

function readPassword(
  r: BodyReader, required: boolean, env: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  const direct = r.field('password');
  const envName = env ? r.field('passwordEnv') : undefined;
  if (envName === undefined || envName.absent) {
    return needed(direct, required, (f) => {
      const value = f.string();
      return value === '' ? badBlank(f) : value;
    });
  }
  if (!direct.absent) {
    direct.problem('give either password or passwordEnv, not both');
    return undefined;
  }

  const name = nonBlank(envName);
  if (name === undefined) return undefined;
  const value = env?.[name];
  if (value === undefined || value === '') {
    envName.problem(`environment variable ${name} is not set`);
    return undefined;
  }
  return value;
}

function badBlank(reader: BodyReader): undefined {
  reader.problem('must not be empty');
  return undefined;
}

function isComplete(c: Partial<CashStationConfig>): c is CashStationConfig {
  return c.url !== undefined && c.deliveryFeeDishCode !== undefined
    && IDENT_KEYS.every((key) => c[key] !== undefined);
}
