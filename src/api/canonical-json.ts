/**
 * JSON with object keys sorted, so key order and spacing do not make bodies differ. Byte for
 * byte what `JSON.stringify` with a key-sorting replacer writes (stored fingerprints stay
 * valid), without building a sorted copy of every object.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return canonical(value) ?? '';
}

function canonical(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return JSON.stringify(value, (_key, v: unknown) => sortedCopy(v));
  }

  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i > 0 ? ',' : ''}${canonical(value[i]) ?? 'null'}`;
    }
    return `${out}]`;
  }

  let out = '{';
  let first = true;
  for (const key of sortedKeys(value)) {
    const text = canonical((value as Record<string, unknown>)[key]);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Keys in the order of the sorted copy the replacer made: array-index keys first, ascending (an
 * object lists them so, whatever their insertion order), then the rest sorted by code units.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  let indices = 0;
  while (indices < keys.length && isArrayIndex(keys[indices] as string)) indices += 1;
  if (indices === 0) return keys.sort(byCodeUnits);
  return [...keys.slice(0, indices), ...keys.slice(indices).sort(byCodeUnits)];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}

function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>)
    .sort(([a], [b]) => byCodeUnits(a, b)));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
