import { type ErrorCode, errorSpec } from './error-catalogue.js';

/** Field path (e.g. `dishList[0].price`) to the problems found with that field. */
export type FieldErrors = Record<string, string[]>;

/**
 * The only error type the domain throws on purpose. The HTTP layer turns it into the wire envelope
 * `{code,msg,requestId,errors}` in one place; anything else thrown becomes `ERR_INTERNAL`.
 */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldErrors | null;
  /** Seconds the client should wait before retrying, for retryable codes. */
  readonly retryAfterSec: number | undefined;
  readonly #status: number | undefined;

  constructor(code: ErrorCode, msg: string, options: HubErrorOptions = {}) {
    super(msg, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.errors = options.errors ?? null;
    this.retryAfterSec = options.retryAfterSec;
    this.#status = options.status;
  }

  get status(): number {
    return this.#status ?? errorSpec(this.code).status;
  }
}

export interface HubErrorOptions {
  errors?: FieldErrors;
  retryAfterSec?: number;
  cause?: unknown;
  /**
   * HTTP status where one endpoint answers the code unlike the catalogue, as E2 answers
   * `restaurant_not_found` with 500 (`delivery-api.md` §13.4).
   */
  status?: number;
}

/** A 400 `ERR_PARSE_REQUEST` naming one field. */
export function parseError(path: string, problem: string): HubError {
  return new HubError('ERR_PARSE_REQUEST', `${path}: ${problem}`, {
    errors: { [path]: [problem] },
  });
}

/**
 * Collects field problems while a body is read, so one response can name all of them.
 * The first problem becomes `msg`, as the contract asks.
 */
export class FieldProblems {
  // Keyed by client-chosen names (`constructor`, `__proto__`): no inherited members.
  readonly #errors: FieldErrors = Object.create(null) as FieldErrors;
  #first: string | undefined;

  add(path: string, problem: string): void {
    (this.#errors[path] ??= []).push(problem);
    this.#first ??= path === '' ? problem : `${path}: ${problem}`;
  }

  get empty(): boolean {
    return this.#first === undefined;
  }

  /** Throws a HubError with `code` when any problem was recorded. */
  throwIfAny(code: ErrorCode, firstMsg?: (path: string, problem: string) => string): void {
    if (this.#first === undefined) return;

    const [path, problems] = Object.entries(this.#errors)[0] as [string, string[]];
    const msg = firstMsg ? firstMsg(path, problems[0] as string) : this.#first;
    throw new HubError(code, msg, { errors: this.#errors });
  }
}
