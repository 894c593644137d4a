import type { FieldProblems } from '../errors/hub-error.js';
import {
  type DecimalResult, parseKopecks, parseScaledDecimal, parseThousandths,
} from '../money/money.js';
import { hasControlCharacters } from '../text/control-characters.js';

/** Longest text accepted in any field: comments and addresses fit, junk does not. */
export const MAX_TEXT_LENGTH = 2000;
/** Most items accepted in any list (dish lines, ingredients, payments). */
export const MAX_LIST_ITEMS = 500;
/** Largest quantity of one line: 10,000 units, in thousandths. */
export const MAX_QUANTITY = 10_000_000;
/** Largest amount in one field: 1,000,000,000.00. */
export const MAX_KOPECKS = 100_000_000_000;

/**
 * Lower-cased key → value of each object read, built once however many fields are read;
 * `CONFLICT` where two spellings of one key carry different values.
 */
const keyIndex = new WeakMap<object, Map<string, unknown>>();
const CONFLICT = Symbol('conflicting spellings');
/** Half of a UTF-16 surrogate pair without its other half: no character at all. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Lenient reader of client JSON, as real r_k clients send it (`delivery-api.md` §14): keys match
 * case-insensitively (`restaurantID`, `ID`), numbers may come as strings (`"400"`), explicit
 * `null` means absent, unknown keys are ignored. Type problems are recorded against the field's
 * canonical camelCase path, so one answer can name every bad field.
 */
export class BodyReader {
  readonly value: unknown;
  readonly path: string;
  readonly #problems: FieldProblems;

  constructor(value: unknown, path: string, problems: FieldProblems) {
    this.value = value;
    this.path = path;
    this.#problems = problems;
  }

  /** Absent: missing or explicit null. */
  get absent(): boolean {
    return this.value === undefined || this.value === null;
  }

  get isObject(): boolean {
    return typeof this.value === 'object' && this.value !== null && !Array.isArray(this.value);
  }

  /**
   * The member `name`, matched case-insensitively. Two spellings with the same value are one
   * member; with different values (`"comment"` and `"Comment"`) the field is a problem, not a
   * guess.
   */
  field(name: string): BodyReader {
    const path = this.path ? `${this.path}.${name}` : name;
    if (!this.isObject) return new BodyReader(undefined, path, this.#problems);

    const object = this.value as Record<string, unknown>;
    let index = keyIndex.get(object);
    if (!index) {
      index = indexOf(object);
      keyIndex.set(object, index);
    }
    const value = index.get(name.toLowerCase());
    if (value !== CONFLICT) return new BodyReader(value, path, this.#problems);

    this.#problems.add(path, 'is given more than once, in different spellings and values');
    return new BodyReader(undefined, path, this.#problems);
  }

  /** A string; numbers are accepted and written in decimal. Blank strings stay blank. */
  string(): string | undefined {
    if (this.absent) return undefined;
    if (typeof this.value === 'number' && Number.isFinite(this.value)) return String(this.value);
    if (typeof this.value !== 'string') {
      this.problem('must be a string');
      return undefined;
    }
    if (this.value.length > MAX_TEXT_LENGTH) {
      this.problem(`must be at most ${MAX_TEXT_LENGTH} characters long`);
      return undefined;
    }
    if (hasControlCharacters(this.value)) {
      this.problem('must not contain control characters');
      return undefined;
    }
    if (LONE_SURROGATE.test(this.value)) {
      this.problem('must be well-formed Unicode text');
      return undefined;
    }
    return this.value;
  }

  /** A string with surrounding blanks removed; empty counts as absent. */
  text(): string | undefined {
    const value = this.string()?.trim();
    return value === '' ? undefined : value;
  }

  bool(): boolean | undefined {
    if (this.absent) return undefined;
    if (typeof this.value === 'boolean') return this.value;
    if (this.value === 1 || this.value === 0) return this.value === 1;
    if (typeof this.value === 'string') {
      const lower = this.value.trim().toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
    }

    this.problem('must be true or false');
    return undefined;
  }

  /** A whole number (also from a string such as `"1"`). */
  int(): number | undefined {
    return this.decimal(parseWhole);
  }

  /** Money in roubles (≤ 2 decimals) as kopecks. */
  kopecks(): number | undefined {
    return this.bounded(this.decimal(parseKopecks), MAX_KOPECKS, '1000000000');
  }

  /** A quantity (≤ 3 decimals) as thousandths. */
  thousandths(): number | undefined {
    return this.bounded(this.decimal(parseThousandths), MAX_QUANTITY, '10000');
  }

  /** A decimal number for coordinates and the like (not money). */
  number(): number | undefined {
    if (this.absent) return undefined;

    const text = typeof this.value === 'string' ? this.value.trim() : this.value;
    const value = typeof text === 'string' && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    if (typeof value === 'number' && Number.isFinite(value)) return value;

    this.problem('must be a number');
    return undefined;
  }

  /** Items of an array, each with its `[i]` path; absent → undefined. */
  array(): BodyReader[] | undefined {
    if (this.absent) return undefined;
    if (!Array.isArray(this.value)) {
      this.problem('must be an array');
      return undefined;
    }
    if (this.value.length > MAX_LIST_ITEMS) {
      this.problem(`must have at most ${MAX_LIST_ITEMS} items`);
      return undefined;
    }
    return this.value.map((item, i) => new BodyReader(item, `${this.path}[${i}]`, this.#problems));
  }

  /** Records a problem with this field. */
  problem(message: string): void {
    this.#problems.add(this.path, message);
  }

  private bounded(value: number | undefined, max: number, shown: string): number | undefined {
    if (value === undefined || Math.abs(value) <= max) return value;

    this.problem(`must not exceed ${shown}`);
    return undefined;
  }

  private decimal(parse: (value: unknown) => DecimalResult): number | undefined {
    if (this.absent) return undefined;

    const result = parse(this.value);
    if (result.ok) return result.value;
    this.problem(result.problem);
    return undefined;
  }
}

function indexOf(object: Record<string, unknown>): Map<string, unknown> {
  const index = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) {
    const lower = key.toLowerCase();
    const earlier = index.get(lower);
    const same = earlier === undefined || earlier === value
      || (earlier !== CONFLICT && JSON.stringify(earlier) === JSON.stringify(value));
    index.set(lower, same ? value : CONFLICT);
  }
  return index;
}

function parseWhole(value: unknown): DecimalResult {
  const result = parseScaledDecimal(value, 0);
  return result.ok ? result : { ok: false, problem: 'must be a whole number' };
}
