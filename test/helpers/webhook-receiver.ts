import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call the receiver got, with the raw body as sent (what the signature covers). */
export interface ReceivedCall {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
}

/** Decides the HTTP status of each call; the default answers 200. */
export type Responder = (call: ReceivedCall) => number;

/** A local webhook receiver on a loopback port that records every call. */
export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  let responder: Responder = () => 200;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const call = { headers: req.headers, rawBody, body };
      calls.push(call);
      res.statusCode = responder(call);
      res.end(res.statusCode < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    calls,
    respondWith(next) {
      responder = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
