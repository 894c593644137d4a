import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { serializeXmlDocument } from '../cash/rk7/xml-element.js';
import type { XmlElement } from '../cash/rk7/xml-element.js';
import { describeCommands, parseErrorReply, readRequest } from './command-dispatcher.js';
import type { ParsedRequest } from './command-dispatcher.js';
import { handleControlRequest } from './control-api.js';
import type { FaultInjector, FaultSpec } from './fault-injector.js';
import { SimCommandError } from './sim-errors.js';
import type { Around, SimStation } from './sim-station.js';
import { refusalFor, withStationFaults } from './station-faults.js';

/** Path of the XML interface, as on a real cash server (§2.1). */
export const XML_INTERFACE_PATH = '/rk7api/v0/xmlinterface.xml';

const BODY_LIMIT_BYTES = 1024 * 1024;

/** What a garbled reply is cut from when the command did not run. */
const UNCOMMITTED_REPLY = '<?xml version="1.0"?><RK7QueryResult Status="Ok"/>';

/** What the HTTP side serves and checks against. */
export interface SimHttpServerOptions {
  station: SimStation;
  faults: FaultInjector;
  username: string;
  password: string;
  logger: Logger;
  /** Serve the `/_sim/…` control API. */
  control: boolean;
}

/** The HTTP side of the simulator, plus a way to end requests held by `hang`/`latency`. */
export interface SimHttpServer {
  server: Server;
  /** Ends held requests and open connections, then stops listening. */
  close(): Promise<void>;
}

/**
 * Serves the XML interface (HTTP Basic; 401 on wrong credentials, HTTP 200 with an
 * `RK7QueryResult` for everything else) and, when asked, the control API. Faults are applied
 * here because most of them are about the transport.
 */
export function createSimHttpServer(options: SimHttpServerOptions): SimHttpServer {
  const { station, faults, logger } = options;
  const shutdown = new AbortController();
  const credentials = digest(`${options.username}:${options.password}`);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, path: req.url }, 'simulator request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Simulator fault');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const isXml = url.pathname === XML_INTERFACE_PATH;
    const isControl = options.control && url.pathname.startsWith('/_sim/');
    if (!isXml && !isControl) return plain(res, 404, 'Not found');

    const body = await readBody(req);
    if (body === undefined) return plain(res, 413, 'Request body too large');
    if (!authorized(req, credentials)) return unauthorized(res);

    if (isControl) return handleControlRequest(req, res, url.pathname, body, { station, faults });
    if (req.method !== 'POST') return plain(res, 405, 'Use POST');
    return handleXml(res, body);
  }

  async function handleXml(res: ServerResponse, body: string): Promise<void> {
    const started = performance.now();
    const ctx = station.context();
    let request: ParsedRequest;
    try {
      request = readRequest(body);
    } catch (err) {
      if (!(err instanceof SimCommandError)) throw err;
      return xml(res, serializeXmlDocument(parseErrorReply(ctx, err)));
    }

    const infos = station.receive(ctx, request);
    const triggered = faults.take(infos);
    const fault = <M extends FaultSpec['mode']>(mode: M) =>
      triggered.find((f): f is Extract<FaultSpec, { mode: M }> => f.mode === mode);
    // Only a held reply needs to notice the client leaving (an abort per request costs).
    const held = fault('latency') || fault('hang') ? heldSignal(res) : shutdown.signal;
    logger.debug({ cmds: infos.map((i) => i.cmd), faults: triggered.map((f) => f.mode) },
      'simulator request');

    if (fault('authFail')) return unauthorized(res);
    const latency = fault('latency');
    if (latency) {
      const jitter = Math.random() * (latency.params.jitterMs ?? 0);
      if (!(await pause(latency.params.ms + jitter, held))) return;
    }

    let reply: string | undefined;
    if (runsCommand(triggered)) {
      const refuse = (command: XmlElement) => {
        const info = describeCommands(ctx, { form: request.form, commands: [command] })[0];
        return info === undefined
          ? undefined
          : refusalFor(triggered, station.state, command, info);
      };
      const around: Around = (c, run) => withStationFaults(triggered, c, run);
      reply = serializeXmlDocument(await station.execute(ctx, request, refuse, around));
    }
    logger.debug({ cmds: infos.map((i) => i.cmd), durationMs: elapsed(started) },
      'simulator reply ready');

    const hang = fault('hang');
    const status = fault('httpStatus');
    const malformed = fault('malformedXml');
    if (fault('dropAfterCommit')) return void res.socket?.destroy();
    if (hang) {
      await pause(hang.params.ms, held);
      return void res.socket?.destroy();
    }
    if (status) return plain(res, status.params.code, `Simulated HTTP ${status.params.code}`);
    if (malformed) return xml(res, truncated(reply ?? UNCOMMITTED_REPLY));
    return xml(res, reply ?? '');
  }

  /** Aborts when the client goes away or the simulator closes. */
  function heldSignal(res: ServerResponse): AbortSignal {
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    return AbortSignal.any([controller.signal, shutdown.signal]);
  }

  return {
    server,
    async close() {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

/**
 * Whether the command runs before a faulty reply: always for `dropAfterCommit`, by default not
 * for `hang` and `httpStatus` (the request "never arrived"), by default yes for `malformedXml`.
 */
function runsCommand(triggered: readonly FaultSpec[]): boolean {
  for (const f of triggered) {
    switch (f.mode) {
      case 'dropAfterCommit':
        return true;
      case 'hang':
      case 'httpStatus':
        return f.params.commit ?? false;
      case 'malformedXml':
        return f.params?.commit ?? true;
    }
  }
  return true;
}

/** Waits `ms`; false when the wait was cut short by `signal`. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const header = req.headers.authorization;
  const m = header === undefined ? null : /^Basic\s+(\S+)$/i.exec(header);
  if (!m?.[1]) return false;

  const given = digest(Buffer.from(m[1], 'base64').toString('utf8'));
  return timingSafeEqual(given, expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'www-authenticate': 'Basic realm="RK7"', 'content-type': 'text/plain' });
  res.end('Unauthorized');
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function xml(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
  res.end(text);
}

function truncated(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
