import { randomUUID } from 'node:crypto';
import { hasC0Controls } from '../text/control-characters.js';

/** `REQUEST_TIMEOUT_MS` when unset: receiving one request may take 30 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Every setting of a hub process. Environment variables are read here and nowhere else; the
 * result is frozen. Defaults give the embedded setup: SQLite in `./data`, the cash-station
 * simulator in-process, demo data on first start.
 */
export interface HubConfig {
  /** `PORT`, default 8080. */
  readonly port: number;
  /** `HOST`, default `127.0.0.1` (this machine only; `0.0.0.0` to serve the network). */
  readonly host: string;
  /** `DATA_DIR`, default `./data`: SQLite file and the embedded simulator's state. */
  readonly dataDir: string;
  /** `DATABASE_URL`: `postgres://…` switches storage to PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** `DATABASE_POOL_SIZE`, default 10 (PostgreSQL only). */
  readonly databasePoolSize: number;
  /** `DEMO_CLIENT_ID` / `DEMO_CLIENT_SECRET`: credentials of the seeded demo API connection. */
  readonly demoClientId: string | undefined;
  readonly demoClientSecret: string | undefined;
  /** `SEED_DEMO`, default true: seed the demo chain into an empty database. */
  readonly seedDemo: boolean;
  /** `ADMIN_TOKEN`: bearer token of the admin API; generated and printed once when unset. */
  readonly adminToken: string | undefined;
  /** `TOKEN_LIFETIME_SEC`, default 3600. */
  readonly tokenLifetimeSec: number;
  /** `SCHEDULER_INTERVAL_MS`, default 500: how often due timers are looked for. */
  readonly schedulerIntervalMs: number;
  /** `RATE_LIMIT_PER_MINUTE`, default 6000 per API connection (or per IP before auth). */
  readonly rateLimitPerMinute: number;
  /** `TOKEN_RATE_LIMIT_PER_MINUTE`, default 60 token requests per client IP and `client_id`. */
  readonly tokenRateLimitPerMinute: number;
  /** `CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE`, default 10 sign-ins per client IP and username. */
  readonly consoleLoginRateLimitPerMinute: number;
  /**
   * `CORS_ORIGINS`, default `*`: comma-separated browser origins (`https://shop.example`) allowed
   * to call `/connect/token` and `/orders/api/v1`; `*` allows any.
   */
  readonly corsOrigins: readonly string[];
  /** `BODY_LIMIT_BYTES`, default 1 MiB. */
  readonly bodyLimitBytes: number;
  /**
   * `REQUEST_TIMEOUT_MS`, default 30000: bound of receiving a whole request (headers and body);
   * the handling that follows is not counted. `0` turns it off.
   */
  readonly requestTimeoutMs: number;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: string;
  /**
   * `INSTANCE_ID`: names this process in timer, delivery and idempotency claims, so a restart
   * takes back what its previous life held at once. Default: `sqlite` on SQLite (one process
   * per database file), random on PostgreSQL (give each instance a stable id of its own).
   */
  readonly instanceId: string;
  /** `CASH_TIMEOUT_MS`, default 30000: bound of every cash-station call. */
  readonly cashTimeoutMs: number;
  /** `READY_TIMEOUT_MS`, default 2000: bound of each check behind `GET /readyz`. */
  readonly readyTimeoutMs: number;
  /** `STATION_POLL_INTERVAL_MS`, default 5000: how often each station's order list is polled. */
  readonly stationPollIntervalMs: number;
  /** `IDEMPOTENCY_TTL_SEC`, default 86400: how long an `Idempotency-Key` answer is replayed. */
  readonly idempotencyTtlSec: number;
  /** `CREATE_DEDUPE_WINDOW_SEC`, default 120: an identical create without a key is a repeat. */
  readonly createDedupeWindowSec: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  return Object.freeze({
    port: int(env, 'PORT', 8080),
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: databaseUrl(env.DATABASE_URL),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10),
    demoClientId: env.DEMO_CLIENT_ID || undefined,
    demoClientSecret: secret(env, 'DEMO_CLIENT_SECRET'),
    seedDemo: bool(env, 'SEED_DEMO', true),
    adminToken: secret(env, 'ADMIN_TOKEN'),
    tokenLifetimeSec: int(env, 'TOKEN_LIFETIME_SEC', 3600, 60),
    schedulerIntervalMs: int(env, 'SCHEDULER_INTERVAL_MS', 500, 50),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 6000),
    tokenRateLimitPerMinute: int(env, 'TOKEN_RATE_LIMIT_PER_MINUTE', 60),
    consoleLoginRateLimitPerMinute: int(env, 'CONSOLE_LOGIN_RATE_LIMIT_PER_MINUTE', 10),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS),
    logLevel: env.LOG_LEVEL ?? 'info',
    instanceId: env.INSTANCE_ID || (databaseUrl(env.DATABASE_URL) ? randomUUID() : 'sqlite'),
    cashTimeoutMs: int(env, 'CASH_TIMEOUT_MS', 30_000),
    readyTimeoutMs: int(env, 'READY_TIMEOUT_MS', 2000),
    stationPollIntervalMs: int(env, 'STATION_POLL_INTERVAL_MS', 5000),
    idempotencyTtlSec: int(env, 'IDEMPOTENCY_TTL_SEC', 86_400),
    createDedupeWindowSec: int(env, 'CREATE_DEDUPE_WINDOW_SEC', 120),
  });
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  }
  return value;
}

/** A secret no client could ever present ({@link hasC0Controls}) is refused at start. */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (hasC0Controls(raw)) throw new Error(`${name} must not hold control characters`);
  return raw;
}

/** Only PostgreSQL is a server database option; anything else is a mistake, not SQLite. */
function databaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (unset it for SQLite in DATA_DIR)');
  }
  return raw;
}

/**
 * Origins as browsers send them: scheme, host and port, no path; a trailing slash or a path
 * would never match, so it is refused at start rather than failing silently in browsers.
 */
function corsOrigins(raw: string | undefined): readonly string[] {
  const origins = (raw ?? '*').split(',').map((origin) => origin.trim().toLowerCase())
    .filter((origin) => origin !== '');
  const bad = origins.find((origin) => origin !== '*' && !/^https?:\/\/[^/?#\s]+$/i.test(origin));
  if (bad !== undefined) {
    throw new Error(`CORS_ORIGINS must list origins like https://shop.example or *, got "${bad}"`);
  }
  return Object.freeze(origins.length === 0 || origins.includes('*') ? ['*'] : origins);
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}
