import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import { type Hub, createHub } from '../../src/app/create-hub.js';
import { readConfig } from '../../src/config/hub-config.js';
import { DEMO } from '../../src/store/seed-demo.js';
import { createTestDatabase } from './pg-database.js';

export const ADMIN_TOKEN = 'test-admin-token';

/**
 * Storage for one or more hub lifetimes: a temporary data directory, and on PostgreSQL runs
 * (`TEST_DATABASE_URL`) a fresh database. Keeping it across `startTestHub` calls is how tests
 * restart a hub on the same data.
 */
export interface TestEnv {
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

export async function createTestEnv(): Promise<TestEnv> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'delivery-hub-test-'));
  const pg = await createTestDatabase();
  return {
    dataDir,
    databaseUrl: pg?.url,
    async dispose() {
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestHubOptions {
  transferDelaySec?: number;
  orderProcessing?: 'auto' | 'none';
  /** Run the scheduler's own polling loop (default: tests drive it with `runDue`). */
  schedulerRunning?: boolean;
  env?: Record<string, string>;
  /** Milliseconds since the epoch, for tests that move time (webhook retries). */
  clock?: () => number;
  /** The hub's logger (default: pino at `LOG_LEVEL`, silent unless set). */
  logger?: Logger;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A hub listening on a loopback port, with helpers to call it as a client would. */
export interface TestHub {
  hub: Hub;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** A bearer token of the demo connection (fetched once). */
  token(): Promise<string>;
  /** Calls the API under `/orders/api/v1` with the demo token unless `token` is given. */
  api(method: string, apiPath: string, body?: unknown, token?: string | null): Promise<ApiResponse>;
  /** Calls any path with optional headers and a raw body. */
  request(method: string, urlPath: string, init?: { headers?: Record<string, string>;
    body?: string }): Promise<ApiResponse>;
  /** Runs due timers now (transfers to the cash station). */
  runTimers(): Promise<number>;
  close(): Promise<void>;
}

export async function startTestHub(env: TestEnv, options: TestHubOptions = {}): Promise<TestHub> {
  const config = readConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: env.dataDir,
    ...(env.databaseUrl ? { DATABASE_URL: env.databaseUrl } : {}),
    ADMIN_TOKEN, SCHEDULER_INTERVAL_MS: '100', CASH_TIMEOUT_MS: '5000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Station polling is a timer too; tests that count timers turn it on when they want it.
    STATION_POLL_INTERVAL_MS: '0',
    // Suites post the same order body many times on purpose; the dedupe tests turn it on.
    CREATE_DEDUPE_WINDOW_SEC: '0',
    ...options.env,
  });
  const hub = await createHub(config, {
    logger: options.logger ?? pino({ level: config.logLevel }),
    ...(options.clock ? { clock: options.clock } : {}),
    seed: {
      transferDelaySec: options.transferDelaySec ?? 0,
      orderProcessing: options.orderProcessing ?? 'auto',
    },
  });
  const baseUrl = options.schedulerRunning
    ? await hub.listen()
    : await hub.app.listen({ port: 0, host: '127.0.0.1' });

  const clientId = config.demoClientId ?? DEMO.clientId;
  const clientSecret = config.demoClientSecret ?? DEMO.clientSecret;
  let cachedToken: string | undefined;

  const request: TestHub['request'] = async (method, urlPath, init = {}) => {
    const response = await fetch(baseUrl + urlPath, { method, headers: init.headers,
      body: init.body });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: the test sees the raw text.
    }
    return { status: response.status, headers: response.headers, body };
  };

  const token = async () => {
    if (cachedToken) return cachedToken;
    const form = new URLSearchParams({
      grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret,
      scopes: 'orders',
    });
    const response = await request('POST', '/connect/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    if (response.status !== 200) {
      throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    cachedToken = response.body.access_token as string;
    return cachedToken;
  };

  return {
    hub, baseUrl, clientId, clientSecret, token, request,
    async api(method, apiPath, body, bearer) {
      const auth = bearer === null ? undefined : bearer ?? await token();
      const headers: Record<string, string> = {};
      if (auth) headers.authorization = `Bearer ${auth}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return request(method, `/orders/api/v1${apiPath}`, {
        headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    runTimers: () => hub.scheduler.runDue(),
    close: () => hub.close(),
  };
}
