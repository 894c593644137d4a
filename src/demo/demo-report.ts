import { isDeepStrictEqual } from 'node:util';

/** Longest value shown in a line of the report before it is cut. */
const SHOWN_CHARS = 240;

/**
 * The demo's numbered, plain-text report: a title per step, a ✔ line per verified fact, and a
 * ✘ line naming expected and actual for every fact that differs. Checks print nothing when they
 * hold; the step then states what it saw in one ✔ line.
 */
export class DemoReport {
  private failedSteps = 0;
  private stepFailed = false;
  private current = 0;
  private readonly log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.log = log;
  }

  /** Whether every step so far held. */
  get ok(): boolean {
    return this.failedSteps === 0 && !this.stepFailed;
  }

  /** Starts step `n`; a step counts as failed once any of its checks fails. */
  step(n: number, title: string): void {
    if (this.stepFailed) this.failedSteps += 1;
    this.stepFailed = false;
    this.current = n;
    this.log(`${n}. ${title}`);
  }

  /** Whether the current step has held so far. */
  get stepOk(): boolean {
    return !this.stepFailed;
  }

  /** A verified fact. */
  pass(text: string): void {
    this.log(`   ✔ ${text}`);
  }

  /** A progress line that is neither a check nor a verdict. */
  note(text: string): void {
    this.log(`   · ${text}`);
  }

  /** A fact that differs from the contract; fails the current step. */
  fail(text: string, detail?: string): void {
    this.stepFailed = true;
    this.log(`   ✘ ${text}`);
    if (detail !== undefined) this.log(`     ${cut(detail)}`);
  }

  /** Checks that `actual` deep-equals `expected`; prints only a difference. */
  expect(label: string, actual: unknown, expected: unknown): boolean {
    if (isDeepStrictEqual(actual, expected)) return true;
    this.fail(`${label}: expected ${show(expected)}, got ${show(actual)}`);
    return false;
  }

  /** Checks a condition that has no single expected value (`wanted` describes it). */
  expectThat(label: string, holds: boolean, actual: unknown, wanted: string): boolean {
    if (holds) return true;
    this.fail(`${label}: expected ${wanted}, got ${show(actual)}`);
    return false;
  }

  /** Checks the HTTP status; on a difference shows the body, which usually says why. */
  expectStatus(label: string, reply: { status: number; text: string }, status: number): boolean {
    if (reply.status === status) return true;
    this.fail(`${label}: expected HTTP ${status}, got ${reply.status}`, `body: ${reply.text}`);
    return false;
  }

  /** Prints `text` as a ✔ line when every one of `checks` held (all are evaluated first). */
  passIf(checks: boolean[], text: string): boolean {
    const held = checks.every(Boolean);
    if (held) this.pass(text);
    return held;
  }

  /** Closes the report with the verdict line. */
  finish(steps: number): boolean {
    if (this.stepFailed) this.failedSteps += 1;
    this.stepFailed = false;
    this.log('');
    if (this.failedSteps === 0) {
      this.log(`✔ The story played out as documented: ${steps} of ${steps} steps held.`);
      return true;
    }
    this.log(`✘ The story stopped at step ${this.current}: see ✘ above for what differed.`);
    return false;
  }
}

/** A value as JSON, cut to a readable length. */
export function show(value: unknown): string {
  return cut(value === undefined ? 'undefined' : JSON.stringify(value));
}

function cut(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
