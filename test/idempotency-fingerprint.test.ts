import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../src/api/canonical-json.js';

/** The form stored fingerprints were made with: JSON.stringify and a key-sorting replacer. */
function reference(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

test('canonical JSON is byte for byte the form stored fingerprints were made with', () => {
  const bodies: unknown[] = [
    undefined, null, 0, -1.5e-7, 'text "quoted" \\ \u2028 é', true, [], {},
    { b: 1, a: [3, { z: null, y: 'é', '10': 1, '2': 2 }], '': 'empty key', 'Ä': 1, a1: {} },
    JSON.parse('{"restaurantId":"r","dishList":[{"quantity":1,"id":"d"},{"id":"e","quantity":'
      + '2.5}],"guest":{"phone":"+7 900","firstName":"Анна"},"soonest":true,"comment":null}'),
    [[1, [2, [3, { d: 4, c: [] }]]], 'tail'],
    { nested: { when: new Date(0), list: [undefined, () => 1] }, skipped: undefined },
    { '4294967295': 'not an index', '4294967294': 'index', '01': 'text', '1': 'index', b: 2 },
  ];
  for (const body of bodies) assert.equal(canonicalJson(body), reference(body));
});

test('key order and spacing do not change the canonical form', () => {
  assert.equal(canonicalJson(JSON.parse('{"b": {"y": 1, "x": [2, 1]}, "a": 0}')),
    canonicalJson(JSON.parse('{"a":0,"b":{"x":[2,1],"y":1}}')));
});
