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
