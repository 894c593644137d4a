import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI next to the compiled tests (`<out>/src/main.js`). */
export const MAIN_JS = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/** A `delivery-hub` CLI process started by a test, with its output kept for matching. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr as received so far. */
  output(): string;
  /** The first match of `pattern` in the output, waiting up to `ms` for it to appear. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` (if still running) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs `node <out>/src/main.js <args>` with `env` added to this process's environment. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const listener of listeners) listener();
    });
  });

  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) return finish(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) {
            finish(() => reject(new Error(`process ended before ${pattern}:\n${text}`)));
          }
        };
        const timer = setTimeout(() => {
          finish(() => reject(new Error(`no ${pattern} within ${ms} ms:\n${text}`)));
        }, ms);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
