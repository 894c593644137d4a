/**
 * `values` for an `in (…)` list, padded to the next power of two with its last value. The SQL
 * text changes with the list's length and the SQLite driver keeps 1,000 prepared statements:
 * padded, lists of 1 to 1,000 values give 11 texts per statement instead of 1,000, so paging
 * with every page size cannot push the hot statements out. A repeated value matches nothing
 * more.
 */
export function inList<T>(values: readonly T[]): T[] {
  const padded = [...values];
  const last = padded.at(-1);
  if (last === undefined) return padded;

  let size = 1;
  while (size < padded.length) size *= 2;
  while (padded.length < size) padded.push(last);
  return padded;
}
