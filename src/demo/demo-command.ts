import { DEMO } from '../store/seed-demo.js';
import { describeError } from './demo-client.js';
import { runDemo } from './run-demo.js';


/** Options of `delivery-hub demo`; each falls back to the environment, then to the demo seed. */
export interface DemoCommandOptions {
  /** Base URL of the hub; default `http://127.0.0.1:${PORT ?? 8080}`. */
  url?: string;
  /** Default `DEMO_CLIENT_ID`, then the seeded demo connection. */
  clientId?: string;
  /** Default `DEMO_CLIENT_SECRET`, then the seeded demo secret. */
  clientSecret?: string;
}

/**
 * `delivery-hub demo` (`npm run demo`): plays the paying-and-closing story against a hub that is
 * already running, with {@link runDemo}.
 *
 * @returns the exit code: 0 when the story held, 1 when the hub deviated, 2 when the hub could
 *   not be reached (a hint to start it with `npm start` is printed).
 */
export async function demoCommand(
  opts: DemoCommandOptions, env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const url = opts.url ?? `http://127.0.0.1:${env.PORT || 8080}`;
  const clientId = opts.clientId ?? (env.DEMO_CLIENT_ID || DEMO.clientId);
  const clientSecret = opts.clientSecret ?? (env.DEMO_CLIENT_SECRET || DEMO.clientSecret);

  const unreachable = await probe(url);
  if (unreachable !== undefined) {
    console.error(`✘ No hub answers at ${url} (${unreachable}).`);
    console.error('  Start it first in another terminal with: npm start');
    console.error('  (or point the demo at a running hub: npm run demo -- --url http://host:port)');
    return 2;
  }

  return await runDemo({ baseUrl: url, clientId, clientSecret }) ? 0 : 1;
}

/** Any HTTP answer means a server is there; returns why there is none otherwise. */
async function probe(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.body?.cancel();
    return undefined;
  } catch (err) {
    return describeError(err);
  }
}
