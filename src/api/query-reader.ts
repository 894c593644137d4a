import { FieldProblems } from '../errors/hub-error.js';

/** Page size of directories when the client names none (`delivery-api.md` §18 row 26). */
export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1000;

/**
 * Lenient reader of query parameters, as real clients send them (`delivery-api.md` §14): names
 * match case-insensitively (`Lat`, `LIMIT`), an empty value counts as absent, a repeated
 * parameter takes its last value. Problems are collected by name and answered together as a
 * 400 `ERR_PARSE_REQUEST` by {@link QueryReader.throwIfAny}.
 */
export class QueryReader {
  readonly #query: Record<string, unknown>;
  readonly #problems = new FieldProblems();

  constructor(query: unknown) {
    this.#query = typeof query === 'object' && query !== null
      ? query as Record<string, unknown> : {};
  }

  /** The value of `name`, trimmed; undefined when missing or blank. */
  text(name: string): string | undefined {
    const wanted = name.toLowerCase();
    let found: string | undefined;
    for (const [key, value] of Object.entries(this.#query)) {
      if (key.toLowerCase() !== wanted) continue;
      const last = Array.isArray(value) ? value.at(-1) : value;
      if (typeof last === 'string' && last.trim() !== '') found = last.trim();
    }
    return found;
  }

  /** A required text parameter. */
  requiredText(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) this.#problems.add(name, 'Value is required');
    return value;
  }

  /** A whole number within `[min, max]`, or `fallback` when absent. */
  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.text(name);
    if (text === undefined) return fallback;

    const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
    this.#problems.add(name, max === Number.MAX_SAFE_INTEGER
      ? `must be a whole number from ${min}` : `must be a whole number from ${min} to ${max}`);
    return fallback;
  }

  /** A required decimal within `[-bound, bound]` (coordinates), "." as the separator. */
  degrees(name: string, bound: number): number | undefined {
    const text = this.requiredText(name);
    if (text === undefined) return undefined;

    const value = /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (Number.isFinite(value) && Math.abs(value) <= bound) return value;
    this.#problems.add(name, `must be a number from -${bound} to ${bound}`);
    return undefined;
  }

  /** `offset` (default 0) and `limit` (default 20, at most 1000) of a directory page. */
  page(): { offset: number; limit: number } {
    return {
      offset: this.int('offset', 0, 0, Number.MAX_SAFE_INTEGER),
      limit: this.int('limit', DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT),
    };
  }

  /** Throws 400 `ERR_PARSE_REQUEST` naming every bad parameter, if any. */
  throwIfAny(): void {
    this.#problems.throwIfAny('ERR_PARSE_REQUEST');
  }
}
