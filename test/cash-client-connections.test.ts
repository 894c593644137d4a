import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { DEFAULT_STATION_CONNECTIONS } from '../src/cash/cash-station.js';
import { createRk7Client } from '../src/cash/rk7/rk7-client.js';
import { getSystemInfoRequest } from '../src/cash/rk7/rk7-requests.js';

/** How many connections the client opens to one cash server (`maxConnections`). */

const REPLY = '<?xml version="1.0" encoding="utf-8"?>'
  + '<RK7QueryResult Status="Ok" CMD="GetSystemInfo"/>';

/** A cash server that holds every request until the test lets it go. */
class HoldingServer {
  readonly server = createServer((req, res) => this.#hold(req, res));
  readonly sockets = new Set<Socket>();
  readonly held: ServerResponse[] = [];
  url = '';

  async start(): Promise<void> {
    this.server.on('connection', (socket) => this.sockets.add(socket));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rk7api`;
  }

  /** Answers the oldest held request. */
  releaseOne(): void {
    this.held.shift()?.end(REPLY);
  }

  releaseAll(): void {
    while (this.held.length > 0) this.releaseOne();
  }

  /** Waits until `count` requests are held. */
  async heldCount(count: number): Promise<void> {
    while (this.held.length < count) await sleep(5);
  }

  async close(): Promise<void> {
    this.releaseAll();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #hold(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/xml; charset=utf-8');
      this.held.push(res);
    });
  }
}

function client(url: string, maxConnections?: number) {
  return createRk7Client({
    url, username: 'cashier', password: 'secret', tlsInsecure: false, timeoutMs: 10_000,
    maxConnections,
  }, pino({ level: 'silent' }));
}

describe('RK7 client connections to one cash server', () => {
  const station = new HoldingServer();

  before(() => station.start());
  after(() => station.close());

  test('at most maxConnections requests are open; the rest wait and are sent in turn',
    async () => {
      const rk7 = client(station.url, 3);
      station.sockets.clear();
      try {
        const calls = Array.from({ length: 7 }, () => rk7.exchange(getSystemInfoRequest()));
        await station.heldCount(3);
        // Turns of the event loop in which a fourth request could arrive if the bound leaked.
        await sleep(50);
        assert.equal(station.held.length, 3, 'three requests open, four waiting');

        station.releaseOne();
        await station.heldCount(3);
        await sleep(20);
        assert.equal(station.held.length, 3, 'one answered, one more sent');

        station.releaseAll();
        await station.heldCount(3);
        station.releaseAll();
        const results = await Promise.all(calls);
        assert.ok(results.every((r) => r.status === 'Ok'));
        assert.equal(station.sockets.size, 3, 'connections reused, never more than three');
      } finally {
        await rk7.close();
      }
    });

  test('without the setting (or with 0) the default bound holds', async () => {
    for (const setting of [undefined, 0]) {
      const rk7 = client(station.url, setting);
      try {
        const total = DEFAULT_STATION_CONNECTIONS + 2;
        const calls = Array.from({ length: total }, () => rk7.exchange(getSystemInfoRequest()));
        await station.heldCount(DEFAULT_STATION_CONNECTIONS);
        await sleep(50);
        assert.equal(station.held.length, DEFAULT_STATION_CONNECTIONS, `setting ${setting}`);

        station.releaseAll();
        await station.heldCount(2);
        station.releaseAll();
        assert.equal((await Promise.all(calls)).length, total);
      } finally {
        await rk7.close();
      }
    }
  });
});
