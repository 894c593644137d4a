import { randomUUID } from 'node:crypto';
import { BodyReader } from '../api/body-reader.js';
import { FieldProblems, HubError } from '../errors/hub-error.js';
import { isValidZone } from '../time/instant.js';

/**
 * Reading admin input (HTTP bodies, CLI options, the chain file) on top of the lenient
 * {@link BodyReader}: keys still match case-insensitively and numbers may come as strings (the
 * CLI passes everything as text), but unknown keys are refused, since a misspelt setting must not
 * pass silently on the hub's own API. Every problem names its field; `throwIfAny` makes them one
 * 400 `ERR_PARSE_REQUEST`.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reader over a whole admin body; its problems are thrown by {@link finishInput}. */
export function adminInput(
  body: unknown, path = '',
): { root: BodyReader; problems: FieldProblems } {
  const problems = new FieldProblems();
  return { root: new BodyReader(body, path, problems), problems };
}

/**
 * A whole admin body that must be an object with only `known` keys; a body that is not an
 * object at all is refused at once, before its fields are read.
 */
export function adminObject(
  body: unknown, known: readonly string[],
): { root: BodyReader; problems: FieldProblems } {
  const input = adminInput(body);
  if (!strictObject(input.root, known)) finishInput(input.problems);
  return input;
}

/** Throws the collected problems as one 400 `ERR_PARSE_REQUEST`. */
export function finishInput(problems: FieldProblems): void {
  problems.throwIfAny('ERR_PARSE_REQUEST');
}

/**
 * Checks that `reader` is an object whose keys are all among `known` (case-insensitively);
 * returns false (with a problem recorded) when it is not an object at all.
 */
export function strictObject(reader: BodyReader, known: readonly string[]): boolean {
  if (!reader.isObject) {
    reader.problem('must be a JSON object');
    return false;
  }

  const wanted = new Set(known.map((k) => k.toLowerCase()));
  for (const key of Object.keys(reader.value as Record<string, unknown>)) {
    if (!wanted.has(key.toLowerCase())) reader.field(key).problem('is not a known field');
  }
  return true;
}

/**
 * Reads a field that creation requires and a patch may leave out: absent → "is required" when
 * `required`, else undefined; present → `read`.
 */
export function needed<T>(
  reader: BodyReader, required: boolean, read: (r: BodyReader) => T | undefined,
): T | undefined {
  if (!reader.absent) return read(reader);

  if (required) reader.problem('is required');
  return undefined;
}

/** A string that is not blank (surrounding blanks removed). */
export function nonBlank(reader: BodyReader): string | undefined {
  const value = reader.text();
  if (value === undefined && typeof reader.value === 'string') reader.problem('must not be blank');
  return value;
}

/** An IANA time-zone name (`Europe/Moscow`). */
export function timeZone(reader: BodyReader): string | undefined {
  const value = reader.text();
  if (value !== undefined && isValidZone(value)) return value;

  if (typeof reader.value === 'string') {
    reader.problem('must be an IANA time zone such as Europe/Moscow');
  }
  return undefined;
}

/** A GUID, returned lower case without braces. */
export function guid(reader: BodyReader): string | undefined {
  const value = reader.text()?.replace(/^\{(.*)\}$/, '$1');
  if (value === undefined) return undefined;
  if (GUID.test(value)) return value.toLowerCase();

  reader.problem('must be a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301');
  return undefined;
}

/** A whole number within `[min, max]`. */
export function intIn(reader: BodyReader, min: number, max: number): number | undefined {
  const value = reader.int();
  if (value === undefined || (value >= min && value <= max)) return value;

  reader.problem(max === Number.MAX_SAFE_INTEGER
    ? `must be at least ${min}`
    : `must be between ${min} and ${max}`);
  return undefined;
}

/** One of the listed words, matched exactly. */
export function oneOf<T extends string>(reader: BodyReader, values: readonly T[]): T | undefined {
  const value = reader.text();
  if (value === undefined) return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;

  reader.problem(`must be one of ${values.join(', ')}`);
  return undefined;
}

/** An array of GUIDs (duplicates dropped), each problem naming its index. */
export function guidList(reader: BodyReader): string[] | undefined {
  const items = reader.array();
  if (items === undefined) return undefined;

  const ids = new Set<string>();
  for (const item of items) {
    const id = guid(item);
    if (id !== undefined) ids.add(id);
    else if (item.absent) item.problem('is required');
  }
  return [...ids];
}

/** The id a new entity gets when its input names none: a lower-case GUID. */
export function newId(): string {
  return randomUUID();
}

/** Normalises an id taken from a URL path, so `{ABC…}` and `abc…` name the same entity. */
export function pathId(value: string): string {
  return value.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase();
}

/** A 400 `ERR_PARSE_REQUEST` naming one field; `''` names the body itself. */
export function inputError(path: string, problem: string): HubError {
  return new HubError('ERR_PARSE_REQUEST', path === '' ? problem : `${path}: ${problem}`,
    { errors: { [path]: [problem] } });
}

/** What a write did to one thing; summed up by `admin apply`. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'deleted';
