import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled CLI beside the compiled chaos scripts (`<out>/src/main.js`). */
const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));

const LISTENING = /delivery-hub listening on (http:\/\/\S+)/;
const START_MS = 60_000;

/**
 * A hub run as a child process (`node <out>/src/main.js start`) that the chaos run kills with
 * SIGKILL and starts again on the same data and port. Its output goes to a log file.
 */
export class HubChild {
  readonly #env: Record<string, string>;
  readonly #log: WriteStream;
  #child: ChildProcess | undefined;
  #starts = 0;

  constructor(env: Record<string, string>, logFile: string) {
    this.#env = env;
    this.#log = createWriteStream(logFile, { flags: 'a' });
  }

  /** How many times the hub was started. */
  get starts(): number {
    return this.#starts;
  }

  /** Starts the hub and resolves once it listens. */
  async start(): Promise<void> {
    // CHAOS_HUB_NODE_ARGS: extra node options for the hub only (e.g. `--cpu-prof`).
    const nodeArgs = (process.env.CHAOS_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, MAIN_JS, 'start'], {
      env: { ...process.env, ...this.#env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#starts += 1;
    this.#log.write(`--- start ${this.#starts} pid ${child.pid}\n`);

    await new Promise<void>((resolve, reject) => {
      let banner = '';
      const timer = setTimeout(() => fail(new Error(`hub not listening after ${START_MS} ms`)),
        START_MS);
      const onData = (chunk: Buffer) => {
        this.#log.write(chunk);
        banner += chunk.toString('utf8');
        if (LISTENING.test(banner)) done();
      };
      const onExit = (code: number | null) => fail(new Error(`hub exited (${code}) on start`));
      const cleanup = () => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stderr?.off('data', onData);
        child.stderr?.on('data', (c: Buffer) => this.#log.write(c));
      };
      const done = () => {
        cleanup();
        resolve();
      };
      const fail = (err: Error) => {
        cleanup();
        reject(err);
      };
      child.stdout?.on('data', (c: Buffer) => this.#log.write(c));
      child.stderr?.on('data', onData);
      child.once('exit', onExit);
    });
  }

  /** SIGKILL: no shutdown of any kind, as in a crash. Resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.#end('SIGKILL');
  }

  /** A graceful stop (SIGTERM). */
  async stop(): Promise<void> {
    await this.#end('SIGTERM');
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  async #end(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.#log.write(`--- ${signal} pid ${child.pid}\n`);
  }
}
