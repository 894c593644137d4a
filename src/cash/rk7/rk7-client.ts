import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import { CashStationError, DEFAULT_STATION_CONNECTIONS } from '../cash-station.js';
import {
  classifyHttpStatus, classifyStationResult, classifyTransportFailure, classifyUnreadableReply,
} from './rk7-error-classifier.js';
import { isSuccessStatus, parseRk7Result, Rk7ProtocolError } from './xml-protocol.js';
import type { Rk7Request, Rk7Result } from './xml-protocol.js';

/** Where and how to reach the XML interface. */
export interface Rk7ClientConfig {
  url: string;
  username: string;
  password: string;
  tlsInsecure: boolean;
  timeoutMs: number;
  /** Open connections at most; absent or 0: {@link DEFAULT_STATION_CONNECTIONS}. */
  maxConnections?: number;
}

/**
 * Sends RK7 XML requests over HTTP(S) (`rk7-xml.md` §2.1, §6.1): POST with Basic auth, UTF-8 body,
 * one bound per call. Replies are decoded as UTF-8 whatever their declaration says.
 */
export interface Rk7Client {
  /**
   * Sends a request and returns the parsed reply whatever its `Status`. Transport failures,
   * HTTP statuses other than 200 and unreadable replies are thrown as {@link CashStationError}.
   */
  exchange(req: Rk7Request): Promise<Rk7Result>;
  /**
   * Like {@link exchange}, but a reply whose status is not a success is thrown as well.
   * Refusals for which `expected` returns true are logged at debug level instead of error.
   */
  call(req: Rk7Request, options?: CallOptions): Promise<Rk7Result>;
  /**
   * Runs `read` over a reply; a {@link Rk7ProtocolError} (a reply lacking what the hub needs) is
   * logged and thrown as the {@link CashStationError} of an unreadable reply to `req`.
   */
  decode<T>(req: Rk7Request, read: () => T): T;
  /** Closes the client's connections. */
  close(): Promise<void>;
}

/** Options of {@link Rk7Client.call}. */
export interface CallOptions {
  expected?: (failure: CashStationError) => boolean;
}

/**
 * Creates a client; `logger` should already carry `component: 'cash'`. A malformed URL or
 * timeout does not throw here: every call then fails as a `config` {@link CashStationError}, so
 * a misconfigured restaurant is reported like any other configuration problem.
 */
export function createRk7Client(config: Rk7ClientConfig, logger: Logger): Rk7Client {
  const { url, problem } = checkConfig(config);

  const agent = new Agent({
    connect: { rejectUnauthorized: !config.tlsInsecure },
    keepAliveTimeout: 4_000,
    // The hub may run dozens of timers and requests against one cash server at once; calls
    // beyond the bound wait here, inside their own timeout.
    connections: config.maxConnections || DEFAULT_STATION_CONNECTIONS,
  });
  const authorization = 'Basic '
    + Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64');

  async function exchange(req: Rk7Request): Promise<Rk7Result> {
    const fields = { cmd: req.cmd, orderGuid: req.orderGuid };
    const started = performance.now();
    try {
      const result = await send(req);
      logger.debug({ ...fields, durationMs: elapsed(started), status: result.status },
        'cash call answered');
      return result;
    } catch (err) {
      const failure = err instanceof CashStationError
        ? err
        : classifyUnreadableReply(err, req.mutating);
      logFailure(logger, fields, started, failure);
      throw failure;
    }
  }

  async function send(req: Rk7Request): Promise<Rk7Result> {
    if (problem !== undefined || url === undefined) {
      throw new CashStationError('config', problem ?? 'Cash station URL missing');
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, config.timeoutMs);

    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        signal: controller.signal,
        headers: {
          authorization,
          'content-type': 'application/xml; charset=utf-8',
          accept: 'application/xml, text/xml',
        },
        body: req.xml,
      });
      const bytes = await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw classifyHttpStatus(response.statusCode, req.mutating);
      return parseReply(bytes, req.mutating);
    } catch (err) {
      if (err instanceof CashStationError) throw err;
      throw classifyTransportFailure(err, {
        mutating: req.mutating, timedOut, timeoutMs: config.timeoutMs,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function call(req: Rk7Request, options: CallOptions = {}): Promise<Rk7Result> {
    const result = await exchange(req);
    if (isSuccessStatus(result.status)) return result;

    const failure = classifyStationResult(result, req.mutating);
    const level = options.expected?.(failure) === true ? 'debug' : 'error';
    logger[level]({
      cmd: req.cmd, orderGuid: req.orderGuid, status: result.status, kind: failure.kind,
      rk7ErrorN: failure.rk7ErrorN, errorText: failure.text,
    }, 'cash call refused');
    throw failure;
  }

  function decode<T>(req: Rk7Request, read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof Rk7ProtocolError)) throw err;

      const failure = classifyUnreadableReply(err, req.mutating);
      logger.error({
        cmd: req.cmd, orderGuid: req.orderGuid, kind: failure.kind, cause: err.message,
      }, 'cash reply unreadable');
      throw failure;
    }
  }

  return { exchange, call, decode, close: () => agent.close() };
}

function checkConfig(config: Rk7ClientConfig): { url?: URL; problem?: string } {
  if (!(config.timeoutMs > 0)) return { problem: 'Cash station timeout must be a positive number' };

  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    return { problem: 'Cash station URL is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `Cash station URL must be http or https, not ${url.protocol}` };
  }
  return { url };
}

const UTF8 = new TextDecoder('utf-8');

function parseReply(bytes: ArrayBuffer, mutating: boolean): Rk7Result {
  // Old servers declare windows-1251 but send UTF-8 over HTTP (§2.1).
  const text = UTF8.decode(bytes);
  try {
    return parseRk7Result(text);
  } catch (err) {
    if (err instanceof Rk7ProtocolError) throw classifyUnreadableReply(err, mutating);
    throw err;
  }
}

function logFailure(
  logger: Logger,
  fields: { cmd: string; orderGuid: string | undefined },
  started: number,
  failure: CashStationError,
): void {
  const cause = failure.cause instanceof Error ? failure.cause.message : undefined;
  logger.error({
    ...fields, durationMs: elapsed(started), kind: failure.kind, errorText: failure.text, cause,
  }, 'cash call failed');
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
