import pino, { type Logger } from 'pino';

/** Where a command writes its lines (tests capture them). */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Standard output and standard error. */
export const STDIO: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * The logger of a command: warnings and errors (a failing cash station or SQLite checkpoint) as
 * JSON lines on standard error, written at once, so a command's standard output stays its own.
 */
export function commandLogger(): Logger {
  return pino({ level: 'warn' }, pino.destination({ dest: 2, sync: true }));
}
