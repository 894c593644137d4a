import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO } from '../src/store/seed-demo.js';

/** The compiled hub CLI and raw baseline server, next to this file's compiled form. */
const MAIN_JS = fileURLToPath(new URL('../src/main.js', import.meta.url));
const RAW_JS = fileURLToPath(new URL('./raw-server.js', import.meta.url));
const START_MS = 60_000;

/** A server under load in a child process: the hub or the raw baseline. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Largest resident set size seen since the last {@link ServerProcess.resetPeakRss}, bytes. */
  peakRss(): number;
  /** Also restarts the count of {@link ServerProcess.cpuMs}. */
  resetPeakRss(): void;
  /** CPU time (user + system) the process used since the last reset, milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Settings of a hub child process; `env` adds to the benchmark defaults. */
export interface HubProcessOptions {
  dataDir: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`; default `$BENCH_HUB_NODE_ARGS`. */
  nodeArgs?: string[];
}

/**
 * Starts `node main.js start` as the production build runs: SQLite (or `databaseUrl`), embedded
 * simulator, `LOG_LEVEL=warn`, rate limit off, on a free loopback port.
 */
export function startHub(options: HubProcessOptions): Promise<ServerProcess> {
  const nodeArgs = options.nodeArgs
    ?? process.env.BENCH_HUB_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return startServer([...nodeArgs, MAIN_JS, 'start'], {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: options.dataDir, LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0', ADMIN_TOKEN: 'bench-admin-token',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  }, /delivery-hub listening on (http:\/\/\S+)/);
}

/** Starts the raw baseline: a bare Fastify answering the same JSON from `answersFile`. */
export function startRaw(answersFile: string): Promise<ServerProcess> {
  return startServer([RAW_JS, answersFile], {}, /raw baseline listening on (http:\/\/\S+)/);
}

function startServer(
  args: string[], env: Record<string, string>, ready: RegExp,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`not ready within ${START_MS} ms`)), START_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${output}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.on('data', (more: Buffer) => process.stderr.write(more));
      resolve(serverOf(child, match[1] as string));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited with ${code} before it was ready`)));
  });
}

function serverOf(child: ChildProcess, url: string): ServerProcess {
  let peak = 0;
  let cpuAtReset = cpuOf(child.pid as number);
  // Read before the process ends, for results taken after `stop()`.
  let cpuAtStop: number | undefined;
  const sample = () => {
    peak = Math.max(peak, rssOf(child.pid as number));
  };
  const sampler = setInterval(sample, 100);
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    url,
    pid: child.pid as number,
    peakRss: () => {
      sample();
      return peak;
    },
    resetPeakRss: () => {
      peak = 0;
      cpuAtReset = cpuOf(child.pid as number);
    },
    cpuMs: () => (cpuAtStop ?? cpuOf(child.pid as number)) - cpuAtReset,
    async stop() {
      clearInterval(sampler);
      cpuAtStop ??= cpuOf(child.pid as number);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size of a process from `/proc`, bytes; 0 when it is gone. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

/**
 * CPU time a process has used, milliseconds, from `/proc/<pid>/stat` (utime + stime, in clock
 * ticks of 10 ms on Linux); 0 when it is gone. Unlike rates, CPU per operation barely moves when
 * other work shares the machine, which makes it the figure to compare A/B runs by.
 */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return 0;
  }
}

const CLOCK_TICK_MS = 10;

/** A bearer token of the demo API connection. */
export async function demoToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret, scopes: 'orders',
    }).toString(),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The story's delivery order (978.00); `n` makes each body distinct. */
export function orderBody(n: number): Record<string, unknown> {
  return {
    restaurantId: DEMO.restaurantId,
    expeditionType: 'delivery',
    paymentTypeId: 'online',
    soonest: true,
    persons: 1,
    comment: `bench order ${n}`,
    guest: { firstName: 'Guest', phone: '79000000001', email: 'guest@example.com' },
    address: { street: 'Yunykh Lenintsev', houseNumber: '85', cityName: 'Moscow' },
    dishList: [
      { id: DEMO.dishes.caesar, quantity: 1 },
      { id: DEMO.dishes.borscht, quantity: 1 },
      { id: DEMO.dishes.mors, quantity: 2 },
    ],
  };
}
